package pyfacts

import (
	"context"
	"errors"
	"strings"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tspython "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// Node is one node of the syntax tree, copied out of tree-sitter once so the
// extractors walk plain Go values (no cgo call per step, nothing to Close).
type Node struct {
	Kind     string
	Field    string // field name in the parent ("function", "arguments", ...)
	Start    int    // byte offsets into the source
	End      int
	Line     int // 1-based
	EndLine  int
	Col      int // 0-based byte column of Start
	Named    bool
	Item     int // for synthetic "tuple_item" nodes: which element of a returned tuple
	Parent   *Node
	Children []*Node
}

// Child returns the first child with the given field name, or nil.
func (n *Node) Child(field string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Field == field {
			return c
		}
	}
	return nil
}

// NamedChildren returns the named children, skipping comments.
func (n *Node) NamedChildren() []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Named && c.Kind != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// Text is the node's source text.
func (f *File) Text(n *Node) string {
	if n == nil || n.Start < 0 || n.End > len(f.Src) || n.Start > n.End {
		return ""
	}
	return string(f.Src[n.Start:n.End])
}

var language = sync.OnceValue(func() *sitter.Language { return sitter.NewLanguage(tspython.Language()) })

// readChunk is how many bytes tree-sitter gets per read.
const readChunk = 8 << 10

// maxDepth bounds the copied tree's depth so pathological input cannot
// exhaust the stack; deeper nodes are dropped (their text stays in the source).
const maxDepth = 400

// kindInfo caches what tree-sitter knows about a node kind or field id, so
// copying a node costs as few cgo calls as possible.
type kindInfo struct {
	name  string
	named bool
}

var (
	kindCache = sync.OnceValue(func() []kindInfo {
		lang := language()
		n := lang.NodeKindCount()
		out := make([]kindInfo, n)
		for i := 0; i < int(n); i++ {
			out[i] = kindInfo{name: lang.NodeKindForId(uint16(i)), named: lang.NodeKindIsNamed(uint16(i))}
		}
		return out
	})
	fieldCache = sync.OnceValue(func() []string {
		lang := language()
		n := lang.FieldCount()
		out := make([]string, n+1)
		for i := 1; i <= int(n); i++ {
			out[i] = lang.FieldNameForId(uint16(i))
		}
		return out
	})
)

// idleParsers keeps a few Python parsers between parses: making one and
// setting its language is a cgo round trip each, paid on every request of
// the web API otherwise. A buffered channel rather than a sync.Pool, so a
// parser is never dropped without Close (its memory is C memory). Each
// parser is used by one goroutine at a time: taken out, used, put back.
var idleParsers = make(chan *sitter.Parser, 4)

func getParser() (*sitter.Parser, error) {
	select {
	case p := <-idleParsers:
		return p, nil
	default:
	}
	useLibcAllocator()
	p := sitter.NewParser()
	if err := p.SetLanguage(language()); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// putParser returns a parser whose parse finished; it is closed when enough
// are idle already.
func putParser(p *sitter.Parser) {
	p.Reset()
	select {
	case idleParsers <- p:
	default:
		p.Close()
	}
}

// parseTree parses src with tree-sitter and copies the tree into Go nodes.
func parseTree(ctx context.Context, src []byte, lineStart []int) (*Node, bool, error) {
	parser, err := getParser()
	if err != nil {
		return nil, false, err
	}
	// ParseCtx in go-tree-sitter v0.25 races with Close (its watcher
	// goroutine touches a nil cancellation flag); parsing a pasted file takes
	// milliseconds, so check the context around a plain Parse instead.
	if err := ctx.Err(); err != nil {
		putParser(parser)
		return nil, false, err
	}
	// Parser.Parse hands tree-sitter the whole rest of the text on every read
	// and the binding copies it each time (quadratic on big files); reading
	// in bounded chunks keeps each copy small.
	tree := parser.ParseWithOptions(func(i int, _ sitter.Point) []byte {
		if i >= len(src) {
			return nil
		}
		return src[i:min(len(src), i+readChunk)]
	}, nil, nil)
	if tree == nil {
		parser.Close() // it may hold a half-done parse: never reuse it
		return nil, false, errors.New("python parser gave no tree")
	}
	putParser(parser)
	defer tree.Close()
	root := tree.RootNode()
	out := buildTree(flatten(root, len(src)/3), lineStart)
	return out, root.HasError(), nil
}

// buildTree turns the flattened pre-order nodes into linked Go nodes.
func buildTree(flat []flatNode, lineStart []int) *Node {
	if len(flat) == 0 {
		return &Node{Kind: "module", Named: true}
	}
	kinds, fields := kindCache(), fieldCache()
	nodes := make([]Node, len(flat))
	counts := make([]int32, len(flat))
	for _, fn := range flat {
		if fn.parent >= 0 {
			counts[fn.parent]++
		}
	}
	ptrs := make([]*Node, len(flat))
	next := 0
	c := lineIndex{lineStart: lineStart}
	for i, fn := range flat {
		n := &nodes[i]
		switch {
		case int(fn.sym) < len(kinds):
			n.Kind = kinds[fn.sym].name
		case fn.sym == 0xFFFF: // ts_builtin_sym_error
			n.Kind = "ERROR"
		}
		if int(fn.field) < len(fields) {
			n.Field = fields[fn.field]
		}
		n.Start, n.End, n.Named = int(fn.start), int(fn.end), fn.named
		n.Line, n.Col = c.lineOf(n.Start)
		n.EndLine, _ = c.lineOf(max(n.Start, n.End-1))
		c.line = n.Line - 1
		if counts[i] > 0 {
			n.Children = ptrs[next : next : next+int(counts[i])]
			next += int(counts[i])
		}
		if fn.parent >= 0 {
			p := &nodes[fn.parent]
			n.Parent = p
			p.Children = append(p.Children, n)
		}
	}
	return &nodes[0]
}

// lineIndex turns byte offsets into lines, remembering where the last
// answer was (nodes come in source order).
type lineIndex struct {
	lineStart []int
	line      int // 0-based line of the previous answer, to search forward from
}

// lineOf turns a byte offset into a 1-based line and 0-based column.
func (c *lineIndex) lineOf(off int) (int, int) {
	ls := c.lineStart
	i := c.line
	if i < 0 || i >= len(ls) || ls[i] > off {
		i = 0
	}
	// Nodes come in source order, so the answer is usually near the last one.
	for i+1 < len(ls) && ls[i+1] <= off {
		if i+64 < len(ls) && ls[i+64] <= off {
			j := i + 64 + sortSearch(ls[i+64:], off)
			i = j - 1
			break
		}
		i++
	}
	c.line = i
	return i + 1, off - ls[i]
}

func sortSearch(ls []int, off int) int {
	lo, hi := 0, len(ls)
	for lo < hi {
		m := (lo + hi) / 2
		if ls[m] <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// walk calls fn for n and every descendant in source order; fn returning
// false skips the node's children.
func walk(n *Node, fn func(*Node) bool) {
	if n == nil {
		return
	}
	if !fn(n) {
		return
	}
	for _, c := range n.Children {
		walk(c, fn)
	}
}

// enclosing returns the nearest ancestor of n (not n) of one of the kinds.
func enclosing(n *Node, kinds ...string) *Node {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, k := range kinds {
			if p.Kind == k {
				return p
			}
		}
	}
	return nil
}

// unquote returns the value of a plain string literal node (no
// interpolation), and whether it was one.
func (f *File) unquote(n *Node) (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case "string":
		return unquoteText(f.Text(n))
	case "concatenated_string":
		var b strings.Builder
		for _, c := range n.NamedChildren() {
			s, ok := f.unquote(c)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// unquoteText reads a Python string literal from its text: prefixes (r, b,
// u, f), single or triple quotes. F-strings with replacement fields are not
// plain strings. Escapes are kept as written (keys and names have none).
func unquoteText(t string) (string, bool) {
	i := 0
	fstr := false
	for i < len(t) && i < 3 && strings.ContainsRune("rRbBuUfF", rune(t[i])) {
		if t[i] == 'f' || t[i] == 'F' {
			fstr = true
		}
		i++
	}
	body := t[i:]
	for _, q := range []string{`"""`, "'''", `"`, "'"} {
		if strings.HasPrefix(body, q) {
			body = strings.TrimPrefix(body, q)
			if !strings.HasSuffix(body, q) {
				return "", false // unterminated (a fragment)
			}
			body = strings.TrimSuffix(body, q)
			if fstr && strings.Contains(body, "{") {
				return "", false
			}
			return body, true
		}
	}
	return "", false
}
