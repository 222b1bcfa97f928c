package runlog

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// reqInfo is what the rules need from one request body.
type reqInfo struct {
	msgs      int
	model     []byte
	last      [2][]byte // raw (still escaped) content of the last two messages, capped
	toolChars int64
	maxTool   int64
}

// maxDepth bounds nesting while skipping values, so hostile input cannot
// make the scanner recurse deeply.
const maxDepth = 64

// scanRequest walks a chat request ({"messages": [...], "model": ...})
// without building a tree: a runtime log holds up to a million of them, and
// decoding each into maps would cost more than reading the database. It
// returns ok=false for anything that is not such an object.
func scanRequest(b []byte) (info reqInfo, ok bool) {
	s := &jscan{b: b}
	s.ws()
	if !s.eat('{') {
		return info, false
	}
	for {
		s.ws()
		if s.eat('}') {
			return info, true
		}
		key, ok := s.str()
		if !ok {
			return info, false
		}
		s.ws()
		if !s.eat(':') {
			return info, false
		}
		s.ws()
		switch string(key) {
		case "messages":
			// a repeated key replaces the earlier value, as in encoding/json.
			info = reqInfo{model: info.model}
			if !s.messages(&info) {
				return info, false
			}
		case "model":
			v, ok := s.str()
			if !ok {
				if !s.skip(0) {
					return info, false
				}
			} else if len(v) <= 200 {
				info.model = v
			}
		default:
			if !s.skip(0) {
				return info, false
			}
		}
		s.ws()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return info, true
		}
		return info, false
	}
}

type jscan struct {
	b []byte
	i int
}

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jscan) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str reads a JSON string and returns its raw (escaped) bytes.
func (s *jscan) str() ([]byte, bool) {
	if !s.eat('"') {
		return nil, false
	}
	start := s.i
	for {
		j := bytes.IndexAny(s.b[s.i:], `"\`)
		if j < 0 {
			return nil, false
		}
		s.i += j
		if s.b[s.i] == '"' {
			v := s.b[start:s.i]
			s.i++
			return v, true
		}
		s.i += 2 // backslash and the escaped byte
		if s.i > len(s.b) {
			return nil, false
		}
	}
}

// skip passes over any JSON value.
func (s *jscan) skip(depth int) bool {
	if depth > maxDepth || s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, ok := s.str()
		return ok
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		s.i++
		s.ws()
		if s.eat(closer) {
			return true
		}
		for {
			if c == '{' {
				if _, ok := s.str(); !ok {
					return false
				}
				s.ws()
				if !s.eat(':') {
					return false
				}
				s.ws()
			}
			if !s.skip(depth + 1) {
				return false
			}
			s.ws()
			if s.eat(',') {
				s.ws()
				continue
			}
			return s.eat(closer)
		}
	default:
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return s.i > start
			}
			s.i++
		}
		return s.i > start
	}
}

// messages reads the messages array, keeping counts, tool sizes and the
// last two contents.
func (s *jscan) messages(info *reqInfo) bool {
	if !s.eat('[') {
		return s.skip(0)
	}
	s.ws()
	if s.eat(']') {
		return true
	}
	for {
		if s.i < len(s.b) && s.b[s.i] == '{' {
			if !s.messageObject(info) {
				return false
			}
		} else if !s.skip(1) {
			return false
		} else {
			info.msgs++
			info.last[0], info.last[1] = info.last[1], nil
		}
		s.ws()
		if s.eat(',') {
			s.ws()
			continue
		}
		return s.eat(']')
	}
}

// messageObject reads one {"role": ..., "content": ...} object and folds it
// into info.
func (s *jscan) messageObject(info *reqInfo) bool {
	var role, content []byte
	s.i++ // '{'
	for {
		s.ws()
		if s.eat('}') {
			break
		}
		key, ok := s.str()
		if !ok {
			return false
		}
		s.ws()
		if !s.eat(':') {
			return false
		}
		s.ws()
		switch string(key) {
		case "role":
			if role, ok = s.str(); !ok {
				return false
			}
		case "content":
			start := s.i
			if !s.skip(1) {
				return false
			}
			content = s.b[start:s.i]
			if len(content) >= 2 && content[0] == '"' {
				content = content[1 : len(content)-1]
			}
		default:
			if !s.skip(1) {
				return false
			}
		}
		s.ws()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			break
		}
		return false
	}
	info.msgs++
	if r := string(role); r == "tool" || r == "function" {
		n := decodedLen(content)
		info.toolChars += n
		info.maxTool = max(info.maxTool, n)
	}
	if len(content) > 2048 {
		content = content[:2048]
	}
	info.last[0], info.last[1] = info.last[1], content
	return true
}

// unescape decodes a raw JSON string body, keeping at most max bytes; a bad
// escape is kept as written.
func unescape(raw []byte, max int) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		if len(raw) > max {
			raw = raw[:max]
		}
		return string(raw)
	}
	if s, err := strconv.Unquote(`"` + string(raw) + `"`); err == nil {
		if len(s) > max {
			s = s[:max]
			for len(s) > 0 && !utf8.ValidString(s) {
				s = s[:len(s)-1]
			}
		}
		return s
	}
	if len(raw) > max {
		raw = raw[:max]
	}
	return string(raw)
}

// usageIn finds "prompt_tokens": N and "completion_tokens": N in a response
// body (JSON, or a Python repr with = instead of :).
func usageIn(b []byte) (prompt, completion int, ok bool) {
	p, okP := intAfter(b, "prompt_tokens")
	c, okC := intAfter(b, "completion_tokens")
	return p, c, okP || okC
}

func intAfter(b []byte, key string) (int, bool) {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0, false
	}
	i += len(key)
	for i < len(b) && (b[i] == '"' || b[i] == '\'' || b[i] == ':' || b[i] == '=' || b[i] == ' ') {
		i++
	}
	n, digits := 0, 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' && digits < 12 {
		n = n*10 + int(b[i]-'0')
		i++
		digits++
	}
	return n, digits > 0
}

// decodedLen is the length of a raw JSON string body once unescaped
// (a \uXXXX escape counts as one character).
func decodedLen(raw []byte) int64 {
	n := int64(0)
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\\')
		if j < 0 {
			n += int64(len(raw) - i)
			break
		}
		n += int64(j) + 1
		i += j + 2
		if i-1 < len(raw) && raw[i-1] == 'u' {
			i += 4
		}
	}
	return n
}

// scanEvent reads the sender and the message content of a received_message
// event's json_state ({"message": {...} or "...", "sender": "...", "valid": ...}).
func scanEvent(b []byte) (sender, content []byte, ok bool) {
	s := &jscan{b: b}
	s.ws()
	if !s.eat('{') {
		return nil, nil, false
	}
	for {
		s.ws()
		if s.eat('}') {
			return sender, content, true
		}
		key, ok := s.str()
		if !ok {
			return nil, nil, false
		}
		s.ws()
		if !s.eat(':') {
			return nil, nil, false
		}
		s.ws()
		switch string(key) {
		case "sender":
			if sender, ok = s.str(); !ok && !s.skip(0) {
				return nil, nil, false
			}
		case "message":
			if s.i < len(s.b) && s.b[s.i] == '{' {
				var info reqInfo
				// a message object is scanned like a one-message list.
				if !s.messageObject(&info) {
					return nil, nil, false
				}
				content = info.last[1]
			} else if content, ok = s.str(); !ok && !s.skip(0) {
				return nil, nil, false
			}
		default:
			if !s.skip(0) {
				return nil, nil, false
			}
		}
		s.ws()
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return sender, content, true
		}
		return nil, nil, false
	}
}
