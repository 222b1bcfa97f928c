package web

import (
	"reflect"
	"strings"
	"testing"
)

func TestQueryFromPath(t *testing.T) {
	tests := map[string]string{
		"/articles/agent-loop":   "agent loop",
		"/articles/agent-loop/":  "agent loop",
		"/old/retry_layers.html": "retry layers",
		"/":                      "",
		"/x%20y":                 "x y",
	}
	for in, want := range tests {
		if got := queryFromPath(in); got != want {
			t.Errorf("queryFromPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "", 3}, {"agent-loop", "agent-loops", 1}, {"kitten", "sitting", 3}, {"ä", "a", 1}}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	tests := map[string]bool{"": false, "gzip": true, "br, gzip": true, "GZIP;q=0.5": true, "gzip;q=0": false, "deflate": false, "gzip; q=0": false}
	for in, want := range tests {
		if got := acceptsGzip(in); got != want {
			t.Errorf("acceptsGzip(%q) = %v", in, got)
		}
	}
}

func TestEtagMatches(t *testing.T) {
	if !etagMatches(`"a", "b"`, `"b"`) || !etagMatches(`W/"b"`, `"b"`) || !etagMatches("*", `"b"`) || etagMatches(`"c"`, `"b"`) {
		t.Error("etagMatches wrong")
	}
}

func TestNormalizeQuery(t *testing.T) {
	if got := normalizeQuery("  max_turns \n"); got != "max_turns" {
		t.Errorf("got %q", got)
	}
	long := normalizeQuery(strings.Repeat("é", 300))
	if len(long) > maxQueryLength || !strings.HasPrefix(long, "é") || strings.ContainsRune(long, '\uFFFD') {
		t.Errorf("cut query is %d bytes or broken", len(long))
	}
}

func TestAutogenBadges(t *testing.T) {
	got := autogenBadges([]string{"0.2", "0.4", "0.9"})
	want := []string{"AutoGen 0.2 / AG2", "AutoGen 0.4+", "AutoGen 0.9"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	if got := autogenShortBadges([]string{"0.2", "0.4"}); !reflect.DeepEqual(got, []string{"0.2 / AG2", "0.4+"}) {
		t.Errorf("short badges %v", got)
	}
}

func TestNewLayoutViewMarksSection(t *testing.T) {
	v := newLayoutView(AssetURLs{}, "Search", SectionSearch)
	for _, n := range v.Nav {
		if n.Current {
			t.Errorf("%s marked current on the search page", n.Label)
		}
	}
	v = newLayoutView(AssetURLs{}, "Rules", SectionRules)
	if !v.Nav[2].Current || v.Nav[0].Current {
		t.Errorf("nav = %+v", v.Nav)
	}
	if got := newLayoutView(AssetURLs{}, "", SectionHome).FullTitle(); !strings.Contains(got, "429") {
		t.Errorf("home title = %q", got)
	}
}

func TestNewArticleView(t *testing.T) {
	lib := testLibrary(t)
	a, _ := lib.Get("agent-loops")
	v := newArticleView(lib, LayoutView{}, a)
	if v.CauseTitle != "Agent loops" || v.CauseURL != "/articles#cause-loop" {
		t.Errorf("cause = %q %q", v.CauseTitle, v.CauseURL)
	}
	if v.Layout.Description != a.Summary {
		t.Error("description is not the summary")
	}
	if v.Prev == nil || v.Next == nil {
		t.Error("prev/next missing")
	}
}
