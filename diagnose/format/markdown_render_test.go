package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestMarkdownRendersAsIntended renders the Markdown report with a GFM
// renderer (goldmark, as the web layer does) and checks the result as HTML:
// the tables keep their columns, hostile text stays text, and evidence with
// backtick runs stays inside its code block.
func TestMarkdownRendersAsIntended(t *testing.T) {
	r := sampleReport()
	r.Causes[0].Reason = "a | b | c <img src=x onerror=alert(1)> **loud**"
	r.Findings[1].Evidence = "before\n```\nnot the end ```` of the block\n`"
	r.Findings[1].Message = "# heading? [link](javascript:alert(1)) @someone"
	r.Inputs[0].Name = "we|ird`name.py"
	var md bytes.Buffer
	if err := Markdown(&md, r, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&html)
	if err != nil {
		t.Fatal(err)
	}
	tables := doc.Find("table")
	if tables.Length() != 2 {
		t.Fatalf("want 2 tables (causes, inputs), got %d\n%s", tables.Length(), md.String())
	}
	tables.Each(func(i int, tb *goquery.Selection) {
		cols := tb.Find("thead th").Length()
		tb.Find("tbody tr").Each(func(j int, tr *goquery.Selection) {
			if n := tr.Find("td").Length(); n != cols {
				t.Errorf("table %d row %d has %d cells, header %d: %q", i, j, n, cols, tr.Text())
			}
		})
	})
	if got := tables.First().Find("tbody tr").First().Find("td").Eq(3).Text(); got != "a | b | c <img src=x onerror=alert(1)> **loud**" {
		t.Errorf("reason cell renders as %q", got)
	}
	if doc.Find("img").Length() != 0 || doc.Find("strong:contains('loud')").Length() != 0 {
		t.Error("text from the report became markup")
	}
	if got := tables.Last().Find("tbody tr").First().Find("td").First().Text(); got != "we|ird`name.py" {
		t.Errorf("input name cell renders as %q", got)
	}
	found := false
	doc.Find("pre code").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == r.Findings[1].Evidence+"\n" {
			found = true
		}
	})
	if !found {
		t.Errorf("evidence did not survive as one code block\n%s", md.String())
	}
	var heads []string
	doc.Find("h4").Each(func(_ int, s *goquery.Selection) { heads = append(heads, s.Text()) })
	if len(heads) != 3 || !strings.HasPrefix(heads[1], "2. # heading? [link](javascript:alert(1)) @someone") {
		t.Errorf("finding headings %q", heads)
	}
	doc.Find("a").Each(func(_ int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); strings.HasPrefix(href, "javascript") {
			t.Errorf("a javascript: link was made")
		}
	})
	if doc.Find("h1, h2").Length() != 1 {
		t.Error("a message became a heading")
	}
}
