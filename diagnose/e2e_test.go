package diagnose

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// e2eWant is testdata/e2e/<case>/want.json: the acceptable top causes, the
// rule IDs that must be among the findings, and whether the project is
// well configured (then no error or warning may appear at all).
type e2eWant struct {
	Top   []string `json:"top"`
	Rules []string `json:"rules"`
	Clean bool     `json:"clean"`
}

// TestEndToEnd runs each case folder (script + config + log) through Run and
// checks the JSON report, as the CLI and the web API see it.
func TestEndToEnd(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("testdata", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", "e2e", d.Name())
			raw, err := os.ReadFile(filepath.Join(dir, "want.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want e2eWant
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("want.json: %v", err)
			}
			files, _ := os.ReadDir(dir)
			var inputs []Input
			for _, f := range files {
				if f.Name() == "want.json" {
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, f.Name()))
				if err != nil {
					t.Fatal(err)
				}
				inputs = append(inputs, Input{Name: f.Name(), Text: b})
			}
			rep, err := Run(context.Background(), inputs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Version int `json:"version"`
				Causes  []struct {
					Cause string  `json:"cause"`
					Score float64 `json:"score"`
				} `json:"causes"`
				Findings []struct {
					Rule     string `json:"rule"`
					Severity string `json:"severity"`
					Line     int    `json:"line"`
					Message  string `json:"message"`
				} `json:"findings"`
				Inputs []struct {
					Name  string `json:"name"`
					Kind  string `json:"kind"`
					Error string `json:"error"`
				} `json:"inputs"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if got.Version != ReportVersion || len(got.Inputs) != len(inputs) {
				t.Fatalf("version %d, %d inputs", got.Version, len(got.Inputs))
			}
			for _, in := range got.Inputs {
				if in.Error != "" || in.Kind == "unknown" {
					t.Errorf("input %s: kind %s %s", in.Name, in.Kind, in.Error)
				}
			}
			var rules []string
			for _, f := range got.Findings {
				rules = append(rules, f.Rule)
				if want.Clean && (f.Severity == "error" || f.Severity == "warning") {
					t.Errorf("clean project got %s %s line %d: %s", f.Severity, f.Rule, f.Line, f.Message)
				}
			}
			for _, r := range want.Rules {
				if !slices.Contains(rules, r) {
					t.Errorf("missing rule %s (got %v)", r, rules)
				}
			}
			if len(want.Top) > 0 {
				if len(got.Causes) == 0 || !slices.Contains(want.Top, got.Causes[0].Cause) {
					t.Errorf("top cause %v, want one of %v", got.Causes, want.Top)
				}
			}
		})
	}
}
