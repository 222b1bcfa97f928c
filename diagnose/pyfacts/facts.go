// Package pyfacts extracts AutoGen facts from Python source through
// tree-sitter, which tolerates the fragments people paste (a function without
// its imports, a half-finished call). The tree is copied into plain Go nodes
// once; every fact keeps the nodes it came from, so rules can point at exact
// lines and byte offsets and build edits.
package pyfacts

import (
	"context"
	"strings"
)

// File holds the facts of one Python input.
type File struct {
	Src      []byte
	Root     *Node
	HasError bool // tree-sitter had to recover from syntax errors (a fragment)

	// Generation is "0.2" (0.2/AG2 imports), "0.4" (autogen_agentchat,
	// autogen_core, autogen_ext) or "" when nothing says.
	Generation string
	// Imports maps a local name to its dotted origin ("AssistantAgent" ->
	// "autogen_agentchat.agents.AssistantAgent", "ag" -> "autogen").
	Imports map[string]string
	// LastImport is the last top-level import statement (where a fix adds one).
	LastImport *Node

	Constructs  []*Construct
	Chats       []*ChatCall
	Tools       []*Tool
	Concurrency []*Concurrent
	Semaphores  []*Node            // asyncio/threading semaphores, aiolimiter and similar throttles
	Funcs       map[string][]*Node // function_definition nodes by name
	Comments    []*Node
	// Strings are every string literal, in source order.
	Strings []*Node
	// Keyed are dict entries ("k": v) and keyword arguments (k=v) by their
	// key, in source order: where a setting such as api_rate_limit is written.
	Keyed map[string][]*Node

	scopes    map[*Node]map[string][]*Node // scope (function_definition or nil) -> name -> assigned values
	dictMuts  map[string][]dictMut         // dict variable -> later changes (d["k"] = v, d.update(...))
	calls     map[string][]*Node           // plain-name call sites: "make_agent" -> call nodes
	byCall    map[callKey]*Construct
	lineStart []int
}

// Construct is one AutoGen (or model client) object built by a call.
type Construct struct {
	Class string // short class name: "AssistantAgent", "GroupChat", "OpenAIChatCompletionClient"
	Gen   string // "0.2", "0.4" or "" (from the import of the class, else the file)
	Call  *Node  // the constructor call
	Var   string // the name it was assigned to ("" if none)
	Func  *Node  // enclosing function_definition, nil at module level
	// Site is the call of a helper function that returned this construct
	// (`a = make_agent("a")`), nil when built directly; Bind maps the
	// helper's parameters to that call's arguments.
	Site *Node
	Bind map[string]*Node
	// InLoop: built inside a loop or comprehension (so there may be many).
	InLoop bool
	// Forward is the instantiation of a subclass whose __init__ hands its
	// **kwargs on to the AutoGen base: keyword arguments not found on Call
	// are looked up there.
	Forward *Node
	// OwnReplies: built from a subclass of the input that changes how it
	// replies or stops (overrides generate_reply, registers a reply
	// function, sets a termination check on self): its stop condition is
	// code we do not evaluate.
	OwnReplies bool
	// CapUpdate is the value given to agent.update_max_consecutive_auto_reply(n)
	// after construction, nil when there is none.
	CapUpdate *Node
}

// ChatCall is a call that makes an agent or team talk to the model:
// initiate_chat(s), a_initiate_chat(s), run, run_stream, on_messages, a
// model client's create, openai's chat.completions.create.
type ChatCall struct {
	Method   string // "initiate_chat", "run_stream", ...
	Call     *Node
	Receiver *Node // the object the method is called on (nil for free functions)
	Func     *Node // enclosing function_definition
	Retry    *Retry
	InLoop   bool
}

// Retry is an application-level retry around a chat call.
type Retry struct {
	Kind    string // "loop", "tenacity", "backoff", "decorator"
	Node    *Node  // the loop statement or the decorator
	Handler *Node  // the except clause that swallows the error (loops)
	// Backoff: "exponential", "fixed", "none" or "unknown".
	Backoff string
	Sleep   *Node // the sleep call, when there is one
	LoopVar string
}

// Tool is a function given to the model as a tool.
type Tool struct {
	Name    string
	Func    *Node // function_definition, nil when not in the input
	Via     *Node // where it was registered
	Returns []*Return
}

// Return is one return statement of a tool function.
type Return struct {
	Stmt *Node
	Expr *Node
	// Unbounded names what makes the result unbounded ("a whole file read",
	// "json.dumps of a whole object"), "" when it is bounded or unknown.
	Unbounded string
}

// Concurrent is a place where several chats or model calls run at once.
type Concurrent struct {
	Kind  string // "asyncio.gather", "create_task", "TaskGroup", "ThreadPoolExecutor", "ProcessPoolExecutor", "multiprocessing", "a_initiate_chats", "threading.Thread"
	Node  *Node
	Width int // known number of workers / tasks, 0 when unknown
	// Chats are the chat calls that run concurrently (directly or inside the
	// functions it starts).
	Chats []*ChatCall
}

// Parse extracts facts from src. It never fails on bad Python: syntax errors
// become a partial tree (HasError); only an internal parser failure errors.
func Parse(ctx context.Context, src []byte) (*File, error) {
	f := &File{Src: src, Imports: map[string]string{},
		Funcs: map[string][]*Node{}, Keyed: map[string][]*Node{}, scopes: map[*Node]map[string][]*Node{}, calls: map[string][]*Node{},
		dictMuts: map[string][]dictMut{},
		byCall:   map[callKey]*Construct{}}
	f.indexLines()
	root, hasErr, err := parseTree(ctx, src, f.lineStart)
	if err != nil {
		return nil, err
	}
	f.Root, f.HasError = root, hasErr
	f.collect()
	f.findConstructs()
	f.findSubclassConstructs()
	f.markOwnReplies()
	if f.Generation == "" {
		// A fragment without imports: the constructors' arguments tell.
		for _, c := range f.Constructs {
			if c.Gen == "0.2" || c.Gen == "0.4" {
				f.Generation = c.Gen
				break
			}
		}
	}
	f.findChats()
	if f.Generation == "" {
		if f.Generation = f.generationFromCalls(); f.Generation != "" {
			for _, c := range f.Constructs {
				if c.Gen == "" && !otherClasses[c.Class] {
					c.Gen = f.Generation
				}
			}
		}
	}
	f.findTools()
	f.findConcurrency()
	return f, nil
}

// generationFromCalls names the generation of a fragment with neither
// imports nor constructors from the calls only one generation has:
// initiate_chat(s), config_list_from_json, register_for_llm (0.2/AG2);
// run_stream, on_messages, Console(...) (0.4). "" when both or neither.
func (f *File) generationFromCalls() string {
	has02, has04 := false, false
	for _, ch := range f.Chats {
		switch ch.Method {
		case "initiate_chat", "a_initiate_chat", "initiate_chats", "a_initiate_chats":
			has02 = true
		case "run_stream", "on_messages", "on_messages_stream":
			has04 = true
		}
	}
	for _, name := range []string{"config_list_from_json", "register_function"} {
		if len(f.calls[name]) > 0 {
			has02 = true
		}
	}
	if len(f.calls["Console"]) > 0 {
		has04 = true
	}
	switch {
	case has02 && !has04:
		return "0.2"
	case has04 && !has02:
		return "0.4"
	}
	return ""
}

func (f *File) indexLines() {
	f.lineStart = append(f.lineStart, 0)
	for i, c := range f.Src {
		if c == '\n' {
			f.lineStart = append(f.lineStart, i+1)
		}
	}
}

// LineStart is the byte offset where 1-based line n starts.
func (f *File) LineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(f.lineStart) {
		return len(f.Src)
	}
	return f.lineStart[n-1]
}

// LineText is 1-based line n without its newline.
func (f *File) LineText(n int) string {
	s := f.LineStart(n)
	e := f.LineStart(n + 1)
	if n >= len(f.lineStart) {
		e = len(f.Src)
	}
	return strings.TrimRight(string(f.Src[s:e]), "\r\n")
}

// Indent is the leading whitespace of 1-based line n.
func (f *File) Indent(n int) string {
	t := f.LineText(n)
	return t[:len(t)-len(strings.TrimLeft(t, " \t"))]
}

// scopeOf is the function_definition enclosing n, or nil (module scope).
func scopeOf(n *Node) *Node { return enclosing(n, "function_definition", "lambda") }

// collect records imports, assignments, function definitions, plain-name
// call sites and comments in one walk.
func (f *File) collect() {
	walk(f.Root, func(n *Node) bool {
		switch n.Kind {
		case "comment":
			f.Comments = append(f.Comments, n)
		case "string":
			f.Strings = append(f.Strings, n)
		case "pair":
			if k, ok := f.unquote(n.Child("key")); ok {
				f.Keyed[k] = append(f.Keyed[k], n)
			}
		case "keyword_argument":
			if name := n.Child("name"); name != nil {
				f.Keyed[f.Text(name)] = append(f.Keyed[f.Text(name)], n)
			}
		case "import_statement", "import_from_statement":
			f.addImport(n)
			if n.Parent == f.Root {
				f.LastImport = n
			}
		case "future_import_statement":
			if n.Parent == f.Root {
				f.LastImport = n
			}
		case "function_definition":
			if name := n.Child("name"); name != nil {
				f.Funcs[f.Text(name)] = append(f.Funcs[f.Text(name)], n)
			}
			f.addParams(n)
		case "assignment":
			f.addAssignment(n)
		case "named_expression":
			if name := n.Child("name"); name != nil {
				f.bind(scopeOf(n), f.Text(name), n.Child("value"))
			}
		case "for_statement", "for_in_clause":
			// `for cfg in config_list:` binds cfg to an element; record the
			// iterable so dict look-ups on cfg can still find fields.
			if left, right := n.Child("left"), n.Child("right"); left != nil && right != nil && left.Kind == "identifier" {
				f.bind(scopeOf(n), f.Text(left), &Node{Kind: "element_of", Children: []*Node{right}, Start: right.Start, End: right.End, Line: right.Line, EndLine: right.EndLine, Parent: n})
			}
		case "call":
			if fn := n.Child("function"); fn != nil && fn.Kind == "identifier" {
				f.calls[f.Text(fn)] = append(f.calls[f.Text(fn)], n)
			}
			f.addDictCallMut(n)
		}
		return true
	})
	f.Generation = f.detectGeneration()
}

func (f *File) bind(scope *Node, name string, val *Node) {
	if val == nil || name == "" {
		return
	}
	m := f.scopes[scope]
	if m == nil {
		m = map[string][]*Node{}
		f.scopes[scope] = m
	}
	m[name] = append(m[name], val)
}

func (f *File) addAssignment(n *Node) {
	left, right := n.Child("left"), n.Child("right")
	if left == nil || right == nil {
		return
	}
	scope := scopeOf(n)
	switch left.Kind {
	case "identifier":
		f.bind(scope, f.Text(left), right)
	case "attribute":
		// self.x = ... is visible from every method: keep it module-wide.
		f.bind(nil, f.Text(left), right)
	case "pattern_list", "tuple_pattern":
		// a, b = helper(...): each name is one element of what it returns.
		if right.Kind == "call" {
			for i, l := range left.NamedChildren() {
				if l.Kind == "identifier" {
					f.bind(scope, f.Text(l), &Node{Kind: "tuple_item", Item: i, Children: []*Node{right},
						Start: right.Start, End: right.End, Line: right.Line, EndLine: right.EndLine, Parent: n})
				}
			}
		}
		// a, b = X(...), Y(...)
		if right.Kind == "expression_list" || right.Kind == "tuple" {
			ls, rs := left.NamedChildren(), right.NamedChildren()
			for i := range ls {
				if i < len(rs) && ls[i].Kind == "identifier" {
					f.bind(scope, f.Text(ls[i]), rs[i])
				}
			}
		}
	}
	if left.Kind == "subscript" { // opts["max_consecutive_auto_reply"] = 5
		if obj := left.Child("value"); obj != nil && obj.Kind == "identifier" {
			m := dictMut{node: n, value: n} // an unknown key: the statement, never a readable value
			if k, ok := f.unquote(left.Child("subscript")); ok {
				m.key, m.value = k, right
			}
			f.dictMuts[f.Text(obj)] = append(f.dictMuts[f.Text(obj)], m)
		}
	}
	if right.Kind == "assignment" { // a = b = value
		f.addAssignment(right)
	}
}

// dictMut is one change to a dict variable after it was built. key is ""
// when the change may set any key (d.update(other), d[name] = v).
type dictMut struct {
	key   string
	node  *Node // the statement or keyword/pair that sets it
	value *Node
	from  *Node // d.update(other): the dict merged in
}

// addDictCallMut records d.update(k=v), d.update({"k": v}), d.update(other)
// and d.setdefault("k", v).
func (f *File) addDictCallMut(call *Node) {
	fn := call.Child("function")
	if fn == nil || fn.Kind != "attribute" {
		return
	}
	obj := fn.Child("object")
	if obj == nil || obj.Kind != "identifier" {
		return
	}
	name := f.Text(obj)
	switch f.Text(fn.Child("attribute")) {
	case "update":
		for _, a := range call.Child("arguments").NamedChildren() {
			switch a.Kind {
			case "keyword_argument":
				f.dictMuts[name] = append(f.dictMuts[name], dictMut{key: f.Text(a.Child("name")), node: a, value: a.Child("value")})
			case "dictionary":
				for _, p := range a.NamedChildren() {
					if k, ok := f.unquote(p.Child("key")); ok && p.Kind == "pair" {
						f.dictMuts[name] = append(f.dictMuts[name], dictMut{key: k, node: p, value: p.Child("value")})
					} else {
						f.dictMuts[name] = append(f.dictMuts[name], dictMut{node: p, value: p})
					}
				}
			default:
				f.dictMuts[name] = append(f.dictMuts[name], dictMut{node: a, from: a})
			}
		}
	case "setdefault":
		if k, ok := f.unquote(f.Positional(call, 0)); ok {
			if v := f.Positional(call, 1); v != nil {
				f.dictMuts[name] = append(f.dictMuts[name], dictMut{key: k, node: call, value: v})
			}
		}
	}
}

// addParams binds parameters with defaults (def f(cap=50)) in the function scope.
func (f *File) addParams(fn *Node) {
	params := fn.Child("parameters")
	for _, p := range params.NamedChildren() {
		if p.Kind == "default_parameter" || p.Kind == "typed_default_parameter" {
			name, val := p.Child("name"), p.Child("value")
			if name != nil && val != nil {
				f.bind(fn, f.Text(name), val)
			}
		}
	}
}

// Params lists a function's parameter names in order.
func (f *File) Params(fn *Node) []string {
	var out []string
	for _, p := range fn.Child("parameters").NamedChildren() {
		switch p.Kind {
		case "identifier":
			out = append(out, f.Text(p))
		case "default_parameter", "typed_default_parameter":
			out = append(out, f.Text(p.Child("name")))
		case "typed_parameter":
			for _, c := range p.NamedChildren() {
				if c.Kind == "identifier" {
					out = append(out, f.Text(c))
					break
				}
			}
		}
	}
	return out
}

func (f *File) addImport(n *Node) {
	if n.Kind == "import_statement" {
		for _, c := range n.NamedChildren() {
			switch c.Kind {
			case "dotted_name":
				full := f.Text(c)
				f.Imports[strings.SplitN(full, ".", 2)[0]] = strings.SplitN(full, ".", 2)[0]
				f.Imports[full] = full
			case "aliased_import":
				f.Imports[f.Text(c.Child("alias"))] = f.Text(c.Child("name"))
			}
		}
		return
	}
	mod := f.Text(n.Child("module_name"))
	for _, c := range n.Children {
		if c.Field != "name" {
			continue
		}
		switch c.Kind {
		case "dotted_name":
			f.Imports[f.Text(c)] = mod + "." + f.Text(c)
		case "aliased_import":
			f.Imports[f.Text(c.Child("alias"))] = mod + "." + f.Text(c.Child("name"))
		}
	}
}

func (f *File) detectGeneration() string {
	has02, has04 := false, false
	for _, origin := range f.Imports {
		root := strings.SplitN(origin, ".", 2)[0]
		switch root {
		case "autogen", "ag2", "pyautogen":
			has02 = true
		case "autogen_agentchat", "autogen_core", "autogen_ext":
			has04 = true
		}
	}
	switch {
	case has04 && !has02:
		return "0.4"
	case has02 && !has04:
		return "0.2"
	case has02 && has04:
		return "mixed"
	}
	return ""
}

// Calls returns the call sites of a plain-name function.
func (f *File) Calls(name string) []*Node { return f.calls[name] }

// CalleeName is the last dotted component of a call's function ("x.y.Z" -> "Z").
func (f *File) CalleeName(call *Node) string {
	fn := call.Child("function")
	switch {
	case fn == nil:
		return ""
	case fn.Kind == "identifier":
		return f.Text(fn)
	case fn.Kind == "attribute":
		return f.Text(fn.Child("attribute"))
	}
	return ""
}

// CalleePath is the call's function as dotted text ("autogen.AssistantAgent").
func (f *File) CalleePath(call *Node) string {
	fn := call.Child("function")
	if fn == nil {
		return ""
	}
	if fn.Kind == "identifier" || fn.Kind == "attribute" {
		return strings.Join(strings.Fields(f.Text(fn)), "")
	}
	return ""
}

// Origin resolves a dotted callee through the imports ("AssistantAgent" ->
// "autogen_agentchat.agents.AssistantAgent"); unknown names come back as is.
func (f *File) Origin(path string) string {
	head, rest, _ := strings.Cut(path, ".")
	if o, ok := f.Imports[head]; ok {
		if rest != "" {
			return o + "." + rest
		}
		return o
	}
	return path
}
