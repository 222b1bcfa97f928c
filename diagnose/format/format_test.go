package format

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

const agentsPy = `import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
user = autogen.UserProxyAgent("user", human_input_mode="NEVER")
user.initiate_chat(assistant, message="go")
`

// sampleRules is a small registry as the engine would expose it.
func sampleRules() []*diagnose.Rule {
	return []*diagnose.Rule{
		{ID: "RLD1001", Title: "Auto-reply cap is high with no termination check", Cause: diagnose.CauseLoop,
			Severity: diagnose.SeverityError, Article: "agent-loops",
			Doc: "Finds agents that answer each other **forever**.\n\n## Fix\n\n```python\nuser = UserProxyAgent(\"u\", max_consecutive_auto_reply=5)\n```\n"},
		{ID: "RLD4001", Title: "Provider says the RPM limit is low", Cause: diagnose.CauseLowQuota,
			Severity: diagnose.SeverityWarning, Article: "low-quota"},
		{ID: "RLD9001", Title: "Hard-coded API key", Cause: diagnose.CauseSecret,
			Severity: diagnose.SeverityError, Article: "api-keys"},
	}
}

// sampleReport has a Python finding with an edit, a log finding with no source
// and an info finding not tied to a line.
func sampleReport() *diagnose.Report {
	line := 5
	start := strings.Index(agentsPy, `human_input_mode="NEVER"`)
	end := start + len(`human_input_mode="NEVER"`)
	return &diagnose.Report{
		Version: 1,
		Causes: []diagnose.RankedCause{
			{Cause: diagnose.CauseLoop, Score: 0.9, Article: "/articles/agent-loops", Reason: "the code has no stop and the log repeats one message 40 times", Rules: []string{"RLD1001"}},
			{Cause: diagnose.CauseLowQuota, Score: 0.4, Article: "/articles/low-quota", Reason: "RPM limit 3 | free tier"},
		},
		Findings: []diagnose.Finding{
			{Rule: "RLD1001", Title: "Auto-reply cap is high with no termination check", Cause: diagnose.CauseLoop,
				Severity: diagnose.SeverityError, File: "agents.py", Line: line, EndLine: line, Column: 39,
				Message:  "user replies automatically up to 100 times and nothing ends the chat",
				Evidence: `human_input_mode="NEVER"`,
				Fix:      "user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\", max_consecutive_auto_reply=5)",
				Article:  "/articles/agent-loops",
				Edits:    []diagnose.Edit{{File: "agents.py", Start: start, End: end, New: `human_input_mode="NEVER", max_consecutive_auto_reply=5`}}},
			{Rule: "RLD4001", Title: "Provider says the RPM limit is low", Cause: diagnose.CauseLowQuota,
				Severity: diagnose.SeverityWarning, File: "run.log", Line: 3, EndLine: 3,
				Message:  "Rate limit reached for gpt-4o: Limit 3, Used 3 (requests per min)",
				Evidence: "openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached ... Limit: 3'}}",
				Fix:      "Add a payment method or lower the request rate", Article: "/articles/low-quota"},
			{Rule: "RLD1001", Cause: diagnose.CauseLoop, Severity: diagnose.SeverityInfo, File: "OAI_CONFIG_LIST",
				Message: "no termination", Article: "/articles/agent-loops"},
		},
		Inputs: []diagnose.InputSummary{
			{Name: "agents.py", Kind: diagnose.KindPython, Generation: "0.2"},
			{Name: "run.log", Kind: diagnose.KindLog, Provider: "openai"},
			{Name: "OAI_CONFIG_LIST", Kind: diagnose.KindConfig},
		},
		Next:  []string{"paste the full traceback"},
		Notes: []diagnose.Note{{File: "agents.py", Line: 2, Message: "ignore[RLD3001] matches nothing"}},
	}
}

func sampleOptions() Options {
	return Options{BaseURL: "https://rld.example.org/", Sources: MemSources{"agents.py": []byte(agentsPy)}, Rules: sampleRules(), ToolVersion: "1.2.3"}
}

func TestTextCompilerShape(t *testing.T) {
	var out bytes.Buffer
	if err := Text(&out, sampleReport(), sampleOptions()); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "\x1b") {
		t.Errorf("colour off but output has escape codes:\n%q", s)
	}
	for _, want := range []string{
		"agents.py:5:39: error: user replies automatically up to 100 times and nothing ends the chat [RLD1001]\n",
		" 5 | user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\")\n",
		"   | " + strings.Repeat(" ", 38) + "^" + strings.Repeat("~", len(`human_input_mode`)-1) + "\n",
		"  fix:\n    agents.py\n",
		"\n    -user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\")\n",
		"\n    +user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\", max_consecutive_auto_reply=5)\n",
		"  fix: Add a payment method or lower the request rate\n",
		"  see: https://rld.example.org/articles/agent-loops\n",
		"run.log:3: warning: Rate limit reached for gpt-4o: Limit 3, Used 3 (requests per min) [RLD4001]\n",
		"    openai.RateLimitError: Error code: 429",
		"OAI_CONFIG_LIST: info: no termination [RLD1001]\n",
		"  1. loop               0.90  the code has no stop",
		"1 error, 1 warning, 1 info in 3 inputs.\n",
		"Inputs: agents.py (python, AutoGen 0.2); run.log (log, openai); OAI_CONFIG_LIST (config)\n",
		"note: agents.py:2: ignore[RLD3001] matches nothing\n",
		"next: paste the full traceback\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("text output lacks %q\n--- output ---\n%s", want, s)
		}
	}
	// The caret must sit under the evidence in the printed line.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, " 5 | ") {
			src, caret := l[5:], strings.TrimPrefix(lines[i+1], "   | ")
			at := strings.Index(caret, "^")
			if got := src[at : at+len(strings.TrimSpace(caret))]; got != `human_input_mode` {
				t.Errorf("caret underlines %q", got)
			}
		}
	}
}

func TestTextEmptyReport(t *testing.T) {
	var out bytes.Buffer
	if err := Text(&out, &diagnose.Report{Inputs: []diagnose.InputSummary{{Name: "a.py", Kind: diagnose.KindPython}}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "No rate-limit problems found in 1 input.\n") {
		t.Errorf("got %q", out.String())
	}
}

func TestTextColorAndHyperlinks(t *testing.T) {
	for _, tc := range []struct {
		name         string
		color, links bool
		wantANSI     bool
		wantOSC8     bool
	}{
		{"off", false, false, false, false},
		{"colour", true, false, true, false},
		{"colour and links", true, true, true, true},
		{"links without colour stay plain", false, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := sampleOptions()
			o.Color, o.Hyperlinks = tc.color, tc.links
			var out bytes.Buffer
			if err := Text(&out, sampleReport(), o); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			if got := strings.Contains(s, "\x1b[1;31merror"+ansiReset); got != tc.wantANSI {
				t.Errorf("red error: got %v want %v", got, tc.wantANSI)
			}
			if got := strings.Contains(s, "\x1b[1m"+"agents.py:5:39"+ansiReset); got != tc.wantANSI {
				t.Errorf("bold location: got %v want %v", got, tc.wantANSI)
			}
			osc := "\x1b]8;;https://rld.example.org/articles/agent-loops\x1b\\"
			if got := strings.Contains(s, osc); got != tc.wantOSC8 {
				t.Errorf("OSC 8 link: got %v want %v", got, tc.wantOSC8)
			}
			if !strings.Contains(s, "https://rld.example.org/articles/agent-loops") {
				t.Error("article URL not printed")
			}
		})
	}
}

func TestTextNeutralisesControlCharacters(t *testing.T) {
	r := &diagnose.Report{Findings: []diagnose.Finding{{Rule: "RLD4001", Severity: diagnose.SeverityWarning, File: "x.log", Line: 1,
		Message: "bad\x1b]0;pwned\x07 title", Evidence: "line\x1b[2Jclear", Fix: "a\rb"}}}
	var out bytes.Buffer
	if err := Text(&out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(out.Bytes(), "\x1b\x07\r") {
		t.Errorf("control characters reached the terminal: %q", out.String())
	}
}

func TestCaretLine(t *testing.T) {
	for _, tc := range []struct {
		line     string
		col      int
		evidence string
		want     string
	}{
		{"x = call(a, b)", 0, "call(a, b)", "    ^~~~~~~~~~"},
		{"x = call(a, b)", 5, "", "    ^~~~"},
		{"u = autogen.UserProxyAgent(", 5, "u = autogen.UserProxyAgent(", "    ^~~~~~~~~~~~~~~~~~~~~~"},
		{`cfg = {"api_key": "sk-…abcd"}`, 19, "", `                  ^~~~~~~~~~`},
		{`s = 'it\'s'`, 5, "", "    ^~~~~~~"},
		{"f(x) + 1", 6, "", "     ^"},
		{"    x = 1  ", 0, "", "    ^~~~~"},
		{"\tx = y", 0, "y", "        ^"},
		{"", 3, "", ""},
		{"   ", 0, "", ""},
		{"héllo = 1", 0, "= 1", "      ^~~"},
		{"short", 40, "", "^~~~~"},
	} {
		if got := caretLine(tc.line, tc.col, tc.evidence); got != tc.want {
			t.Errorf("caretLine(%q, %d, %q) = %q, want %q", tc.line, tc.col, tc.evidence, got, tc.want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var out bytes.Buffer
	r := sampleReport()
	if err := JSON(&out, r); err != nil {
		t.Fatal(err)
	}
	var back diagnose.Report
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatalf("output is not a report: %v\n%s", err, out.String())
	}
	if back.Version != 1 || len(back.Causes) != 2 || len(back.Findings) != 3 || len(back.Inputs) != 3 {
		t.Fatalf("round trip lost data: %+v", back)
	}
	if back.Findings[0].Line != 5 || back.Findings[0].EndLine != 5 || back.Findings[0].Rule != "RLD1001" || back.Causes[0].Cause != diagnose.CauseLoop {
		t.Errorf("fields changed: %+v", back.Findings[0])
	}
	// The contract's field names, in order, and indentation.
	s := out.String()
	keys := []string{`"version": 1`, `"causes": [`, `"findings": [`, `"inputs": [`}
	last := -1
	for _, k := range keys {
		i := strings.Index(s, k)
		if i < 0 || i < last {
			t.Fatalf("key %s missing or out of order in\n%s", k, s)
		}
		last = i
	}
	for _, k := range []string{`"rule"`, `"cause"`, `"severity"`, `"file"`, `"line"`, `"end_line"`, `"message"`, `"evidence"`, `"fix"`, `"article"`, `"kind"`, `"score"`} {
		if !strings.Contains(s, k) {
			t.Errorf("missing %s", k)
		}
	}
	// Same input, same bytes.
	var again bytes.Buffer
	_ = JSON(&again, r)
	if again.String() != s {
		t.Error("JSON output is not stable")
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	for _, r := range []*diagnose.Report{nil, {}} {
		var out bytes.Buffer
		if err := JSON(&out, r); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"causes", "findings", "inputs"} {
			if _, ok := m[k].([]any); !ok {
				t.Errorf("%s is %v, want []", k, m[k])
			}
		}
		if m["version"] != float64(1) {
			t.Errorf("version %v", m["version"])
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	r := sampleReport()
	r.Findings[1].Evidence = "here: ``` and ```` fences\n| a | b |"
	r.Findings[1].Message = "limit *3* | see [docs](http://x) <b>bold</b>"
	var out bytes.Buffer
	if err := Markdown(&out, r, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.HasPrefix(s, "## Rate limit diagnosis\n\n**Most likely cause: [loop](https://rld.example.org/articles/agent-loops)** (score 0.90).") {
		t.Errorf("verdict does not come first:\n%s", s)
	}
	// The evidence holds a run of four backticks: the fence must be five.
	if !strings.Contains(s, "`````text\nhere: ``` and ```` fences\n| a | b |\n`````\n") {
		t.Errorf("evidence fence not longer than its backtick runs:\n%s", s)
	}
	// The reason's "|" is escaped so the table keeps five columns.
	if !strings.Contains(s, `RPM limit 3 \| free tier`) {
		t.Errorf("pipe in table cell not escaped:\n%s", s)
	}
	if strings.Contains(s, "<b>") || strings.Contains(s, "[docs](http://x)") {
		t.Errorf("message Markdown/HTML not escaped:\n%s", s)
	}
	// The fix comes as a diff of the person's own line.
	diffBlock := regexp.MustCompile("(?s)```diff\n(.*?)\n```\n").FindStringSubmatch(s)
	if diffBlock == nil ||
		!strings.Contains(diffBlock[1], "\n-user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\")\n") ||
		!strings.Contains(diffBlock[1], "\n+user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\", max_consecutive_auto_reply=5)\n") {
		t.Errorf("no diff of the fix:\n%s", s)
	}
	// Without the source the fix text stands in.
	if !strings.Contains(s, "Fix:\n\n```text\nAdd a payment method or lower the request rate\n```") {
		t.Errorf("fix text missing:\n%s", s)
	}
	tableRows(t, s)
}

// tableRows checks every table row has as many unescaped cell separators as
// its header (what a GFM renderer splits on).
func tableRows(t *testing.T, md string) {
	t.Helper()
	sep := regexp.MustCompile(`(^|[^\\])\|`)
	want := -1
	for _, l := range strings.Split(md, "\n") {
		if !strings.HasPrefix(l, "|") {
			want = -1
			continue
		}
		n := len(sep.FindAllStringIndex(l, -1))
		// Adjacent "||" share a character; count them separately.
		n += strings.Count(l, "||")
		if want < 0 {
			want = n
		} else if n != want {
			t.Errorf("table row has %d separators, header %d: %q", n, want, l)
		}
	}
}

func TestMarkdownClean(t *testing.T) {
	var out bytes.Buffer
	if err := Markdown(&out, &diagnose.Report{Inputs: []diagnose.InputSummary{{Name: "a|b.py", Kind: diagnose.KindPython}}}, Options{}); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.Contains(s, "**No rate-limit problems found** in 1 input.") || strings.Contains(s, "### Findings") {
		t.Errorf("clean report:\n%s", s)
	}
	if !strings.Contains(s, "| `a\\|b.py` |") {
		t.Errorf("pipe in input name not escaped in table:\n%s", s)
	}
	tableRows(t, s)
}

func TestFenced(t *testing.T) {
	for _, tc := range []struct{ code, fence string }{
		{"plain", "```"},
		{"a ` b", "```"},
		{"``` inside", "````"},
		{"x ````` y", "``````"},
	} {
		got := fenced("text", tc.code)
		if !strings.HasPrefix(got, tc.fence+"text\n") || !strings.HasSuffix(got, "\n"+tc.fence+"\n\n") {
			t.Errorf("fenced(%q) = %q, want fence %q", tc.code, got, tc.fence)
		}
	}
	if got := mdCode("a `b` c"); got != "``a `b` c``" {
		t.Errorf("mdCode = %q", got)
	}
	if got := mdCode("`x"); got != "`` `x ``" {
		t.Errorf("mdCode = %q", got)
	}
}

func TestFixDiffs(t *testing.T) {
	src := MemSources{"f.py": []byte("a\nb\nc\nd\ne\n"), "cfg.json": []byte("[]\n")}
	for _, tc := range []struct {
		name  string
		f     diagnose.Finding
		want  []string // lines each diff must hold
		files int
		ok    bool
	}{
		{"replace in line", diagnose.Finding{File: "f.py", Edits: []diagnose.Edit{{Start: 2, End: 3, New: "B"}}}, []string{"-b", "+B", " a", " c"}, 1, true},
		{"edit in another file", diagnose.Finding{File: "f.py", Edits: []diagnose.Edit{{Start: 2, End: 3, New: "B"}, {File: "cfg.json", Start: 1, End: 1, New: "{}"}}}, []string{"-[]", "+[{}]"}, 2, true},
		{"out of range", diagnose.Finding{File: "f.py", Edits: []diagnose.Edit{{Start: 5, End: 99}}}, nil, 0, false},
		{"overlap", diagnose.Finding{File: "f.py", Edits: []diagnose.Edit{{Start: 0, End: 3}, {Start: 2, End: 4}}}, nil, 0, false},
		{"source missing", diagnose.Finding{File: "x.py", Edits: []diagnose.Edit{{Start: 0, End: 0, New: "x"}}}, nil, 0, false},
		{"no edits", diagnose.Finding{File: "f.py"}, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diffs, ok := fixDiffs(tc.f, src)
			if ok != tc.ok || len(diffs) != tc.files {
				t.Fatalf("ok = %v with %d diffs, want %v with %d", ok, len(diffs), tc.ok, tc.files)
			}
			all := strings.Join(diffs, "")
			for _, w := range tc.want {
				if !strings.Contains(all, "\n"+w+"\n") {
					t.Errorf("diff lacks line %q:\n%s", w, all)
				}
			}
		})
	}
}

func TestPosition(t *testing.T) {
	src := []byte("ab\nhé x\n")
	for _, tc := range []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {6, 2, 3}, {8, 2, 5}, {9, 3, 1}} {
		l, c := position(src, tc.off)
		if l != tc.line || c != tc.col {
			t.Errorf("position(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}

func TestRulesTableAndDoc(t *testing.T) {
	var out bytes.Buffer
	if err := RulesTable(&out, sampleRules()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") || !regexp.MustCompile(`^RLD1001\s+error\s+loop\s+Auto-reply cap`).MatchString(lines[1]) {
		t.Errorf("rules table:\n%s", out.String())
	}
	out.Reset()
	if err := RuleDoc(&out, sampleRules()[0], "user = UserProxyAgent(\"u\")  # bad", Options{}); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"RLD1001: Auto-reply cap is high with no termination check\n",
		"  severity: error\n", "  cause:    loop\n",
		"  article:  http://localhost:8080/articles/agent-loops\n",
		"  page:     http://localhost:8080/rules/RLD1001\n",
		"Finds agents that answer each other forever.\n",
		"Fix\n===\n",
		"    user = UserProxyAgent(\"u\", max_consecutive_auto_reply=5)\n",
		"Example\n\n    user = UserProxyAgent(\"u\")  # bad\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("rule doc lacks %q\n%s", want, s)
		}
	}
	if strings.Contains(s, "```") || strings.Contains(s, "## ") {
		t.Errorf("Markdown markers left in terminal doc:\n%s", s)
	}
}

func TestMdEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, with: colons (and parens) - dashes", "plain text, with: colons (and parens) - dashes"},
		{"a | b", `a \| b`},
		{"*bold* _it_ `code` ~~s~~", `\*bold\* \_it\_ \` + "`" + `code\` + "`" + ` \~\~s\~\~`},
		{"[x](http://y) <script>", `\[x\](http://y) \<script\>`},
		{"@retry decorator & co", `\@retry decorator \& co`},
		{"# not a heading", `\# not a heading`},
		{"- not a list", `\- not a list`},
		{"12. not a list", `12\. not a list`},
		{"3 retries", "3 retries"},
		{`back\slash`, `back\\slash`},
	} {
		if got := mdEscape(tc.in); got != tc.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTextInputsSummary(t *testing.T) {
	r := &diagnose.Report{}
	for i := 0; i < 8; i++ {
		r.Inputs = append(r.Inputs, diagnose.InputSummary{Name: "f" + itoa(i) + ".py", Kind: diagnose.KindPython})
	}
	r.Inputs = append(r.Inputs, diagnose.InputSummary{Name: "logs.db", Kind: diagnose.KindRuntimeDB, Error: "file is not a database"})
	var out bytes.Buffer
	if err := Text(&out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Inputs: 9 (8 python, 1 runtime-db)\n  logs.db (runtime-db) — file is not a database\n") {
		t.Errorf("inputs summary:\n%s", out.String())
	}
}

func TestRuleDocColour(t *testing.T) {
	var out bytes.Buffer
	r := &diagnose.Rule{ID: "RLD1001", Title: "T", Cause: diagnose.CauseLoop, Severity: diagnose.SeverityError, Doc: "Set `max_turns` and `x`.\n\nOdd ` tick."}
	if err := RuleDoc(&out, r, "", Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Set "+ansiCyan+"max_turns"+ansiReset+" and "+ansiCyan+"x"+ansiReset+".") || !strings.Contains(out.String(), "Odd ` tick.") {
		t.Errorf("rule doc colour:\n%q", out.String())
	}
}

func TestClipLine(t *testing.T) {
	long := strings.Repeat("a", 200) + "TARGET" + strings.Repeat("b", 200)
	start := strings.Index(long, "TARGET")
	shown, caret := clipLine(long, start, start+6, true)
	if width(shown) > maxShown+2 || !strings.HasPrefix(shown, "…") || !strings.HasSuffix(shown, "…") {
		t.Errorf("shown %q (%d cells)", shown, width(shown))
	}
	at := strings.Index(caret, "^")
	if got := string([]rune(shown)[at : at+len(strings.TrimSpace(caret))]); got != "TARGET" {
		t.Errorf("caret over %q", got)
	}
	// A span running past the window is underlined to the cut.
	shown, caret = clipLine(long, 10, len(long), true)
	if !strings.HasPrefix(shown, "a") || width(caret) != width(shown)-1 {
		t.Errorf("wide span: %q / %q", shown, caret)
	}
	// Short lines are untouched.
	if shown, caret := clipLine("x = 1", 4, 5, true); shown != "x = 1" || caret != "    ^" {
		t.Errorf("short line: %q %q", shown, caret)
	}
	if shown, caret := clipLine(long, 0, 0, false); caret != "" || width(shown) > maxShown+1 {
		t.Errorf("no span: %q %q", shown, caret)
	}
}
