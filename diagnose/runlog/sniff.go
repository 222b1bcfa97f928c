package runlog

import (
	"bytes"
)

// Sniff tells from the first bytes of an input whether it is a runtime log
// and which kind: a SQLite database (any SQLite file; OpenDB then checks the
// tables), a FileLogger file (its session line, or JSON lines with chat
// completion keys), or 0.4 LLMCall event lines. A prefix of a few KB is
// enough; the last, possibly cut, line is still looked at.
func Sniff(prefix []byte) (Format, bool) {
	if bytes.HasPrefix(prefix, sqliteMagic) {
		return FormatSQLite, true
	}
	lines := 0
	for len(prefix) > 0 && lines < 50 {
		var line []byte
		if i := bytes.IndexByte(prefix, '\n'); i >= 0 {
			line, prefix = prefix[:i], prefix[i+1:]
		} else {
			line, prefix = prefix, nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		lines++
		if bytes.HasPrefix(line, []byte(sessionPrefix)) {
			return FormatFileLogger, true
		}
		brace := bytes.IndexByte(line, '{')
		if brace < 0 {
			continue
		}
		obj := line[brace:]
		switch {
		case hasKey(obj, "type", "LLMCall"):
			return FormatLLMCall, true
		case bytes.Contains(obj, []byte(`"invocation_id"`)) && bytes.Contains(obj, []byte(`"request"`)) &&
			(bytes.Contains(obj, []byte(`"is_cached"`)) || bytes.Contains(obj, []byte(`"wrapper_id"`))):
			return FormatFileLogger, true
		}
	}
	return "", false
}

// hasKey reports whether obj holds "key": "value" with any spacing.
func hasKey(obj []byte, key, value string) bool {
	k := []byte(`"` + key + `"`)
	for {
		i := bytes.Index(obj, k)
		if i < 0 {
			return false
		}
		rest := bytes.TrimLeft(obj[i+len(k):], " \t")
		if len(rest) > 0 && rest[0] == ':' {
			rest = bytes.TrimLeft(rest[1:], " \t")
			if bytes.HasPrefix(rest, []byte(`"`+value+`"`)) {
				return true
			}
		}
		obj = obj[i+len(k):]
	}
}
