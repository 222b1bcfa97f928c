package web

import (
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// ArticleCard is an article as a card or list item: title, link, summary, badges.
type ArticleCard struct {
	Title   string
	URL     string
	Summary string
	Badges  []string // AutoGen generations, as readers name them
	Team    bool
}

// newArticleCard builds the card of one article.
func newArticleCard(a *content.Article) ArticleCard {
	return ArticleCard{
		Title:   a.Title,
		URL:     a.URL(),
		Summary: a.Summary,
		Badges:  autogenShortBadges(a.AutoGen),
		Team:    a.Team,
	}
}

func newArticleCards(list []*content.Article) []ArticleCard {
	cards := make([]ArticleCard, 0, len(list))
	for _, a := range list {
		cards = append(cards, newArticleCard(a))
	}
	return cards
}

// autogenBadges turns front-matter generations ("0.2", "0.4") into the names
// readers know. An unknown value is shown as written rather than dropped.
func autogenBadges(gens []string) []string {
	out := make([]string, 0, len(gens))
	for _, g := range gens {
		out = append(out, autogenLabel(g))
	}
	return out
}

// autogenShortBadges are the compact labels cards use, so two fit on one
// line of a narrow card; the list's aria-label says they are AutoGen versions.
func autogenShortBadges(gens []string) []string {
	out := make([]string, 0, len(gens))
	for _, g := range gens {
		out = append(out, strings.TrimPrefix(autogenLabel(g), "AutoGen "))
	}
	return out
}

func autogenLabel(gen string) string {
	switch gen {
	case "0.2":
		return "AutoGen 0.2 / AG2"
	case "0.4":
		return "AutoGen 0.4+"
	default:
		return "AutoGen " + gen
	}
}

// causeAnchor is the id of a cause's section on the article index.
func causeAnchor(cause string) string { return "cause-" + cause }

// causeIndexURL links to a cause's section of the article index.
func causeIndexURL(cause string) string { return "/articles#" + causeAnchor(cause) }
