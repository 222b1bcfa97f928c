package diagnose

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var idFormat = regexp.MustCompile(`^RLD[1-9][0-2]\d\d$`)

// familyDigit maps a cause to the first digit of its rule IDs.
var familyDigit = map[Cause]byte{
	CauseLoop: '1', CauseSharedKey: '2', CauseDoubleRetry: '3', CauseNoisyTool: '4', CauseLowQuota: '5',
	CauseNoCache: '6', CauseContextGrowth: '7', CauseSpeakerSelection: '7', CauseSecret: '9',
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for i, r := range All {
		if !idFormat.MatchString(r.ID) {
			t.Errorf("%s: ID format", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate ID", r.ID)
		}
		seen[r.ID] = true
		if i > 0 && All[i-1].ID >= r.ID {
			t.Errorf("%s: registry not sorted", r.ID)
		}
		if r.Title == "" || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q", r.ID, r.Title)
		}
		if !slices.Contains(Causes, r.Cause) {
			t.Errorf("%s: cause %q not in the vocabulary", r.ID, r.Cause)
		}
		if d, ok := familyDigit[r.Cause]; ok && r.ID[3] != d {
			t.Errorf("%s: first digit should be %c for cause %s", r.ID, d, r.Cause)
		}
		if !slices.Contains(Articles, r.Article) {
			t.Errorf("%s: article %q unknown", r.ID, r.Article)
		}
		if r.Run == nil || len(r.Kinds) == 0 {
			t.Errorf("%s: no check or no kinds", r.ID)
		}
		if r.Severity.Rank() == 0 {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Doc == "" {
			t.Errorf("%s: no doc", r.ID)
		}
		if got, ok := Lookup(strings.ToLower(r.ID)); !ok || got != r {
			t.Errorf("Lookup(%s) failed", r.ID)
		}
	}
	for _, r := range codeRules {
		if r.ID[4] != '0' {
			t.Errorf("%s: code/config rules use hundreds digit 0", r.ID)
		}
		if !strings.Contains(r.Doc, "Suppress") {
			t.Errorf("%s: doc does not say how to suppress", r.ID)
		}
	}
	if _, ok := Lookup("RLD0000"); ok {
		t.Error("Lookup of a missing ID succeeded")
	}
	for _, c := range Causes {
		if !slices.Contains(Articles, CauseArticle[c]) {
			t.Errorf("cause %s has no article", c)
		}
	}
}
