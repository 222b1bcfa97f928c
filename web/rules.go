package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// Rule pages are generated from the rules' own metadata (diagnose.All) and
// their own test cases (diagnose.ExampleCases, plus the runtime-log fixtures
// for the rules that read runtime logs): each example is run through the
// real engine, so the page shows what the engine flags today and the fix it
// really suggests.

// RuleExample is one input that triggers a rule, with the rule's findings
// marked and the fix applied as a diff.
type RuleExample struct {
	Source  string // where it comes from: "testdata/RLD1001/never_default_cap.py"
	Code    CodeView
	Message string
	Diff    *DiffView
	Fix     string
}

// ruleExamples holds a server's rendered rule docs; the examples
// themselves come from exampleCache (the same for every server).
type ruleExamples struct {
	once sync.Once
	docs map[string]template.HTML
}

// maxExampleLines bounds the excerpt of an example shown on a rule page.
const maxExampleLines = 60

// get returns the example and the rendered doc of a rule (nil example when
// none was found).
func (e *ruleExamples) get(lib *content.Library, id string) (*RuleExample, template.HTML) {
	e.once.Do(func() {
		e.docs = map[string]template.HTML{}
		for _, r := range diagnose.All {
			if h, err := lib.RenderMarkdown([]byte(r.Doc)); err == nil {
				e.docs[r.ID] = h
			} else {
				e.docs[r.ID] = template.HTML(template.HTMLEscapeString(r.Doc))
			}
		}
	})
	return exampleCache()[id], e.docs[id]
}

// exampleCache runs every embedded test case through the engine once per
// process (about two seconds of CPU), on first use; the server warms it in
// the background at start.
var exampleCache = sync.OnceValue(loadExamples)

func loadExamples() map[string]*RuleExample {
	byRule := exampleSet{}
	ctx := context.Background()
	cases := diagnose.ExampleCases()
	// 1. A rule's own positive cases, preferring one whose fix has edits.
	for _, c := range cases {
		if strings.HasPrefix(c.Dir, "corpus/") || !slices.Contains(c.Wants, c.Dir) {
			continue
		}
		if ex := byRule[c.Dir]; ex != nil && ex.Diff != nil {
			continue
		}
		in := namedInput{Name: c.Name, Text: c.Text}
		if ex := exampleFor(ctx, c.Dir, "testdata/"+c.Dir+"/"+c.Name, []namedInput{in}); ex != nil {
			if old := byRule[c.Dir]; old == nil || ex.Diff != nil {
				byRule[c.Dir] = ex
			}
		}
	}
	// 2. The corpus (one case = several files run together), for rules
	// whose own cases are built in code.
	byDir := map[string][]namedInput{}
	var dirs []string
	for _, c := range cases {
		if !strings.HasPrefix(c.Dir, "corpus/") {
			continue
		}
		if _, ok := byDir[c.Dir]; !ok {
			dirs = append(dirs, c.Dir)
		}
		byDir[c.Dir] = append(byDir[c.Dir], namedInput{Name: c.Name, Text: c.Text})
	}
	for _, dir := range dirs {
		byRule.fillFrom(ctx, "testdata/"+dir, byDir[dir])
	}
	// 3. The runtime-log fixtures (FileLogger JSON lines).
	for _, fx := range []struct {
		name string
		fx   func() *runlogtest.Fixture
	}{
		{"looping", runlogtest.Looping}, {"retry-storm", runlogtest.RetryStorm}, {"quota", runlogtest.QuotaFailure},
		{"no-cache-rerun", runlogtest.NoCacheRerun}, {"tool-heavy", runlogtest.ToolHeavy},
	} {
		var buf bytes.Buffer
		if err := runlogtest.WriteJSONLines(&buf, fx.fx()); err != nil {
			continue
		}
		byRule.fillFrom(ctx, "runtime-log fixture "+fx.name, []namedInput{{Name: "runtime.log", Text: buf.Bytes()}})
	}
	return byRule
}

// exampleSet maps rule ID → example.
type exampleSet map[string]*RuleExample

// fillFrom runs one case and takes it as the example of every rule it
// triggers that has none yet.
func (e exampleSet) fillFrom(ctx context.Context, source string, ins []namedInput) {
	d, err := runDiagnosis(ctx, ins, nil, true)
	if err != nil {
		return
	}
	for _, f := range d.Report.Findings {
		if e[f.Rule] == nil {
			name := source
			if len(ins) > 1 {
				name += "/" + f.File
			}
			e[f.Rule] = exampleFromDiagnosis(d, f.Rule, name)
		}
	}
}

// exampleFor runs inputs and builds the example of rule id from them.
func exampleFor(ctx context.Context, id, source string, ins []namedInput) *RuleExample {
	d, err := runDiagnosis(ctx, ins, nil, true)
	if err != nil {
		return nil
	}
	return exampleFromDiagnosis(d, id, source)
}

func exampleFromDiagnosis(d *diagnosis, id, source string) *RuleExample {
	var first *diagnose.Finding
	var firstIdx int
	var marks []int
	for i := range d.Report.Findings {
		f := &d.Report.Findings[i]
		if f.Rule != id {
			continue
		}
		if first == nil {
			first, firstIdx = f, i
		}
		if f.File == first.File && f.Line > 0 {
			for n := f.Line; n <= max(f.Line, f.EndLine); n++ {
				marks = append(marks, n)
			}
		}
	}
	if first == nil {
		return nil
	}
	kind := diagnose.KindUnknown
	for _, in := range d.Report.Inputs {
		if in.Name == first.File {
			kind = in.Kind
		}
	}
	text := d.Texts[first.File]
	lines := strings.SplitAfter(text, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	lo, hi := 1, min(len(lines), maxExampleLines)
	if first.Line > 0 && len(lines) > maxExampleLines {
		lo = max(1, first.Line-8)
		hi = min(len(lines), lo+maxExampleLines-1)
	}
	cv := codeWindow(first.File, text, lines, kind, lo, hi, 0, 0)
	for i := range cv.Lines {
		cv.Lines[i].Marked = slices.Contains(marks, cv.Lines[i].N)
	}
	ex := &RuleExample{Source: source, Code: cv, Message: first.Message, Fix: first.Fix}
	if firstIdx < len(d.Diffs) && d.Diffs[firstIdx] != "" {
		dv := newDiffView(first.File, d.Diffs[firstIdx])
		ex.Diff = &dv
	}
	return ex
}

// RulesView is the rules index.
type RulesView struct {
	Layout LayoutView
	Rows   []RuleRow
	// VotesAvailable is false when the store is off or unreachable.
	VotesAvailable bool
}

// RuleRow is one rule in the index.
type RuleRow struct {
	ID, URL, Title, Cause, Severity string
	// FixRate is "83% of 12" or "" when nobody has voted yet.
	FixRate string
}

func fixRate(st store.VoteStat) string {
	n := st.Yes + st.No
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d%% of %d", int(st.Rate*100+0.5), n)
}

func newRulesView(layout LayoutView, rules []*diagnose.Rule, votes map[string]store.VoteStat, votesOK bool) RulesView {
	v := RulesView{Layout: layout, VotesAvailable: votesOK}
	v.Layout.Description = "Every check ratelimit-doctor runs on AutoGen code, configs and logs, with how often its fix worked."
	for _, r := range rules {
		v.Rows = append(v.Rows, RuleRow{ID: r.ID, URL: r.URL(), Title: r.Title, Cause: string(r.Cause),
			Severity: string(r.Severity), FixRate: fixRate(votes[r.ID])})
	}
	return v
}

// voteStats reads the tallies; a store problem hides the column rather
// than failing the page.
func (s *Server) voteStats(ctx context.Context) (map[string]store.VoteStat, bool) {
	if s.store == nil {
		return nil, false
	}
	st, err := s.store.VoteStats(ctx)
	if err != nil {
		s.log.Warn("vote stats", "err", err)
		return nil, false
	}
	return st, true
}

// listRules answers GET /rules.
func (s *Server) listRules(c echo.Context) error {
	votes, ok := s.voteStats(c.Request().Context())
	return s.render(c, http.StatusOK, RulesPage(newRulesView(s.layout("Diagnosis rules", SectionRules), diagnose.All, votes, ok)))
}

// RuleView is one rule's page.
type RuleView struct {
	Layout       LayoutView
	ID           string
	Title        string
	Cause        string
	Severity     string
	Kinds        []string
	Doc          template.HTML // the rule's own Markdown, rendered (our text, not pasted)
	ArticleURL   string
	ArticleTitle string
	Example      *RuleExample
	FixRate      string
	Votes        int
}

func newRuleView(lib *content.Library, layout LayoutView, r *diagnose.Rule, doc template.HTML, ex *RuleExample, st store.VoteStat) RuleView {
	v := RuleView{Layout: layout, ID: r.ID, Title: r.Title, Cause: string(r.Cause), Severity: string(r.Severity),
		Doc: doc, ArticleURL: r.ArticleURL(), Example: ex, FixRate: fixRate(st), Votes: st.Yes + st.No}
	v.Layout.Description = r.ID + ": " + r.Title
	for _, k := range r.Kinds {
		v.Kinds = append(v.Kinds, string(k))
	}
	if a, ok := lib.Get(r.Article); ok {
		v.ArticleTitle = a.Title
	}
	return v
}

// showRule answers GET /rules/{ID}.
func (s *Server) showRule(c echo.Context) error {
	r, ok := diagnose.Lookup(c.Param("id"))
	if !ok {
		return errNotFound("There is no rule with this ID.")
	}
	if c.Param("id") != r.ID {
		return c.Redirect(http.StatusMovedPermanently, r.URL())
	}
	ex, doc := s.examples.get(s.lib, r.ID)
	votes, _ := s.voteStats(c.Request().Context())
	v := newRuleView(s.lib, s.layout(r.ID+": "+r.Title, SectionRules), r, doc, ex, votes[r.ID])
	return s.render(c, http.StatusOK, RulePage(v))
}

// kindsLabel joins input kinds for display.
func kindsLabel(k []string) string {
	if len(k) == 0 {
		return "any input"
	}
	return strings.Join(k, ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }
