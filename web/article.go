package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// ArticleView is one article page.
type ArticleView struct {
	Layout     LayoutView
	Title      string
	Summary    string
	Badges     []string
	Team       bool
	CauseTitle string
	CauseURL   string
	Updated    string // "25 November 2026"
	UpdatedISO string // "2026-11-25", for <time datetime>
	TOC        []TOCEntry
	Body       ArticleHTML
	Related    []ArticleCard
	Prev, Next *PageLink
}

// ArticleHTML is an article body rendered by the content package from our
// own Markdown: the only HTML the site prints without escaping.
type ArticleHTML string

// TOCEntry is one line of the table of contents.
type TOCEntry struct {
	ID    string
	Text  string
	Level int
}

// PageLink is a link to a neighbouring page.
type PageLink struct {
	Title string
	URL   string
}

// relatedCount is how many related articles an article page lists.
const relatedCount = 4

// newArticleView builds an article page from the article and its library
// (for the cause title, related articles and prev/next).
func newArticleView(lib *content.Library, layout LayoutView, a *content.Article) ArticleView {
	v := ArticleView{
		Layout:   layout,
		Title:    a.Title,
		Summary:  a.Summary,
		Badges:   autogenBadges(a.AutoGen),
		Team:     a.Team,
		CauseURL: causeIndexURL(a.Cause),
		Body:     ArticleHTML(a.HTML),
		Related:  newArticleCards(lib.Related(a, relatedCount)),
	}
	v.Layout.Description = a.Summary
	v.CauseTitle = a.Cause
	for _, g := range lib.ByCause() {
		if g.Cause == a.Cause {
			v.CauseTitle = g.Title
			break
		}
	}
	if !a.Updated.IsZero() {
		v.Updated = a.Updated.Format("2 January 2006")
		v.UpdatedISO = a.Updated.Format("2006-01-02")
	}
	for _, h := range a.TOC {
		v.TOC = append(v.TOC, TOCEntry{ID: h.ID, Text: h.Text, Level: h.Level})
	}
	prev, next := lib.PrevNext(a)
	if prev != nil {
		v.Prev = &PageLink{Title: prev.Title, URL: prev.URL()}
	}
	if next != nil {
		v.Next = &PageLink{Title: next.Title, URL: next.URL()}
	}
	return v
}

// cachedPage is a fully rendered page kept in memory with its validators.
type cachedPage struct {
	html []byte
	gzip []byte // nil when compression does not pay
	etag string // strong ETag of the uncompressed body
}

// prerenderArticles renders every article page once at start-up: articles
// only change with a restart, so the handler just writes bytes.
func (s *Server) prerenderArticles() error {
	pages := make(map[string]*cachedPage, len(s.lib.All()))
	for _, a := range s.lib.All() {
		var buf bytes.Buffer
		v := newArticleView(s.lib, s.layout(a.Title, SectionArticles), a)
		if err := ArticlePage(v).Render(context.Background(), &buf); err != nil {
			return err
		}
		pages[a.Slug] = newCachedPage(buf.Bytes())
	}
	s.articlePages = pages
	return nil
}

func newCachedPage(html []byte) *cachedPage {
	sum := sha256.Sum256(html)
	p := &cachedPage{html: html, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.BestCompression) // the level is valid, so no error
	_, _ = zw.Write(html)
	_ = zw.Close()
	if zb.Len() < len(html)*9/10 {
		p.gzip = zb.Bytes()
	}
	return p
}

// showArticle renders GET /articles/:slug from the pre-rendered page, with
// ETag revalidation and gzip for clients that accept it.
func (s *Server) showArticle(c echo.Context) error {
	slug := c.Param("slug")
	page, ok := s.articlePages[slug]
	if !ok {
		return errNotFound("There is no article at this address.")
	}
	return writeCachedPage(c, page)
}

// Header values for cached pages, allocated once.
var (
	htmlContentType   = []string{echo.MIMETextHTMLCharsetUTF8}
	pageCacheControl  = []string{"public, max-age=300"}
	varyAcceptEncode  = []string{"Accept-Encoding"}
	gzipEncodingValue = []string{"gzip"}
)

func writeCachedPage(c echo.Context, p *cachedPage) error {
	req := c.Request()
	h := c.Response().Header()
	h["Etag"] = []string{p.etag}
	h["Cache-Control"] = pageCacheControl
	h["Vary"] = varyAcceptEncode
	if inm := req.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, p.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	h["Content-Type"] = htmlContentType
	body := p.html
	if p.gzip != nil && acceptsGzip(req.Header.Get("Accept-Encoding")) {
		h["Content-Encoding"] = gzipEncodingValue
		body = p.gzip
	}
	// An explicit length lets net/http write the body in one go instead of
	// chunking it.
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	c.Response().WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(body)
	return err
}

// etagMatches reports whether an If-None-Match header lists etag (or "*").
// Weak comparison, as RFC 9110 asks for If-None-Match.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (present and not refused with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
