package content

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestRender runs every case in testdata/render (see its README.md).
func TestRender(t *testing.T) {
	for _, file := range caseFiles(t, "render") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			c := readArchive(t, file)
			input, ok := c["input.md"]
			if !ok {
				t.Fatal("case has no input.md section")
			}
			r, err := render([]byte(input))
			if err != nil {
				t.Fatal(err)
			}
			out := string(r.html)

			// contains: in order
			rest := out
			for _, want := range c.lines("contains") {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Errorf("missing (in order) %q\nHTML:\n%s", want, out)
					break
				}
				rest = rest[i+len(want):]
			}
			for _, bad := range c.lines("excludes") {
				if strings.Contains(out, bad) {
					t.Errorf("HTML contains %q\nHTML:\n%s", bad, out)
				}
			}

			var got []string
			for _, e := range r.errs {
				got = append(got, fmt.Sprintf("%d: %s", e.Line, e.Reason))
			}
			want := c.lines("errors")
			if len(got) != len(want) {
				t.Fatalf("problems:\n got %q\nwant %q", got, want)
			}
			for i := range want {
				line, text, _ := strings.Cut(want[i], ": ")
				if !strings.HasPrefix(got[i], line+": ") || !strings.Contains(got[i], text) {
					t.Errorf("problem %d:\n got %q\nwant %q", i, got[i], want[i])
				}
			}

			if wantTOC := c.lines("toc"); len(wantTOC) > 0 {
				var gotTOC []string
				for _, h := range r.headings {
					if h.Level == 2 || h.Level == 3 {
						gotTOC = append(gotTOC, fmt.Sprintf("%d %s %s", h.Level, h.ID, h.Text))
					}
				}
				if strings.Join(gotTOC, "\n") != strings.Join(wantTOC, "\n") {
					t.Errorf("TOC:\n got %q\nwant %q", gotTOC, wantTOC)
				}
			}
		})
	}
}

func TestRenderMarkdown(t *testing.T) {
	html, err := RenderMarkdown([]byte("## Rule doc\n\n```python\nx = 1\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<h2 id="rule-doc">`, `<div class="code-block" data-lang="python">`, `<span class="n">x</span>`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("missing %q in %s", want, html)
		}
	}
	if _, err := RenderMarkdown([]byte("::: tab x\ny\n:::\n")); err == nil || !strings.Contains(err.Error(), "line 1:") {
		t.Errorf("malformed container: got error %v, want one naming line 1", err)
	}
}

func TestChromaCSS(t *testing.T) {
	css := ChromaCSS("github", "github-dark")
	for _, want := range []string{
		"\n.chroma .k {",
		"\n[data-theme=dark] .chroma .k {",
		"@media (prefers-color-scheme: dark) {\n:root:not([data-theme=light]) .chroma {",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %q", want)
		}
	}
	if strings.Contains(css, ".bg ") {
		t.Error("stylesheet has the generic .bg rule")
	}
	if strings.Count(css, "{") != strings.Count(css, "}") {
		t.Error("unbalanced braces")
	}
	// The dark rules differ from the light ones (two different styles).
	light, dark, _ := strings.Cut(css, "[data-theme=dark]")
	if !strings.Contains(light, ".chroma .k {") || !strings.Contains(dark, ".chroma .k {") {
		t.Fatal("keyword rule missing in one theme")
	}
}

// FuzzRender feeds arbitrary Markdown (seeded with the container cases)
// through the pipeline: it must never panic, and the page must stay free of
// raw HTML from the input.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "render", "*.txt"))
	for _, file := range files {
		c := readArchiveF(file)
		f.Add(c["input.md"])
	}
	f.Add("::::\n:::\n::: tabs\n:::: tab\n")
	f.Add("---\ntitle: [\n---\n::: note\n")
	f.Fuzz(func(t *testing.T, src string) {
		r, err := render([]byte(src))
		if err != nil {
			return
		}
		if strings.Contains(string(r.html), "<script") {
			t.Errorf("raw <script> reached the output for %q", src)
		}
	})
}
