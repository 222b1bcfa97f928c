package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// Options says where articles come from.
type Options struct {
	// TeamDir is a directory of the team's own articles (*.md, searched
	// recursively; README.md and hidden folders are skipped). Empty means none.
	// An article whose slug matches a built-in one replaces it.
	TeamDir string
	// TeamFS, when set, is read instead of the TeamDir directory (tests, or
	// content from elsewhere); TeamDir then only names its files in errors.
	TeamFS fs.FS
	// Builtin, when set, replaces the embedded articles: a file system whose
	// top level holds *.md articles. Tests use it; the program leaves it nil.
	Builtin fs.FS
}

// FileError is one problem with one article file, located by line.
type FileError struct {
	File   string // path as the person knows it, e.g. "content/articles/x.md"
	Line   int    // 1-based
	Reason string
}

// Error implements error as "file:line: reason".
func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// Library is the loaded, validated and rendered set of articles. It is
// read-only after Load and safe for concurrent use.
type Library struct {
	all     []*Article
	bySlug  map[string]*Article
	pos     map[*Article]int
	groups  []CauseGroup
	related map[*Article][]*Article
	index   *searchIndex
}

// CauseGroup is the articles of one cause, for the article index.
type CauseGroup struct {
	Cause    string
	Title    string
	Blurb    string
	Articles []*Article
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads, validates and renders the built-in articles and the team's.
// Every problem found is reported (joined), each as a *FileError naming the
// file, the line and the reason; nothing is returned unless all is well.
func Load(opts Options) (*Library, error) {
	builtin := opts.Builtin
	if builtin == nil {
		sub, err := fs.Sub(Builtin, "articles")
		if err != nil {
			return nil, fmt.Errorf("open built-in articles: %w", err)
		}
		builtin = sub
	}
	var errs []error
	articles, e := loadDir(builtin, "content/articles", false)
	errs = append(errs, e...)

	if opts.TeamFS != nil || opts.TeamDir != "" {
		fsys, label := opts.TeamFS, opts.TeamDir
		if fsys == nil {
			if st, err := os.Stat(opts.TeamDir); err != nil {
				return nil, fmt.Errorf("team content dir: %w", err)
			} else if !st.IsDir() {
				return nil, fmt.Errorf("team content dir %s: not a directory", opts.TeamDir)
			}
			fsys = os.DirFS(opts.TeamDir)
		}
		if label == "" {
			label = "team"
		}
		team, e := loadDir(fsys, label, true)
		errs = append(errs, e...)
		bySlug := map[string]int{}
		for i, a := range articles {
			bySlug[a.Slug] = i
		}
		for _, a := range team {
			if i, ok := bySlug[a.Slug]; ok {
				articles[i] = a // a team article replaces the built-in one
				continue
			}
			bySlug[a.Slug] = len(articles)
			articles = append(articles, a)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	lib := newLibrary(articles)
	if errs := lib.checkLinks(); len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool {
			a, b := errs[i].(*FileError), errs[j].(*FileError)
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Line < b.Line
		})
		return nil, errors.Join(errs...)
	}
	return lib, nil
}

// loadDir loads the articles of one source. Built-in articles are the *.md
// files at the top level; team articles may sit in folders.
func loadDir(fsys fs.FS, label string, team bool) ([]*Article, []error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (!team || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".md") && !strings.EqualFold(d.Name(), "README.md") && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, []error{fmt.Errorf("read %s: %w", label, err)}
	}
	sort.Strings(files)

	// Rendering is almost all chroma tokenising, so files are rendered in
	// parallel (one worker per CPU); results keep the file order.
	type result struct {
		name string
		a    *Article
		errs []error
	}
	results := make([]result, len(files))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, p := range files {
		name := path.Join(label, p)
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			results[i] = result{name: name, errs: []error{fmt.Errorf("read %s: %w", name, err)}}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			a, errs := parseArticle(name, path.Base(p), src)
			results[i] = result{name: name, a: a, errs: errs}
		}()
	}
	wg.Wait()

	var (
		out  []*Article
		errs []error
		seen = map[string]string{}
	)
	for _, r := range results {
		errs = append(errs, r.errs...)
		a := r.a
		if a == nil {
			continue
		}
		if prev, dup := seen[a.Slug]; dup {
			errs = append(errs, &FileError{File: r.name, Line: 1, Reason: fmt.Sprintf("duplicate slug %q (also %s)", a.Slug, prev)})
			continue
		}
		seen[a.Slug] = r.name
		a.Team = team
		out = append(out, a)
	}
	return out, errs
}

// frontMatter is the decoded front matter with the line of each key.
type frontMatter struct {
	Title, Slug, Summary, Cause string
	AutoGen                     []string
	Updated                     time.Time
	Order                       int
	Related                     []string
	relatedLines                []int
	lines                       keyLines // line of each key in the file
}

var frontMatterKeys = []string{"title", "slug", "summary", "cause", "autogen", "updated", "order", "related"}
var requiredKeys = []string{"title", "slug", "summary", "cause", "autogen", "updated"}

// parseArticle renders one file and validates its front matter. It returns
// nil and the errors when the file is not a valid article.
func parseArticle(name, base string, src []byte) (*Article, []error) {
	fail := func(line int, format string, args ...any) *FileError {
		return &FileError{File: name, Line: line, Reason: fmt.Sprintf(format, args...)}
	}
	// Editors on Windows may save a byte-order mark; it would hide the
	// front matter's opening line.
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	r, err := render(src)
	if err != nil {
		return nil, []error{fail(1, "%v", err)}
	}
	var errs []error
	for _, e := range r.errs {
		errs = append(errs, fail(e.Line, "%s", e.Reason))
	}
	if r.meta == nil {
		return nil, append(errs, fail(1, "missing front matter: start the file with a --- line, YAML keys (%s), and a closing --- line", strings.Join(requiredKeys, ", ")))
	}
	var doc yaml.Node
	if err := r.meta.Decode(&doc); err != nil {
		line, reason := yamlErrorLine(err)
		return nil, append(errs, fail(line+1, "front matter: %s", reason))
	}
	fm, fmErrs := decodeFrontMatter(&doc)
	for _, e := range fmErrs {
		errs = append(errs, fail(e.Line, "%s", e.Reason))
	}
	wantSlug := strings.TrimSuffix(base, ".md")
	if fm.Slug != "" && fm.Slug != wantSlug {
		errs = append(errs, fail(fm.lineOf("slug"), "slug %q does not match the file name (want %q)", fm.Slug, wantSlug))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	a := &Article{
		Title:    fm.Title,
		Slug:     fm.Slug,
		Summary:  fm.Summary,
		Cause:    fm.Cause,
		AutoGen:  fm.AutoGen,
		Updated:  fm.Updated,
		Order:    fm.Order,
		HTML:     r.html,
		Text:     r.text,
		Source:   name,
		Related:  fm.Related,
		headings: r.headings,
		links:    r.links,
		relLines: fm.relatedLines,
	}
	for _, h := range r.headings {
		if h.Level == 2 || h.Level == 3 {
			a.TOC = append(a.TOC, h)
		}
	}
	for _, l := range r.links {
		a.Links = append(a.Links, l.Dest)
	}
	a.Words = len(strings.Fields(r.text))
	return a, nil
}

// keyLines is carried inside frontMatter so errors found later (a related
// slug that does not exist) can point at their line.
type keyLines map[string]int

func (fm *frontMatter) lineOf(key string) int {
	if l, ok := fm.lines[key]; ok {
		return l
	}
	return 1
}

// yamlLineRE finds the line in yaml.v3's messages ("yaml: line 3: …").
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlErrorLine splits a YAML error into its line (inside the front matter
// block) and a reason.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// decodeFrontMatter checks the front matter node by node so each mistake
// names its own line. Node lines count from the first line inside the ---
// block, which is line 2 of the file.
func decodeFrontMatter(doc *yaml.Node) (*frontMatter, []sourceError) {
	fm := &frontMatter{lines: keyLines{}}
	var errs []sourceError
	fail := func(n *yaml.Node, format string, args ...any) {
		line := 1
		if n != nil {
			line = n.Line + 1
		}
		errs = append(errs, sourceError{Line: line, Reason: fmt.Sprintf(format, args...)})
	}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		fail(nil, "front matter must be a YAML mapping of keys (%s)", strings.Join(requiredKeys, ", "))
		return fm, errs
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if seen[key] {
			fail(k, "duplicate front matter key %q", key)
			continue
		}
		seen[key] = true
		fm.lines[key] = k.Line + 1
		switch key {
		case "title", "summary":
			s, ok := scalarString(v)
			if !ok || strings.TrimSpace(s) == "" {
				fail(v, "%s must be a non-empty string", key)
				continue
			}
			if key == "title" {
				fm.Title = strings.TrimSpace(s)
			} else {
				fm.Summary = strings.TrimSpace(s)
			}
		case "slug":
			s, ok := scalarString(v)
			if !ok || !slugRE.MatchString(s) {
				fail(v, "slug %q must be lower-case words joined by hyphens", v.Value)
				continue
			}
			fm.Slug = s
		case "cause":
			s, _ := scalarString(v)
			if !IsCause(s) {
				fail(v, "unknown cause %q (want one of %s)", v.Value, strings.Join(causeNames(), ", "))
				continue
			}
			fm.Cause = s
		case "autogen":
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				fail(v, `autogen must be a non-empty list of API generations, e.g. ["0.2", "0.4"]`)
				continue
			}
			for _, item := range v.Content {
				s, _ := scalarString(item)
				if s != "0.2" && s != "0.4" {
					fail(item, "unknown autogen generation %q (want \"0.2\" or \"0.4\")", item.Value)
					continue
				}
				if contains(fm.AutoGen, s) {
					fail(item, "autogen generation %q listed twice", s)
					continue
				}
				fm.AutoGen = append(fm.AutoGen, s)
			}
		case "updated":
			s, _ := scalarString(v)
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				fail(v, "updated %q must be a date as YYYY-MM-DD", v.Value)
				continue
			}
			fm.Updated = t
		case "order":
			n, err := strconv.Atoi(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				fail(v, "order %q must be a whole number", v.Value)
				continue
			}
			fm.Order = n
		case "related":
			if v.Kind != yaml.SequenceNode {
				fail(v, "related must be a list of article slugs")
				continue
			}
			for _, item := range v.Content {
				s, ok := scalarString(item)
				if !ok || !slugRE.MatchString(s) {
					fail(item, "related entry %q is not an article slug", item.Value)
					continue
				}
				fm.Related = append(fm.Related, s)
				fm.relatedLines = append(fm.relatedLines, item.Line+1)
			}
		default:
			fail(k, "unknown front matter key %q (want one of %s)", key, strings.Join(frontMatterKeys, ", "))
		}
	}
	for _, key := range requiredKeys {
		if !seen[key] {
			fail(nil, "missing front matter key %q", key)
		}
	}
	return fm, errs
}

// scalarString returns the text of a scalar node. Numbers such as 0.2 count
// as their literal text, so `autogen: [0.2]` means the same as ["0.2"].
func scalarString(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", false
	}
	return n.Value, true
}

// checkLinks reports internal links to missing articles or anchors and
// related slugs that do not exist.
func (l *Library) checkLinks() []error {
	var errs []error
	for _, a := range l.all {
		for _, link := range a.links {
			if reason := l.checkLink(a, link.Dest); reason != "" {
				errs = append(errs, &FileError{File: a.Source, Line: link.Line, Reason: reason})
			}
		}
		for i, slug := range a.Related {
			if _, ok := l.bySlug[slug]; !ok || slug == a.Slug {
				reason := fmt.Sprintf("related article %q does not exist", slug)
				if slug == a.Slug {
					reason = "an article cannot be related to itself"
				}
				errs = append(errs, &FileError{File: a.Source, Line: a.relLines[i], Reason: reason})
			}
		}
	}
	return errs
}

// checkLink returns why an internal link is broken, or "".
func (l *Library) checkLink(from *Article, dest string) string {
	target, anchor := from, ""
	switch {
	case strings.HasPrefix(dest, "#"):
		anchor = dest[1:]
	case strings.HasPrefix(dest, "/articles/"):
		rest := strings.TrimPrefix(dest, "/articles/")
		slug, frag, _ := strings.Cut(rest, "#")
		slug, _, _ = strings.Cut(slug, "?")
		slug = strings.TrimSuffix(slug, "/")
		a, ok := l.bySlug[slug]
		if !ok {
			return fmt.Sprintf("link %s: no article with slug %q", dest, slug)
		}
		target, anchor = a, frag
	default:
		return "" // other site pages (/rules/…, /diagnose) are checked by the web layer
	}
	if anchor == "" {
		return ""
	}
	for _, h := range target.headings {
		if h.ID == anchor {
			return ""
		}
	}
	if target == from {
		return fmt.Sprintf("link %s: no heading with id %q on this page", dest, anchor)
	}
	return fmt.Sprintf("link %s: article %q has no heading with id %q", dest, target.Slug, anchor)
}
