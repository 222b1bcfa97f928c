// Package configfacts reads AutoGen configuration inputs — an
// OAI_CONFIG_LIST, an llm_config dict, an AutoGen 0.4 component config —
// from JSON or YAML into facts that keep line and column of every value.
//
// JSON is parsed as YAML (yaml.v3 nodes carry positions); pasted Python dict
// literals (single quotes, True/False/None, trailing commas) are accepted as
// well, since YAML flow syntax reads most of them.
package configfacts

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Shape is what kind of config a document is.
type Shape string

const (
	ShapeConfigList Shape = "config-list" // [{"model": ..., "api_key": ...}, ...]
	ShapeLLMConfig  Shape = "llm-config"  // {"config_list": [...], "cache_seed": ...}
	ShapeComponent  Shape = "component"   // {"provider": "...", "config": {...}}
	ShapeOther      Shape = "other"
)

// File is the facts of one config input.
type File struct {
	Src   []byte
	Root  *yaml.Node // the document's top value
	Shape Shape
	// Entries are the config_list entries (the list itself or llm_config's).
	Entries []*Entry
	// LLMConfig is the top-level llm_config mapping, when there is one.
	LLMConfig *yaml.Node
	// Components are every {"provider": ..., "config": {...}} mapping, depth first.
	Components []*Component
	lineStart  []int
}

// Entry is one config_list entry.
type Entry struct {
	Node *yaml.Node
}

// Component is one AutoGen 0.4 component config.
type Component struct {
	Node     *yaml.Node
	Provider string     // "autogen_agentchat.teams.RoundRobinGroupChat"
	Config   *yaml.Node // its "config" mapping (may be nil)
}

// Class is the provider's last dotted part.
func (c *Component) Class() string { return c.Provider[strings.LastIndexByte(c.Provider, '.')+1:] }

// maxDepth bounds recursion into nested documents.
const maxDepth = 64

// ParseTree parses JSON, YAML or a Python dict literal into a yaml node.
func ParseTree(src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	err := yaml.Unmarshal(src, &doc)
	if err != nil {
		// Python literal: True/False/None are fine as YAML scalars; what
		// breaks YAML is usually tabs. Replace tabs with spaces (columns stay).
		fixed := bytes.ReplaceAll(src, []byte("\t"), []byte(" "))
		if err2 := yaml.Unmarshal(fixed, &doc); err2 != nil {
			return nil, fmt.Errorf("parse config: %w", err)
		}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, errors.New("parse config: empty document")
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode && top.Kind != yaml.SequenceNode {
		return nil, errors.New("parse config: not a mapping or a list")
	}
	return top, nil
}

// Parse reads a config input.
func Parse(src []byte) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil { // yaml.v3 can panic on hostile input
			f, err = nil, fmt.Errorf("parse config: %v", r)
		}
	}()
	top, err := ParseTree(src)
	if err != nil {
		return nil, err
	}
	f = &File{Src: src, Root: top, Shape: ShapeOther}
	f.lineStart = append(f.lineStart, 0)
	for i, c := range src {
		if c == '\n' {
			f.lineStart = append(f.lineStart, i+1)
		}
	}
	switch top.Kind {
	case yaml.SequenceNode:
		if isEntryList(top) {
			f.Shape = ShapeConfigList
			f.addEntries(top)
		}
	case yaml.MappingNode:
		if _, cl := Get(top, "config_list"); cl != nil {
			f.Shape = ShapeLLMConfig
			f.LLMConfig = top
			f.addEntries(cl)
		} else if _, llm := Get(top, "llm_config"); llm != nil && llm.Kind == yaml.MappingNode {
			f.Shape = ShapeLLMConfig
			f.LLMConfig = llm
			if _, cl := Get(llm, "config_list"); cl != nil {
				f.addEntries(cl)
			}
		} else if _, p := Get(top, "provider"); p != nil && p.Kind == yaml.ScalarNode {
			f.Shape = ShapeComponent
		} else if _, m := Get(top, "model"); m != nil {
			// a single entry pasted on its own
			f.Shape = ShapeConfigList
			f.Entries = append(f.Entries, &Entry{Node: top})
		}
	}
	f.findComponents(top, 0)
	return f, nil
}

func isEntryList(n *yaml.Node) bool {
	if len(n.Content) == 0 {
		return false
	}
	for _, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			return false
		}
		if _, m := Get(e, "model"); m == nil {
			if _, k := Get(e, "api_key"); k == nil {
				return false
			}
		}
	}
	return true
}

func (f *File) addEntries(list *yaml.Node) {
	if list.Kind != yaml.SequenceNode {
		return
	}
	for _, e := range list.Content {
		if e.Kind == yaml.MappingNode {
			f.Entries = append(f.Entries, &Entry{Node: e})
		}
	}
}

func (f *File) findComponents(n *yaml.Node, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	if n.Kind == yaml.MappingNode {
		if _, p := Get(n, "provider"); p != nil && p.Kind == yaml.ScalarNode && strings.Contains(p.Value, ".") {
			c := &Component{Node: n, Provider: p.Value}
			if _, cfg := Get(n, "config"); cfg != nil && cfg.Kind == yaml.MappingNode {
				c.Config = cfg
			}
			f.Components = append(f.Components, c)
		}
	}
	for _, c := range n.Content {
		f.findComponents(c, depth+1)
	}
}

// Get returns the key and value nodes of a mapping's key (last wins).
func Get(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			k, v = m.Content[i], m.Content[i+1]
		}
	}
	return k, v
}

// Offset is the byte offset of a node's first character.
func (f *File) Offset(n *yaml.Node) int {
	if n == nil || n.Line < 1 || n.Line > len(f.lineStart) {
		return 0
	}
	off := f.lineStart[n.Line-1]
	// yaml columns count runes; walk the line to turn them into bytes.
	col := 1
	for off < len(f.Src) && col < n.Column && f.Src[off] != '\n' {
		_, size := decodeRune(f.Src[off:])
		off += size
		col++
	}
	return off
}

func decodeRune(b []byte) (rune, int) {
	if b[0] < 0x80 {
		return rune(b[0]), 1
	}
	for i := 1; i < 4 && i < len(b); i++ {
		if b[i]&0xC0 != 0x80 {
			return 0xFFFD, i
		}
	}
	return 0xFFFD, min(4, len(b))
}

// Span is the byte range of a scalar node as written (quotes included).
func (f *File) Span(n *yaml.Node) (start, end int) {
	start = f.Offset(n)
	end = start
	if start >= len(f.Src) {
		return start, start
	}
	switch q := f.Src[start]; q {
	case '"', '\'':
		for i := start + 1; i < len(f.Src); i++ {
			if f.Src[i] == '\\' && q == '"' {
				i++
				continue
			}
			if f.Src[i] == q || f.Src[i] == '\n' {
				return start, i + 1
			}
		}
		return start, len(f.Src)
	}
	for end < len(f.Src) && !strings.ContainsRune(",}]\n\r#", rune(f.Src[end])) {
		end++
	}
	for end > start && (f.Src[end-1] == ' ' || f.Src[end-1] == '\t') {
		end--
	}
	return start, end
}

// LineText is 1-based line n without its newline.
func (f *File) LineText(n int) string {
	if n < 1 || n > len(f.lineStart) {
		return ""
	}
	s := f.lineStart[n-1]
	e := len(f.Src)
	if n < len(f.lineStart) {
		e = f.lineStart[n]
	}
	return strings.TrimRight(string(f.Src[s:e]), "\r\n")
}

// IsJSON reports whether the document is JSON-like (flow style) rather than block YAML.
func (f *File) IsJSON() bool {
	t := bytes.TrimSpace(f.Src)
	return len(t) > 0 && (t[0] == '[' || t[0] == '{')
}
