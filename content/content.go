package content

import (
	"embed"
	"html/template"
	"time"
)

// Builtin holds the built-in articles (articles/*.md) and data files (data/*).
//
//go:embed articles data
var Builtin embed.FS

// Article is one rendered article, ready to serve from memory.
type Article struct {
	Title   string
	Slug    string
	Summary string
	Cause   string   // one of the cause vocabulary, or "general"
	AutoGen []string // API generations covered: "0.2", "0.4"
	Updated time.Time
	// Order sorts articles inside a cause group (front matter `order`, optional).
	Order int

	HTML    template.HTML // rendered body (our own Markdown: safe to print raw)
	TOC     []Heading     // h2/h3 headings with their anchor ids
	Text    string        // plain text of the body, for search and snippets
	Links   []string      // internal links found in the body (/articles/..., /rules/...)
	Source  string        // file it came from, for error messages
	Team    bool          // true when it came from a team --content-dir
	Related []string      // slugs from front matter `related`; Library.Related ranks the rest
	Words   int           // words in the body, for a reading-time estimate

	headings []Heading // every heading with its id, for anchor checks
	links    []linkRef // internal links with their lines
	relLines []int     // line of each Related entry
}

// Heading is one entry of an article's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// URL is the article's path on the site.
func (a *Article) URL() string { return "/articles/" + a.Slug }
