package pyfacts

import (
	"strconv"
	"strings"
)

// maxHops bounds how far names are followed (a = b, b = c, ...), so cyclic
// assignments cannot loop.
const maxHops = 8

// Resolve follows a name or attribute to the expression last assigned to it
// before n (in n's function, then at module level; in a fragment the
// assignment may come later, so any assignment is a fallback). bind holds a
// helper function's parameters bound to one call's arguments (may be nil).
// Parentheses are looked through. What cannot be resolved comes back as is.
func (f *File) Resolve(n *Node, bind map[string]*Node) *Node {
	for hop := 0; n != nil && hop < maxHops; hop++ {
		switch n.Kind {
		case "parenthesized_expression":
			if cs := n.NamedChildren(); len(cs) == 1 {
				n = cs[0]
				continue
			}
			return n
		case "identifier", "attribute":
			name := f.Text(n)
			if v, ok := bind[name]; ok && v != nil {
				n = v
				bind = nil
				continue
			}
			next := f.lookup(n, name)
			if next == nil || next == n {
				return n
			}
			n = next
			continue
		}
		return n
	}
	return n
}

// lookup finds the value assigned to name as seen from use.
func (f *File) lookup(use *Node, name string) *Node {
	for scope := scopeOf(use); ; scope = scopeOf(scope) {
		if v := pick(f.scopes[scope][name], use); v != nil {
			return v
		}
		if scope == nil {
			return nil
		}
	}
}

// pick chooses the last assignment before use, else the first one after it.
func pick(vals []*Node, use *Node) *Node {
	var best *Node
	for _, v := range vals {
		if v.Start <= use.Start && !contains(v, use) {
			best = v
		}
	}
	if best != nil {
		return best
	}
	for _, v := range vals {
		if !contains(v, use) {
			return v
		}
	}
	return nil
}

func contains(outer, inner *Node) bool {
	return inner.Start >= outer.Start && inner.End <= outer.End
}

// Number returns a numeric literal's value (after resolving names).
func (f *File) Number(n *Node, bind map[string]*Node) (float64, bool) {
	n = f.Resolve(n, bind)
	if n == nil {
		return 0, false
	}
	switch n.Kind {
	case "integer", "float":
		t := strings.ReplaceAll(f.Text(n), "_", "")
		if v, err := strconv.ParseFloat(t, 64); err == nil {
			return v, true
		}
		if v, err := strconv.ParseInt(t, 0, 64); err == nil {
			return float64(v), true
		}
	case "unary_operator":
		if cs := n.NamedChildren(); len(cs) == 1 && strings.HasPrefix(f.Text(n), "-") {
			if v, ok := f.Number(cs[0], bind); ok {
				return -v, true
			}
		}
	case "call":
		// int(os.getenv("MAX", "50")) style: use the default when it is literal.
		name := f.CalleeName(n)
		if name == "int" || name == "float" {
			args := n.Child("arguments").NamedChildren()
			if len(args) == 1 {
				if v, ok := f.Number(args[0], bind); ok {
					return v, true
				}
				if s, ok := f.EnvDefault(args[0]); ok {
					if v, err := strconv.ParseFloat(s, 64); err == nil {
						return v, true
					}
				}
			}
		}
	}
	return 0, false
}

// Str returns a plain string literal's value (after resolving names).
func (f *File) Str(n *Node, bind map[string]*Node) (string, bool) {
	return f.unquote(f.Resolve(n, bind))
}

// IsNone reports whether n resolves to None.
func (f *File) IsNone(n *Node, bind map[string]*Node) bool {
	r := f.Resolve(n, bind)
	return r != nil && r.Kind == "none"
}

// Bool returns a True/False literal's value.
func (f *File) Bool(n *Node, bind map[string]*Node) (bool, bool) {
	r := f.Resolve(n, bind)
	if r == nil {
		return false, false
	}
	switch r.Kind {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// Known reports whether a value could be resolved to something other than an
// unresolved name (a parameter, an import, a name from another file).
func (f *File) Known(n *Node, bind map[string]*Node) bool {
	r := f.Resolve(n, bind)
	return r != nil && r.Kind != "identifier" && r.Kind != "attribute"
}

// EnvVar returns the variable name when n reads the environment:
// os.environ["X"], os.environ.get("X"), os.getenv("X"), getenv("X"), env("X").
func (f *File) EnvVar(n *Node) (string, bool) {
	r := f.Resolve(n, nil)
	if r == nil {
		return "", false
	}
	switch r.Kind {
	case "subscript":
		if strings.HasSuffix(f.Text(r.Child("value")), "environ") {
			return f.Str(r.Child("subscript"), nil)
		}
	case "call":
		p := f.CalleePath(r)
		if strings.HasSuffix(p, "getenv") || strings.HasSuffix(p, "environ.get") || p == "env" || strings.HasSuffix(p, "config") && strings.Contains(p, "decouple") {
			args := r.Child("arguments").NamedChildren()
			if len(args) > 0 {
				return f.Str(args[0], nil)
			}
		}
	}
	return "", false
}

// EnvDefault returns the literal default of os.getenv("X", "d").
func (f *File) EnvDefault(n *Node) (string, bool) {
	r := f.Resolve(n, nil)
	if r == nil || r.Kind != "call" {
		return "", false
	}
	p := f.CalleePath(r)
	if !strings.HasSuffix(p, "getenv") && !strings.HasSuffix(p, "environ.get") {
		return "", false
	}
	args := r.Child("arguments").NamedChildren()
	if len(args) >= 2 {
		return f.Str(args[1], nil)
	}
	return "", false
}

// Arg is one keyword argument (or dict entry) found for a call or a dict.
type Arg struct {
	Name  string
	Key   *Node // the keyword_argument or pair node (whole "name=value"), for edits
	Value *Node // the value as written
	// Splat is the ** expression it came through, nil when written directly.
	Splat *Node
	Bind  map[string]*Node
}

// Kwarg finds a keyword argument of a call, also through **dict splats
// (`**llm_config`, `**{"x": 1}`). The last one wins, as in Python.
func (f *File) Kwarg(call *Node, name string, bind map[string]*Node) *Arg {
	if call == nil {
		return nil
	}
	var found *Arg
	for _, a := range call.Child("arguments").NamedChildren() {
		switch a.Kind {
		case "keyword_argument":
			if f.Text(a.Child("name")) == name {
				found = &Arg{Name: name, Key: a, Value: a.Child("value"), Bind: bind}
			}
		case "dictionary_splat":
			if cs := a.NamedChildren(); len(cs) == 1 {
				if v := f.DictGet(cs[0], name, bind, 0); v != nil {
					v.Splat = a
					found = v
				}
			}
		}
	}
	return found
}

// Positional returns the i-th positional argument of a call.
func (f *File) Positional(call *Node, i int) *Node {
	if call == nil {
		return nil
	}
	k := 0
	for _, a := range call.Child("arguments").NamedChildren() {
		switch a.Kind {
		case "keyword_argument", "dictionary_splat", "list_splat":
			continue
		}
		if k == i {
			return a
		}
		k++
	}
	return nil
}

// DictGet looks key up in the dict that n resolves to: a literal
// ({"k": v, **base}), dict(k=v, **base), base.copy(), copy.deepcopy(base),
// {**a, **b}. Later entries win.
func (f *File) DictGet(n *Node, key string, bind map[string]*Node, depth int) *Arg {
	if depth > maxHops {
		return nil
	}
	found := f.dictGet(n, key, bind, depth)
	if n != nil && n.Kind == "identifier" {
		// Changes made to the variable after it was built: the key set
		// later wins; a change that may set any key (d.update(other))
		// makes a missing key unknown rather than absent.
		var opaque *dictMut
		merges := 0
		for i, m := range f.dictMuts[f.Text(n)] {
			switch {
			case m.from != nil:
				// Followed a few levels and a few times only: d.update(d)
				// repeated must not blow up.
				merges++
				if depth >= 3 || merges > 8 {
					opaque = &f.dictMuts[f.Text(n)][i]
				} else if v := f.DictGet(m.from, key, bind, depth+1); v != nil {
					found = v
				} else if !f.IsDict(m.from, bind) {
					opaque = &f.dictMuts[f.Text(n)][i]
				}
			case m.key == key:
				found = &Arg{Name: key, Key: m.node, Value: m.value, Bind: bind}
			case m.key == "":
				opaque = &f.dictMuts[f.Text(n)][i]
			}
		}
		if found == nil && opaque != nil {
			found = &Arg{Name: key, Key: opaque.node, Value: opaque.node, Bind: bind}
		}
	}
	return found
}

func (f *File) dictGet(n *Node, key string, bind map[string]*Node, depth int) *Arg {
	d := f.Resolve(n, bind)
	if d == nil {
		return nil
	}
	var found *Arg
	switch d.Kind {
	case "dictionary":
		for _, c := range d.NamedChildren() {
			switch c.Kind {
			case "pair":
				if k, ok := f.unquote(c.Child("key")); ok && k == key {
					found = &Arg{Name: key, Key: c, Value: c.Child("value"), Bind: bind}
				}
			case "dictionary_splat":
				if cs := c.NamedChildren(); len(cs) == 1 {
					if v := f.DictGet(cs[0], key, bind, depth+1); v != nil {
						found = v
					}
				}
			}
		}
	case "call":
		name := f.CalleeName(d)
		switch {
		case name == "dict" || name == "LLMConfig":
			for _, a := range d.Child("arguments").NamedChildren() {
				switch a.Kind {
				case "keyword_argument":
					if f.Text(a.Child("name")) == key {
						found = &Arg{Name: key, Key: a, Value: a.Child("value"), Bind: bind}
					}
				case "dictionary_splat":
					if cs := a.NamedChildren(); len(cs) == 1 {
						if v := f.DictGet(cs[0], key, bind, depth+1); v != nil {
							found = v
						}
					}
				default: // dict(base, k=v)
					if found == nil {
						found = f.DictGet(a, key, bind, depth+1)
					}
				}
			}
		case name == "copy" || name == "deepcopy":
			if fn := d.Child("function"); fn.Kind == "attribute" && name == "copy" && f.Text(fn.Child("object")) != "copy" {
				return f.DictGet(fn.Child("object"), key, bind, depth+1)
			}
			if a := f.Positional(d, 0); a != nil {
				return f.DictGet(a, key, bind, depth+1)
			}
		}
	case "element_of":
		// for cfg in config_list: look at the first element.
		items := f.ListItems(d.Children[0], bind)
		if len(items) > 0 {
			return f.DictGet(items[0], key, bind, depth+1)
		}
	case "binary_operator":
		if op := d.Child("operator"); op != nil && f.Text(op) == "|" { // a | b dict merge
			if v := f.DictGet(d.Child("right"), key, bind, depth+1); v != nil {
				return v
			}
			return f.DictGet(d.Child("left"), key, bind, depth+1)
		}
	}
	return found
}

// IsDict reports whether n resolves to a dict built in this file.
func (f *File) IsDict(n *Node, bind map[string]*Node) bool {
	d := f.Resolve(n, bind)
	if d == nil {
		return false
	}
	switch d.Kind {
	case "dictionary":
		return true
	case "call":
		name := f.CalleeName(d)
		return name == "dict" || name == "LLMConfig" || name == "copy" || name == "deepcopy"
	}
	return false
}

// ListItems returns the elements of the list or tuple n resolves to,
// through `a + b`, [*a, x] and list(a).
func (f *File) ListItems(n *Node, bind map[string]*Node) []*Node {
	return f.listItems(n, bind, 0)
}

func (f *File) listItems(n *Node, bind map[string]*Node, depth int) []*Node {
	if depth > maxHops {
		return nil
	}
	l := f.Resolve(n, bind)
	if l == nil {
		return nil
	}
	switch l.Kind {
	case "list", "tuple", "set", "expression_list":
		var out []*Node
		for _, c := range l.NamedChildren() {
			if c.Kind == "list_splat" {
				if cs := c.NamedChildren(); len(cs) == 1 {
					out = append(out, f.listItems(cs[0], bind, depth+1)...)
				}
				continue
			}
			out = append(out, c)
		}
		return out
	case "binary_operator":
		if op := l.Child("operator"); op != nil && f.Text(op) == "+" {
			return append(f.listItems(l.Child("left"), bind, depth+1), f.listItems(l.Child("right"), bind, depth+1)...)
		}
	case "call":
		if name := f.CalleeName(l); name == "list" || name == "tuple" {
			if a := f.Positional(l, 0); a != nil {
				return f.listItems(a, bind, depth+1)
			}
		}
	}
	return nil
}
