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

// parseTree parses src with tree-sitter and copies the tree into Go nodes.
func parseTree(ctx context.Context, src []byte, lineStart []int) (*Node, bool, error) {
	useLibcAllocator()
	parser := sitter.NewParser()
	defer parser.Close()
	if err := parser.SetLanguage(language()); err != nil {
		return nil, false, err
	}
	// ParseCtx in go-tree-sitter v0.25 races with Close (its watcher
	// goroutine touches a nil cancellation flag); parsing a pasted file takes
	// milliseconds, so check the context around a plain Parse instead.
	if err := ctx.Err(); err != nil {
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
		return nil, false, errors.New("python parser gave no tree")
	}
	defer tree.Close()
	root := tree.RootNode()
	cur := root.Walk()
	defer cur.Close()
	c := copier{cur: cur, kinds: kindCache(), fields: fieldCache(), lineStart: lineStart}
	out := c.copy(nil, 0)
	return out, root.HasError(), nil
}

type copier struct {
	cur       *sitter.TreeCursor
	kinds     []kindInfo
	fields    []string
	lineStart []int
	line      int // line of the previous node, to search forward from

	// Nodes and child lists come from slabs: one allocation per thousand
	// nodes instead of one per node keeps a 5,000-line file fast.
	nodes []Node
	ptrs  []*Node
	stack []*Node
}

func (c *copier) newNode() *Node {
	if len(c.nodes) == 0 {
		c.nodes = make([]Node, 1024)
	}
	n := &c.nodes[0]
	c.nodes = c.nodes[1:]
	return n
}

// children turns the top k entries of the stack into the node's child list.
func (c *copier) children(from int) []*Node {
	k := len(c.stack) - from
	if k == 0 {
		return nil
	}
	if len(c.ptrs) < k {
		c.ptrs = make([]*Node, max(4096, k))
	}
	out := c.ptrs[:k:k]
	c.ptrs = c.ptrs[k:]
	copy(out, c.stack[from:])
	c.stack = c.stack[:from]
	return out
}

// lineOf turns a byte offset into a 1-based line and 0-based column.
func (c *copier) lineOf(off int) (int, int) {
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

func (c *copier) copy(parent *Node, depth int) *Node {
	tn := c.cur.Node()
	kid := tn.KindId()
	var k kindInfo
	if int(kid) < len(c.kinds) {
		k = c.kinds[kid]
	} else {
		k = kindInfo{name: tn.Kind(), named: tn.IsNamed()}
	}
	field := ""
	if fid := c.cur.FieldId(); fid != 0 && int(fid) < len(c.fields) {
		field = c.fields[fid]
	}
	start := int(tn.StartByte())
	var end int
	if k.named {
		end = int(tn.EndByte())
	} else {
		// An anonymous node's text is its kind ("(", ",", "async"): one
		// cgo call saved on half the nodes.
		end = start + len(k.name)
	}
	line, col := c.lineOf(start)
	endLine, _ := c.lineOf(max(start, end-1))
	n := c.newNode()
	*n = Node{Kind: k.name, Field: field, Start: start, End: end, Line: line, EndLine: endLine, Col: col,
		Named: k.named, Parent: parent}
	c.line = line - 1
	// Strings are leaves here (unquote reads their text); deep trees stop.
	if depth >= maxDepth || !k.named || k.name == "string" || k.name == "comment" {
		return n
	}
	if c.cur.GotoFirstChild() {
		from := len(c.stack)
		for {
			child := c.copy(n, depth+1)
			c.stack = append(c.stack, child)
			if !c.cur.GotoNextSibling() {
				break
			}
		}
		c.cur.GotoParent()
		n.Children = c.children(from)
	}
	return n
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
