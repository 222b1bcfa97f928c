package diagnose

// runtimeRules are the rules that read AutoGen runtime logs (SQLite, JSON-lines,
// 0.4 LLMCall events). Owned by the runtime-log work.
var runtimeRules = []*Rule{}
