package content

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"unicode"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"
)

// The rendering pipeline: GitHub-flavoured Markdown, raw HTML off (goldmark's
// default: our Markdown needs none, and team Markdown must not inject
// scripts), chroma highlighting with CSS classes only (the CSP forbids inline
// styles being relied on, and classes let one stylesheet serve light and dark
// themes), heading ids and anchors, our fenced containers, and one AST pass
// that collects the table of contents, internal links and plain text.

// newMarkdown builds the goldmark instance shared by every render. goldmark
// values are safe for concurrent use; all per-document state lives in the
// parser context or the AST.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			&frontmatter.Extender{Formats: []frontmatter.Format{frontmatter.YAML}},
			highlighting.NewHighlighting(
				highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
				highlighting.WithWrapperRenderer(wrapCodeBlock),
			),
			containers{},
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(docTransformer{}, 200)),
		),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(docRenderer{}, 100)),
		),
	)
}

// md is the one pipeline; building it is cheap but its renderer caches its
// function table on first use, so reuse pays.
var md = newMarkdown()

// RenderMarkdown renders our own Markdown (for example a diagnosis rule's
// documentation) through the same pipeline as the articles: highlighting,
// heading anchors and containers. Internal links are not checked here; a
// malformed container is an error naming its line.
func RenderMarkdown(src []byte) (template.HTML, error) {
	r, err := render(src)
	if err != nil {
		return "", err
	}
	if len(r.errs) > 0 {
		msgs := make([]string, len(r.errs))
		for i, e := range r.errs {
			msgs[i] = fmt.Sprintf("line %d: %s", e.Line, e.Reason)
		}
		return "", fmt.Errorf("render markdown: %s", strings.Join(msgs, "; "))
	}
	return r.html, nil
}

// rendered is everything one render produces.
type rendered struct {
	html     template.HTML
	meta     *frontmatter.Data
	headings []Heading // every heading, in order
	text     string    // plain text of the body
	links    []linkRef // internal links (/articles/..., /rules/..., #...)
	errs     []sourceError
}

// linkRef is a link found in a document and the line it is on.
type linkRef struct {
	Dest string
	Line int
}

var docInfoKey = parser.NewContextKey()

// docInfo is filled by docTransformer during parsing.
type docInfo struct {
	headings []Heading
	text     strings.Builder
	links    []linkRef
}

func render(src []byte) (rendered, error) {
	pc := parser.NewContext()
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return rendered{}, fmt.Errorf("render: %w", err)
	}
	errs := sourceErrors(pc)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	info, _ := pc.Get(docInfoKey).(*docInfo)
	if info == nil {
		info = &docInfo{}
	}
	return rendered{
		html:     template.HTML(buf.String()),
		meta:     frontmatter.Get(pc),
		headings: info.headings,
		text:     strings.TrimSpace(info.text.String()),
		links:    info.links,
		errs:     errs,
	}, nil
}

// docTransformer gives headings unique GitHub-style ids, marks external links
// rel="noopener", and records headings, internal links and plain text.
type docTransformer struct{}

// Transform implements parser.ASTTransformer.
func (docTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	info := &docInfo{}
	pc.Set(docInfoKey, info)
	used := map[string]int{}
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if node.Type() == ast.TypeBlock {
				info.text.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := node.(type) {
		case *ast.Heading:
			title := strings.TrimSpace(plainText(n, source))
			id := uniqueID(slugify(title), used)
			n.SetAttributeString("id", []byte(id))
			info.headings = append(info.headings, Heading{Level: n.Level, ID: id, Text: title})
		case *ast.Link:
			dest := string(n.Destination)
			if isExternal(dest) {
				n.SetAttributeString("rel", []byte("noopener"))
			} else if isInternal(dest) {
				info.links = append(info.links, linkRef{Dest: dest, Line: nodeLine(n, source)})
			}
		case *ast.AutoLink:
			if isExternal(string(n.URL(source))) {
				n.SetAttributeString("rel", []byte("noopener"))
			}
			info.text.Write(n.Label(source))
		case *ast.Text:
			info.text.Write(n.Segment.Value(source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				info.text.WriteByte(' ')
			}
		case *ast.String:
			info.text.Write(n.Value)
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := node.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				info.text.Write(seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
}

// isExternal reports whether a link leaves the site.
func isExternal(dest string) bool {
	d := strings.ToLower(dest)
	return strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "//")
}

// isInternal reports whether a link points into the site (or the page).
func isInternal(dest string) bool {
	return strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//") || strings.HasPrefix(dest, "#")
}

// plainText is the text of an inline subtree, without markup.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(source))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// nodeLine finds the source line of an inline node: the line of its first
// text, else the first line of the block that holds it.
func nodeLine(n ast.Node, source []byte) int {
	line := 0
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			line = lineOf(source, t.Segment.Start)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if line > 0 {
		return line
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return lineOf(source, p.Lines().At(0).Start)
		}
	}
	return 1
}

// slugify turns heading text into a GitHub-style anchor: lower case, letters,
// digits, '-' and '_' kept, spaces become '-', everything else dropped.
func slugify(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// uniqueID returns id, or id-1, id-2, … when it was used before (GitHub's rule).
func uniqueID(id string, used map[string]int) string {
	n, seen := used[id]
	if !seen {
		used[id] = 0
		return id
	}
	for {
		n++
		cand := id + "-" + strconv.Itoa(n)
		if _, taken := used[cand]; !taken {
			used[id] = n
			used[cand] = 0
			return cand
		}
	}
}

// docRenderer renders headings with a visible anchor link and indented code
// blocks with the same wrapper as fenced ones.
type docRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (docRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(ast.KindCodeBlock, renderIndentedCode)
}

// renderHeading writes <hN id="x">text <a class="anchor" href="#x" …>#</a></hN>.
func renderHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if entering {
		fmt.Fprintf(w, "<h%d", n.Level)
		html.RenderAttributes(w, n, html.HeadingAttributeFilter)
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			fmt.Fprintf(w, " <a class=\"anchor\" href=\"#%s\" aria-label=\"Link to this section\">#</a>", util.EscapeHTML(b))
		}
	}
	fmt.Fprintf(w, "</h%d>\n", n.Level)
	return ast.WalkContinue, nil
}

// wrapCodeBlock wraps every fenced code block in
// <div class="code-block" data-lang="…"> so the web layer's script can add a
// copy button; without the script nothing is missing.
func wrapCodeBlock(w util.BufWriter, ctx highlighting.CodeBlockContext, entering bool) {
	if entering {
		lang, _ := ctx.Language()
		fmt.Fprintf(w, "<div class=\"code-block\" data-lang=\"%s\">", util.EscapeHTML(lang))
		if !ctx.Highlighted() {
			_, _ = w.WriteString("<pre class=\"chroma\"><code>")
		}
		return
	}
	if !ctx.Highlighted() {
		_, _ = w.WriteString("</code></pre>")
	}
	_, _ = w.WriteString("</div>\n")
}

func renderIndentedCode(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<div class=\"code-block\" data-lang=\"\"><pre class=\"chroma\"><code>")
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
	}
	_, _ = w.WriteString("</code></pre></div>\n")
	return ast.WalkContinue, nil
}
