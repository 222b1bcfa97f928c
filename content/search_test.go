package content

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSearch runs the ranking cases in testdata/search.txt against the
// fixture library.
func TestSearch(t *testing.T) {
	lib := loadFixtures(t, false)
	f, err := os.Open("testdata/search.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, wantStr, ok := strings.Cut(line, "=>")
		if !ok {
			t.Fatalf("bad case line %q", line)
		}
		n++
		q = strings.TrimSpace(q)
		want := strings.Fields(wantStr)
		if len(want) == 1 && want[0] == "-" {
			want = nil
		}
		var got []string
		for _, h := range lib.Search(q, len(want)+1) {
			got = append(got, h.Article.Slug)
		}
		if len(got) < len(want) || strings.Join(got[:len(want)], " ") != strings.Join(want, " ") {
			t.Errorf("Search(%q) = %v, want first %v", q, got, want)
		}
		if want == nil && len(got) > 0 {
			t.Errorf("Search(%q) = %v, want nothing", q, got)
		}
	}
	if n == 0 {
		t.Fatal("no search cases")
	}
}

func TestSearchSnippetAndLimits(t *testing.T) {
	lib := loadFixtures(t, false)
	hits := lib.Search("honour retry", 1)
	if len(hits) != 1 || hits[0].Article.Slug != "retries" || hits[0].Score <= 0 {
		t.Fatalf("hits = %+v", hits)
	}
	var text strings.Builder
	var matched []string
	for _, p := range hits[0].Snippet {
		text.WriteString(p.Text)
		if p.Match {
			matched = append(matched, p.Text)
		}
	}
	if !strings.Contains(text.String(), "Keep exactly one retry layer") {
		t.Errorf("snippet text = %q", text.String())
	}
	if strings.Contains(text.String(), "\n") {
		t.Errorf("snippet keeps line breaks: %q", text.String())
	}
	// Both words are marked, with the text's own case.
	if strings.Join(matched, ",") != "retry,honour,Retry" {
		t.Errorf("matched parts = %q", matched)
	}

	// A match only in the title falls back to the summary as snippet.
	hits = lib.Search("Stacked", 1)
	if len(hits) != 1 || len(hits[0].Snippet) == 0 || hits[0].Snippet[0].Text != "Retry layers multiply each other." {
		t.Errorf("title-only snippet = %+v", hits)
	}

	for _, q := range []string{"", "   ", "!!!", strings.Repeat("loop ", 1000)} {
		if hits := lib.Search(q, 5); len(q) < 10 && hits != nil {
			t.Errorf("Search(%q) = %v, want nil", q, hits)
		}
	}
	if hits := lib.Search("minute", 0); len(hits) != 3 {
		t.Errorf("limit 0 should return all 3 hits, got %d", len(hits))
	}
}

// TestSearchSpeed keeps search well under a millisecond per query on the
// built-in articles (or the fixtures when those are missing).
func TestSearchSpeed(t *testing.T) {
	lib, err := Load(Options{})
	if err != nil {
		lib = loadFixtures(t, false)
	}
	queries := []string{"max_turns", "retry after backoff", "quo", "rate limit exceeded", "group chat speaker selection", "a"}
	const rounds = 200
	start := time.Now()
	for i := 0; i < rounds; i++ {
		for _, q := range queries {
			lib.Search(q, 10)
		}
	}
	per := time.Since(start) / (rounds * time.Duration(len(queries)))
	t.Logf("%d articles: %v per query", lib.Len(), per)
	if per > time.Millisecond {
		t.Errorf("search takes %v per query, want under 1ms", per)
	}
}

func BenchmarkSearch(b *testing.B) {
	lib, err := Load(Options{})
	if err != nil {
		lib = loadFixtures(b, false)
	}
	for b.Loop() {
		lib.Search("retry after backoff", 10)
	}
}

func TestSearchIdentifierSnippet(t *testing.T) {
	lib := loadFixtures(t, false)
	hits := lib.Search("max_turns", 1)
	if len(hits) != 1 {
		t.Fatalf("hits = %+v", hits)
	}
	var matched []string
	for _, p := range hits[0].Snippet {
		if p.Match {
			matched = append(matched, p.Text)
		}
	}
	if strings.Join(matched, ",") != "max_turns" {
		t.Errorf("matched parts = %q, want the identifier once", matched)
	}
}
