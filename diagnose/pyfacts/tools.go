package pyfacts

import "strings"

func (f *File) findTools() {
	seen := map[string]bool{}
	var add func(nameNode, via *Node)
	add = func(nameNode, via *Node) {
		if nameNode == nil {
			return
		}
		r := f.Resolve(nameNode, nil)
		// for fn in (run_sql, fetch_page): register_function(fn, ...)
		if r != nil && r.Kind == "element_of" && nameNode.Kind == "identifier" && len(r.Children) == 1 {
			for _, it := range f.ListItems(r.Children[0], nil) {
				if it.Kind == "identifier" || it.Kind == "attribute" {
					add(it, via)
				}
			}
			return
		}
		// FunctionTool(fn, ...) given by variable.
		if r != nil && r.Kind == "call" && f.CalleeName(r) == "FunctionTool" {
			nameNode = f.Positional(r, 0)
			if nameNode == nil {
				if kw := f.Kwarg(r, "func", nil); kw != nil {
					nameNode = kw.Value
				}
			}
			if nameNode == nil {
				return
			}
		}
		if nameNode.Kind != "identifier" && nameNode.Kind != "attribute" {
			return
		}
		name := f.Text(nameNode)
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		if seen[name] {
			return
		}
		seen[name] = true
		t := &Tool{Name: name, Via: via}
		if defs := f.Funcs[name]; len(defs) > 0 {
			t.Func = defs[len(defs)-1]
			t.Returns = f.returns(t.Func)
		}
		f.Tools = append(f.Tools, t)
	}
	walk(f.Root, func(n *Node) bool {
		switch n.Kind {
		case "decorated_definition":
			def := n.Child("definition")
			for _, d := range n.Children {
				if d.Kind == "decorator" {
					t := f.Text(d)
					if strings.Contains(t, "register_for_llm") || strings.Contains(t, "register_for_execution") || strings.HasPrefix(t, "@tool") || strings.Contains(t, "function_tool") {
						if def != nil && def.Kind == "function_definition" {
							add(def.Child("name"), d)
						}
						break
					}
				}
			}
		case "call":
			switch f.CalleeName(n) {
			case "register_function":
				if a := f.Positional(n, 0); a != nil {
					add(a, n)
				} else if kw := f.Kwarg(n, "function_map", nil); kw != nil {
					f.addMapTools(kw.Value, n, add)
				} else if kw := f.Kwarg(n, "f", nil); kw != nil {
					add(kw.Value, n)
				}
			case "FunctionTool":
				if a := f.Positional(n, 0); a != nil {
					add(a, n)
				}
			}
			if kw := f.Kwarg(n, "function_map", nil); kw != nil && f.CalleeName(n) != "register_function" {
				f.addMapTools(kw.Value, n, add)
			}
			if kw := f.Kwarg(n, "tools", nil); kw != nil && kw.Splat == nil {
				for _, it := range f.ListItems(kw.Value, nil) {
					add(it, n)
				}
			}
		}
		return true
	})
}

func (f *File) addMapTools(m *Node, via *Node, add func(*Node, *Node)) {
	d := f.Resolve(m, nil)
	if d == nil || d.Kind != "dictionary" {
		return
	}
	for _, p := range d.NamedChildren() {
		if p.Kind == "pair" {
			add(p.Child("value"), via)
		}
	}
}

// returns analyses every return statement of a tool function.
func (f *File) returns(fn *Node) []*Return {
	var out []*Return
	walk(fn.Child("body"), func(n *Node) bool {
		if n.Kind == "function_definition" || n.Kind == "class_definition" || n.Kind == "lambda" {
			return false
		}
		if n.Kind == "return_statement" {
			es := n.NamedChildren()
			r := &Return{Stmt: n}
			if len(es) == 1 {
				r.Expr = es[0]
				r.Unbounded = f.unbounded(es[0], fn, 0)
			}
			out = append(out, r)
		}
		return true
	})
	return out
}

// unbounded names the reason an expression's value has no size limit, or ""
// when it is bounded (sliced, truncated, .head()) or unknown.
func (f *File) unbounded(e *Node, fn *Node, depth int) string {
	if e == nil || depth > 4 {
		return ""
	}
	switch e.Kind {
	case "parenthesized_expression":
		if cs := e.NamedChildren(); len(cs) == 1 {
			return f.unbounded(cs[0], fn, depth+1)
		}
	case "subscript":
		if sl := e.Child("subscript"); sl != nil && sl.Kind == "slice" {
			return "" // x[:4000]
		}
	case "identifier":
		r := f.Resolve(e, nil)
		if r != e && r != nil && contains(fn, r) {
			return f.unbounded(r, fn, depth+1)
		}
	case "await":
		if cs := e.NamedChildren(); len(cs) == 1 {
			return f.unbounded(cs[0], fn, depth+1)
		}
	case "list_comprehension", "generator_expression":
		// [dict(zip(cols, r)) for r in cur.fetchall()]: as big as what it walks.
		for _, c := range e.NamedChildren() {
			if c.Kind == "for_in_clause" {
				return f.unbounded(c.Child("right"), fn, depth+1)
			}
		}
	case "attribute":
		attr := f.Text(e.Child("attribute"))
		obj := e.Child("object")
		switch attr {
		case "text", "content":
			if f.isHTTPResponse(obj, fn) {
				if f.apiRequest(obj, fn) {
					// A JSON API answer read as text: usually small, a note.
					return "the whole JSON body of an HTTP response (" + f.Text(e) + ")"
				}
				return "the whole HTTP response body (" + f.Text(e) + ")"
			}
		case "stdout", "stderr":
			return "the whole output of a subprocess (" + f.Text(e) + ")"
		}
	case "call":
		name := f.CalleeName(e)
		path := f.CalleePath(e)
		low := strings.ToLower(name)
		if strings.Contains(low, "trunc") || strings.Contains(low, "limit") || strings.Contains(low, "clip") ||
			strings.Contains(low, "shorten") || strings.Contains(low, "summar") || strings.Contains(low, "head") {
			return ""
		}
		switch {
		case name == "read" && f.Positional(e, 0) == nil && f.Kwarg(e, "size", nil) == nil:
			return "a whole file read (" + f.Text(e.Child("function")) + "())"
		case name == "read_text" || name == "readlines" || name == "read_bytes":
			return "a whole file read (" + name + "())"
		case path == "json.dumps" || path == "dumps":
			arg := f.Positional(e, 0)
			if arg == nil || f.unbounded(arg, fn, depth+1) == "" && !f.isBig(arg, fn) {
				return "" // a dict built here, a small value
			}
			return "json.dumps of a whole object (" + f.Text(arg) + ")"
		case name == "to_string" || name == "to_json" || name == "to_csv" || name == "to_markdown" || name == "to_html":
			obj := e.Child("function").Child("object")
			if obj != nil && reducedFrame(f.Text(obj)) {
				return ""
			}
			return "a whole data frame (" + f.Text(e.Child("function")) + "())"
		case name == "to_dict" || name == "to_records" || name == "tolist":
			// df.to_dict(orient="records") of a frame read from a file; a
			// small object's to_dict() is left alone.
			obj := e.Child("function").Child("object")
			if obj != nil && !reducedFrame(f.Text(obj)) && f.isBig(rootObject(obj), fn) {
				return "a whole data frame (" + f.Text(e.Child("function")) + "())"
			}
		case name == "json" && e.Child("function").Kind == "attribute":
			if f.isHTTPResponse(e.Child("function").Child("object"), fn) {
				return "the whole JSON body of an HTTP response (" + f.Text(e) + ")"
			}
		case name == "fetchall" && !f.limitsRows(fn):
			return "every row a query returns (" + f.Text(e.Child("function")) + "())"
		case name == "list" || name == "tuple":
			if a := f.Positional(e, 0); a != nil {
				return f.unbounded(a, fn, depth+1)
			}
		case path == "subprocess.check_output" || path == "check_output" || path == "getoutput" || path == "subprocess.getoutput":
			return "the whole output of a subprocess (" + name + ")"
		case name == "str" || name == "repr":
			if a := f.Positional(e, 0); a != nil {
				if r := f.unbounded(a, fn, depth+1); r != "" {
					return r
				}
				// str(df) is pandas' truncated view (display.max_rows, 60
				// rows by default), not the whole frame.
				if f.isBig(a, fn) && !f.isFrame(a) {
					return "a whole document (" + f.Text(e) + ")"
				}
			}
		case name == "join" && e.Child("function").Kind == "attribute":
			// "\n".join(lines) over a whole file
			if a := f.Positional(e, 0); a != nil {
				return f.unbounded(a, fn, depth+1)
			}
		}
	}
	return ""
}

// isHTTPResponse reports whether n is (assigned from) a requests/httpx call.
func (f *File) isHTTPResponse(n *Node, fn *Node) bool {
	r := f.Resolve(n, nil)
	if r != nil && r.Kind == "await" {
		if cs := r.NamedChildren(); len(cs) == 1 {
			r = cs[0]
		}
	}
	if r == nil || r.Kind != "call" {
		return false
	}
	p := f.CalleePath(r)
	o := f.Origin(p)
	// http.get(...) / self.session.post(...) on a client whose construction
	// (often an `async with httpx.AsyncClient() as http:`) we do not track.
	if i := strings.LastIndexByte(p, '.'); i > 0 {
		obj, method := strings.ToLower(p[:i]), p[i+1:]
		switch method {
		case "get", "post", "request", "put":
			for _, w := range []string{"http", "session", "requests", "aiohttp", "httpx"} {
				if strings.HasSuffix(obj, w) || strings.HasPrefix(obj, w) || strings.HasSuffix(obj, "."+w) {
					return true
				}
			}
		}
	}
	for _, m := range []string{"requests.", "httpx.", "urllib.request.urlopen", "urlopen", "session.get", "session.post", "client.get", "client.post"} {
		if strings.HasPrefix(o, m) || strings.HasPrefix(strings.ToLower(p), m) {
			return true
		}
	}
	return false
}

// isBig reports whether n is (assigned from) something that tends to be
// large: a data frame read, a whole file, an HTTP body.
func (f *File) isBig(n *Node, fn *Node) bool {
	r := f.Resolve(n, nil)
	if r == nil || r.Kind != "call" {
		return false
	}
	p := f.CalleePath(r)
	name := f.CalleeName(r)
	return strings.HasPrefix(p, "pd.read_") || strings.HasPrefix(p, "pandas.read_") || strings.HasPrefix(name, "read_csv") ||
		strings.HasPrefix(name, "read_excel") || strings.HasPrefix(name, "read_sql") || name == "load" && strings.HasPrefix(p, "json.") ||
		f.unbounded(r, fn, 3) != ""
}

// limitsRows reports whether a tool function bounds its query: a LIMIT or
// TOP in one of its strings, or fetchmany.
func (f *File) limitsRows(fn *Node) bool {
	if fn == nil {
		return false
	}
	bounded := false
	walk(fn, func(n *Node) bool {
		if bounded {
			return false
		}
		switch n.Kind {
		case "string":
			up := strings.ToUpper(f.Text(n))
			if strings.Contains(up, " LIMIT ") || strings.Contains(up, "LIMIT %") || strings.Contains(up, "LIMIT {") ||
				strings.Contains(up, "LIMIT ?") || strings.Contains(up, "SELECT TOP ") || strings.Contains(up, "FETCH FIRST") {
				bounded = true
			}
		case "call":
			if name := f.CalleeName(n); name == "fetchmany" || name == "limit" {
				bounded = true
			}
		}
		return true
	})
	return bounded
}

// apiRequest reports whether the HTTP call behind n asks a JSON API for a
// bounded answer rather than fetching whatever page the model names: its
// URL is written in the code and looks like an API (api., /api/, /v1/ …), or
// it passes a result-count parameter (count, limit, max_results, per_page).
func (f *File) apiRequest(n *Node, fn *Node) bool {
	r := f.Resolve(n, nil)
	if r != nil && r.Kind == "await" {
		if cs := r.NamedChildren(); len(cs) == 1 {
			r = cs[0]
		}
	}
	if r == nil || r.Kind != "call" {
		return false
	}
	for _, k := range []string{"count", "limit", "max_results", "per_page", "top_k", "num", "size", "maxResults", "page_size"} {
		if f.Kwarg(r, k, nil) != nil {
			return true
		}
		if kw := f.Kwarg(r, "params", nil); kw != nil && f.DictGet(kw.Value, k, nil, 0) != nil {
			return true
		}
	}
	url := f.Positional(r, 0)
	if url == nil {
		if kw := f.Kwarg(r, "url", nil); kw != nil {
			url = kw.Value
		}
	}
	if url == nil {
		return false
	}
	u := f.Resolve(url, nil)
	if u == nil || u.Kind != "string" && u.Kind != "concatenated_string" && u.Kind != "binary_operator" {
		return false // the model chooses the URL: any page at all
	}
	t := strings.ToLower(f.Text(u))
	for _, m := range []string{"://api.", "/api/", "/v1/", "/v2/", "/v3/", "/rest/", "/graphql", "format=json", "/json"} {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// reducedFrame reports whether a pandas expression is cut down before it is
// printed: head/tail/sample/nlargest, an aggregation (groupby, sum,
// describe, value_counts ...), or a slice.
func reducedFrame(expr string) bool {
	for _, m := range []string{"head(", "tail(", "sample(", "nlargest(", "nsmallest(", "groupby(", ".sum(", ".mean(",
		".count(", ".describe(", ".agg(", ".aggregate(", "value_counts(", "nunique(", "pivot_table(", ".median(",
		".max(", ".min(", ".std(", ".corr(", ".iloc[", ".loc[", "[:"} {
		if strings.Contains(expr, m) {
			return true
		}
	}
	return false
}

// rootObject is the innermost object of an attribute/call/subscript chain
// (df in df["a"].values).
func rootObject(n *Node) *Node {
	for n != nil {
		switch n.Kind {
		case "attribute":
			n = n.Child("object")
		case "subscript":
			n = n.Child("value")
		case "call":
			fn := n.Child("function")
			if fn == nil || fn.Kind != "attribute" {
				return n
			}
			n = fn.Child("object")
		default:
			return n
		}
	}
	return nil
}

// isFrame reports whether n is (assigned from) a pandas read or DataFrame.
func (f *File) isFrame(n *Node) bool {
	r := f.Resolve(n, nil)
	if r == nil || r.Kind != "call" {
		return false
	}
	name := f.CalleeName(r)
	return strings.HasPrefix(name, "read_") && (strings.HasPrefix(f.CalleePath(r), "pd.") || strings.HasPrefix(f.Origin(f.CalleePath(r)), "pandas")) ||
		name == "DataFrame"
}
