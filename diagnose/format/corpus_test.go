package format

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
)

// TestRenderEngineCorpus runs the real engine over every end-to-end case in
// the engine's testdata and renders each report in every format: the JSON
// must read back as the same report, the SARIF must pass the schema checks,
// the Markdown tables must keep their columns, the text must carry one
// compiler-style header per finding, and no secret from the inputs may show.
func TestRenderEngineCorpus(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no corpus cases in ../testdata/corpus")
	}
	header := regexp.MustCompile(`(?m)^[^\s:][^:\n]*(:\d+)?(:\d+)?: (error|warning|info): .+ \[RLD\d{4}\]$`)
	for _, dir := range dirs {
		files, _ := os.ReadDir(dir)
		var inputs []diagnose.Input
		src := MemSources{}
		for _, f := range files {
			if f.IsDir() || f.Name() == "expect.json" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, diagnose.Input{Name: f.Name(), Text: b, Size: int64(len(b))})
			src[f.Name()] = b
		}
		if len(inputs) == 0 {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			rep, err := diagnose.Run(context.Background(), inputs, diagnose.Options{})
			if err != nil {
				t.Fatalf("engine: %v", err)
			}
			o := Options{Sources: src, Rules: diagnose.All, ToolVersion: "0.1.0"}
			secrets := secretsIn(src)
			var outs = map[string]*bytes.Buffer{}
			for name, render := range map[string]func(*bytes.Buffer) error{
				"text":     func(b *bytes.Buffer) error { return Text(b, rep, o) },
				"json":     func(b *bytes.Buffer) error { return JSON(b, rep) },
				"sarif":    func(b *bytes.Buffer) error { return SARIF(b, rep, o) },
				"markdown": func(b *bytes.Buffer) error { return Markdown(b, rep, o) },
			} {
				b := &bytes.Buffer{}
				if err := render(b); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				outs[name] = b
				for _, s := range secrets {
					if strings.Contains(b.String(), s) {
						t.Errorf("%s output leaks %q", name, s)
					}
				}
			}
			var back diagnose.Report
			if err := json.Unmarshal(outs["json"].Bytes(), &back); err != nil {
				t.Fatalf("json: %v", err)
			}
			if len(back.Findings) != len(rep.Findings) || len(back.Causes) != len(rep.Causes) || len(back.Inputs) != len(rep.Inputs) {
				t.Errorf("json round trip changed the counts")
			}
			checkSARIF(t, outs["sarif"].Bytes())
			tableRows(t, outs["markdown"].String())
			if n := len(header.FindAllString(outs["text"].String(), -1)); n != len(rep.Findings) {
				t.Errorf("text has %d finding headers for %d findings:\n%s", n, len(rep.Findings), outs["text"])
			}
		})
	}
}

// secretsIn lists the words of the inputs that the redactor would mask.
func secretsIn(src MemSources) []string {
	var out []string
	split := func(r rune) bool { return strings.ContainsRune(" \t\n\"'=:,{}[]()", r) }
	for _, b := range src {
		for _, w := range strings.FieldsFunc(string(b), split) {
			if len(w) >= 16 && redact.String(w) != w {
				out = append(out, w)
			}
		}
	}
	return out
}
