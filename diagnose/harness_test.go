package diagnose

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The harness reads testdata/<RULE ID>/<case>.{py,json,yaml,yml,txt} files,
// each one input, and testdata/<RULE ID>/<case>/ directories whose files are
// diagnosed together (rules that cross-check code and config). Expected findings are marked inline at the end of the line
// that should be flagged:
//
//	user = UserProxyAgent("u", human_input_mode="NEVER")  # want RLD1001 "no is_termination_msg"
//
// (`//` instead of `#` in JSON; or a sidecar <file>.want with `LINE ID "regex"`
// lines). The marker is blanked with spaces before analysis, so JSON stays
// valid and columns stay put. A case fails on any finding that no marker
// expects and on any marker that no finding matches: quiet files test for
// false positives as much as marked ones test for findings.

var (
	markerRe  = regexp.MustCompile(`(?:#|//)\s*want\s+(RLD\d{4}\s+"(?:[^"\\]|\\.)*"(?:\s+RLD\d{4}\s+"(?:[^"\\]|\\.)*")*)\s*$`)
	expectRe  = regexp.MustCompile(`(RLD\d{4})\s+"((?:[^"\\]|\\.)*)"`)
	sidecarRe = regexp.MustCompile(`^\s*(\d+)\s+(RLD\d{4})\s+"((?:[^"\\]|\\.)*)"\s*$`)
)

type expectation struct {
	line    int
	rule    string
	re      *regexp.Regexp
	matched bool
}

// loadCase reads a test file, blanks its markers and returns the text and
// the expectations.
func loadCase(t *testing.T, path string) ([]byte, []*expectation) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var exps []*expectation
	lines := strings.SplitAfter(string(raw), "\n")
	for i, full := range lines {
		l := strings.TrimRight(full, "\r\n")
		nl := full[len(l):]
		loc := markerRe.FindStringSubmatchIndex(l)
		if loc == nil {
			continue
		}
		for _, m := range expectRe.FindAllStringSubmatch(l[loc[2]:loc[3]], -1) {
			exps = append(exps, newExpectation(t, path, i+1, m[1], m[2]))
		}
		end := loc[1]
		lines[i] = l[:loc[0]] + strings.Repeat(" ", end-loc[0]) + l[end:] + nl
	}
	if f, err := os.Open(path + ".want"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			m := sidecarRe.FindStringSubmatch(sc.Text())
			if m == nil {
				if strings.TrimSpace(sc.Text()) != "" {
					t.Fatalf("%s.want: bad line %q", path, sc.Text())
				}
				continue
			}
			n, _ := strconv.Atoi(m[1])
			exps = append(exps, newExpectation(t, path, n, m[2], m[3]))
		}
	}
	return []byte(strings.Join(lines, "")), exps
}

func newExpectation(t *testing.T, path string, line int, rule, pattern string) *expectation {
	pattern = strings.ReplaceAll(pattern, `\"`, `"`)
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("%s:%d: bad regexp %q: %v", path, line, pattern, err)
	}
	return &expectation{line: line, rule: rule, re: re}
}

// checkCase runs one file — or every file of a case directory, together, for
// rules that read several inputs — through Run and compares both ways,
// returning every mismatch.
func checkCase(t *testing.T, path string) (problems []string, positive bool) {
	t.Helper()
	paths := []string{path}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		paths = nil
		entries, _ := os.ReadDir(path)
		for _, e := range entries {
			if !e.IsDir() && !strings.HasSuffix(e.Name(), ".want") {
				paths = append(paths, filepath.Join(path, e.Name()))
			}
		}
	}
	exps := map[string][]*expectation{}
	var inputs []Input
	for _, p := range paths {
		text, e := loadCase(t, p)
		exps[filepath.Base(p)] = e
		inputs = append(inputs, Input{Name: filepath.Base(p), Text: text})
	}
	rep, err := Run(context.Background(), inputs, Options{})
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", path, err)}, false
	}
	for _, in := range rep.Inputs {
		if in.Error != "" {
			problems = append(problems, fmt.Sprintf("%s: input %s not read: %s", path, in.Name, in.Error))
		}
	}
	for _, f := range rep.Findings {
		ok := false
		for _, e := range exps[f.File] {
			if e.line == f.Line && e.rule == f.Rule && e.re.MatchString(f.Message) {
				e.matched, ok = true, true
			}
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("%s/%s:%d: unexpected finding %s: %s", path, f.File, f.Line, f.Rule, f.Message))
		}
	}
	for file, es := range exps {
		for _, e := range es {
			positive = true
			if !e.matched {
				problems = append(problems, fmt.Sprintf("%s/%s:%d: expected %s matching %q, got none", path, file, e.line, e.rule, e.re))
			}
		}
	}
	return problems, positive
}

// TestRuleCases runs every case of every code/config rule (IDs RLDx0yy) and
// requires each such rule to have at least one positive and one quiet case.
func TestRuleCases(t *testing.T) {
	for _, r := range codeRules {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join("testdata", r.ID)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatalf("rule %s has no test cases: %v", r.ID, err)
			}
			pos, neg := 0, 0
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".want") || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				problems, positive := checkCase(t, filepath.Join(dir, e.Name()))
				for _, p := range problems {
					t.Error(p)
				}
				if positive {
					pos++
				} else {
					neg++
				}
			}
			if pos == 0 || neg == 0 {
				t.Errorf("rule %s needs a positive and a quiet case (has %d and %d)", r.ID, pos, neg)
			}
		})
	}
}

// TestHarnessFailsBothWays proves the harness catches a missing and an
// unexpected finding (so a passing case means something).
func TestHarnessFailsBothWays(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missing := write("missing.py", "x = 1  # want RLD9001 \"key\"\n")
	unexpected := write("unexpected.py", "import openai\nclient = openai.OpenAI(api_key=\"sk-abcDEF1234567890ghiJKL5678mnop\")\n")
	for _, p := range []string{missing, unexpected} {
		if problems, _ := checkCase(t, p); len(problems) == 0 {
			t.Errorf("harness passed %s, want a failure", filepath.Base(p))
		}
	}
}
