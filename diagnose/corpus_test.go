package diagnose_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// The corpus under testdata/corpus stands in for the hidden evaluation set:
// each folder is one person's paste (script, config, traceback, transcript),
// modelled on a public issue thread named in its expect.json. TestCorpus runs
// the real engine over every case and scores it the way the hidden set will:
// is the right cause on top, which causes are found or missed, and do
// well-configured projects come out clean.
//
// Run it alone with: go test ./diagnose -run TestCorpus -v

// minTopAccuracy is the share of non-clean cases whose first expected cause
// must be the engine's top-ranked cause. It is a ratchet: set to the measured
// value rounded down, so a rule change that loses ground fails here. Raise it
// when the engine improves; never lower it to make a failure go away.
// Measured 33/40 = 0.825 on 2026-11-25 (engine as of commit 75b40ea);
// 73/74 = 0.986 after the second corpus round (new cases modelled on public
// scripts and threads, many of them clean). The threshold leaves room for a
// few disputed cases, not for a regression.
const minTopAccuracy = 0.90

// corpusExpect is the expect.json of one case.
type corpusExpect struct {
	Source     string   `json:"source"`
	Generation string   `json:"generation"`
	Provider   string   `json:"provider"`
	Causes     []string `json:"causes"`
	Clean      bool     `json:"clean"`
	Notes      string   `json:"notes"`
}

type corpusCase struct {
	name   string
	expect corpusExpect
	inputs []diagnose.Input
}

// loadCorpus reads every case folder and checks that its expect.json is
// well formed, so a typo in the corpus fails loudly instead of scoring zero.
func loadCorpus(t *testing.T, root string) []corpusCase {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	vocab := map[string]bool{}
	for _, c := range diagnose.Causes {
		vocab[string(c)] = true
	}
	var cases []corpusCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		raw, err := os.ReadFile(filepath.Join(dir, "expect.json"))
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var exp corpusExpect
		if err := dec.Decode(&exp); err != nil {
			t.Fatalf("%s/expect.json: %v", e.Name(), err)
		}
		if exp.Source == "" {
			t.Fatalf("%s: expect.json has no source", e.Name())
		}
		if exp.Clean != (len(exp.Causes) == 0) {
			t.Fatalf("%s: clean=%v but causes=%v (clean cases list no cause, others at least one)", e.Name(), exp.Clean, exp.Causes)
		}
		for _, c := range exp.Causes {
			if !vocab[c] {
				t.Fatalf("%s: cause %q is not in the vocabulary", e.Name(), c)
			}
		}
		switch exp.Generation {
		case "", "0.2", "0.4":
		default:
			t.Fatalf("%s: generation %q (want 0.2, 0.4 or empty)", e.Name(), exp.Generation)
		}
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		cc := corpusCase{name: e.Name(), expect: exp}
		for _, f := range files {
			if f.IsDir() || f.Name() == "expect.json" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			cc.inputs = append(cc.inputs, diagnose.Input{Name: f.Name(), Text: b})
		}
		if n := len(cc.inputs); n < 1 || n > 3 {
			t.Fatalf("%s: %d input files (want 1 to 3)", e.Name(), n)
		}
		cases = append(cases, cc)
	}
	if len(cases) == 0 {
		t.Fatalf("no cases under %s", root)
	}
	return cases
}

// secretInCorpus finds the fake keys planted in the corpus inputs; none of
// them may come back in the report.
var secretInCorpus = regexp.MustCompile(`sk-(?:proj-)?[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{30,}`)

type causeTally struct {
	expected, found  int // recall: expected cases, and those where the engine ranked it at all
	topPred, topGood int // top-1 precision: cases where it was ranked first, and those where that was expected
}

type caseResult struct {
	c        corpusCase
	rep      *diagnose.Report
	err      error
	top      string
	topOK    bool
	missing  []string
	errs     int
	warns    int
	leaked   []string
	failWhy  []string
	runSpent time.Duration
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t, filepath.Join("testdata", "corpus"))

	tally := map[string]*causeTally{}
	get := func(c string) *causeTally {
		if tally[c] == nil {
			tally[c] = &causeTally{}
		}
		return tally[c]
	}
	var results []*caseResult
	var positives, topHits, cleanCases, cleanErrCases, cleanWarnCases, cleanWarnings, leaks int
	var genCases, genHits int

	for _, cc := range cases {
		r := &caseResult{c: cc}
		results = append(results, r)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		start := time.Now()
		r.rep, r.err = diagnose.Run(ctx, cc.inputs, diagnose.Options{})
		r.runSpent = time.Since(start)
		cancel()
		if r.err != nil || r.rep == nil {
			r.failWhy = append(r.failWhy, fmt.Sprintf("Run error: %v", r.err))
			if !cc.expect.Clean {
				positives++
				for _, c := range cc.expect.Causes {
					get(c).expected++
				}
			} else {
				cleanCases++
			}
			continue
		}
		ranked := make([]string, 0, len(r.rep.Causes))
		for _, rc := range r.rep.Causes {
			ranked = append(ranked, string(rc.Cause))
		}
		if len(ranked) > 0 {
			r.top = ranked[0]
		}
		for _, f := range r.rep.Findings {
			switch f.Severity {
			case diagnose.SeverityError:
				r.errs++
			case diagnose.SeverityWarning:
				r.warns++
			}
		}
		// Generation detection is scored on cases with code whose expect.json names one.
		if cc.expect.Generation != "" {
			var got string
			hasPython := false
			for _, in := range r.rep.Inputs {
				if in.Kind == diagnose.KindPython {
					hasPython = true
				}
				if got == "" && in.Generation != "" {
					got = in.Generation
				}
			}
			if hasPython {
				genCases++
				if got == cc.expect.Generation {
					genHits++
				} else {
					r.failWhy = append(r.failWhy, fmt.Sprintf("generation %q, want %q", got, cc.expect.Generation))
				}
			}
		}
		if out, err := json.Marshal(r.rep); err == nil {
			r.leaked = secretInCorpus.FindAllString(string(out), -1)
		}
		if len(r.leaked) > 0 {
			leaks++
			r.failWhy = append(r.failWhy, fmt.Sprintf("secret leaked into the report: %d key(s)", len(r.leaked)))
		}

		if cc.expect.Clean {
			cleanCases++
			cleanWarnings += r.warns
			if r.errs > 0 {
				cleanErrCases++
				r.failWhy = append(r.failWhy, fmt.Sprintf("clean case got %d error finding(s)", r.errs))
			}
			if r.warns > 0 {
				cleanWarnCases++
				r.failWhy = append(r.failWhy, fmt.Sprintf("clean case got %d warning finding(s)", r.warns))
			}
			if r.top != "" {
				get(r.top).topPred++
			}
			continue
		}

		positives++
		want := cc.expect.Causes
		r.topOK = r.top == want[0]
		if r.topOK {
			topHits++
		} else {
			r.failWhy = append(r.failWhy, fmt.Sprintf("top cause %q, want %q", r.top, want[0]))
		}
		for _, c := range want {
			ct := get(c)
			ct.expected++
			if slices.Contains(ranked, c) {
				ct.found++
			} else {
				r.missing = append(r.missing, c)
			}
		}
		if len(r.missing) > 0 {
			r.failWhy = append(r.failWhy, "not ranked: "+strings.Join(r.missing, ", "))
		}
		if r.top != "" {
			ct := get(r.top)
			ct.topPred++
			if slices.Contains(want, r.top) {
				ct.topGood++
			}
		}
	}

	// Per-case table.
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-38s %-4s %-10s %-34s %-18s %5s %5s %8s %s\n", "case", "gen", "provider", "expected", "engine top", "err", "warn", "time", "ok")
	for _, r := range results {
		exp := "clean"
		if !r.c.expect.Clean {
			exp = strings.Join(r.c.expect.Causes, ",")
		}
		ok := "ok"
		switch {
		case r.err != nil:
			ok = "RUN-ERROR"
		case r.c.expect.Clean && r.errs > 0:
			ok = "FP-ERROR"
		case r.c.expect.Clean && r.warns > 0:
			ok = "fp-warn"
		case !r.c.expect.Clean && !r.topOK:
			ok = "MISS"
		case !r.c.expect.Clean && len(r.missing) > 0:
			ok = "partial"
		}
		if len(r.leaked) > 0 {
			ok += " LEAK"
		}
		top := r.top
		if top == "" {
			top = "-"
		}
		fmt.Fprintf(&b, "%-38s %-4s %-10s %-34s %-18s %5d %5d %6dms %s\n", r.c.name, r.c.expect.Generation, r.c.expect.Provider, exp, top, r.errs, r.warns, r.runSpent.Milliseconds(), ok)
	}
	t.Log(b.String())

	// Per-cause scores.
	b.Reset()
	causes := make([]string, 0, len(tally))
	for c := range tally {
		causes = append(causes, c)
	}
	sort.Strings(causes)
	fmt.Fprintf(&b, "\n%-18s %9s %8s %14s\n", "cause", "expected", "recall", "top-precision")
	for _, c := range causes {
		ct := tally[c]
		fmt.Fprintf(&b, "%-18s %9d %8s %14s\n", c, ct.expected, ratio(ct.found, ct.expected), ratio(ct.topGood, ct.topPred))
	}
	topAcc := 0.0
	if positives > 0 {
		topAcc = float64(topHits) / float64(positives)
	}
	fmt.Fprintf(&b, "\ncases: %d (%d with a cause, %d clean)\n", len(cases), positives, cleanCases)
	fmt.Fprintf(&b, "top-cause accuracy: %d/%d = %.3f (threshold %.3f)\n", topHits, positives, topAcc, minTopAccuracy)
	fmt.Fprintf(&b, "generation detected on code cases: %s\n", ratio(genHits, genCases))
	fmt.Fprintf(&b, "clean cases with an error: %d, with a warning: %d (%d warnings in all)\n", cleanErrCases, cleanWarnCases, cleanWarnings)
	fmt.Fprintf(&b, "reports leaking a planted key: %d\n", leaks)
	t.Log(b.String())

	// What the engine said on every case that missed, for rule authors.
	for _, r := range results {
		if len(r.failWhy) == 0 {
			continue
		}
		var d strings.Builder
		fmt.Fprintf(&d, "%s (%s): %s\n", r.c.name, r.c.expect.Source, strings.Join(r.failWhy, "; "))
		if r.rep != nil {
			for _, rc := range r.rep.Causes {
				fmt.Fprintf(&d, "    cause %-18s %.2f %s\n", rc.Cause, rc.Score, rc.Reason)
			}
			for _, f := range r.rep.Findings {
				fmt.Fprintf(&d, "    %s:%d %s %s [%s/%s] %s\n", f.File, f.Line, f.Severity, f.Rule, f.Cause, f.Title, oneLine(f.Message))
			}
			if len(r.rep.Findings) == 0 {
				d.WriteString("    (no findings)\n")
			}
			for _, in := range r.rep.Inputs {
				if in.Error != "" || in.Kind == diagnose.KindUnknown {
					fmt.Fprintf(&d, "    input %s: kind=%s %s\n", in.Name, in.Kind, in.Error)
				}
			}
		}
		t.Log(d.String())
	}

	// The hard failures.
	for _, r := range results {
		if r.err != nil {
			t.Errorf("%s: Run returned an error: %v", r.c.name, r.err)
		}
		if r.c.expect.Clean && r.errs > 0 {
			t.Errorf("%s: clean case got %d error finding(s)", r.c.name, r.errs)
		}
		if len(r.leaked) > 0 {
			t.Errorf("%s: report contains a key from the input", r.c.name)
		}
	}
	if topAcc < minTopAccuracy {
		t.Errorf("top-cause accuracy %.3f is below the threshold %.3f", topAcc, minTopAccuracy)
	}
}

func ratio(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d=%.2f", n, d, float64(n)/float64(d))
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
