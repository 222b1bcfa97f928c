package content

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestLoadErrors runs every case in testdata/load (see its README.md): each
// mistake must be reported with file, line and reason.
func TestLoadErrors(t *testing.T) {
	for _, file := range caseFiles(t, "load") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			c := readArchive(t, file)
			builtin, team := fstest.MapFS{}, fstest.MapFS{}
			for name, body := range c {
				switch {
				case strings.HasPrefix(name, "team/"):
					team[strings.TrimPrefix(name, "team/")] = &fstest.MapFile{Data: []byte(body)}
				case strings.HasSuffix(name, ".md"):
					builtin[name] = &fstest.MapFile{Data: []byte(body)}
				}
			}
			opts := Options{Builtin: builtin}
			if len(team) > 0 {
				opts.TeamFS = team
			}
			lib, err := Load(opts)
			if err == nil {
				t.Fatalf("Load succeeded with %d articles; want errors", lib.Len())
			}
			got := strings.Split(err.Error(), "\n")
			want := c.lines("error")
			if !slices.Equal(got, want) {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
			var fe *FileError
			if !errors.As(err, &fe) || fe.File == "" || fe.Line < 1 {
				t.Errorf("error is not a located *FileError: %#v", err)
			}
		})
	}
}

func loadFixtures(t testing.TB, team bool) *Library {
	t.Helper()
	opts := Options{Builtin: os.DirFS("testdata/library")}
	if team {
		opts.TeamDir = filepath.Join("testdata", "team")
	}
	lib, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func slugs(as []*Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Slug)
	}
	return out
}

func TestLibraryOrderAndGroups(t *testing.T) {
	lib := loadFixtures(t, false)
	want := []string{"intro", "loops", "loops-group", "shared", "retries", "quota"}
	if got := slugs(lib.All()); !slices.Equal(got, want) {
		t.Errorf("All() = %v, want %v", got, want)
	}
	var groups []string
	for _, g := range lib.ByCause() {
		if g.Title == "" || g.Blurb == "" {
			t.Errorf("group %s has no title or blurb", g.Cause)
		}
		groups = append(groups, g.Cause+":"+strings.Join(slugs(g.Articles), ","))
	}
	wantGroups := []string{"general:intro", "loop:loops,loops-group", "shared-key:shared", "double-retry:retries", "low-quota:quota"}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("ByCause() = %v, want %v", groups, wantGroups)
	}
	a, ok := lib.Get("loops")
	if !ok || a.Title != "Agent loops" || a.Team || a.Source != "content/articles/loops.md" {
		t.Fatalf("Get(loops) = %+v, %v", a, ok)
	}
	if a.Updated != time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) || !slices.Equal(a.AutoGen, []string{"0.2", "0.4"}) {
		t.Errorf("front matter decoded wrong: %v %v", a.Updated, a.AutoGen)
	}
	if len(a.TOC) != 2 || a.TOC[0].ID != "add-a-termination-check" {
		t.Errorf("TOC = %+v", a.TOC)
	}
	if !slices.Equal(a.Links, []string{"/articles/retries#use-exponential-backoff"}) {
		t.Errorf("Links = %v", a.Links)
	}
	if _, ok := lib.Get("nope"); ok {
		t.Error("Get(nope) found something")
	}
}

func TestPrevNext(t *testing.T) {
	lib := loadFixtures(t, false)
	cases := []struct{ slug, prev, next string }{
		{"intro", "", "loops"},
		{"loops", "intro", "loops-group"},
		{"quota", "retries", ""},
	}
	name := func(a *Article) string {
		if a == nil {
			return ""
		}
		return a.Slug
	}
	for _, c := range cases {
		a, _ := lib.Get(c.slug)
		p, n := lib.PrevNext(a)
		if name(p) != c.prev || name(n) != c.next {
			t.Errorf("PrevNext(%s) = %s, %s; want %s, %s", c.slug, name(p), name(n), c.prev, c.next)
		}
	}
	if p, n := lib.PrevNext(&Article{Slug: "stranger"}); p != nil || n != nil {
		t.Error("PrevNext of an unknown article returned neighbours")
	}
}

func TestRelated(t *testing.T) {
	lib := loadFixtures(t, false)
	cases := []struct {
		slug string
		n    int
		want []string
	}{
		// front matter first, then same cause, then shared words
		{"loops", 2, []string{"retries", "loops-group"}},
		{"loops-group", 1, []string{"loops"}},
		// shares "group" / "chat" words with loops-group only through the body:
		// no front matter, no same cause, so word overlap decides.
		{"intro", 10, nil},
	}
	for _, c := range cases {
		a, _ := lib.Get(c.slug)
		got := slugs(lib.Related(a, c.n))
		if c.want == nil {
			for _, s := range got {
				if s == c.slug {
					t.Errorf("Related(%s) contains itself", c.slug)
				}
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Related(%s, %d) = %v, want %v", c.slug, c.n, got, c.want)
		}
	}
}

func TestTeamContent(t *testing.T) {
	lib := loadFixtures(t, true)
	q, _ := lib.Get("quota")
	if !q.Team || q.Title != "Our quota runbook" || q.Source != filepath.Join("testdata", "team")+"/quota.md" {
		t.Errorf("team quota did not replace the built-in one: %+v", q)
	}
	v, ok := lib.Get("vpn-proxy")
	if !ok || !v.Team {
		t.Fatalf("team article from a sub-folder missing: %v", ok)
	}
	if i, _ := lib.Get("intro"); i.Team {
		t.Error("built-in article marked Team")
	}
	if lib.Len() != 7 {
		t.Errorf("Len() = %d, want 7 (6 built-in, one replaced, one added)", lib.Len())
	}
	// shown in groups, search and related
	var inGroup bool
	for _, g := range lib.ByCause() {
		if g.Cause == "shared-key" && slices.Contains(slugs(g.Articles), "vpn-proxy") {
			inGroup = true
		}
	}
	if !inGroup {
		t.Error("team article missing from its cause group")
	}
	if hits := lib.Search("office proxy", 3); len(hits) == 0 || hits[0].Article.Slug != "vpn-proxy" {
		t.Errorf("search does not find the team article: %v", hits)
	}
	if got := slugs(lib.Related(q, 1)); !slices.Equal(got, []string{"vpn-proxy"}) {
		t.Errorf("Related(team quota) = %v", got)
	}

	if _, err := Load(Options{Builtin: os.DirFS("testdata/library"), TeamDir: "testdata/no-such-dir"}); err == nil || !strings.Contains(err.Error(), "testdata/no-such-dir") {
		t.Errorf("missing team dir: err = %v", err)
	}
}

func TestTeamErrorNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	src := "---\ntitle: X\nslug: x\nsummary: S.\ncause: loops\nautogen: [\"0.4\"]\nupdated: 2026-11-25\n---\nBody.\n"
	if err := os.WriteFile(filepath.Join(dir, "x.md"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Builtin: os.DirFS("testdata/library"), TeamDir: dir})
	want := filepath.Join(dir, "x.md") + `:5: unknown cause "loops" (want one of `
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v\nwant prefix %s", err, want)
	}
}

func TestLibraryRenderMarkdown(t *testing.T) {
	lib := loadFixtures(t, false)
	cases := []struct {
		src, wantErr string
	}{
		{"See [loops](/articles/loops#cap-the-turns) and [rules](/rules/LOOP1).\n", ""},
		{"## Here\n\n[self](#here)\n", ""},
		{"Intro.\n\n[gone](/articles/gone)\n", `line 3: link /articles/gone: no article with slug "gone"`},
		{"[x](/articles/loops#nope)\n", `line 1: link /articles/loops#nope: article "loops" has no heading with id "nope"`},
		{"[x](#nope)\n", `line 1: link #nope: no heading with id "nope" on this page`},
		{"::: tip\nunclosed\n", `line 1: unclosed container "tip"`},
	}
	for _, c := range cases {
		html, err := lib.RenderMarkdown([]byte(c.src))
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("RenderMarkdown(%q): %v", c.src, err)
		case c.wantErr == "" && html == "":
			t.Errorf("RenderMarkdown(%q): empty HTML", c.src)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
			t.Errorf("RenderMarkdown(%q) error = %v, want %q", c.src, err, c.wantErr)
		}
	}
}

func TestReadingMinutes(t *testing.T) {
	for words, want := range map[int]int{0: 1, 99: 1, 300: 2, 1000: 5} {
		if got := (&Article{Words: words}).ReadingMinutes(); got != want {
			t.Errorf("ReadingMinutes(%d words) = %d, want %d", words, got, want)
		}
	}
}

// TestLoadWindowsFiles: team members on Windows save CRLF line ends and
// sometimes a byte-order mark; both must load like any other file.
func TestLoadWindowsFiles(t *testing.T) {
	src := "---\ntitle: Loops\nslug: a\nsummary: Short.\ncause: loop\nautogen: [\"0.2\"]\nupdated: 2026-11-25\n---\n## Hi there\n\n:::: tabs\n::: tab 0.2\nx\n:::\n::::\n\n[me](#hi-there)\n"
	src = "\xef\xbb\xbf" + strings.ReplaceAll(src, "\n", "\r\n")
	lib, err := Load(Options{Builtin: fstest.MapFS{"a.md": {Data: []byte(src)}}})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := lib.Get("a")
	if a.Title != "Loops" || len(a.TOC) != 1 || a.TOC[0].ID != "hi-there" || !strings.Contains(string(a.HTML), `class="tab-panel"`) {
		t.Errorf("CRLF article rendered wrong: %+v\n%s", a.TOC, a.HTML)
	}
}
