package diagnose

import (
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/configfacts"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

// Rule is one diagnosis check, as a value: its metadata lives beside its check
// and its test cases (testdata/<ID>/...). The rule page URL is derived from ID.
type Rule struct {
	ID       string   // stable, e.g. "RLD1001"; a retired ID is never reused
	Title    string   // the message as a title, no trailing period
	Cause    Cause    // from the cause vocabulary
	Severity Severity // default severity of its findings
	Article  string   // slug of the article it links (/articles/<slug>)
	Doc      string   // Markdown: what it looks for, why it matters, exceptions, how to suppress
	Kinds    []Kind   // input kinds it reads
	Run      func(*Pass)
}

// URL is the rule's page on the site.
func (r *Rule) URL() string { return "/rules/" + r.ID }

// ArticleURL is the path of the rule's article.
func (r *Rule) ArticleURL() string { return "/articles/" + r.Article }

// Source is one input with the facts parsed from it once; rules only read it.
type Source struct {
	Name string
	Kind Kind
	// Text is the input's bytes when held in memory (Python, config, small logs);
	// nil for streamed logs and runtime databases.
	Text []byte

	Python  *pyfacts.File  // Kind == KindPython
	Config  *ConfigFacts   // Kind == KindConfig
	Log     *logscan.Facts // Kind == KindLog
	Runtime *runlog.Facts  // Kind == KindRuntimeDB (and JSON-lines runtime logs)

	lines []int // byte offset of each line start, built on first use
}

// lineStarts indexes the lines of Text once.
func (s *Source) lineStarts() []int {
	if s.lines == nil && s.Text != nil {
		s.lines = append(s.lines, 0)
		for i, c := range s.Text {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	return s.lines
}

// ConfigFacts are the facts read from a JSON or YAML config input.
type ConfigFacts = configfacts.File

// Pass is what a rule's Run receives: every input's facts and a way to report.
// Findings reported through a pass always carry the pass's rule ID, cause,
// article and (unless a Diag overrides it) severity.
type Pass struct {
	Rule    *Rule
	Sources []*Source
	report  func(Finding)
}

// Diag is what a rule reports; the pass fills in the rule's metadata.
type Diag struct {
	Source   *Source
	Line     int // 1-based; 0 when not tied to a line
	EndLine  int
	Column   int
	Message  string
	Evidence string // masked before output by the engine
	Fix      string // the changed code, not advice
	Edits    []Edit
	Severity Severity // empty: the rule's default
	Security bool
}

// Report records one finding for the pass's rule.
func (p *Pass) Report(d Diag) {
	sev := d.Severity
	if sev == "" {
		sev = p.Rule.Severity
	}
	end := d.EndLine
	if end < d.Line {
		end = d.Line
	}
	name := ""
	var kind Kind
	if d.Source != nil {
		name, kind = d.Source.Name, d.Source.Kind
	}
	p.report(Finding{
		Rule: p.Rule.ID, Title: p.Rule.Title, Cause: p.Rule.Cause, Severity: sev,
		File: name, Line: d.Line, EndLine: end, Column: d.Column,
		Message: d.Message, Evidence: d.Evidence, Fix: d.Fix, Edits: d.Edits,
		Article: p.Rule.ArticleURL(), Security: d.Security, InputKind: kind,
	})
}
