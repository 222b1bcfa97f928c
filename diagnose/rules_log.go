package diagnose

// logRules are the rules that read log facts (tracebacks, openai/httpx lines,
// console transcripts). Owned by the log-scanner work.
var logRules = []*Rule{}
