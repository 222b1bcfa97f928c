package logscan

import "bytes"

// strong markers: text that only logs, tracebacks and transcripts contain.
var strongMarkers = [][]byte{
	[]byte("Traceback (most recent call last)"),
	[]byte("Error code: 429"),
	[]byte("Error code: 529"),
	[]byte("HTTP Request: POST"),
	[]byte("HTTP Response: POST"),
	[]byte("Retrying request"),
	[]byte("RateLimitError:"),
	[]byte("TERMINATING RUN"),
	[]byte(">>>>>>>> "),
	[]byte("---------- Summary ----------"),
	[]byte("Finish reason:"),
	[]byte("***** Response from calling"),
	[]byte("***** Suggested tool call"),
	[]byte("RESOURCE_EXHAUSTED"),
	[]byte("Too Many Requests"),
	[]byte(`"type": "LLMCall"`),
	[]byte("Backing off "),
	[]byte("seconds as it raised"),
}

// SniffScore says how much a text's beginning looks like a log, a traceback
// or a console transcript, in [0,1]. It reads at most the first 64 KiB.
func SniffScore(prefix []byte) float64 {
	if len(prefix) > 64<<10 {
		prefix = prefix[:64<<10]
	}
	if len(prefix) == 0 || bytes.IndexByte(prefix, 0) >= 0 {
		return 0
	}
	strong := 0
	for _, m := range strongMarkers {
		if bytes.Contains(prefix, m) {
			strong++
		}
	}
	var lines, logLines, headers, code int
	for len(prefix) > 0 && lines < 2000 {
		i := bytes.IndexByte(prefix, '\n')
		var l []byte
		if i < 0 {
			l, prefix = prefix, nil
		} else {
			l, prefix = prefix[:i], prefix[i+1:]
		}
		l = bytes.TrimRight(l, "\r")
		if len(l) == 0 {
			continue
		}
		lines++
		switch {
		case isSeparator80(l):
			headers++
		case bytes.HasPrefix(l, dashes10) && bytes.HasSuffix(l, dashes10End):
			headers++
		case l[len(l)-1] == ':' && len(l) > 6 && l[len(l)-2] == ')' && bytes.Contains(l, kwTo):
			headers++
		case hasLevel(l):
			logLines++
		case len(l) < 400 && looksRateLimited(string(bytes.ToLower(l))):
			// An app's own print ("Rate limit exceeded. Waiting for 10 seconds."):
			// the engine asks this only after code and config said no.
			logLines++
		case bytes.HasPrefix(l, []byte("import ")) || bytes.HasPrefix(l, []byte("from ")) && bytes.Contains(l, []byte(" import ")) ||
			bytes.HasPrefix(l, []byte("def ")) || bytes.HasPrefix(l, []byte("class ")) || bytes.HasPrefix(l, []byte("async def ")):
			code++
		}
	}
	if lines == 0 {
		return 0
	}
	score := float64(strong)*0.35 + float64(headers)*0.25 + float64(logLines)/float64(lines)
	// Python source has imports and definitions at column 0; a traceback or a
	// log quotes code only indented.
	if code > 0 && code >= strong+headers {
		score -= float64(code) * 0.3
	}
	if score < 0 {
		return 0
	}
	if score > 1 {
		return 1
	}
	return score
}

// Sniff reports whether a text's beginning looks like a log, a traceback or a
// console transcript.
func Sniff(prefix []byte) bool { return SniffScore(prefix) >= 0.5 }

// hasLevel: a log line with a level word near its start ("INFO:httpx:",
// "2024-01-01 10:00:00,123 - WARNING - ...", "[... - openai._base_client:919 - INFO]").
func hasLevel(l []byte) bool {
	head := l[:min(len(l), 80)]
	for _, w := range [][]byte{[]byte("INFO"), []byte("WARNING"), []byte("ERROR"), []byte("DEBUG"), []byte("CRITICAL")} {
		if i := bytes.Index(head, w); i >= 0 {
			// "INFO:" "INFO " "[INFO]" "- INFO -"
			j := i + len(w)
			if j < len(head) && (head[j] == ':' || head[j] == ' ' || head[j] == ']') && (i == 0 || head[i-1] == ' ' || head[i-1] == '[' || head[i-1] == '|') {
				return true
			}
		}
	}
	return false
}
