package diagnose

import (
	"context"
	"strings"
	"testing"
)

// A panicking rule loses its own findings and leaves a note; the other rules
// still report.
func TestRunRulesPanicBecomesNote(t *testing.T) {
	src := &Source{Name: "a.py", Kind: KindPython}
	good := &Rule{ID: "RLD0001", Severity: SeverityInfo, Kinds: []Kind{KindPython}, Run: func(p *Pass) {
		p.Report(Diag{Source: src, Line: 1, Message: "fine"})
	}}
	bad := &Rule{ID: "RLD0002", Severity: SeverityInfo, Kinds: []Kind{KindPython}, Run: func(p *Pass) {
		p.Report(Diag{Source: src, Line: 2, Message: "half made"})
		var m map[string]int
		m["boom"]++ // nil map write: panics
	}}
	out, failed := runRules(context.Background(), []*Rule{good, bad}, []*Source{src})
	if len(out) != 1 || out[0].Rule != "RLD0001" {
		t.Fatalf("findings = %+v, want only RLD0001's", out)
	}
	if len(failed) != 1 || !strings.Contains(failed[0].Message, internalErrorNote+"RLD0002") {
		t.Fatalf("notes = %+v, want an internal-error note for RLD0002", failed)
	}
}

// No rule may panic on any of the embedded test inputs (rule cases and the
// corpus), each run alone.
func TestNoRulePanicsOnTestdata(t *testing.T) {
	for _, c := range ExampleCases() {
		rep, err := Run(context.Background(), []Input{{Name: c.Name, Text: c.Text}}, Options{})
		if err != nil {
			t.Errorf("%s/%s: %v", c.Dir, c.Name, err)
			continue
		}
		for _, n := range rep.Notes {
			if strings.HasPrefix(n.Message, internalErrorNote) {
				t.Errorf("%s/%s: %s", c.Dir, c.Name, n.Message)
			}
		}
	}
}
