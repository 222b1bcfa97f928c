package format

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// DefaultBaseURL is the site that serves /articles and /rules when none is given.
const DefaultBaseURL = "http://localhost:8080"

// Options tune the renderers. The zero value is usable: no colour, no sources,
// links on DefaultBaseURL.
type Options struct {
	// BaseURL is prefixed to article and rule paths ("/articles/agent-loops").
	BaseURL string
	// Color turns on ANSI colour in the text renderer.
	Color bool
	// Hyperlinks prints article URLs as OSC 8 terminal hyperlinks (text renderer,
	// only together with Color).
	Hyperlinks bool
	// Sources gives the person's own text, for source lines, carets and diffs.
	// Nil: findings are rendered without them.
	Sources Sources
	// Rules is the rule registry (SARIF rule descriptors, help texts). Findings
	// whose rule is missing get a descriptor built from the finding itself.
	Rules []*diagnose.Rule
	// ToolVersion is the semantic version reported in SARIF.
	ToolVersion string
	// SourceRoot is the directory SARIF locations are relative to (%SRCROOT%);
	// absolute file names under it are made relative. Empty: names as given.
	SourceRoot string
}

func (o Options) base() string {
	b := strings.TrimRight(o.BaseURL, "/")
	if b == "" {
		b = DefaultBaseURL
	}
	return b
}

// link turns a site path ("/articles/x") into an absolute URL on the base.
// Absolute URLs are left alone; an empty path stays empty.
func (o Options) link(path string) string {
	if path == "" || strings.Contains(path, "://") {
		return path
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return o.base() + path
}

// ruleURL is the rule's page on the site, derived from its ID.
func (o Options) ruleURL(id string) string { return o.link("/rules/" + id) }

func (o Options) rule(id string) *diagnose.Rule {
	for _, r := range o.Rules {
		if r != nil && r.ID == id {
			return r
		}
	}
	return nil
}

// Sources gives renderers the text of the inputs that were diagnosed.
type Sources interface {
	// Text returns the whole input when it is held in memory.
	Text(name string) ([]byte, bool)
	// Line returns line n (1-based) of the named input without its line ending.
	Line(name string, n int) (string, bool)
}

// MemSources is Sources over inputs held in memory, keyed by input name.
type MemSources map[string][]byte

// Text implements Sources.
func (m MemSources) Text(name string) ([]byte, bool) {
	b, ok := m[name]
	return b, ok
}

// Line implements Sources.
func (m MemSources) Line(name string, n int) (string, bool) {
	b, ok := m[name]
	if !ok {
		return "", false
	}
	return LineOf(bytes.NewReader(b), n)
}

// LineOf reads line n (1-based) from r without holding more than one line in
// memory; very long lines are cut, since only a preview is shown.
func LineOf(r io.Reader, n int) (string, bool) {
	if n < 1 {
		return "", false
	}
	br := bufio.NewReaderSize(r, 64*1024)
	const maxLine = 4096
	for i := 1; ; i++ {
		var line []byte
		for {
			chunk, isPrefix, err := br.ReadLine()
			if err != nil {
				return "", false
			}
			if i == n && len(line) < maxLine {
				line = append(line, chunk...)
			}
			if !isPrefix {
				break
			}
		}
		if i == n {
			if len(line) > maxLine {
				line = line[:maxLine]
			}
			return string(line), true
		}
	}
}
