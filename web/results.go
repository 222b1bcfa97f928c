package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// ResultView is the results of a diagnosis: the verdict first, then one card
// per likely cause with the person's own evidence and fixes, lesser
// findings, what to check next and the evidence charts.
type ResultView struct {
	Verdict *VerdictView
	Cards   []CauseView
	Lesser  []FindingView
	Next    []string
	Inputs  []InputView
	Notes   []string
	// Evidence is the pictures of the run (requests and tokens per minute
	// against the limit, calls per agent, tool sizes, retry arithmetic,
	// call budgets), all drawn by web/chart.
	Evidence EvidenceView
	// Empty: nothing was pasted or answered at all.
	Empty bool
	// FromAnswersOnly: no input was given; the ranking is the symptom model's.
	FromAnswersOnly bool
	// Votes are the vote forms, one per rule (forms cannot nest, so the
	// buttons in each finding point at these by id).
	Votes []VoteView
}

// VerdictView is the one-line answer at the top.
type VerdictView struct {
	Cause        string
	Name         string // the cause in words
	Sure         string // "very likely", "likely", "possible", "a hunch"
	Percent      string // "82%"
	Reason       string
	ArticleURL   string
	ArticleTitle string
}

// CauseView is one ranked cause as a card.
type CauseView struct {
	Cause        string
	Name         string
	Sure         string
	Percent      string
	Reason       string
	ArticleURL   string
	ArticleTitle string
	Findings     []FindingView
}

// FindingView is one finding: its evidence in the person's own text, the
// message, the fix as a diff of their text, and links.
type FindingView struct {
	ID       string // anchor id on the page
	Rule     string
	RuleURL  string
	Title    string
	Severity string
	Cause    string
	Where    string // "agents.py line 12"
	Message  string
	Evidence string // shown when there is no code view (runtime databases)
	Fix      string // the fix text when there is no diff
	Code     *CodeView
	Diff     *DiffView
	Article  string
	// Vote is the "did this fix it?" form target.
	Vote VoteView
}

// VoteView is the "did this fix it?" form of one finding.
type VoteView struct {
	Rule string
	Back string // where to return after voting (this page, at the finding)
}

// InputView is how one input was read.
type InputView struct {
	Name       string
	Kind       string
	Generation string
	Provider   string
	Lines      int
	Error      string
}

// sureWords turns a score into words a person reads first.
func sureWords(score float64) string {
	switch {
	case score >= 0.75:
		return "very likely"
	case score >= 0.5:
		return "likely"
	case score >= 0.3:
		return "possible"
	default:
		return "a hunch"
	}
}

func percent(score float64) string {
	return strconv.Itoa(int(score*100+0.5)) + "%"
}

// causeNames are the causes in words, for the verdict.
var causeNames = map[diagnose.Cause]string{
	diagnose.CauseLoop:             "Agents loop: nothing stops the conversation",
	diagnose.CauseSharedKey:        "Several agents or runs share one key's limit",
	diagnose.CauseDoubleRetry:      "Retry layers stack and multiply the calls",
	diagnose.CauseNoisyTool:        "Tool output is huge or noisy",
	diagnose.CauseLowQuota:         "The provider's limit is low or spent",
	diagnose.CauseNoCache:          "No cache: the same calls are paid again",
	diagnose.CauseContextGrowth:    "The context grows on every turn",
	diagnose.CauseSpeakerSelection: "Speaker selection costs extra calls",
	diagnose.CauseSecret:           "An API key is written into the code",
}

func causeName(c diagnose.Cause) string {
	if n, ok := causeNames[c]; ok {
		return n
	}
	return string(c)
}

// maxCards is how many causes get a full card; the rest are lesser.
const maxCards = 3

// minCardScore is the lowest score that still gets a card of its own.
const minCardScore = 0.25

// newResultView builds the results; back is the page they are on (vote
// forms return there) and answered says whether any answer was given.
func newResultView(lib *content.Library, d *diagnosis, back string, answered bool, chartCSS string) ResultView {
	rep := d.Report
	v := ResultView{Next: rep.Next, FromAnswersOnly: len(rep.Inputs) == 0}
	v.Empty = len(rep.Inputs) == 0 && !answered
	kinds := map[string]diagnose.Kind{}
	for _, in := range rep.Inputs {
		kinds[in.Name] = in.Kind
		v.Inputs = append(v.Inputs, InputView{Name: in.Name, Kind: string(in.Kind), Generation: in.Generation,
			Provider: in.Provider, Lines: in.Lines, Error: in.Error})
	}
	for _, n := range rep.Notes {
		msg := n.Message
		if n.File != "" {
			msg = n.File + ": " + msg
		}
		v.Notes = append(v.Notes, msg)
	}
	articleTitle := func(url string) string {
		slug := strings.TrimPrefix(url, "/articles/")
		if i := strings.IndexByte(slug, '#'); i >= 0 {
			slug = slug[:i]
		}
		if a, ok := lib.Get(slug); ok {
			return a.Title
		}
		return ""
	}
	carded := map[diagnose.Cause]int{} // cause → index in v.Cards
	for _, c := range rep.Causes {
		if len(v.Cards) >= maxCards || c.Score < minCardScore && len(v.Cards) > 0 {
			break
		}
		carded[c.Cause] = len(v.Cards)
		v.Cards = append(v.Cards, CauseView{Cause: string(c.Cause), Name: causeName(c.Cause), Sure: sureWords(c.Score),
			Percent: percent(c.Score), Reason: c.Reason, ArticleURL: c.Article, ArticleTitle: articleTitle(c.Article)})
	}
	if len(rep.Causes) > 0 {
		c := rep.Causes[0]
		v.Verdict = &VerdictView{Cause: string(c.Cause), Name: causeName(c.Cause), Sure: sureWords(c.Score),
			Percent: percent(c.Score), Reason: c.Reason, ArticleURL: c.Article, ArticleTitle: articleTitle(c.Article)}
		if len(v.Cards) > 0 && v.Cards[0].Cause == v.Verdict.Cause {
			v.Cards[0].Reason = "" // the verdict right above already says why
		}
	}
	for i, f := range rep.Findings {
		fv := newFindingView(i, f, d, kinds[f.File], back)
		idx, ok := carded[f.Cause]
		if ok && f.Severity != diagnose.SeverityInfo {
			v.Cards[idx].Findings = append(v.Cards[idx].Findings, fv)
		} else {
			v.Lesser = append(v.Lesser, fv)
		}
	}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			v.Votes = append(v.Votes, VoteView{Rule: f.Rule, Back: back})
		}
	}
	v.Evidence = NewEvidenceView(rep.Evidence, EvidenceOptions{CSS: chartCSS})
	return v
}

// diffMarkerLabel names a diff row's change for screen readers.
func diffMarkerLabel(kind string) string {
	switch kind {
	case "add":
		return "added"
	case "del":
		return "removed"
	}
	return "unchanged"
}

func newFindingView(i int, f diagnose.Finding, d *diagnosis, kind diagnose.Kind, back string) FindingView {
	fv := FindingView{
		ID: fmt.Sprintf("finding-%d", i+1), Rule: f.Rule, RuleURL: "/rules/" + f.Rule, Title: f.Title,
		Severity: string(f.Severity), Cause: string(f.Cause), Message: f.Message, Article: f.Article,
		Vote: VoteView{Rule: f.Rule, Back: back},
	}
	if fv.Title == "" {
		if r, ok := diagnose.Lookup(f.Rule); ok {
			fv.Title = r.Title
		}
	}
	switch {
	case f.File != "" && f.Line > 0:
		fv.Where = fmt.Sprintf("%s line %d", f.File, f.Line)
		if f.EndLine > f.Line {
			fv.Where = fmt.Sprintf("%s lines %d–%d", f.File, f.Line, f.EndLine)
		}
	case f.File != "":
		fv.Where = f.File
	}
	if text := d.Texts[f.File]; text != "" && f.Line > 0 {
		cv := newCodeView(f.File, text, kind, f.Line, max(f.EndLine, f.Line))
		if len(cv.Lines) > 0 {
			fv.Code = &cv
		}
	}
	if fv.Code == nil {
		fv.Evidence = f.Evidence
	}
	if i < len(d.Diffs) && d.Diffs[i] != "" {
		dv := newDiffView(f.File, d.Diffs[i])
		fv.Diff = &dv
	} else {
		fv.Fix = f.Fix
	}
	return fv
}
