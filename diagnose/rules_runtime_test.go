package diagnose

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

// runtimeCase is one scenario with the findings it must produce: every rule
// listed must fire with a message matching its pattern, and no other runtime
// rule may fire (so each scenario is also the quiet case of every rule it
// does not list).
type runtimeCase struct {
	name string
	fx   func() *runlogtest.Fixture
	want map[string]string // rule ID -> message pattern
}

var runtimeCases = []runtimeCase{
	{"looping", runlogtest.Looping, map[string]string{
		// the loop's first reply is call 12; row 13 is the first request that repeats it.
		"RLD1201": `^the same request was sent 28 times by assistant, starting at (row|line) \d+ \(2024-05-01 10:00:36\)$`,
		"RLD1202": `^assistant's requests grew by 2 messages per call for 27 calls in a row`,
		"RLD1203": `^assistant and user_proxy answered each other \d+ times in a row with repeated messages`,
	}},
	{"retry-storm", runlogtest.RetryStorm, map[string]string{
		"RLD5201": `^5 calls failed with rate_limit_exceeded; the first, by researcher at (row|line) \d+ \(2024-05-01 10:01:10\), came after \d+ requests`,
		"RLD5203": `^45 requests in the 60 s from 2024-05-01 10:00:00 \(3 agents\).*made 45 calls in its first minute`,
		"RLD2201": `^3 agents \(critic, researcher, writer\) called the model at the same time`,
		"RLD3201": `^2 logical calls failed on several config_list entries in a row \(up to 2 failed rows each.*up to 6 HTTP requests`,
		"RLD3202": `^1 call re-sent a request that had just failed, under a new invocation \(first by researcher`,
	}},
	{"quota", runlogtest.QuotaFailure, map[string]string{
		"RLD5202": `^1 call failed with insufficient_quota, the first by assistant`,
	}},
	{"clean-cached", runlogtest.CleanCached, map[string]string{}},
	{"no-cache-rerun", runlogtest.NoCacheRerun, map[string]string{
		"RLD6201": `^10 of 15 calls repeated an earlier identical request with no cache hit`,
	}},
	{"tool-heavy", runlogtest.ToolHeavy, map[string]string{
		"RLD4201": `^tool results were 6\d% of all request text`,
		"RLD4202": `returned 32900 characters in one result \(about 8225 tokens\)`,
	}},
}

// runRuntimeRules runs every runtime rule over one source through a Pass.
func runRuntimeRules(src *Source) []Finding {
	var out []Finding
	for _, r := range runtimeRules {
		p := &Pass{Rule: r, Sources: []*Source{src}, report: func(f Finding) { out = append(out, f) }}
		r.Run(p)
	}
	return out
}

// factsOf writes a fixture in the given format and reads it back.
func factsOf(t *testing.T, fx *runlogtest.Fixture, format string) *runlog.Facts {
	t.Helper()
	dir := t.TempDir()
	switch format {
	case "sqlite":
		p := filepath.Join(dir, "logs.db")
		if err := runlogtest.WriteDB(p, fx); err != nil {
			t.Fatal(err)
		}
		f, err := runlog.OpenDB(context.Background(), p, runlog.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return f
	default:
		var buf bytes.Buffer
		if err := runlogtest.WriteJSONLines(&buf, fx); err != nil {
			t.Fatal(err)
		}
		f, err := runlog.ReadJSONLines(&buf, runlog.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
}

func TestRuntimeRules(t *testing.T) {
	for _, tc := range runtimeCases {
		for _, format := range []string{"sqlite", "jsonl"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				src := &Source{Name: "logs.db", Kind: KindRuntimeDB, Runtime: factsOf(t, tc.fx(), format)}
				got := map[string]Finding{}
				for _, f := range runRuntimeRules(src) {
					if _, dup := got[f.Rule]; dup {
						t.Errorf("%s reported twice", f.Rule)
					}
					got[f.Rule] = f
					if _, ok := tc.want[f.Rule]; !ok {
						t.Errorf("unexpected %s: %s", f.Rule, f.Message)
					}
					if f.Fix == "" || f.Article == "" || f.File != "logs.db" {
						t.Errorf("%s: incomplete finding %+v", f.Rule, f)
					}
					if f.Line != 0 && format == "sqlite" {
						t.Errorf("%s: a database finding has line %d", f.Rule, f.Line)
					}
				}
				for id, pat := range tc.want {
					f, ok := got[id]
					if !ok {
						t.Errorf("missing %s", id)
						continue
					}
					if !regexp.MustCompile(pat).MatchString(f.Message) {
						t.Errorf("%s message %q does not match %q", id, f.Message, pat)
					}
				}
			})
		}
	}
}

// TestRuntimeRulesEveryRuleCovered: every runtime rule fires in some scenario
// and stays quiet in at least one.
func TestRuntimeRulesEveryRuleCovered(t *testing.T) {
	for _, r := range runtimeRules {
		fires, quiet := 0, 0
		for _, tc := range runtimeCases {
			if _, ok := tc.want[r.ID]; ok {
				fires++
			} else {
				quiet++
			}
		}
		if fires == 0 || quiet == 0 {
			t.Errorf("%s: %d scenarios fire it, %d are quiet; need both", r.ID, fires, quiet)
		}
	}
}

func TestRuntimeRuleMetadata(t *testing.T) {
	idRe := regexp.MustCompile(`^RLD[1-6]2\d\d$`)
	family := map[byte]Cause{'1': CauseLoop, '2': CauseSharedKey, '3': CauseDoubleRetry, '4': CauseNoisyTool, '5': CauseLowQuota, '6': CauseNoCache}
	seen := map[string]bool{}
	for _, r := range runtimeRules {
		if !idRe.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("bad or duplicate ID %q", r.ID)
		}
		seen[r.ID] = true
		if family[r.ID[3]] != r.Cause {
			t.Errorf("%s: cause %s does not match its family digit", r.ID, r.Cause)
		}
		if r.Title == "" || strings.HasSuffix(r.Title, ".") || r.Doc == "" || r.Run == nil {
			t.Errorf("%s: incomplete metadata", r.ID)
		}
		if !slices.Contains(Articles, r.Article) {
			t.Errorf("%s: unknown article %q", r.ID, r.Article)
		}
		if !slices.Contains(r.Kinds, KindRuntimeDB) {
			t.Errorf("%s: does not read runtime logs", r.ID)
		}
	}
}

// TestRuntimeEvidence: evidence rows carry time, agent, call and tokens, and
// no API key from the fixture leaks into any finding.
func TestRuntimeEvidence(t *testing.T) {
	src := &Source{Name: "logs.db", Kind: KindRuntimeDB, Runtime: factsOf(t, runlogtest.RetryStorm(), "sqlite")}
	for _, f := range runRuntimeRules(src) {
		all := f.Message + f.Evidence + f.Fix
		if strings.Contains(all, "FAKEFAKE") {
			t.Errorf("%s leaks the key: %s", f.Rule, all)
		}
		if f.Rule == "RLD5201" && !regexp.MustCompile(`(?m)^2024-05-01 10:01:10  researcher  row \d+  tokens 0\+0  error rate_limit_exceeded$`).MatchString(f.Evidence) {
			t.Errorf("RLD5201 evidence lacks the failing row:\n%s", f.Evidence)
		}
		if f.Rule == "RLD2201" && !strings.Contains(f.Message, "sk-…a1b2") {
			t.Errorf("RLD2201 should name the masked shared key: %s", f.Message)
		}
	}
}

// TestRuntimeEndToEnd runs the engine on fixture databases and checks the
// JSON report: the input kind, the runtime findings, and no leaked key.
func TestRuntimeEndToEnd(t *testing.T) {
	for _, tc := range runtimeCases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "logs.db")
			if err := runlogtest.WriteDB(p, tc.fx()); err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			in := Input{Name: "logs.db", Path: p, Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(p) }}
			rep, err := Run(context.Background(), []Input{in}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte("FAKEFAKE")) {
				t.Errorf("report leaks the key: %s", b)
			}
			var got struct {
				Inputs   []struct{ Name, Kind, Error string }
				Findings []struct{ Rule string }
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Inputs) != 1 || got.Inputs[0].Kind != string(KindRuntimeDB) || got.Inputs[0].Error != "" {
				t.Fatalf("inputs = %+v", got.Inputs)
			}
			var ids, want []string
			for _, f := range got.Findings {
				if strings.HasPrefix(f.Rule, "RLD") && len(f.Rule) == 7 && f.Rule[4] == '2' {
					ids = append(ids, f.Rule)
				}
			}
			for id := range tc.want {
				want = append(want, id)
			}
			sort.Strings(ids)
			sort.Strings(want)
			if strings.Join(ids, " ") != strings.Join(want, " ") {
				t.Errorf("runtime findings %v, want %v\n%s", ids, want, b)
			}
		})
	}
}

// TestRuntimeEndToEndJSONLines runs the engine on FileLogger output: the
// input stays a log, and the runtime rules see its per-call facts.
func TestRuntimeEndToEndJSONLines(t *testing.T) {
	for _, tc := range runtimeCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := runlogtest.WriteJSONLines(&buf, tc.fx()); err != nil {
				t.Fatal(err)
			}
			rep, err := Run(context.Background(), []Input{{Name: "runtime.log", Text: buf.Bytes()}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Inputs) != 1 || rep.Inputs[0].Kind != KindLog || rep.Inputs[0].Generation != "0.2" {
				t.Fatalf("inputs = %+v", rep.Inputs)
			}
			// What the log cannot show reaches the report as a note.
			sawRetryNote := false
			for _, n := range rep.Notes {
				sawRetryNote = sawRetryNote || (n.File == "runtime.log" && strings.Contains(n.Message, "leave no row"))
			}
			if !sawRetryNote {
				t.Errorf("notes = %+v, want the runtime log's note that SDK retries leave no row", rep.Notes)
			}
			got := map[string]bool{}
			for _, f := range rep.Findings {
				if len(f.Rule) == 7 && f.Rule[4] == '2' {
					got[f.Rule] = true
				}
			}
			for id := range tc.want {
				if !got[id] {
					t.Errorf("missing %s", id)
				}
				delete(got, id)
			}
			for id := range got {
				t.Errorf("unexpected %s", id)
			}
		})
	}
}
