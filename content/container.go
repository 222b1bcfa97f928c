package content

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file holds the pandoc-style fenced container syntax shared by the
// callout, tabs and compare blocks:
//
//	:::: tabs
//	::: tab AutoGen 0.2
//	...ordinary Markdown...
//	:::
//	::::
//
// A line of three or more colons followed by a name opens a container; a line
// of exactly the same number of colons closes it. An outer container uses more
// colons than the containers nested in it, so each closing line is unambiguous.
// Mistakes (unclosed, unknown name, a tab outside tabs, a stray closing line)
// never panic: they are collected in the parser context as containerErrors and
// the loader turns them into file:line errors.

// KindContainer is the AST node kind of a fenced container.
var KindContainer = ast.NewNodeKind("Container")

// Container names understood by the parser.
const (
	containerNote    = "note"
	containerWarning = "warning"
	containerTip     = "tip"
	containerTabs    = "tabs"
	containerTab     = "tab"
	containerCompare = "compare"
	containerBroken  = "broken"
	containerFixed   = "fixed"
)

// maxContainerDepth bounds nesting; real articles use at most four levels
// (tabs > tab > compare > broken).
const maxContainerDepth = 8

var containerNames = []string{containerNote, containerWarning, containerTip, containerTabs, containerTab, containerCompare, containerBroken, containerFixed}

// Container is the AST node of a fenced container (`::: name args`).
type Container struct {
	ast.BaseBlock
	Name  string // container name: note, warning, tip, tabs, tab, compare, broken, fixed
	Args  string // rest of the opening line (tab label, compare side title, callout title)
	Fence int    // number of colons of the opening line
	Line  int    // 1-based line of the opening line in the source

	// Group numbers tabs groups inside one document (set by the transformer),
	// so radio names and ids are unique per article.
	Group int
	// Index is the position of a tab inside its group (set by the transformer).
	Index int

	closed bool // the matching closing line was seen
}

// Kind implements ast.Node.
func (n *Container) Kind() ast.NodeKind { return KindContainer }

// Dump implements ast.Node.
func (n *Container) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.Name, "Args": n.Args, "Fence": fmt.Sprint(n.Fence)}, nil)
}

// sourceError is a problem found while parsing or checking one document,
// located by line. The loader prefixes the file name.
type sourceError struct {
	Line   int
	Reason string
}

var sourceErrorsKey = parser.NewContextKey()

// addSourceError records a problem in the parser context. The same line and
// reason are recorded once: goldmark may offer one line to Open more than once.
func addSourceError(pc parser.Context, line int, format string, args ...any) {
	errs, _ := pc.Get(sourceErrorsKey).(*sourceErrorList)
	if errs == nil {
		errs = &sourceErrorList{seen: map[sourceError]bool{}}
		pc.Set(sourceErrorsKey, errs)
	}
	e := sourceError{Line: line, Reason: fmt.Sprintf(format, args...)}
	if !errs.seen[e] {
		errs.seen[e] = true
		errs.list = append(errs.list, e)
	}
}

// sourceErrorList is the problems of one document, in the order found.
type sourceErrorList struct {
	list []sourceError
	seen map[sourceError]bool
}

// sourceErrors returns the problems recorded in the parser context.
func sourceErrors(pc parser.Context) []sourceError {
	errs, _ := pc.Get(sourceErrorsKey).(*sourceErrorList)
	if errs == nil {
		return nil
	}
	return errs.list
}

// lineOf returns the 1-based line of byte offset pos in source.
func lineOf(source []byte, pos int) int {
	if pos > len(source) {
		pos = len(source)
	}
	if pos < 0 {
		pos = 0
	}
	return 1 + bytes.Count(source[:pos], []byte{'\n'})
}

// fenceLine splits a candidate fence line (indentation already skipped) into
// its colon count and the text after the colons. It returns 0 colons when the
// line is not a fence.
func fenceLine(line []byte) (colons int, rest string) {
	for colons < len(line) && line[colons] == ':' {
		colons++
	}
	if colons < 3 {
		return 0, ""
	}
	return colons, strings.TrimSpace(string(line[colons:]))
}

type containerParser struct{}

// Trigger implements parser.BlockParser.
func (containerParser) Trigger() []byte { return []byte{':'} }

// Open implements parser.BlockParser.
func (containerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) || line[pos] != ':' {
		return nil, parser.NoChildren
	}
	colons, rest := fenceLine(line[pos:])
	if colons == 0 {
		return nil, parser.NoChildren
	}
	lineNo := lineOf(reader.Source(), segment.Start)
	if rest == "" {
		addSourceError(pc, lineNo, "closing %q without an open container", strings.Repeat(":", colons))
		return nil, parser.NoChildren
	}
	depth := 0
	for p := parent; p != nil; p = p.Parent() {
		if _, ok := p.(*Container); ok {
			depth++
		}
	}
	if depth >= maxContainerDepth {
		// goldmark re-checks every open container on every line, so unbounded
		// nesting would make one bad file cost quadratic time.
		addSourceError(pc, lineNo, "containers nested more than %d deep", maxContainerDepth)
		return nil, parser.NoChildren
	}
	name, args, _ := strings.Cut(rest, " ")
	name = strings.TrimSpace(name)
	args = strings.TrimSpace(args)
	if !isContainerName(name) {
		addSourceError(pc, lineNo, "unknown container %q (want one of %s)", name, strings.Join(containerNames, ", "))
		return nil, parser.NoChildren
	}
	node := &Container{Name: name, Args: args, Fence: colons, Line: lineNo}
	// Consume the opening line; the children start on the next line.
	reader.Advance(segment.Len() - trailingNewline(line))
	return node, parser.HasChildren
}

func trailingNewline(line []byte) int {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return 2
	case bytes.HasSuffix(line, []byte("\n")):
		return 1
	}
	return 0
}

func isContainerName(name string) bool {
	for _, n := range containerNames {
		if n == name {
			return true
		}
	}
	return false
}

// Continue implements parser.BlockParser.
func (containerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	n := node.(*Container)
	line, segment := reader.PeekLine()
	// A colon line inside a fenced code block is code, not our fence.
	if open := pc.OpenedBlocks(); len(open) > 0 {
		if _, inCode := open[len(open)-1].Node.(*ast.FencedCodeBlock); inCode && open[len(open)-1].Node != node {
			return parser.Continue | parser.HasChildren
		}
	}
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w < 4 && pos < len(line) {
		if colons, rest := fenceLine(line[pos:]); colons == n.Fence && rest == "" {
			n.closed = true
			reader.Advance(segment.Len() - trailingNewline(line))
			return parser.Close
		}
	}
	return parser.Continue | parser.HasChildren
}

// Close implements parser.BlockParser.
func (containerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	n := node.(*Container)
	if !n.closed {
		addSourceError(pc, n.Line, "unclosed container %q: add a line of exactly %d colons to close it", n.Name, n.Fence)
	}
}

// CanInterruptParagraph implements parser.BlockParser.
func (containerParser) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser.
func (containerParser) CanAcceptIndentedLine() bool { return false }

// containerChecker is an AST transformer that checks where containers may
// appear (a tab only in tabs, broken and fixed only in compare, …) and numbers
// tab groups so their radio names and ids are unique in the document.
type containerChecker struct{}

// Transform implements parser.ASTTransformer.
func (containerChecker) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	group := 0
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		n, ok := node.(*Container)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		parent, _ := n.Parent().(*Container)
		parentName := ""
		if parent != nil {
			parentName = parent.Name
		}
		switch n.Name {
		case containerTab:
			if parentName != containerTabs {
				addSourceError(pc, n.Line, "\"::: tab\" must be directly inside a \":::: tabs\" container")
			}
			if n.Args == "" {
				addSourceError(pc, n.Line, "\"::: tab\" needs a label, e.g. \"::: tab AutoGen 0.4\"")
			}
		case containerBroken, containerFixed:
			if parentName != containerCompare {
				addSourceError(pc, n.Line, "%q must be directly inside a \":::: compare\" container", "::: "+n.Name)
			}
		case containerTabs:
			group++
			n.Group = group
			checkChildren(pc, reader.Source(), n, []string{containerTab}, []string{containerTab})
			i := 0
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if tab, ok := c.(*Container); ok {
					tab.Group, tab.Index = group, i
					i++
				}
			}
		case containerCompare:
			checkChildren(pc, reader.Source(), n, []string{containerBroken, containerFixed}, []string{containerBroken, containerFixed})
		}
		return ast.WalkContinue, nil
	})
}

// checkChildren reports children of n that are not containers named in
// allowed, and names in required that no child has.
func checkChildren(pc parser.Context, source []byte, n *Container, allowed, required []string) {
	seen := map[string]bool{}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		child, ok := c.(*Container)
		if !ok || !contains(allowed, child.Name) {
			what := "Markdown"
			line := n.Line
			if ok {
				what, line = fmt.Sprintf("%q", "::: "+child.Name), child.Line
			} else if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
				line = lineOf(source, c.Lines().At(0).Start)
			}
			addSourceError(pc, line, "%s inside %q: it may only contain %s blocks", what, "::: "+n.Name, quoteAll(allowed))
			continue
		}
		seen[child.Name] = true
	}
	for _, r := range required {
		if !seen[r] {
			addSourceError(pc, n.Line, "%q has no %q block", "::: "+n.Name, "::: "+r)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", "::: "+s)
	}
	return strings.Join(q, " and ")
}

// containerRenderer renders every container kind; the HTML of each family
// lives with its family (callout below, tabs.go, compare.go).
type containerRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (containerRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindContainer, renderContainer)
}

func renderContainer(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Container)
	switch n.Name {
	case containerNote, containerWarning, containerTip:
		renderCallout(w, n, entering)
	case containerTabs:
		renderTabs(w, n, entering)
	case containerTab:
		renderTab(w, n, entering)
	case containerCompare:
		renderCompare(w, n, entering)
	case containerBroken, containerFixed:
		renderCompareSide(w, n, entering)
	}
	return ast.WalkContinue, nil
}

// Callout HTML (classes for the web layer):
//
//	<aside class="callout callout-note|callout-warning|callout-tip" role="note">
//	  <p class="callout-title">Note</p>   (or the title given after the name)
//	  ...body...
//	</aside>
func renderCallout(w util.BufWriter, n *Container, entering bool) {
	if !entering {
		_, _ = w.WriteString("</aside>\n")
		return
	}
	title := n.Args
	if title == "" {
		title = strings.ToUpper(n.Name[:1]) + n.Name[1:]
	}
	fmt.Fprintf(w, "<aside class=\"callout callout-%s\" role=\"note\">\n<p class=\"callout-title\">%s</p>\n", n.Name, util.EscapeHTML([]byte(title)))
}

// containers is the goldmark extension for fenced containers.
type containers struct{}

// Extend implements goldmark.Extender.
func (containers) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(containerParser{}, 150)),
		parser.WithASTTransformers(util.Prioritized(containerChecker{}, 100)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(containerRenderer{}, 100)))
}
