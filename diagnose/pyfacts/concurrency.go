package pyfacts

import "strings"

// findConcurrency records the places where chats run at the same time.
func (f *File) findConcurrency() {
	walk(f.Root, func(n *Node) bool {
		if n.Kind == "with_item" && throttleName(f.Text(n)) {
			// async with limiter: / with rate_limit: on a throttle made
			// elsewhere (imported, passed in).
			f.Semaphores = append(f.Semaphores, n)
		}
		if n.Kind == "call" {
			path := f.CalleePath(n)
			origin := f.Origin(path)
			name := f.CalleeName(n)
			switch {
			case name == "gather" && (strings.HasPrefix(origin, "asyncio") || path == "gather"):
				f.addConcurrent("asyncio.gather", n, n.Child("arguments"), 0)
			case name == "create_task" || name == "ensure_future":
				if inLoop(n) || strings.Contains(path, "tg.") || strings.Contains(strings.ToLower(path), "group") {
					f.addConcurrent("create_task", n, n.Child("arguments"), 0)
				}
			case name == "a_initiate_chats":
				c := &Concurrent{Kind: "a_initiate_chats", Node: n, Width: f.chatQueueWidth(n)}
				for _, ch := range f.Chats {
					if ch.Call == n {
						c.Chats = append(c.Chats, ch)
					}
				}
				f.Concurrency = append(f.Concurrency, c)
			case name == "map" || name == "submit" || name == "starmap" || name == "imap" || name == "imap_unordered" || name == "apply_async" || name == "map_async":
				obj := n.Child("function").Child("object")
				if obj == nil {
					break
				}
				pool := f.Resolve(obj, nil)
				kind, width := f.poolKind(obj, pool)
				if name != "submit" && name != "apply_async" {
					// pool.map(fn, ["a", "b"]): no more at once than items.
					if items := f.iterationCount(f.Positional(n, 1), 0); items > 0 && (width == 0 || items < width) {
						width = items
					}
				}
				if kind != "" {
					f.addConcurrent(kind, n, n.Child("arguments"), width)
				}
			case name == "Thread" || name == "Process":
				if kw := f.Kwarg(n, "target", nil); kw != nil && inLoop(n) {
					f.addConcurrent("threading.Thread", n, kw.Value, 0)
				}
			case isThrottle(name):
				f.Semaphores = append(f.Semaphores, n)
			}
		}
		return true
	})
}

// poolKind recognises executor and multiprocessing pools (also when the pool
// is the target of a `with ... as pool` clause).
func (f *File) poolKind(obj, pool *Node) (string, int) {
	if pool == obj {
		// with ThreadPoolExecutor(max_workers=4) as ex: ex.map(...)
		name := f.Text(obj)
		for p := obj.Parent; p != nil; p = p.Parent {
			if p.Kind == "with_statement" {
				walk(p, func(m *Node) bool {
					if m.Kind == "as_pattern" && strings.HasSuffix(strings.TrimSpace(f.Text(m)), name) {
						if cs := m.NamedChildren(); len(cs) > 0 && cs[0].Kind == "call" {
							pool = cs[0]
						}
					}
					return pool == obj
				})
			}
		}
	}
	if pool == nil || pool.Kind != "call" {
		return "", 0
	}
	cn := f.CalleeName(pool)
	width := 0
	if kw := f.Kwarg(pool, "max_workers", nil); kw != nil {
		if v, ok := f.Number(kw.Value, nil); ok {
			width = int(v)
		}
	} else if kw := f.Kwarg(pool, "processes", nil); kw != nil {
		if v, ok := f.Number(kw.Value, nil); ok {
			width = int(v)
		}
	} else if a := f.Positional(pool, 0); a != nil {
		if v, ok := f.Number(a, nil); ok {
			width = int(v)
		}
	}
	switch cn {
	case "ThreadPoolExecutor", "ThreadPool":
		return "ThreadPoolExecutor", width
	case "ProcessPoolExecutor":
		return "ProcessPoolExecutor", width
	case "Pool":
		return "multiprocessing", width
	}
	return "", 0
}

// addConcurrent records a concurrency site when what it starts reaches a
// chat call (directly, or through functions defined in this file).
func (f *File) addConcurrent(kind string, n, args *Node, width int) {
	c := &Concurrent{Kind: kind, Node: n, Width: width}
	seen := map[*Node]bool{}
	var visit func(x *Node, depth int)
	visit = func(x *Node, depth int) {
		if x == nil || depth > 3 || seen[x] {
			return
		}
		seen[x] = true
		walk(x, func(m *Node) bool {
			for _, ch := range f.Chats {
				if ch.Call == m {
					c.Chats = append(c.Chats, ch)
				}
			}
			var ref string
			switch m.Kind {
			case "call":
				if fn := m.Child("function"); fn != nil && fn.Kind == "identifier" {
					ref = f.Text(fn)
				} else if fn != nil && fn.Kind == "attribute" {
					ref = f.Text(fn.Child("attribute"))
				}
			case "identifier":
				ref = f.Text(m)
				if r := f.Resolve(m, nil); r != m && r != nil && depth < 3 {
					visit(r, depth+1)
				}
			}
			for _, def := range f.Funcs[ref] {
				visit(def.Child("body"), depth+1)
			}
			return true
		})
	}
	visit(args, 0)
	if kind == "asyncio.gather" && width == 0 {
		width = len(args.NamedChildren())
		for _, a := range args.NamedChildren() {
			if a.Kind == "list_splat" {
				// *tasks: as many as it iterates when that is written down
				// (a literal list, range(3)); else unknown, usually many.
				n := 0
				if cs := a.NamedChildren(); len(cs) == 1 {
					n = f.iterationCount(cs[0], 0)
				}
				if n == 0 {
					width = 0
					break
				}
				width += n - 1
			}
		}
	}
	c.Width = width
	if len(c.Chats) > 0 {
		f.Concurrency = append(f.Concurrency, c)
	}
}

// chatQueueWidth is how many chats of an a_initiate_chats queue start at
// once: the entries with no "prerequisites" (the others wait for those).
// 0 when the queue is not a list we can read.
func (f *File) chatQueueWidth(call *Node) int {
	queue := f.Positional(call, 0)
	if queue == nil {
		if kw := f.Kwarg(call, "chat_queue", nil); kw != nil {
			queue = kw.Value
		}
	}
	items := f.ListItems(queue, nil)
	if len(items) == 0 {
		return 0
	}
	free := 0
	for _, it := range items {
		if !f.IsDict(it, nil) {
			return 0
		}
		if pre := f.DictGet(it, "prerequisites", nil, 0); pre == nil || len(f.ListItems(pre.Value, nil)) == 0 {
			free++
		}
	}
	return free
}

// isThrottle recognises semaphores and rate limiters by their class name,
// the library ones (asyncio.Semaphore, aiolimiter.AsyncLimiter, anyio's
// CapacityLimiter) and a project's own (SharedRateLimiter, RequestThrottle).
func isThrottle(name string) bool {
	if name == "" || name[0] < 'A' || name[0] > 'Z' {
		return false // a class is called, not a function like limit()
	}
	for _, suffix := range []string{"Semaphore", "Limiter", "Throttle", "Throttler", "TokenBucket", "LeakyBucket"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return strings.Contains(name, "TokenBucket")
}

// iterationCount is how many items a comprehension or list yields when the
// code spells it out: [f(x) for x in ["a", "b"]], (g(i) for i in range(3)),
// a literal list, a name bound to one of those. 0 when unknown.
func (f *File) iterationCount(n *Node, depth int) int {
	if n == nil || depth > 3 {
		return 0
	}
	r := f.Resolve(n, nil)
	if r == nil {
		return 0
	}
	switch r.Kind {
	case "list", "tuple":
		for _, it := range r.NamedChildren() {
			if it.Kind == "list_splat" {
				return 0
			}
		}
		return len(r.NamedChildren())
	case "list_comprehension", "generator_expression":
		clauses := 0
		var right *Node
		for _, c := range r.NamedChildren() {
			switch c.Kind {
			case "for_in_clause":
				clauses++
				right = c.Child("right")
			case "if_clause":
				return 0 // filtered: fewer, but how many we cannot say
			}
		}
		if clauses != 1 {
			return 0
		}
		return f.iterationCount(right, depth+1)
	case "call":
		if f.CalleeName(r) == "range" {
			args := r.Child("arguments").NamedChildren()
			if len(args) == 1 {
				if v, ok := f.Number(args[0], nil); ok && v >= 0 && v < 1e6 {
					return int(v)
				}
			}
		}
	}
	return 0
}

// throttleName reports whether a with-item names a throttle
// (semaphore, sem, limiter, rate_limit, throttle).
func throttleName(t string) bool {
	l := strings.ToLower(t)
	for _, w := range []string{"semaphore", "limiter", "rate_limit", "ratelimit", "throttle"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(l, func(r rune) bool { return r != '_' && (r < 'a' || r > 'z') }) {
		if w == "sem" || strings.HasSuffix(w, "_sem") || strings.HasPrefix(w, "sem_") {
			return true
		}
	}
	return false
}
