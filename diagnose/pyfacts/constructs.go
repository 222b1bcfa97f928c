package pyfacts

import (
	"slices"
	"strings"
)

// classes02 and classes04 are the AutoGen classes whose construction is a
// fact. Names in both sets (AssistantAgent, UserProxyAgent) are told apart by
// their import, else by the file's generation, else by their arguments.
var classes02 = map[string]bool{
	"ConversableAgent": true, "AssistantAgent": true, "UserProxyAgent": true, "GroupChat": true,
	"GroupChatManager": true, "RetrieveUserProxyAgent": true, "RetrieveAssistantAgent": true,
	"GPTAssistantAgent": true, "TeachableAgent": true, "CompressibleAgent": true,
	"MultimodalConversableAgent": true, "LLaVAAgent": true, "WebSurferAgent": true,
	"SocietyOfMindAgent": true, "CaptainAgent": true, "SwarmAgent": true, "ReasoningAgent": true,
	"QdrantRetrieveUserProxyAgent": true, "MathUserProxyAgent": true, "OpenAIWrapper": true,
}

var classes04 = map[string]bool{
	"AssistantAgent": true, "UserProxyAgent": true, "CodeExecutorAgent": true, "SocietyOfMindAgent": true,
	"RoundRobinGroupChat": true, "SelectorGroupChat": true, "Swarm": true, "MagenticOneGroupChat": true,
	"MultimodalWebSurfer": true, "FileSurfer": true, "MagenticOneCoderAgent": true, "GraphFlow": true,
	"MagenticOne":                true,
	"OpenAIChatCompletionClient": true, "AzureOpenAIChatCompletionClient": true,
	"AnthropicChatCompletionClient": true, "OllamaChatCompletionClient": true,
	"AzureAIChatCompletionClient": true, "ChatCompletionCache": true,
}

// otherClasses are model SDK clients whose max_retries matters.
var otherClasses = map[string]bool{
	"OpenAI": true, "AsyncOpenAI": true, "AzureOpenAI": true, "AsyncAzureOpenAI": true,
	"Anthropic": true, "AsyncAnthropic": true, "ChatOpenAI": true, "AzureChatOpenAI": true,
}

// IsTeam reports whether the class is a 0.4 team.
func IsTeam(class string) bool {
	switch class {
	case "RoundRobinGroupChat", "SelectorGroupChat", "Swarm", "MagenticOneGroupChat", "GraphFlow", "MagenticOne":
		return true
	}
	return false
}

// IsClient reports whether the class is a model client (0.4 or an SDK client).
func IsClient(class string) bool {
	return strings.HasSuffix(class, "ChatCompletionClient") || otherClasses[class] || class == "ChatCompletionCache"
}

func (f *File) classOf(call *Node) (class, gen string, ok bool) {
	return f.classOfPath(f.CalleePath(call), call)
}

// classOfPath is classOf for a dotted class name; call (nil for a base class
// in a class statement) breaks ties by its arguments.
func (f *File) classOfPath(path string, call *Node) (class, gen string, ok bool) {
	if path == "" {
		return "", "", false
	}
	name := path[strings.LastIndexByte(path, '.')+1:]
	in02, in04 := classes02[name], classes04[name]
	if !in02 && !in04 && !otherClasses[name] {
		return "", "", false
	}
	origin := f.Origin(path)
	root := strings.SplitN(origin, ".", 2)[0]
	switch root {
	case "autogen", "ag2", "pyautogen":
		return name, "0.2", in02
	case "autogen_agentchat", "autogen_ext", "autogen_core":
		return name, "0.4", in04
	case "openai", "anthropic", "langchain_openai":
		return name, "", otherClasses[name]
	}
	if strings.Contains(path, ".") && !strings.Contains(origin, "autogen") {
		// some_module.AssistantAgent from a module we cannot see: only
		// trust the unambiguous names.
		if in02 == in04 && !otherClasses[name] {
			return "", "", false
		}
	}
	switch {
	case otherClasses[name]:
		return name, "", true
	case in02 && !in04:
		return name, "0.2", true
	case in04 && !in02:
		return name, "0.4", true
	}
	// AssistantAgent / UserProxyAgent / SocietyOfMindAgent: by file, then by arguments.
	switch f.Generation {
	case "0.2", "0.4":
		return name, f.Generation, true
	}
	if call == nil {
		return name, "", true
	}
	if f.Kwarg(call, "model_client", nil) != nil {
		return name, "0.4", true
	}
	if f.Kwarg(call, "llm_config", nil) != nil || f.Kwarg(call, "human_input_mode", nil) != nil ||
		f.Kwarg(call, "code_execution_config", nil) != nil || f.Kwarg(call, "max_consecutive_auto_reply", nil) != nil {
		return name, "0.2", true
	}
	return name, "", true
}

func inLoop(n *Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		switch p.Kind {
		case "for_statement", "while_statement", "list_comprehension", "generator_expression",
			"dictionary_comprehension", "set_comprehension":
			return true
		case "function_definition", "lambda":
			return false
		}
	}
	return false
}

// assignedName is the variable a call's value is assigned to, if any.
func (f *File) assignedName(call *Node) string {
	p := call.Parent
	for p != nil && p.Kind == "parenthesized_expression" {
		p = p.Parent
	}
	if p != nil && p.Kind == "await" {
		p = p.Parent
	}
	if p != nil && p.Kind == "assignment" && p.Child("left") != nil {
		return f.Text(p.Child("left"))
	}
	if p != nil && p.Kind == "pair" { // agents = {"writer": AssistantAgent(...)}
		if k, ok := f.unquote(p.Child("key")); ok {
			return k
		}
	}
	return ""
}

// callKey names what a construct is reached through: a call, and for a
// helper that returns a tuple, the element (-1 for the whole value).
type callKey struct {
	call *Node
	item int
}

// returnedBy is the function whose return statement returns call directly
// (or through a local variable), nil otherwise; item is its position when
// the function returns a tuple (-1 otherwise).
func (f *File) returnedBy(call *Node) (*Node, int) {
	fn := scopeOf(call)
	if fn == nil || fn.Kind != "function_definition" {
		return nil, -1
	}
	item := -2
	walk(fn.Child("body"), func(n *Node) bool {
		if n.Kind == "function_definition" || n.Kind == "class_definition" {
			return false
		}
		if n.Kind == "return_statement" && item == -2 {
			for _, e := range n.NamedChildren() {
				if f.Resolve(e, nil) == call {
					item = -1
				}
				if e.Kind == "expression_list" || e.Kind == "tuple" {
					for i, el := range e.NamedChildren() {
						if f.Resolve(el, nil) == call {
							item = i
						}
					}
				}
			}
		}
		return true
	})
	if item == -2 {
		return nil, -1
	}
	return fn, item
}

func (f *File) findConstructs() {
	walk(f.Root, func(n *Node) bool {
		if n.Kind != "call" {
			return true
		}
		class, gen, ok := f.classOf(n)
		if !ok {
			return true
		}
		if gen == "" {
			gen = f.Generation
		}
		c := &Construct{Class: class, Gen: gen, Call: n, Var: f.assignedName(n), Func: scopeOf(n), InLoop: inLoop(n)}
		helper, item := f.returnedBy(n)
		var sites []*Node
		if helper != nil {
			sites = f.calls[f.Text(helper.Child("name"))]
		}
		if len(sites) == 0 {
			f.Constructs = append(f.Constructs, c)
			f.byCall[callKey{n, -1}] = c
			return true
		}
		// One construct per call of the helper, its parameters bound to
		// that call's arguments.
		params := f.Params(helper)
		for _, s := range sites {
			inst := *c
			inst.Site = s
			inst.Var = f.assignedName(s)
			if item >= 0 {
				inst.Var = f.tupleName(s, item)
			}
			inst.InLoop = c.InLoop || inLoop(s)
			inst.Bind = map[string]*Node{}
			for i, p := range params {
				if a := f.Positional(s, i); a != nil {
					inst.Bind[p] = a
				}
				if kw := f.Kwarg(s, p, nil); kw != nil && kw.Splat == nil {
					inst.Bind[p] = kw.Value
				}
			}
			ip := &inst
			f.Constructs = append(f.Constructs, ip)
			f.byCall[callKey{s, item}] = ip
		}
		return true
	})
}

// subclass is a class of the input that derives from an AutoGen class.
type subclass struct {
	base, gen string
	def       *Node
	parent    string // the class of the input it derives from, "" when it derives from AutoGen directly
}

// subclasses maps the classes defined in the input to the AutoGen class they
// derive from, directly or through other classes of the input
// (class Debater(ConversableAgent), class Loud(Debater)).
func (f *File) subclasses() map[string]subclass {
	defs := map[string]*Node{}
	walk(f.Root, func(n *Node) bool {
		if n.Kind == "class_definition" {
			if name := n.Child("name"); name != nil {
				defs[f.Text(name)] = n
			}
		}
		return true
	})
	out := map[string]subclass{}
	for range 4 { // chains of a few user classes, in any order
		for name, def := range defs {
			if _, done := out[name]; done {
				continue
			}
			sup := def.Child("superclasses")
			if sup == nil {
				continue
			}
			for _, b := range sup.NamedChildren() {
				if b.Kind != "identifier" && b.Kind != "attribute" {
					continue
				}
				path := strings.Join(strings.Fields(f.Text(b)), "")
				if sc, ok := out[path]; ok && path != name {
					out[name] = subclass{base: sc.base, gen: sc.gen, def: def, parent: path}
					break
				}
				if class, gen, ok := f.classOfPath(path, nil); ok && !IsClient(class) {
					out[name] = subclass{base: class, gen: gen, def: def}
					break
				}
			}
		}
	}
	return out
}

// superInit finds the base-class constructor call in a class's __init__:
// super().__init__(...) or Base.__init__(self, ...). Nil when the class has
// no __init__ of its own or it does not call one.
func (f *File) superInit(def *Node) (init, call *Node) {
	body := def.Child("body")
	if body == nil {
		return nil, nil
	}
	for _, st := range body.NamedChildren() {
		if st.Kind == "decorated_definition" {
			st = st.Child("definition")
		}
		if st == nil || st.Kind != "function_definition" || f.Text(st.Child("name")) != "__init__" {
			continue
		}
		init = st
		walk(st.Child("body"), func(n *Node) bool {
			if call != nil || n.Kind == "function_definition" || n.Kind == "class_definition" {
				return false
			}
			if n.Kind == "call" {
				if fn := n.Child("function"); fn != nil && fn.Kind == "attribute" && f.Text(fn.Child("attribute")) == "__init__" {
					call = n
					return false
				}
			}
			return true
		})
	}
	return init, call
}

// findSubclassConstructs adds one construct per instantiation of a class
// that derives from an AutoGen class. When its __init__ calls the base
// constructor, that call is the construct (its arguments bound to the
// instantiation's); otherwise the instantiation itself is.
func (f *File) findSubclassConstructs() {
	subs := f.subclasses()
	names := make([]string, 0, len(subs))
	for name := range subs {
		names = append(names, name)
	}
	slices.Sort(names) // constructs in a stable order
	for _, name := range names {
		sc := subs[name]
		gen := sc.gen
		if gen == "" {
			gen = f.Generation
		}
		// A class without an __init__ of its own uses its parent's.
		init, sup := f.superInit(sc.def)
		for hop, p := 0, sc; init == nil && p.parent != "" && hop < 4; hop++ {
			p = subs[p.parent]
			init, sup = f.superInit(p.def)
		}
		var params []string
		var forward bool
		if sup != nil {
			params = f.Params(init)
			if len(params) > 0 && (params[0] == "self" || params[0] == "cls") {
				params = params[1:]
			}
			// **kwargs handed on to the base: the instantiation's keyword
			// arguments count as the base's.
			for _, a := range sup.Child("arguments").NamedChildren() {
				if a.Kind == "dictionary_splat" && f.isParamSplat(init, a) {
					forward = true
				}
			}
		}
		own := false
		for hop, p := 0, sc; hop < 5; hop++ {
			body := f.Text(p.def)
			for _, w := range []string{"register_reply", "def generate_reply", "def a_generate_reply", "is_termination_msg", "_max_consecutive_auto_reply", "def check_termination"} {
				if strings.Contains(body, w) {
					own = true
				}
			}
			if p.parent == "" {
				break
			}
			p = subs[p.parent]
		}
		for _, site := range f.calls[name] {
			if contains(sc.def, site) && sup == nil {
				continue
			}
			c := &Construct{Class: sc.base, Gen: gen, Call: site, Var: f.assignedName(site), Func: scopeOf(site), InLoop: inLoop(site), OwnReplies: own}
			if sup != nil {
				c.Call, c.Site = sup, site
				c.Bind = map[string]*Node{}
				for i, p := range params {
					if a := f.Positional(site, i); a != nil {
						c.Bind[p] = a
					}
					if kw := f.Kwarg(site, p, nil); kw != nil && kw.Splat == nil {
						c.Bind[p] = kw.Value
					}
				}
				if forward {
					c.Forward = site
				}
			}
			f.Constructs = append(f.Constructs, c)
			f.byCall[callKey{site, -1}] = c
		}
	}
}

// isParamSplat reports whether a `**x` argument hands on the function's own
// `**x` parameter.
func (f *File) isParamSplat(fn *Node, splat *Node) bool {
	cs := splat.NamedChildren()
	if len(cs) != 1 || cs[0].Kind != "identifier" {
		return false
	}
	want := f.Text(cs[0])
	for _, p := range fn.Child("parameters").NamedChildren() {
		if p.Kind == "dictionary_splat_pattern" {
			for _, id := range p.NamedChildren() {
				if id.Kind == "identifier" && f.Text(id) == want {
					return true
				}
			}
		}
	}
	return false
}

// ConstructOf returns the construct that expression n evaluates to (a name
// assigned from a constructor or a helper call), or nil.
func (f *File) ConstructOf(n *Node, bind map[string]*Node) *Construct {
	r := f.Resolve(n, bind)
	if r == nil {
		return nil
	}
	if r.Kind == "await" {
		if cs := r.NamedChildren(); len(cs) == 1 {
			r = f.Resolve(cs[0], bind)
		}
	}
	if r.Kind == "tuple_item" {
		return f.byCall[callKey{r.Children[0], r.Item}]
	}
	if c, ok := f.byCall[callKey{r, -1}]; ok {
		return c
	}
	return nil
}

// tupleName is the i-th name of `a, b = call(...)`.
func (f *File) tupleName(call *Node, i int) string {
	p := call.Parent
	if p == nil || p.Kind != "assignment" {
		return ""
	}
	if l := p.Child("left"); l != nil {
		if names := l.NamedChildren(); i < len(names) {
			return f.Text(names[i])
		}
	}
	return ""
}

// Kw finds a keyword argument of the construct (through ** splats and the
// helper binding).
func (c *Construct) Kw(f *File, name string) *Arg {
	if a := f.Kwarg(c.Call, name, c.Bind); a != nil {
		return a
	}
	if c.Forward != nil {
		return f.Kwarg(c.Forward, name, nil)
	}
	return nil
}

// Name is the agent's name argument when it is a literal, else its variable.
func (c *Construct) Name(f *File) string {
	if a := c.Kw(f, "name"); a != nil {
		if s, ok := f.Str(a.Value, c.Bind); ok {
			return s
		}
	}
	if p := f.Positional(c.Call, 0); p != nil {
		if s, ok := f.Str(p, c.Bind); ok {
			return s
		}
	}
	return c.Var
}

// Line is where the construct is built (the helper call site when built
// through a helper).
func (c *Construct) Line() int {
	if c.Site != nil {
		return c.Site.Line
	}
	return c.Call.Line
}

// ConstructsOf returns the constructs of the given classes.
func (f *File) ConstructsOf(classes ...string) []*Construct {
	var out []*Construct
	for _, c := range f.Constructs {
		for _, k := range classes {
			if c.Class == k {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// markOwnReplies flags agents given a reply function of the project's own
// (agent.register_reply(...)): it runs before the LLM reply and may end the
// chat in ways only running it would show. It also records caps set after
// construction (agent.update_max_consecutive_auto_reply(n)).
func (f *File) markOwnReplies() {
	walk(f.Root, func(n *Node) bool {
		if n.Kind != "call" {
			return true
		}
		method := f.CalleeName(n)
		if method != "register_reply" && method != "update_max_consecutive_auto_reply" {
			return true
		}
		fn := n.Child("function")
		if fn == nil || fn.Kind != "attribute" {
			return true
		}
		c := f.ConstructOf(fn.Child("object"), nil)
		if c == nil {
			return true
		}
		if method == "register_reply" {
			c.OwnReplies = true
		} else if v := f.Positional(n, 0); v != nil {
			c.CapUpdate = v
		} else if kw := f.Kwarg(n, "value", nil); kw != nil {
			c.CapUpdate = kw.Value
		}
		return true
	})
}
