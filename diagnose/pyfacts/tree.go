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

// maxDepth bounds the copied tree's depth so pathological input cannot
// exhaust the stack; deeper nodes are dropped (their text stays in the source).
const maxDepth = 400

// parseTree parses src with tree-sitter and copies the tree into Go nodes.
func parseTree(ctx context.Context, src []byte) (*Node, bool, error) {
	parser := sitter.NewParser()
	defer parser.Close()
	if err := parser.SetLanguage(language()); err != nil {
		return nil, false, err
	}
	// ParseCtx is not used: its watcher goroutine can fire after the parse
	// (when ctx is cancelled later) and write through the parser's nil
	// cancellation flag, crashing the process. The progress callback checks
	// ctx on the parsing goroutine instead.
	opts := &sitter.ParseOptions{ProgressCallback: func(sitter.ParseState) bool { return ctx.Err() != nil }}
	tree := parser.ParseWithOptions(func(off int, _ sitter.Point) []byte {
		if off < 0 || off >= len(src) {
			return nil
		}
		return src[off:]
	}, nil, opts)
	if tree == nil {
		return nil, false, errors.New("python parser gave no tree")
	}
	defer tree.Close()
	root := tree.RootNode()
	cur := root.Walk()
	defer cur.Close()
	out := copyNode(cur, nil, 0)
	return out, root.HasError(), nil
}

func copyNode(cur *sitter.TreeCursor, parent *Node, depth int) *Node {
	tn := cur.Node()
	sp, ep := tn.StartPosition(), tn.EndPosition()
	n := &Node{
		Kind: tn.Kind(), Field: cur.FieldName(),
		Start: int(tn.StartByte()), End: int(tn.EndByte()),
		Line: int(sp.Row) + 1, EndLine: int(ep.Row) + 1, Col: int(sp.Column),
		Named: tn.IsNamed(), Parent: parent,
	}
	if depth >= maxDepth {
		return n
	}
	if cur.GotoFirstChild() {
		for {
			n.Children = append(n.Children, copyNode(cur, n, depth+1))
			if !cur.GotoNextSibling() {
				break
			}
		}
		cur.GotoParent()
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
		var b strings.Builder
		for _, c := range n.Children {
			switch c.Kind {
			case "string_content", "escape_sequence":
				b.WriteString(f.Text(c))
			case "interpolation":
				return "", false
			}
		}
		return b.String(), true
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
