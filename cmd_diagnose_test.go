package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	_ "modernc.org/sqlite" // builds the runtime-log fixture
)

// loopScript is the classic AutoGen 0.2 runaway: a user proxy that never asks a
// human, the default auto-reply cap (100) and no termination check.
const loopScript = `import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
user_proxy = autogen.UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "coding", "use_docker": False},
)
user_proxy.initiate_chat(assistant, message="Plot a chart of NVDA and TSLA stock price change YTD.")
`

// cleanScript is well configured: capped replies, a termination check, max
// turns, key from the environment and the cache left on.
const cleanScript = `import os
import autogen

config_list = [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}]
llm_config = {"config_list": config_list, "cache_seed": 42}
assistant = autogen.AssistantAgent("assistant", llm_config=llm_config)
user_proxy = autogen.UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=3,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    code_execution_config=False,
)
user_proxy.initiate_chat(assistant, message="Say hello, then TERMINATE.", max_turns=2)
`

// cli runs the program as main does, with buffers.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func decodeReport(t *testing.T, s string) diagnose.Report {
	t.Helper()
	var r diagnose.Report
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, s)
	}
	return r
}

// oneLine asserts stderr is exactly one line matching re.
func oneLine(t *testing.T, stderr, re string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr is not one line: %q", stderr)
	}
	if !regexp.MustCompile(re).MatchString(stderr) {
		t.Errorf("stderr %q does not match %s", stderr, re)
	}
}

func TestDiagnoseUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		re   string
	}{
		{"no paths", []string{"diagnose"}, `^ratelimit-doctor: diagnose: no PATH given`},
		{"bad format", []string{"diagnose", "--format", "xml", "x.py"}, `--format "xml": want text, json, sarif or markdown`},
		{"bad fail-on", []string{"diagnose", "--fail-on=info", "x.py"}, `--fail-on "info"`},
		{"bad color", []string{"diagnose", "--color", "sometimes", "x.py"}, `--color "sometimes"`},
		{"unknown flag", []string{"diagnose", "x.py", "--frobnicate"}, `flag provided but not defined: -frobnicate`},
		{"missing file", []string{"diagnose", "definitely-missing.py"}, `^ratelimit-doctor: read definitely-missing.py: no such file or directory\n$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cli(t, "", tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
			oneLine(t, errs, tc.re)
		})
	}
}

func TestDiagnoseHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, out, errs := cli(t, "", "diagnose", arg)
		if code != 0 || errs != "" || !strings.Contains(out, "Usage: ratelimit-doctor diagnose") || !strings.Contains(out, "--fail-on") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", arg, code, out, errs)
		}
	}
}

func TestParseDiagnoseArgsPermutes(t *testing.T) {
	env := func(k string) string {
		if k == "RLD_BASE_URL" {
			return "https://team.example"
		}
		return ""
	}
	c, err := parseDiagnoseArgs([]string{"a.py", "--format", "json", "-", "--fail-on=warning", "b.log", "--", "--odd-name.py"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.format != "json" || c.failOn != "warning" || c.color != "auto" || c.baseURL != "https://team.example" {
		t.Errorf("flags: %+v", c)
	}
	if strings.Join(c.paths, " ") != "a.py - b.log --odd-name.py" {
		t.Errorf("paths %q", c.paths)
	}
	c, _ = parseDiagnoseArgs([]string{"--base-url", "http://x:1", "a.py"}, env)
	if c.baseURL != "http://x:1" {
		t.Errorf("flag must win over env: %q", c.baseURL)
	}
}

func TestDiagnoseStdinAndFlagsAfterPaths(t *testing.T) {
	code, out, errs := cli(t, cleanScript, "diagnose", "-", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s\n%s", code, errs, out)
	}
	r := decodeReport(t, out)
	if len(r.Inputs) != 1 || r.Inputs[0].Name != "<stdin>" {
		t.Fatalf("inputs %+v", r.Inputs)
	}
	if r.Inputs[0].Kind != diagnose.KindPython {
		t.Errorf("stdin script classified as %q", r.Inputs[0].Kind)
	}
}

func TestDiagnoseWalksDirectories(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "agents.py"), cleanScript)
	writeFile(t, filepath.Join(dir, "OAI_CONFIG_LIST"), `[{"model": "gpt-4o-mini"}]`)
	writeFile(t, filepath.Join(dir, "OAI_CONFIG_LIST.prod"), `[{"model": "gpt-4o"}]`)
	writeFile(t, filepath.Join(dir, "sub", "run.log"), "INFO started\n")
	writeFile(t, filepath.Join(dir, "sub", "settings.yaml"), "model: gpt-4o\n")
	// Not taken: unknown extensions, hidden and vendored directories, hidden files.
	writeFile(t, filepath.Join(dir, "README.md"), "# hi\n")
	writeFile(t, filepath.Join(dir, "image.png"), "\x89PNG\x00\x00")
	writeFile(t, filepath.Join(dir, ".git", "hooks", "x.py"), "x = 1\n")
	writeFile(t, filepath.Join(dir, ".venv", "lib", "autogen.py"), "x = 1\n")
	writeFile(t, filepath.Join(dir, "venv", "lib", "autogen.py"), "x = 1\n")
	writeFile(t, filepath.Join(dir, "node_modules", "a", "b.json"), "{}\n")
	writeFile(t, filepath.Join(dir, "__pycache__", "c.py"), "x = 1\n")
	writeFile(t, filepath.Join(dir, ".idea", "workspace.json"), "{}\n")
	writeFile(t, filepath.Join(dir, ".env.json"), "{}\n")
	// Taken by extension but binary: skipped with a note, not an error.
	writeFile(t, filepath.Join(dir, "dump.txt"), "abc\x00def")

	want := "OAI_CONFIG_LIST OAI_CONFIG_LIST.prod agents.py sub/run.log sub/settings.yaml"
	relNames := func(names []string) string {
		var rel []string
		for _, n := range names {
			r, _ := filepath.Rel(dir, n)
			rel = append(rel, filepath.ToSlash(r))
		}
		return strings.Join(sortedCopy(rel), " ")
	}
	set, err := loadInputs([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var loaded []string
	for _, in := range set.inputs {
		loaded = append(loaded, in.Name)
	}
	if got := relNames(loaded); got != want {
		t.Errorf("walked inputs %q, want %q", got, want)
	}

	// The engine reports every input it was given.
	code, out, errs := cli(t, "", "diagnose", "--format=json", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var reported []string
	for _, in := range decodeReport(t, out).Inputs {
		reported = append(reported, in.Name)
	}
	if got := relNames(reported); got != want {
		t.Errorf("report inputs %q, want %q", got, want)
	}
	oneLine(t, errs, `^ratelimit-doctor: skip .*dump\.txt: binary file`)
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return c
}

func TestDiagnoseEmptyDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "notes.md"), "nothing\n")
	code, _, errs := cli(t, "", "diagnose", dir)
	if code != 2 {
		t.Errorf("exit %d", code)
	}
	oneLine(t, errs, `no code, config or log files in`)
}

func TestDiagnoseBinaryAndUnreadable(t *testing.T) {
	dir := t.TempDir()
	bin := writeFile(t, filepath.Join(dir, "x.bin"), "\x7fELF\x02\x01\x01\x00\x00\x00")
	code, out, errs := cli(t, "", "diagnose", bin)
	if code != 2 || out != "" {
		t.Errorf("binary: exit %d, stdout %q", code, out)
	}
	oneLine(t, errs, `^ratelimit-doctor: read .*x\.bin: binary file, not a log, config or Python source\n$`)

	gz := writeFile(t, filepath.Join(dir, "run.log.gz"), "\x1f\x8b\x08\x00rest")
	code, _, errs = cli(t, "", "diagnose", gz)
	if code != 2 {
		t.Errorf("gzip: exit %d", code)
	}
	oneLine(t, errs, `run\.log\.gz: gzip-compressed file; decompress it first`)

	code, _, errs = cli(t, "\x00\x01\x02binary", "diagnose", "-")
	if code != 2 {
		t.Errorf("binary stdin: exit %d", code)
	}
	oneLine(t, errs, `^ratelimit-doctor: read <stdin>: binary file`)

	fakeDB := writeFile(t, filepath.Join(dir, "logs.db"), "not sqlite at all")
	code, _, errs = cli(t, "", "diagnose", fakeDB)
	if code != 2 {
		t.Errorf("fake db: exit %d", code)
	}
	oneLine(t, errs, `logs\.db: not an SQLite database`)

	dangling := filepath.Join(dir, "gone.py")
	if err := os.Symlink(filepath.Join(dir, "nowhere.py"), dangling); err != nil {
		t.Fatal(err)
	}
	code, _, errs = cli(t, "", "diagnose", dangling)
	if code != 2 {
		t.Errorf("dangling link: exit %d", code)
	}
	oneLine(t, errs, `gone\.py: no such file or directory`)

	// Permission bits do not stop root, so this case only runs unprivileged.
	if os.Geteuid() != 0 {
		locked := writeFile(t, filepath.Join(dir, "locked.py"), cleanScript)
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		code, _, errs = cli(t, "", "diagnose", locked)
		if code != 2 {
			t.Errorf("unreadable: exit %d", code)
		}
		oneLine(t, errs, `locked\.py: permission denied`)
	}
	// A directory that cannot be listed is unreadable too.
	if os.Geteuid() != 0 {
		sub := filepath.Join(dir, "closed")
		writeFile(t, filepath.Join(sub, "a.py"), "x = 1\n")
		if err := os.Chmod(sub, 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(sub, 0o755)
		code, _, errs = cli(t, "", "diagnose", sub)
		if code != 2 {
			t.Errorf("closed dir: exit %d", code)
		}
		oneLine(t, errs, `closed: permission denied`)
	}
}

func TestDiagnoseReadsUTF16(t *testing.T) {
	// PowerShell's "python app.py > out.log" writes UTF-16 with a BOM.
	units := utf16.Encode([]rune("openai.RateLimitError: Error code: 429\n"))
	b := []byte{0xff, 0xfe}
	for _, u := range units {
		b = append(b, byte(u), byte(u>>8))
	}
	path := filepath.Join(t.TempDir(), "out.log")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := loadInputs([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.inputs) != 1 || string(set.inputs[0].Text) != "openai.RateLimitError: Error code: 429\n" {
		t.Errorf("UTF-16 not decoded: %q", set.inputs[0].Text)
	}
}

func TestLargeInputsAreStreamed(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("2026-01-01 12:00:00 INFO HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 200 OK\"\n", streamThreshold/100+10)
	path := writeFile(t, filepath.Join(dir, "big.log"), big)
	set, err := loadInputs([]string{path, "-"}, strings.NewReader(big))
	defer set.cleanup()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.inputs) != 2 {
		t.Fatalf("%d inputs", len(set.inputs))
	}
	for _, in := range set.inputs {
		if in.Text != nil || in.Open == nil || in.Path == "" || in.Size != int64(len(big)) {
			t.Errorf("%s not streamed: text %d bytes, path %q, size %d", in.Name, len(in.Text), in.Path, in.Size)
			continue
		}
		rc, err := in.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		if b.Len() != len(big) {
			t.Errorf("%s: Open gives %d bytes, want %d", in.Name, b.Len(), len(big))
		}
	}
	// Source lines of streamed inputs are read back one at a time.
	if line, ok := set.sources.Line("<stdin>", 2); !ok || !strings.Contains(line, "HTTP/1.1 200 OK") {
		t.Errorf("line 2 of spooled stdin: %q %v", line, ok)
	}
	spool := set.inputs[1].Path
	set.cleanup()
	if _, err := os.Stat(spool); !os.IsNotExist(err) {
		t.Errorf("spooled stdin %s not removed", spool)
	}
}

func TestExitFor(t *testing.T) {
	rep := func(sevs ...diagnose.Severity) *diagnose.Report {
		r := &diagnose.Report{}
		for _, s := range sevs {
			r.Findings = append(r.Findings, diagnose.Finding{Rule: "RLD1001", Severity: s})
		}
		return r
	}
	for _, tc := range []struct {
		r      *diagnose.Report
		failOn string
		want   int
	}{
		{rep(), "error", 0},
		{rep(diagnose.SeverityWarning, diagnose.SeverityInfo), "error", 0},
		{rep(diagnose.SeverityWarning), "warning", 1},
		{rep(diagnose.SeverityInfo), "warning", 0},
		{rep(diagnose.SeverityError), "error", 1},
		{rep(diagnose.SeverityError), "warning", 1},
		{rep(diagnose.SeverityError), "never", 0},
	} {
		if got := exitFor(tc.r, tc.failOn); got != tc.want {
			t.Errorf("exitFor(%v, %s) = %d, want %d", tc.r.Findings, tc.failOn, got, tc.want)
		}
	}
}

func TestUseColor(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	var buf bytes.Buffer
	if !useColor("always", &buf, env(map[string]string{"NO_COLOR": "1"})) {
		t.Error("always must colour")
	}
	if useColor("never", os.Stdout, env(nil)) {
		t.Error("never must not colour")
	}
	if useColor("auto", &buf, env(nil)) {
		t.Error("auto must not colour a buffer")
	}
	if useColor("auto", os.Stdout, env(map[string]string{"NO_COLOR": "1"})) {
		t.Error("auto must respect NO_COLOR")
	}
	if !supportsHyperlinks(env(map[string]string{"FORCE_HYPERLINK": "1"})) || supportsHyperlinks(env(map[string]string{"TERM": "dumb"})) ||
		!supportsHyperlinks(env(map[string]string{"VTE_VERSION": "7200"})) || supportsHyperlinks(env(map[string]string{"VTE_VERSION": "4000"})) ||
		!supportsHyperlinks(env(map[string]string{"TERM": "xterm-kitty"})) || supportsHyperlinks(env(map[string]string{"TERM": "xterm-256color"})) {
		t.Error("hyperlink detection")
	}
}

func TestCloseIDs(t *testing.T) {
	rules := []*diagnose.Rule{{ID: "RLD1001"}, {ID: "RLD1002"}, {ID: "RLD2001"}, {ID: "RLD5001"}}
	if got := strings.Join(closeIDs("RLD1010", rules), ","); got != "RLD1001,RLD1002,RLD2001" {
		t.Errorf("closeIDs = %q", got)
	}
	if got := closeIDs("XYZ", rules); len(got) != 0 {
		t.Errorf("closeIDs(XYZ) = %q", got)
	}
	if editDistance("RLD1001", "RLD1010") != 1 {
		t.Error("a swap is one edit")
	}
}

// The tests below run the real engine and its rules end to end.

func TestDiagnoseLoopScriptFails(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "agents.py"), loopScript)

	code, out, errs := cli(t, "", "diagnose", "--format", "json", path)
	if code != 1 {
		t.Fatalf("looping script: exit %d, want 1; stderr %s\n%s", code, errs, out)
	}
	r := decodeReport(t, out)
	var loop *diagnose.Finding
	for i, f := range r.Findings {
		if strings.HasPrefix(f.Rule, "RLD1") && f.Severity == diagnose.SeverityError {
			loop = &r.Findings[i]
		}
	}
	if loop == nil {
		t.Fatalf("no RLD1xxx error finding: %+v", r.Findings)
	}
	if loop.File != path || loop.Line < 1 || loop.Cause != diagnose.CauseLoop || !strings.HasPrefix(loop.Article, "/articles/") {
		t.Errorf("loop finding %+v", loop)
	}
	if len(r.Causes) == 0 || r.Causes[0].Cause != diagnose.CauseLoop {
		t.Errorf("top cause %+v", r.Causes)
	}

	// --fail-on never: the same findings, exit 0.
	if code, _, _ := cli(t, "", "diagnose", "--fail-on", "never", path); code != 0 {
		t.Errorf("--fail-on never: exit %d", code)
	}

	// Text: compiler shape, source line, caret, fix, article link.
	code, out, _ = cli(t, "", "diagnose", "--color=never", "--base-url", "https://rld.example", path)
	if code != 1 {
		t.Errorf("text: exit %d", code)
	}
	header := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(path) + `:(\d+)(:\d+)?: error: .+ \[RLD1\d{3}\]$`)
	if !header.MatchString(out) {
		t.Errorf("no compiler-style header in\n%s", out)
	}
	for _, want := range []string{" | ", "^", "  fix:", "  see: https://rld.example/articles/"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("--color=never printed escapes")
	}
	_, coloured, _ := cli(t, "", "diagnose", "--color=always", path)
	if !strings.Contains(coloured, "\x1b[1;31merror\x1b[0m") {
		t.Errorf("--color=always: no red error in\n%q", coloured)
	}

	// SARIF: the result points at the file and its rule.
	_, out, _ = cli(t, "", "diagnose", "--format", "sarif", path)
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	if sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) == 0 {
		t.Fatalf("sarif shape: %+v", sarif)
	}
	if len(sarif.Runs[0].Tool.Driver.Rules) < len(diagnose.All) {
		t.Errorf("sarif lists %d rules, registry has %d", len(sarif.Runs[0].Tool.Driver.Rules), len(diagnose.All))
	}
	for _, res := range sarif.Runs[0].Results {
		if sarif.Runs[0].Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d is not %s", res.RuleIndex, res.RuleID)
		}
	}

	// Markdown: verdict first, then the finding with a link to its article.
	_, out, _ = cli(t, "", "diagnose", "--format", "markdown", path)
	if !strings.HasPrefix(out, "## Rate limit diagnosis\n\n**Most likely cause: [loop]") || !strings.Contains(out, "/articles/") {
		t.Errorf("markdown:\n%s", out)
	}
}

func TestDiagnoseCleanScriptPasses(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "agents.py"), cleanScript)
	code, out, errs := cli(t, "", "diagnose", "--format", "json", path)
	if code != 0 {
		t.Errorf("clean script: exit %d, stderr %s\n%s", code, errs, out)
	}
	for _, f := range decodeReport(t, out).Findings {
		if f.Severity == diagnose.SeverityError {
			t.Errorf("error on a clean script: %+v", f)
		}
	}
}

// fakeSecrets look like real keys; none is.
var fakeSecrets = []string{
	"sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f",
	"sk-ant-api03-Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2cBa1-AAAA",
	"AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
	"0123456789abcdef0123456789abcdef",
	"gsk_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz",
	"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl",
}

func TestDiagnoseNeverPrintsSecrets(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "agents.py"), `import autogen

config_list = [
    {"model": "gpt-4o", "api_key": "`+fakeSecrets[0]+`"},
    {"model": "claude-3-5-sonnet-latest", "api_key": "`+fakeSecrets[1]+`", "api_type": "anthropic"},
    {"model": "gemini-1.5-pro", "api_key": "`+fakeSecrets[2]+`", "api_type": "google"},
    {"model": "gpt-4", "api_type": "azure", "api_key": "`+fakeSecrets[3]+`", "base_url": "https://x.openai.azure.com"},
    {"model": "llama3-70b-8192", "api_key": "`+fakeSecrets[4]+`", "api_type": "groq"},
]
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
user_proxy = autogen.UserProxyAgent("user_proxy", human_input_mode="NEVER")
user_proxy.initiate_chat(assistant, message="hi")
`)
	writeFile(t, filepath.Join(dir, "OAI_CONFIG_LIST"), `[{"model": "gpt-4o", "api_key": "`+fakeSecrets[0]+`"}]`)
	writeFile(t, filepath.Join(dir, "run.log"), `DEBUG:httpx:Request headers: {'authorization': 'Bearer `+fakeSecrets[5]+`'}
openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}
Incorrect API key provided: `+fakeSecrets[0]+`
`)
	for _, f := range []string{"text", "json", "sarif", "markdown"} {
		for _, color := range []string{"never", "always"} {
			_, out, errs := cli(t, "", "diagnose", "--format", f, "--color", color, "--fail-on", "never", dir)
			for _, k := range fakeSecrets {
				if strings.Contains(out+errs, k) || strings.Contains(out+errs, k[5:21]) {
					t.Errorf("%s/%s output leaks %q", f, color, k)
				}
			}
			if f == "json" && !json.Valid([]byte(out)) {
				t.Errorf("masked JSON is invalid")
			}
		}
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, errs := cli(t, "", "rules")
	if code != 0 || errs != "" {
		t.Fatalf("rules: exit %d, %s", code, errs)
	}
	if !strings.HasPrefix(out, "ID") || len(diagnose.All) == 0 {
		t.Fatalf("rules table:\n%s", out)
	}
	for _, r := range diagnose.All {
		if !regexp.MustCompile(`(?m)^` + r.ID + `\s+` + string(r.Severity) + `\s+` + regexp.QuoteMeta(string(r.Cause)) + `\s+`).MatchString(out) {
			t.Errorf("rule %s missing from the table", r.ID)
		}
	}

	first := diagnose.All[0]
	for _, id := range []string{first.ID, strings.ToLower(first.ID)} {
		code, out, errs = cli(t, "", "rules", "--color=never", id)
		if code != 0 || errs != "" {
			t.Fatalf("rules %s: exit %d, %s", id, code, errs)
		}
		for _, want := range []string{first.ID + ": " + first.Title, "severity: " + string(first.Severity), "cause:    " + string(first.Cause), "/rules/" + first.ID} {
			if !strings.Contains(out, want) {
				t.Errorf("rules %s lacks %q:\n%s", id, want, out)
			}
		}
		if first.Article != "" && !strings.Contains(out, "/articles/"+first.Article) {
			t.Errorf("rules %s lacks the article link", id)
		}
	}

	// One digit off an existing ID: exit 2 and a suggestion.
	typo := []byte(first.ID)
	typo[len(typo)-1] = '9'
	if _, ok := diagnose.Lookup(string(typo)); !ok {
		code, out, errs = cli(t, "", "rules", string(typo))
		if code != 2 || out != "" {
			t.Errorf("unknown rule: exit %d, stdout %q", code, out)
		}
		oneLine(t, errs, `no rule "`+string(typo)+`"; did you mean .*`+first.ID[:len(first.ID)-1])
	}
	code, _, errs = cli(t, "", "rules", "NOPE-1")
	if code != 2 {
		t.Errorf("rules NOPE-1: exit %d", code)
	}
	oneLine(t, errs, `no rule "NOPE-1" \(run ratelimit-doctor rules for the list\)`)
	if code, _, _ := cli(t, "", "rules", "A", "B"); code != 2 {
		t.Errorf("two IDs: exit %d", code)
	}
}

// TestDiagnoseCodeAndLogTogether is the example: the log says RPM 3
// and the code has a loop, so both causes rank, from a file and from stdin.
func TestDiagnoseCodeAndLogTogether(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "agents.py"), loopScript)
	log := `Traceback (most recent call last):
  File "agents.py", line 10, in <module>
openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-abc123 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}
`
	code, out, errs := cli(t, log, "diagnose", "--format", "json", path, "-")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	r := decodeReport(t, out)
	causes := map[diagnose.Cause]bool{}
	for _, c := range r.Causes {
		causes[c.Cause] = true
	}
	if !causes[diagnose.CauseLoop] || !causes[diagnose.CauseLowQuota] {
		t.Errorf("causes %+v, want loop and low-quota", r.Causes)
	}
	fromStdin := false
	for _, f := range r.Findings {
		if f.File == "<stdin>" && f.Cause == diagnose.CauseLowQuota && f.Line == 3 {
			fromStdin = true
		}
	}
	if !fromStdin {
		t.Errorf("no low-quota finding on <stdin> line 3: %+v", r.Findings)
	}
}

// TestDiagnoseRuntimeDatabase walks a directory holding an AutoGen runtime
// log (SQLite): it goes to the engine by path, not as text.
func TestDiagnoseRuntimeDatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "logs.db")
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE chat_completions (id INTEGER PRIMARY KEY, invocation_id TEXT, client_id INTEGER, wrapper_id INTEGER, session_id TEXT, source_name TEXT, request TEXT, response TEXT, is_cached INTEGER, cost REAL, start_time TEXT, end_time TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE agents (id INTEGER PRIMARY KEY, agent_id INTEGER, wrapper_id INTEGER, session_id TEXT, name TEXT, class TEXT, init_args TEXT, timestamp TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	set, err := loadInputs([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.inputs) != 1 || set.inputs[0].Path != dbPath || set.inputs[0].Text != nil || set.inputs[0].Open == nil {
		t.Fatalf("runtime log not passed by path: %+v", set.inputs)
	}
	code, out, errs := cli(t, "", "diagnose", "--format", "json", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	r := decodeReport(t, out)
	if len(r.Inputs) != 1 || r.Inputs[0].Kind != diagnose.KindRuntimeDB {
		t.Errorf("inputs %+v", r.Inputs)
	}

	// An SQLite file that is not a runtime log cannot be read: exit 2, one line.
	other := filepath.Join(t.TempDir(), "app.sqlite")
	db, err = sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE users (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, _, errs = cli(t, "", "diagnose", other)
	if code != 2 {
		t.Errorf("non-runtime SQLite: exit %d", code)
	}
	oneLine(t, errs, `^ratelimit-doctor: read .*app\.sqlite: `)
}
