package runlog

import (
	"encoding/json"
	"testing"
	"time"
)

func TestScanRequest(t *testing.T) {
	tests := []struct {
		in        string
		ok        bool
		msgs      int
		model     string
		last      string
		toolChars int64
	}{
		{`{"messages": [{"content": "hi", "role": "user"}], "model": "gpt-4o", "temperature": 0}`, true, 1, "gpt-4o", "hi", 0},
		{`{"model":"m","messages":[{"role":"system","content":"s"},{"role":"tool","content":"a\"b\\c\u00e9","tool_call_id":"x"}]}`, true, 2, "m", `a\"b\\c\u00e9`, 6},
		{`{"messages": [{"content": null, "role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{}"}}]}], "stream": false}`, true, 1, "", "null", 0},
		{`{"messages": [{"content": [{"type": "text", "text": "x"}], "role": "user"}]}`, true, 1, "", `[{"type": "text", "text": "x"}]`, 0},
		{` { "messages" : [ ] , "model" : "x" } `, true, 0, "x", "", 0},
		{`{"messages": [{"content": "unterminated}]}`, false, 0, "", "", 0},
		{`{"messages": [1, 2, {"role": "user", "content": "z"}]}`, true, 3, "", "z", 0},
		{`[1, 2]`, false, 0, "", "", 0},
		{``, false, 0, "", "", 0},
		{`{"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`, false, 0, "", "", 0},
	}
	for _, tc := range tests {
		info, ok := scanRequest([]byte(tc.in))
		if ok != tc.ok {
			t.Errorf("%s: ok = %v", tc.in, ok)
			continue
		}
		if !ok {
			continue
		}
		if info.msgs != tc.msgs || string(info.model) != tc.model || string(info.last[1]) != tc.last || info.toolChars != tc.toolChars {
			t.Errorf("%s: got msgs %d model %q last %q tool %d", tc.in, info.msgs, info.model, info.last[1], info.toolChars)
		}
	}
}

func TestUsageIn(t *testing.T) {
	for in, want := range map[string][2]int{
		`{"usage": {"completion_tokens": 9, "prompt_tokens": 20, "total_tokens": 29}}`:                     {20, 9},
		`ChatCompletion(usage=CompletionUsage(completion_tokens=12, prompt_tokens=345, total_tokens=357))`: {345, 12},
		`{'usage': {'prompt_tokens': 7, 'completion_tokens': 1}}`:                                          {7, 1},
	} {
		p, c, ok := usageIn([]byte(in))
		if !ok || p != want[0] || c != want[1] {
			t.Errorf("%s: %d %d %v", in, p, c, ok)
		}
	}
	if _, _, ok := usageIn([]byte(`{"response": "error_code:rate_limit_exceeded, config 0 failed"}`)); ok {
		t.Error("a failed call has no usage")
	}
}

func TestParseError(t *testing.T) {
	for in, want := range map[string]string{
		`{"response": "error_code:rate_limit_exceeded, config 0 failed"}`: "rate_limit_exceeded/0",
		`{"response": "error_code:429, config 2 failed"}`:                 "429/2",
		`error_code:None, config 1 failed`:                                "None/1",
		`error_code:, config 1 failed`:                                    "None/1",
	} {
		code, cfg, ok := parseError(in)
		if !ok || code+"/"+string(rune('0'+cfg)) != want {
			t.Errorf("%s: %s %d %v", in, code, cfg, ok)
		}
	}
	if _, _, ok := parseError(`{"id": "chatcmpl-1"}`); ok {
		t.Error("a success is not an error")
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 5, 1, 10, 2, 13, 123456000, time.UTC)
	for _, s := range []string{"2024-05-01 10:02:13.123456", "2024-05-01T10:02:13.123456Z", "2024-05-01T10:02:13.123456"} {
		if got := parseTime(s); !got.Equal(want) {
			t.Errorf("%s: %v", s, got)
		}
	}
	if got := parseTime("2024-05-01 10:02:13"); !got.Equal(want.Truncate(time.Second)) {
		t.Errorf("CURRENT_TIMESTAMP form: %v", got)
	}
	for _, s := range []string{"", "yesterday", "2024-13-01 10:02:13", "2024-05-01 10:02:13."} {
		if got := parseTime(s); !got.IsZero() {
			t.Errorf("%q: %v, want zero", s, got)
		}
	}
}

func TestNormHash(t *testing.T) {
	a := normHash("s", "assistant", "Attempt 3 failed.\nRetry   now")
	if a == 0 || a != normHash("s", "assistant", "attempt 41 failed. retry now") {
		t.Error("case, digits and whitespace should not matter")
	}
	if a == normHash("s", "critic", "attempt 41 failed. retry now") || a == normHash("t", "assistant", "attempt 3 failed. retry now") {
		t.Error("agent and session must matter")
	}
	if normHash("s", "a", "  \n ") != 0 {
		t.Error("blank text has no hash")
	}
}

func TestMaskKey(t *testing.T) {
	for in, want := range map[string]string{"sk-proj-abcdefghijklmnopqrstuv1234": "sk-…1234", "0123456789abcdef0123": "…0123", "short": "…"} {
		if got := maskKey(in); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}

// FuzzScanRequest: the hand-written scanners never panic, and on input that
// encoding/json accepts as a request it counts the same messages.
func FuzzScanRequest(f *testing.F) {
	f.Add([]byte(`{"messages": [{"content": "hi", "role": "user"}, {"role": "tool", "content": "x\"y"}], "model": "gpt-4o"}`))
	f.Add([]byte(`{"messages": [{"content": [{"type": "text"}], "role": "user"}], "n": 1.5e3, "t": true, "u": null}`))
	f.Add([]byte(`{"messages": "oops"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		scanEvent(data) // must not panic either
		usageIn(data)
		info, ok := scanRequest(data)
		// exact key match (encoding/json folds case in struct fields; logs never do)
		var obj map[string]json.RawMessage
		var msgs []json.RawMessage
		if ok && json.Unmarshal(data, &obj) == nil && json.Unmarshal(obj["messages"], &msgs) == nil && msgs != nil && info.msgs != len(msgs) {
			t.Fatalf("scanned %d messages, encoding/json %d", info.msgs, len(msgs))
		}
		if info.toolChars < 0 || info.maxTool > info.toolChars {
			t.Fatalf("tool chars %d max %d", info.toolChars, info.maxTool)
		}
	})
}

func TestScanEvent(t *testing.T) {
	for in, want := range map[string][2]string{
		`{"message": {"content": "hi", "role": "user"}, "sender": "user_proxy", "valid": true}`: {"user_proxy", "hi"},
		`{"message": "plain text", "sender": "a\"b"}`:                                           {`a\"b`, "plain text"},
		`{"sender": "x", "message": {"content": null, "tool_calls": [{"id": 1}]}}`:              {"x", "null"},
	} {
		sender, content, ok := scanEvent([]byte(in))
		if !ok || string(sender) != want[0] || string(content) != want[1] {
			t.Errorf("%s: %q %q %v", in, sender, content, ok)
		}
	}
	if _, _, ok := scanEvent([]byte(`{"sender": `)); ok {
		t.Error("truncated state accepted")
	}
}
