package diagnose

import (
	"embed"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// testdataFS holds the rules' own test cases and the corpus, so the site's
// rule pages show examples taken from the tests themselves: a page cannot
// drift from what the engine really flags.
//
//go:embed testdata/RLD* testdata/corpus
var testdataFS embed.FS

// ExampleCase is one test input: a rule's case file (Dir is the rule ID)
// or one file of a corpus case (Dir is "corpus/<case>"), with its inline
// `# want` markers blanked the way the test harness blanks them.
type ExampleCase struct {
	Dir  string
	Name string
	Text []byte
	// Wants lists the rule IDs the case's markers expect (empty for quiet cases
	// and for corpus files, which carry no markers).
	Wants []string
}

var (
	exampleMarker = regexp.MustCompile(`(?:#|//)\s*want\s+(RLD\d{4}\s+"(?:[^"\\]|\\.)*"(?:\s+RLD\d{4}\s+"(?:[^"\\]|\\.)*")*)\s*$`)
	exampleExpect = regexp.MustCompile(`(RLD\d{4})\s+"(?:[^"\\]|\\.)*"`)
)

// ExampleCases returns every embedded test input, rule cases first (by rule
// ID, then file name), then the corpus. Expectation files (expect.json,
// *.want) are not inputs and are left out; their rule IDs go to Wants.
func ExampleCases() []ExampleCase {
	var out []ExampleCase
	_ = fs.WalkDir(testdataFS, "testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		base := path.Base(p)
		if base == "expect.json" || strings.HasSuffix(base, ".want") || strings.HasPrefix(base, ".") {
			return nil
		}
		raw, err := testdataFS.ReadFile(p)
		if err != nil {
			return nil
		}
		text, wants := blankMarkers(raw)
		if side, err := testdataFS.ReadFile(p + ".want"); err == nil {
			for _, m := range exampleExpect.FindAllStringSubmatch(string(side), -1) {
				wants = append(wants, m[1])
			}
		}
		slices.Sort(wants)
		out = append(out, ExampleCase{Dir: strings.TrimPrefix(path.Dir(p), "testdata/"), Name: base, Text: text, Wants: slices.Compact(wants)})
		return nil
	})
	return out
}

// blankMarkers replaces each `# want RLDxxxx "…"` marker with spaces (so
// columns and JSON validity are kept) and returns the rule IDs it named.
func blankMarkers(raw []byte) ([]byte, []string) {
	var wants []string
	lines := strings.SplitAfter(string(raw), "\n")
	for i, full := range lines {
		l := strings.TrimRight(full, "\r\n")
		loc := exampleMarker.FindStringSubmatchIndex(l)
		if loc == nil {
			continue
		}
		for _, m := range exampleExpect.FindAllStringSubmatch(l[loc[2]:loc[3]], -1) {
			wants = append(wants, m[1])
		}
		lines[i] = strings.TrimRight(l[:loc[0]], " \t") + full[len(l):]
	}
	return []byte(strings.Join(lines, "")), wants
}
