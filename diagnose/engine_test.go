package diagnose

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

func run(t *testing.T, inputs ...Input) *Report {
	t.Helper()
	rep, err := Run(context.Background(), inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSniff(t *testing.T) {
	cases := []struct {
		name, text string
		want       Kind
	}{
		{"agents.py", "import autogen\nx = 1\n", KindPython},
		{"paste", "from autogen import AssistantAgent\n\nassistant = AssistantAgent('a', llm_config=cfg)\nuser.initiate_chat(assistant, message='hi')\n", KindPython},
		{"paste", "Traceback (most recent call last):\n  File \"app.py\", line 12, in <module>\n    user.initiate_chat(assistant)\nopenai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached', 'type': 'requests'}}\n", KindLog},
		{"paste", "# Traceback (most recent call last):\n#   File \"app.py\", line 3\n# openai.RateLimitError: Error code: 429\nimport autogen\nassistant = autogen.AssistantAgent('a')\nuser = autogen.UserProxyAgent('u')\n", KindPython},
		{"OAI_CONFIG_LIST", `[{"model": "gpt-4", "api_key": "sk-x"}]`, KindConfig},
		{"paste", "{'config_list': [{'model': 'gpt-4', 'api_key': 'sk-x'}], 'cache_seed': None, 'temperature': 0,}", KindConfig},
		{"cfg.yaml", "config_list:\n  - model: gpt-4o\n", KindConfig},
		{"run.log", "anything at all\n", KindLog},
		{"paste", "user (to assistant):\n\nhello\n\n--------------------------------------------------------------------------------\n", KindLog},
		{"paste", "---------- TextMessage (user) ----------\nWhat is the weather?\n", KindLog},
		{"paste", "hello there, my agents are slow", KindUnknown},
		{"logs.db", "SQLite format 3\x00rest", KindRuntimeDB},
		{"x.bin", "\x00\x01\x02binary", KindUnknown},
		{"x.txt", "\xff\xfe\xfa not utf8", KindUnknown},
	}
	for _, c := range cases {
		got, why := Sniff(c.name, []byte(c.text))
		if got != c.want {
			t.Errorf("Sniff(%q, %.40q) = %s (%s), want %s", c.name, c.text, got, why, c.want)
		}
	}
	if _, why := Sniff("x", []byte("\x00\x00")); why != "binary input, not read" {
		t.Errorf("binary reason = %q", why)
	}
	if _, why := Sniff("x", []byte("hello there")); !strings.Contains(why, "could not tell") {
		t.Errorf("unknown reason = %q", why)
	}
}

func TestUnknownInputIsSaidNotGuessed(t *testing.T) {
	rep := run(t, Input{Name: "note.txt", Text: []byte("my agents keep failing, please help")}, Input{Name: "blob", Text: []byte{0, 1, 2, 3}})
	if len(rep.Inputs) != 2 || rep.Inputs[0].Kind != KindUnknown || rep.Inputs[0].Error == "" || rep.Inputs[1].Error != "binary input, not read" {
		t.Fatalf("inputs = %+v", rep.Inputs)
	}
	if len(rep.Findings) != 0 || len(rep.Causes) != 0 {
		t.Fatalf("unknown inputs produced findings or causes: %+v", rep)
	}
}

// allCases lists every rule test file.
func allCases(t *testing.T) []string {
	var out []string
	for _, r := range codeRules {
		entries, _ := os.ReadDir(filepath.Join("testdata", r.ID))
		for _, e := range entries {
			if !e.IsDir() && !strings.HasSuffix(e.Name(), ".want") {
				out = append(out, filepath.Join("testdata", r.ID, e.Name()))
			}
		}
	}
	return out
}

// TestFixesApplyAndWork: every finding has a fix; its edits apply, keep the
// Python parseable, and make the finding go away.
func TestFixesApplyAndWork(t *testing.T) {
	for _, path := range allCases(t) {
		text, _ := loadCase(t, path)
		name := filepath.Base(path)
		rep := run(t, Input{Name: name, Text: text})
		for _, f := range rep.Findings {
			if f.Fix == "" || f.Evidence == "" {
				t.Errorf("%s:%d %s: empty fix or evidence", path, f.Line, f.Rule)
			}
			if len(f.Edits) == 0 {
				continue
			}
			fixed, err := ApplyEdits(text, f.Edits)
			if err != nil {
				t.Errorf("%s:%d %s: %v", path, f.Line, f.Rule, err)
				continue
			}
			if strings.HasSuffix(name, ".py") {
				before, _ := pyfacts.Parse(context.Background(), text)
				after, _ := pyfacts.Parse(context.Background(), fixed)
				if !before.HasError && after.HasError {
					t.Errorf("%s:%d %s: fix breaks the syntax:\n%s", path, f.Line, f.Rule, UnifiedDiff(name, text, fixed))
				}
			}
			again := run(t, Input{Name: name, Text: fixed})
			for _, g := range again.Findings {
				if g.Rule == f.Rule && g.Message == f.Message {
					t.Errorf("%s:%d %s: still reported after its fix:\n%s", path, f.Line, f.Rule, UnifiedDiff(name, text, fixed))
				}
			}
		}
	}
}

func TestSuppressions(t *testing.T) {
	src := `from autogen_agentchat.teams import RoundRobinGroupChat
team = RoundRobinGroupChat([a, b])  # ratelimit-doctor: ignore[RLD1002]
team2 = RoundRobinGroupChat(
    [a, b],
)  # ratelimit-doctor: ignore
x = 1  # ratelimit-doctor: ignore[RLD4001]
`
	rep := run(t, Input{Name: "t.py", Text: []byte(src)})
	if len(rep.Findings) != 0 {
		t.Fatalf("suppressed findings reported: %+v", rep.Findings)
	}
	if len(rep.Notes) != 1 || rep.Notes[0].Line != 6 || !strings.Contains(rep.Notes[0].Message, "RLD4001") {
		t.Fatalf("want one stale-suppression note on line 6, got %+v", rep.Notes)
	}
	file := "# ratelimit-doctor: ignore-file[RLD1002]\n" + strings.SplitN(src, "\n", 2)[0] + "\nteam = RoundRobinGroupChat([a, b])\n"
	if rep := run(t, Input{Name: "t.py", Text: []byte(file)}); len(rep.Findings) != 0 || len(rep.Notes) != 0 {
		t.Fatalf("ignore-file: %+v %+v", rep.Findings, rep.Notes)
	}
	other := "from autogen_agentchat.teams import RoundRobinGroupChat\nteam = RoundRobinGroupChat([a, b])  # ratelimit-doctor: ignore[RLD9001]\n"
	if rep := run(t, Input{Name: "t.py", Text: []byte(other)}); len(rep.Findings) != 1 || len(rep.Notes) != 1 {
		t.Fatalf("a suppression of another rule must not hide the finding: %+v %+v", rep.Findings, rep.Notes)
	}
}

// fakeKey makes a random key of a provider's shape.
func fakeKey(r *rand.Rand) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	const hex = "0123456789abcdef"
	rnd := func(set string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[r.Intn(len(set))]
		}
		return string(b)
	}
	switch r.Intn(7) {
	case 0:
		return "sk-" + rnd(alnum, 48)
	case 1:
		return "sk-proj-" + rnd(alnum, 40+r.Intn(100))
	case 2:
		return "sk-ant-api03-" + rnd(alnum, 60)
	case 3:
		return "AIza" + rnd(alnum, 35)
	case 4:
		return "gsk_" + rnd(alnum, 52)
	case 5:
		return "hf_" + rnd(alnum, 34)
	}
	return rnd(hex, 32)
}

// TestNoKeyInReport: keys placed in code, configs and logs, in many shapes,
// never reach the JSON report.
func TestNoKeyInReport(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	templates := []struct{ name, text string }{
		{"a.py", "import os\nfrom autogen import AssistantAgent\nassistant = AssistantAgent('a', llm_config={'config_list': [{'model': 'gpt-4', 'api_key': '%s'}]})\n"},
		{"b.py", "from openai import OpenAI\nOPENAI_API_KEY = \"%s\"\nclient = OpenAI(api_key=OPENAI_API_KEY)\n"},
		{"c.py", "import os\nos.environ[\"AZURE_OPENAI_API_KEY\"] = \"%s\"\n"},
		{"d.py", "from autogen_ext.models.openai import OpenAIChatCompletionClient\nclient = OpenAIChatCompletionClient(model='gpt-4o', api_key=\"%s\", max_retries=0)\n"},
		{"OAI_CONFIG_LIST", "[{\"model\": \"gpt-4\", \"api_key\": \"%s\", \"api_rate_limit\": 60}]"},
		{"cfg.yaml", "config_list:\n  - model: gpt-4\n    api_key: %s\n    api_rate_limit: 90\n"},
		{"err.log", "Traceback (most recent call last):\n  File \"x.py\", line 1\nopenai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: %s. You can find your API key at https://platform.openai.com/account/api-keys.'}}\nAuthorization: Bearer %[1]s\napi-key: %[1]s\n"},
	}
	for i := 0; i < 200; i++ {
		tpl := templates[i%len(templates)]
		key := fakeKey(r)
		text := fmt.Sprintf(tpl.text, key)
		rep := run(t, Input{Name: tpl.name, Text: []byte(text)})
		b, _ := json.Marshal(rep)
		if strings.Contains(string(b), key) || strings.Contains(string(b), key[4:len(key)-4]) {
			t.Fatalf("key %q leaked from %s into the report: %s", key, tpl.name, b)
		}
	}
}

func TestSymptomsOnly(t *testing.T) {
	rep, err := Run(context.Background(), nil, Options{Symptoms: []string{"concurrent", "after-turns"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Causes) < 2 || rep.Causes[0].Cause != CauseSharedKey {
		t.Fatalf("causes = %+v", rep.Causes)
	}
	for _, c := range rep.Causes {
		if c.Score <= 0 || c.Score > priorCap || c.Article == "" {
			t.Errorf("cause %+v: symptoms alone must give a low score with an article", c)
		}
	}
	if len(rep.Next) == 0 {
		t.Error("no next steps with no input")
	}
}

func TestRankingCombinesInputs(t *testing.T) {
	code := []byte(`from autogen_agentchat.teams import RoundRobinGroupChat
team = RoundRobinGroupChat([a, b])
`)
	rep := run(t, Input{Name: "team.py", Text: code})
	if len(rep.Causes) == 0 || rep.Causes[0].Cause != CauseLoop || !strings.Contains(rep.Causes[0].Reason, "team.py line 2") {
		t.Fatalf("causes = %+v", rep.Causes)
	}
	if rep.Causes[0].Score <= 0 || rep.Causes[0].Score > 1 {
		t.Fatalf("score out of range: %v", rep.Causes[0].Score)
	}
}

func TestApplyEditsAndDiff(t *testing.T) {
	text := []byte("a = 1\nb = 2\nc = 3\n")
	out, err := ApplyEdits(text, []Edit{{Start: 10, End: 11, New: "20"}, {Start: 4, End: 5, New: "10"}})
	if err != nil || string(out) != "a = 10\nb = 20\nc = 3\n" {
		t.Fatalf("ApplyEdits = %q, %v", out, err)
	}
	if _, err := ApplyEdits(text, []Edit{{Start: 0, End: 3}, {Start: 2, End: 4}}); err == nil {
		t.Error("overlapping edits accepted")
	}
	if _, err := ApplyEdits(text, []Edit{{Start: 5, End: 99}}); err == nil {
		t.Error("out-of-range edit accepted")
	}
	d := UnifiedDiff("x.py", text, out)
	for _, want := range []string{"--- a/x.py", "+++ b/x.py", "-a = 1", "+a = 10", "-b = 2", "+b = 20", " c = 3"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %q:\n%s", want, d)
		}
	}
	if UnifiedDiff("x", text, text) != "" {
		t.Error("diff of equal texts is not empty")
	}
}

func TestNotebook(t *testing.T) {
	nb := `{
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n"]},
  {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["%pip install pyautogen\n"]},
  {"cell_type": "code", "metadata": {}, "execution_count": 2, "source": [
    "from autogen_agentchat.teams import RoundRobinGroupChat\n",
    "team = RoundRobinGroupChat([writer, critic])\n",
    "await team.run(task=\"poem\")\n"],
   "outputs": [{"output_type": "error", "ename": "RateLimitError", "evalue": "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}",
     "traceback": ["\u001b[0;31mRateLimitError\u001b[0m Traceback (most recent call last)"]}]}
 ],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5
}`
	rep := run(t, Input{Name: "demo.ipynb", Text: []byte(nb)})
	if len(rep.Inputs) != 1 || rep.Inputs[0].Kind != KindPython || rep.Inputs[0].Generation != "0.4" {
		t.Fatalf("inputs = %+v", rep.Inputs)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Rule == "RLD1002" {
			found = true
			if len(f.Edits) != 0 || f.Fix == "" {
				t.Errorf("notebook finding must carry a fix text and no edits: %+v", f)
			}
		}
	}
	if !found {
		t.Fatalf("RLD1002 not found in the notebook's code: %+v", rep.Findings)
	}
}

func TestSuppressionInMixedPaste(t *testing.T) {
	paste := "from autogen_agentchat.teams import RoundRobinGroupChat\n" +
		"team = RoundRobinGroupChat([a, b])  # ratelimit-doctor: ignore[RLD1002]\n" +
		"Traceback (most recent call last):\n  File \"x.py\", line 2, in <module>\n    team.run()\n" +
		"openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached', 'type': 'requests'}}\n"
	rep := run(t, Input{Name: "paste.txt", Text: []byte(paste)})
	for _, f := range rep.Findings {
		if f.Rule == "RLD1002" {
			t.Errorf("suppressed finding reported: %+v", f)
		}
	}
	if len(rep.Notes) != 0 {
		t.Errorf("notes = %+v", rep.Notes)
	}
}

func TestSniffCodeThatNamesErrors(t *testing.T) {
	src := `import openai
for attempt in range(5):
    try:
        user.initiate_chat(bot, message="x")
    except openai.RateLimitError as e:
        print("429 rate limit", e)
    except openai.APIError:
        raise
`
	if k, _ := Sniff("paste", []byte(src)); k != KindPython {
		t.Errorf("retry code sniffed as %s", k)
	}
}

func TestSniffShortRetrySnippet(t *testing.T) {
	src := "try:\n    result = team.run(task=t)\nexcept openai.RateLimitError:\n    print('429 Too Many Requests, rate limit')\n    time.sleep(5)\n"
	if k, _ := Sniff("paste", []byte(src)); k != KindPython {
		t.Errorf("short retry snippet sniffed as %s", k)
	}
}

func TestUnknownSymptomNoted(t *testing.T) {
	rep, err := Run(context.Background(), nil, Options{Symptoms: []string{"first-call", "sunspots"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0].Message, `"sunspots"`) {
		t.Fatalf("notes = %+v", rep.Notes)
	}
	if len(rep.Causes) == 0 || rep.Causes[0].Cause != CauseLowQuota {
		t.Fatalf("causes = %+v", rep.Causes)
	}
}

// A changed hunk lists its removed lines before its added ones, as diff(1)
// does; the CLI and the web page show these diffs to people used to that.
func TestUnifiedDiffRemovedBeforeAdded(t *testing.T) {
	a := []byte("import autogen\nuser = autogen.UserProxyAgent(\n    \"user\",\n    human_input_mode=\"NEVER\",\n)\nuser.initiate_chat(bot)\n")
	b := []byte("import autogen\nuser = autogen.UserProxyAgent(\n    \"user\",\n    human_input_mode=\"NEVER\",\n    max_consecutive_auto_reply=10,\n    is_termination_msg=done,\n)\nuser.initiate_chat(bot, max_turns=6)\n")
	d := UnifiedDiff("agents.py", a, b)
	lines := strings.Split(strings.TrimSuffix(d, "\n"), "\n")
	want := []string{
		"--- a/agents.py",
		"+++ b/agents.py",
		"@@ -2,5 +2,7 @@",
		" user = autogen.UserProxyAgent(",
		"     \"user\",",
		"     human_input_mode=\"NEVER\",",
		"+    max_consecutive_auto_reply=10,",
		"+    is_termination_msg=done,",
		" )",
		"-user.initiate_chat(bot)",
		"+user.initiate_chat(bot, max_turns=6)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("diff =\n%s\nwant\n%s", d, strings.Join(want, "\n"))
	}
	// A run replacing several lines with several others: all '-' then all '+'.
	d = UnifiedDiff("x", []byte("a\nb\nc\nd\n"), []byte("a\nB\nC\nd\n"))
	body := d[strings.Index(d, "@@\n")+3:]
	if body != " a\n-b\n-c\n+B\n+C\n d\n" {
		t.Errorf("replacement run out of order:\n%s", body)
	}
}

// An input given only by its path (the CLI's directory walk, the web's
// uploads on disk) is read from that file, not taken as empty.
func TestInputByPathOnly(t *testing.T) {
	dir := t.TempDir()
	code := "import autogen\n\nassistant = autogen.AssistantAgent(\"assistant\", llm_config={\"config_list\": autogen.config_list_from_json(\"OAI_CONFIG_LIST\")})\n" +
		"user = autogen.UserProxyAgent(\"user\", human_input_mode=\"NEVER\", code_execution_config=False)\n" +
		"user.initiate_chat(assistant, message=\"Plot a chart.\")\n"
	py := filepath.Join(dir, "agents.py")
	logf := filepath.Join(dir, "run.log")
	if err := os.WriteFile(py, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	logText := "openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}\n"
	if err := os.WriteFile(logf, []byte(logText), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := run(t, Input{Name: "agents.py", Path: py}, Input{Name: "run.log", Path: logf})
	if len(rep.Inputs) != 2 {
		t.Fatalf("inputs = %+v", rep.Inputs)
	}
	if in := rep.Inputs[0]; in.Kind != KindPython || in.Lines < 5 || in.Generation != "0.2" || in.Error != "" {
		t.Errorf("python input by path = %+v", in)
	}
	if in := rep.Inputs[1]; in.Kind != KindLog || in.Error != "" {
		t.Errorf("log input by path = %+v", in)
	}
	rules := map[string]bool{}
	for _, f := range rep.Findings {
		rules[f.Rule] = true
	}
	if !rules["RLD1001"] {
		t.Errorf("no RLD1001 on the script read by path; findings: %+v", rep.Findings)
	}
	// A path that cannot be opened is a note on that input, not a crash.
	rep = run(t, Input{Name: "gone.py", Path: filepath.Join(dir, "missing.py")})
	if len(rep.Inputs) != 1 || rep.Inputs[0].Error == "" {
		t.Errorf("missing path gave no error: %+v", rep.Inputs)
	}
}
