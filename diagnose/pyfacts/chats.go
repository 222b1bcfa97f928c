package pyfacts

import "strings"

// chatMethods are methods that start model calls.
var chatMethods = map[string]bool{
	"initiate_chat": true, "a_initiate_chat": true, "initiate_chats": true, "a_initiate_chats": true,
	"run": true, "a_run": true, "run_stream": true, "on_messages": true, "on_messages_stream": true,
	"generate_reply": true, "a_generate_reply": true, "create": true, "acreate": true,
	"invoke": true, "ainvoke": true, "run_chat": true, "a_run_chat": true,
}

func (f *File) findChats() {
	walk(f.Root, func(n *Node) bool {
		if n.Kind != "call" {
			return true
		}
		fn := n.Child("function")
		if fn == nil {
			return true
		}
		var method string
		var recv *Node
		switch fn.Kind {
		case "attribute":
			method = f.Text(fn.Child("attribute"))
			recv = fn.Child("object")
		case "identifier":
			method = f.Text(fn)
		}
		if !chatMethods[method] || !f.isChatCall(method, recv, n) {
			return true
		}
		c := &ChatCall{Method: method, Call: n, Receiver: recv, Func: scopeOf(n), InLoop: inLoop(n)}
		c.Retry = f.retryAround(n)
		f.Chats = append(f.Chats, c)
		return true
	})
}

// isChatCall rules out the many unrelated `run`/`create`/`invoke` methods.
func (f *File) isChatCall(method string, recv, call *Node) bool {
	if recv == nil {
		// free functions: autogen.initiate_chats(...) imported by name.
		return method == "initiate_chats" || method == "a_initiate_chats"
	}
	rt := f.Text(recv)
	switch method {
	case "initiate_chat", "a_initiate_chat", "initiate_chats", "a_initiate_chats", "run_stream",
		"on_messages", "on_messages_stream", "generate_reply", "a_generate_reply", "run_chat", "a_run_chat":
		return true
	case "create", "acreate":
		// client.chat.completions.create, model_client.create, openai.ChatCompletion.create
		if strings.HasSuffix(rt, "completions") || strings.HasSuffix(rt, "ChatCompletion") || strings.HasSuffix(rt, "messages") {
			return true
		}
		c := f.ConstructOf(recv, nil)
		return c != nil && IsClient(c.Class)
	case "run", "a_run":
		if c := f.ConstructOf(recv, nil); c != nil {
			return !IsClient(c.Class)
		}
		if f.Kwarg(call, "task", nil) != nil {
			return true
		}
		l := strings.ToLower(rt)
		if rt == "asyncio" || rt == "subprocess" || rt == "app" || strings.HasSuffix(l, "loop") || strings.Contains(l, "uvicorn") {
			return false
		}
		return strings.Contains(l, "team") || strings.Contains(l, "agent") || strings.Contains(l, "chat") || strings.Contains(l, "flow")
	case "invoke", "ainvoke":
		l := strings.ToLower(rt)
		return strings.Contains(l, "llm") || strings.Contains(l, "model") || strings.Contains(l, "chain")
	}
	return false
}

// rateLimitErrors are exception names whose catching means "retry on 429".
var broadErrors = []string{"RateLimitError", "APIError", "APIStatusError", "OpenAIError", "Exception", "BaseException",
	"ResourceExhausted", "TooManyRequests", "HTTPStatusError", "APIConnectionError", "ServiceUnavailableError", "InternalServerError"}

func mentionsBroadError(t string) bool {
	for _, e := range broadErrors {
		if strings.Contains(t, e) {
			return true
		}
	}
	return false
}

// tenacityRetriesRateLimits reads a tenacity @retry(...)'s retry= argument:
// false when it retries only on named exception types that do not cover a
// 429 (retry_if_exception_type(ValueError)) or only on results
// (retry_if_result); true when it has none (tenacity retries on any error)
// or we cannot tell.
func (f *File) tenacityRetriesRateLimits(call *Node) bool {
	kw := f.Kwarg(call, "retry", nil)
	if kw == nil {
		return true
	}
	t := f.Text(f.Resolve(kw.Value, nil))
	switch {
	case mentionsBroadError(t), strings.Contains(t, "retry_if_not_exception"), strings.Contains(t, "retry_any"), strings.Contains(t, "retry_always"):
		return true
	case strings.Contains(t, "retry_if_exception_type"), strings.Contains(t, "retry_if_result"), strings.Contains(t, "retry_if_exception_message"):
		return false
	}
	return true
}

func catchesRateLimit(f *File, clause *Node) bool {
	var types []string
	for _, c := range clause.NamedChildren() {
		if c.Kind == "block" {
			break
		}
		types = append(types, f.Text(c))
	}
	if len(types) == 0 {
		return true // bare except:
	}
	t := strings.Join(types, " ")
	for _, e := range broadErrors {
		if strings.Contains(t, e) {
			return true
		}
	}
	return false
}

// handlerGivesUp reports whether an except clause always leaves the loop
// (raise, return, break, sys.exit as a top-level statement of its block).
func handlerGivesUp(f *File, clause *Node) bool {
	var block *Node
	for _, c := range clause.Children {
		if c.Kind == "block" {
			block = c
		}
	}
	if block == nil {
		return false
	}
	for _, s := range block.NamedChildren() {
		switch s.Kind {
		case "raise_statement", "return_statement", "break_statement":
			return true
		case "expression_statement":
			t := f.Text(s)
			if strings.HasPrefix(t, "sys.exit") || strings.HasPrefix(t, "exit(") || strings.HasPrefix(t, "quit(") {
				return true
			}
		}
	}
	return false
}

// retryAround finds an application-level retry that repeats n on failure.
func (f *File) retryAround(n *Node) *Retry {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Kind == "function_definition" {
			return f.decoratorRetry(p)
		}
		if p.Kind != "try_statement" || !contains(p.Child("body"), n) {
			continue
		}
		for _, clause := range p.Children {
			if clause.Kind != "except_clause" && clause.Kind != "except_group_clause" {
				continue
			}
			if !catchesRateLimit(f, clause) || handlerGivesUp(f, clause) {
				continue
			}
			loop := enclosingLoop(p)
			if loop == nil {
				continue
			}
			r := &Retry{Kind: "loop", Node: loop, Handler: clause}
			if loop.Kind == "for_statement" && loop.Child("left") != nil {
				r.LoopVar = f.Text(loop.Child("left"))
			}
			r.Backoff, r.Sleep = f.loopBackoff(loop, r.LoopVar)
			return r
		}
	}
	return nil
}

func enclosingLoop(n *Node) *Node {
	for p := n.Parent; p != nil; p = p.Parent {
		switch p.Kind {
		case "for_statement", "while_statement":
			return p
		case "function_definition", "lambda", "class_definition":
			return nil
		}
	}
	return nil
}

// loopBackoff classifies the sleeps in a retry loop.
func (f *File) loopBackoff(loop *Node, loopVar string) (string, *Node) {
	var sleep *Node
	walk(loop.Child("body"), func(n *Node) bool {
		if sleep != nil || n.Kind == "function_definition" {
			return false
		}
		if n.Kind == "call" {
			p := f.CalleePath(n)
			if p == "time.sleep" || p == "asyncio.sleep" || p == "sleep" {
				sleep = n
			}
		}
		return true
	})
	if sleep == nil {
		return "none", nil
	}
	arg := f.Positional(sleep, 0)
	if arg == nil {
		return "none", sleep
	}
	if arg.Kind == "identifier" && f.grows(loop, f.Text(arg)) {
		return "exponential", sleep
	}
	if _, ok := f.Number(arg, nil); ok {
		return "fixed", sleep
	}
	t := f.Text(arg)
	if strings.Contains(t, "**") || strings.Contains(t, "<<") || strings.Contains(t, "expo") || strings.Contains(t, "backoff") ||
		loopVar != "" && strings.Contains(t, loopVar) || strings.Contains(t, "retry_after") || strings.Contains(t, "retry-after") {
		return "exponential", sleep
	}
	return "unknown", sleep
}

// decoratorRetry recognises tenacity/backoff retry decorators on fn.
func (f *File) decoratorRetry(fn *Node) *Retry {
	dd := fn.Parent
	if dd == nil || dd.Kind != "decorated_definition" {
		return nil
	}
	for _, d := range dd.Children {
		if d.Kind != "decorator" {
			continue
		}
		expr := d.NamedChildren()
		if len(expr) == 0 {
			continue
		}
		e := expr[0]
		path := f.Text(e)
		var call *Node
		if e.Kind == "call" {
			call = e
			path = f.CalleePath(e)
		}
		origin := f.Origin(path)
		switch {
		case strings.HasPrefix(origin, "tenacity") || path == "retry" || strings.HasSuffix(path, ".retry"):
			r := &Retry{Kind: "tenacity", Node: d, Backoff: "none"}
			if call != nil && !f.tenacityRetriesRateLimits(call) {
				return nil // retries only on other errors (a parse failure, a result)
			}
			if call != nil {
				if w := f.Kwarg(call, "wait", nil); w != nil {
					t := f.Text(w.Value)
					switch {
					case strings.Contains(t, "wait_fixed") || strings.Contains(t, "wait_none"):
						r.Backoff = "fixed"
					default:
						r.Backoff = "exponential"
					}
				}
			}
			return r
		case strings.HasPrefix(origin, "backoff."):
			if strings.HasSuffix(origin, "on_predicate") {
				return nil // retries on a returned value, not on errors
			}
			if call != nil {
				if exc := f.Positional(call, 1); exc != nil && !mentionsBroadError(f.Text(exc)) {
					return nil // backoff.on_exception(backoff.expo, ValueError)
				}
			}
			r := &Retry{Kind: "backoff", Node: d, Backoff: "exponential"}
			if call != nil {
				if a := f.Positional(call, 0); a != nil && strings.Contains(f.Text(a), "constant") {
					r.Backoff = "fixed"
				}
			}
			return r
		case strings.Contains(strings.ToLower(path), "retry"):
			return &Retry{Kind: "decorator", Node: d, Backoff: "unknown"}
		}
	}
	return nil
}

// grows reports whether a variable is increased inside a loop
// (delay *= 2, delay = delay * 2, delay += step).
func (f *File) grows(loop *Node, name string) bool {
	grows := false
	walk(loop, func(m *Node) bool {
		if m.Kind == "augmented_assignment" && f.Text(m.Child("left")) == name {
			grows = true
		}
		if m.Kind == "assignment" && f.Text(m.Child("left")) == name && strings.Contains(f.Text(m.Child("right")), name) {
			grows = true
		}
		return !grows
	})
	return grows
}
