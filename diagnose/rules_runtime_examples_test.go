package diagnose

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

// Runtime-rule examples live in testdata/<ID>/*.log as FileLogger JSON lines
// (the form a runtime log takes as a file), each with a <file>.want sidecar
// of `LINE ID "regex"` lines, the same sidecar the harness reads. They are
// written from the runlogtest scenarios (RLD_WRITE_RUNTIME_EXAMPLES=1 go
// test -run TestRuntimeExamples ./diagnose rewrites them) and checked both
// ways here: every runtime finding must be expected and every expectation met.

var runtimeExamples = []struct {
	dir, name string
	fx        func() *runlogtest.Fixture
}{
	{"RLD1201", "looping.log", runlogtest.LoopingShort},
	{"RLD1201", "clean_cached.log", runlogtest.CleanCached},
	{"RLD1202", "looping.log", runlogtest.LoopingShort},
	{"RLD1202", "no_cache_rerun.log", runlogtest.NoCacheRerun},
	{"RLD1203", "looping.log", runlogtest.LoopingShort},
	{"RLD1203", "quota.log", runlogtest.QuotaFailure},
	{"RLD2201", "retry_storm.log", runlogtest.RetryStorm},
	{"RLD2201", "clean_cached.log", runlogtest.CleanCached},
	{"RLD3201", "retry_storm.log", runlogtest.RetryStorm},
	{"RLD3201", "quota.log", runlogtest.QuotaFailure},
	{"RLD3202", "retry_storm.log", runlogtest.RetryStorm},
	{"RLD3202", "clean_cached.log", runlogtest.CleanCached},
	{"RLD4201", "noisy_tool.log", runlogtest.ToolNoisyShort},
	{"RLD4201", "huge_tool_result.log", runlogtest.HugeToolResult},
	{"RLD4202", "huge_tool_result.log", runlogtest.HugeToolResult},
	{"RLD4202", "noisy_tool.log", runlogtest.ToolNoisyShort},
	{"RLD5201", "retry_storm.log", runlogtest.RetryStorm},
	{"RLD5201", "quota.log", runlogtest.QuotaFailure},
	{"RLD5202", "quota.log", runlogtest.QuotaFailure},
	{"RLD5202", "clean_cached.log", runlogtest.CleanCached},
	{"RLD5203", "retry_storm.log", runlogtest.RetryStorm},
	{"RLD5203", "looping.log", runlogtest.LoopingShort},
	{"RLD6201", "no_cache_rerun.log", runlogtest.NoCacheRerun},
	{"RLD6201", "clean_cached.log", runlogtest.CleanCached},
}

var sidecarLine = regexp.MustCompile(`^\s*(\d+)\s+(RLD\d{4})\s+"((?:[^"\\]|\\.)*)"\s*$`)

// runtimeFindings runs the engine on one example and keeps the runtime rules' findings.
func runtimeFindings(t *testing.T, name string, text []byte) []Finding {
	t.Helper()
	rep, err := Run(context.Background(), []Input{{Name: name, Text: text}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []Finding
	for _, f := range rep.Findings {
		if len(f.Rule) == 7 && f.Rule[4] == '2' {
			out = append(out, f)
		}
	}
	return out
}

func TestRuntimeExamples(t *testing.T) {
	write := os.Getenv("RLD_WRITE_RUNTIME_EXAMPLES") != ""
	for _, ex := range runtimeExamples {
		t.Run(ex.dir+"/"+ex.name, func(t *testing.T) {
			path := filepath.Join("testdata", ex.dir, ex.name)
			var buf bytes.Buffer
			if err := runlogtest.WriteJSONLines(&buf, ex.fx()); err != nil {
				t.Fatal(err)
			}
			if write {
				writeExample(t, path, buf.Bytes())
			}
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("missing example (RLD_WRITE_RUNTIME_EXAMPLES=1 writes it): %v", err)
			}
			if !bytes.Equal(text, buf.Bytes()) {
				t.Errorf("%s is stale: the scenario changed; rewrite it with RLD_WRITE_RUNTIME_EXAMPLES=1", path)
			}
			side, err := os.ReadFile(path + ".want")
			if err != nil {
				t.Fatal(err)
			}
			type want struct {
				line int
				id   string
				re   *regexp.Regexp
				hit  bool
			}
			var wants []*want
			for _, l := range strings.Split(string(side), "\n") {
				m := sidecarLine.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				n, _ := strconv.Atoi(m[1])
				pat, err := strconv.Unquote(`"` + m[3] + `"`)
				if err != nil {
					t.Fatalf("bad pattern %q", m[3])
				}
				wants = append(wants, &want{n, m[2], regexp.MustCompile(pat), false})
			}
			for _, f := range runtimeFindings(t, ex.name, text) {
				found := false
				for _, w := range wants {
					if !w.hit && w.id == f.Rule && w.line == f.Line && w.re.MatchString(f.Message) {
						w.hit, found = true, true
						break
					}
				}
				if !found {
					t.Errorf("unexpected %d %s %q", f.Line, f.Rule, f.Message)
				}
			}
			for _, w := range wants {
				if !w.hit {
					t.Errorf("expected %d %s %q, not found", w.line, w.id, w.re)
				}
			}
		})
	}
}

// TestRuntimeExamplesCoverEveryRule: each runtime rule has an example that
// shows it and one that stays quiet for it.
func TestRuntimeExamplesCoverEveryRule(t *testing.T) {
	for _, r := range runtimeRules {
		pos, neg := 0, 0
		for _, ex := range runtimeExamples {
			if ex.dir != r.ID {
				continue
			}
			side, err := os.ReadFile(filepath.Join("testdata", ex.dir, ex.name+".want"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(side), " "+r.ID+" ") {
				pos++
			} else {
				neg++
			}
		}
		if pos == 0 || neg == 0 {
			t.Errorf("%s: %d showing and %d quiet examples; need both", r.ID, pos, neg)
		}
	}
}

// writeExample writes an example and a sidecar of the findings it produces
// now, exact messages quoted, for review before commit.
func writeExample(t *testing.T, path string, text []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	fs := runtimeFindings(t, filepath.Base(path), text)
	sort.Slice(fs, func(i, j int) bool { return fs[i].Rule < fs[j].Rule })
	var b strings.Builder
	fmt.Fprintf(&b, "# LINE RULE \"message pattern\" (line 0: the finding is about the whole log)\n")
	for _, f := range fs {
		fmt.Fprintf(&b, "%d %s %s\n", f.Line, f.Rule, strconv.Quote("^"+regexp.QuoteMeta(f.Message)+"$"))
	}
	if err := os.WriteFile(path+".want", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
