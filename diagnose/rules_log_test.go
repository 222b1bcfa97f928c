package diagnose

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

// runLogRules scans one log text and runs the log rules over it directly, so
// the log rules' cases do not depend on input sniffing. Findings are checked
// both ways against the inline `# want` markers by the shared loadCase.
func runLogRules(t *testing.T, name string, text []byte) []Finding {
	t.Helper()
	facts, err := logscan.Scan(bytes.NewReader(text))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	src := &Source{Name: name, Kind: KindLog, Log: facts}
	var out []Finding
	for _, r := range logRules {
		p := &Pass{Rule: r, Sources: []*Source{src}, report: func(f Finding) { out = append(out, f) }}
		r.Run(p)
	}
	return out
}

func checkLogCase(t *testing.T, path string) (positive bool) {
	t.Helper()
	text, exps := loadCase(t, path)
	for _, f := range runLogRules(t, filepath.Base(path), text) {
		ok := false
		for _, e := range exps {
			if e.line == f.Line && e.rule == f.Rule && e.re.MatchString(f.Message) {
				e.matched, ok = true, true
			}
		}
		if !ok {
			t.Errorf("%s:%d: unexpected finding %s: %s", path, f.Line, f.Rule, f.Message)
		}
		if f.Fix == "" || f.Evidence == "" || f.Message == "" {
			t.Errorf("%s:%d: %s finding without message, evidence or fix", path, f.Line, f.Rule)
		}
	}
	for _, e := range exps {
		if !e.matched {
			t.Errorf("%s:%d: expected %s matching %q, got none", path, e.line, e.rule, e.re)
		}
	}
	return len(exps) > 0
}

// TestLogRuleCases runs every case under testdata/<ID>/ for each log rule and
// requires a positive and a quiet case per rule.
func TestLogRuleCases(t *testing.T) {
	for _, r := range logRules {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join("testdata", r.ID)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatalf("rule %s has no test cases: %v", r.ID, err)
			}
			pos, neg := 0, 0
			for _, e := range entries {
				if e.IsDir() || strings.HasSuffix(e.Name(), ".want") || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				if checkLogCase(t, filepath.Join(dir, e.Name())) {
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

// TestLogRulesMeta checks the log rules' metadata: ID family, title, article, docs.
func TestLogRulesMeta(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range logRules {
		if len(r.ID) != 7 || !strings.HasPrefix(r.ID, "RLD") || r.ID[4] != '1' {
			t.Errorf("%s: log rule IDs are RLDx1yy", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate", r.ID)
		}
		seen[r.ID] = true
		if strings.HasSuffix(r.Title, ".") || r.Title == "" {
			t.Errorf("%s: bad title %q", r.ID, r.Title)
		}
		found := false
		for _, a := range Articles {
			found = found || a == r.Article
		}
		if !found {
			t.Errorf("%s: unknown article %q", r.ID, r.Article)
		}
		if !strings.Contains(r.Doc, "ignore["+r.ID+"]") || r.Run == nil || len(r.Kinds) != 1 || r.Kinds[0] != KindLog {
			t.Errorf("%s: doc must say how to suppress; Run and Kinds must be set", r.ID)
		}
	}
}

// TestLogFindingsHideSecrets: a key in a log never reaches a finding's text.
func TestLogFindingsHideSecrets(t *testing.T) {
	key := "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
	log := "openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details. key " + key + "', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}\n"
	fs := runLogRules(t, "k.log", []byte(log))
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range fs {
		for _, s := range []string{f.Message, f.Evidence, f.Fix} {
			if strings.Contains(s, key) || strings.Contains(s, "AbCdEfGhIjKl") {
				t.Errorf("%s leaks the key: %s", f.Rule, s)
			}
		}
	}
}
