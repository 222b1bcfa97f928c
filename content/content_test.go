package content

import (
	"io/fs"
	"strings"
	"testing"
)

// TestBuiltinArticles checks the real embedded articles: every one parses,
// has valid front matter and a known cause, every internal link resolves
// (Load fails otherwise), and each core cause has at least one article.
func TestBuiltinArticles(t *testing.T) {
	files, err := fs.Glob(Builtin, "articles/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no built-in articles (content/articles/*.md): %v", err)
	}
	lib, err := Load(Options{})
	if err != nil {
		t.Fatalf("built-in articles do not load:\n%v", err)
	}
	if lib.Len() != len(files) {
		t.Errorf("loaded %d articles from %d files", lib.Len(), len(files))
	}
	byCause := map[string]int{}
	for _, a := range lib.All() {
		byCause[a.Cause]++
		if !IsCause(a.Cause) {
			t.Errorf("%s: unknown cause %q", a.Source, a.Cause)
		}
		if a.Team {
			t.Errorf("%s: built-in article marked Team", a.Source)
		}
		if a.HTML == "" || a.Text == "" || a.Words == 0 {
			t.Errorf("%s: empty body", a.Source)
		}
		if strings.Contains(string(a.HTML), "style=") {
			t.Errorf("%s: inline style in rendered HTML", a.Source)
		}
		if strings.Contains(string(a.HTML), "<!-- raw HTML omitted -->") {
			t.Errorf("%s: raw HTML in the article was dropped; use Markdown instead", a.Source)
		}
		if a.Updated.IsZero() || len(a.AutoGen) == 0 {
			t.Errorf("%s: missing updated date or autogen generations", a.Source)
		}
	}
	for _, c := range CoreCauses() {
		if byCause[c] == 0 {
			t.Errorf("core cause %q has no article", c)
		}
	}
	if !strings.Contains(string(mustRead(t, "data/README.md")), "data") {
		t.Error("content/data/README.md is missing")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(Builtin, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadFixtures(b *testing.B) {
	for b.Loop() {
		loadFixtures(b, true)
	}
}
