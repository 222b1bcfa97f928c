package diagnose

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
	"gopkg.in/yaml.v3"
)

var ruleStackedRetry = &Rule{
	ID:       "RLD3001",
	Title:    "Application retry around a chat stacks on the client's own retries",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    []Kind{KindPython, KindConfig},
	Doc: `Looks for a chat or run call (` + "`initiate_chat`" + `, ` + "`run`" + `, ` + "`run_stream`" + `, a model
client's ` + "`create`" + `) that the application retries — a ` + "`while`" + `/` + "`for attempt in range(n)`" + ` loop
whose ` + "`except`" + ` swallows ` + "`RateLimitError`" + `/` + "`APIError`" + `/` + "`Exception`" + ` and tries again, or a
tenacity/backoff ` + "`@retry`" + ` decorator — while the openai client underneath still retries on
its own (` + "`max_retries`" + ` defaults to 2).

**Why.** The layers multiply: 5 app attempts × 3 client requests = 15 requests per
failure, and an app retry of a whole chat replays every turn before the failure.

**Not flagged.** Loops over work items (` + "`for q in questions:`" + `), handlers that re-raise,
return or break, and code that sets ` + "`max_retries=0`" + ` on the client.

**Fix.** Keep one layer: set ` + "`max_retries=0`" + ` on the client (shown) and keep your retry
with backoff, or drop the app loop and raise the client's ` + "`max_retries`" + `.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD3001]`" + ` on the call's line.` + example("client = OpenAIChatCompletionClient(model=\"gpt-4o\")  # retries 2x by itself\n\n@retry(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))\nasync def ask(q):\n    return await agent.run(task=q)", "client = OpenAIChatCompletionClient(model=\"gpt-4o\", max_retries=0)  # one retry layer: the app's"),
	Run: checkStackedRetry,
}

// isRetryLoop tells a retry loop from a loop over work items.
func isRetryLoop(f *pyfacts.File, r *pyfacts.Retry, call *pyfacts.Node) bool {
	if r.Kind != "loop" {
		return true
	}
	loop := r.Node
	if loop.Kind == "for_statement" {
		right := loop.Child("right")
		if right == nil || right.Kind != "call" || f.CalleeName(right) != "range" {
			return false
		}
		// for i in range(len(tasks)): run(tasks[i]) walks work items.
		if v := r.LoopVar; v != "" && v != "_" && containsName(f, call, v) {
			return false
		}
	}
	// Success must leave the loop (break/return after the call), else it is a
	// job loop that runs the chat again and again.
	found := false
	var try *pyfacts.Node
	for p := call.Parent; p != nil && p != loop; p = p.Parent {
		if p.Kind == "try_statement" {
			try = p
		}
	}
	if try == nil {
		return false
	}
	var scan func(n *pyfacts.Node)
	scan = func(n *pyfacts.Node) {
		if n == nil || found {
			return
		}
		if n.Kind == "break_statement" || n.Kind == "return_statement" {
			found = true
			return
		}
		if n.Kind == "except_clause" || n.Kind == "function_definition" {
			return
		}
		for _, c := range n.Children {
			scan(c)
		}
	}
	for _, c := range try.Children {
		if c.Kind != "except_clause" && c.Kind != "finally_clause" {
			scan(c)
		}
	}
	if !found && loop.Kind == "while_statement" {
		cond := f.Text(loop.Child("condition"))
		found = !strings.Contains(cond, "True") && cond != "1" // while attempts < n / while not done
	}
	if !found && loop.Kind == "for_statement" {
		found = true // for attempt in range(n): the count bounds it
	}
	return found
}

// clientRetries finds what max_retries the file sets; zero means the client
// does not retry. ok is false when nothing sets it (the default 2 applies).
func clientRetries(f *pyfacts.File) (n float64, at *pyfacts.Node, ok bool) {
	for _, c := range f.Constructs {
		if !pyfacts.IsClient(c.Class) && c.Class != "OpenAIWrapper" {
			if a := c.Kw(f, "llm_config"); a != nil {
				if mr := f.DictGet(a.Value, "max_retries", a.Bind, 0); mr != nil {
					if v, vok := f.Number(mr.Value, mr.Bind); vok {
						return v, mr.Value, true
					}
				}
				if cl := f.DictGet(a.Value, "config_list", a.Bind, 0); cl != nil {
					for _, e := range f.ListItems(cl.Value, cl.Bind) {
						if mr := f.DictGet(e, "max_retries", cl.Bind, 0); mr != nil {
							if v, vok := f.Number(mr.Value, mr.Bind); vok {
								return v, mr.Value, true
							}
						}
					}
				}
			}
			continue
		}
		if a := c.Kw(f, "max_retries"); a != nil {
			if v, vok := f.Number(a.Value, a.Bind); vok {
				return v, a.Value, true
			}
		}
	}
	return 2, nil, false
}

// clientEdit sets max_retries=0 where the file builds its client or llm_config.
func clientEdit(src *Source) []Edit {
	f := src.Python
	if _, at, ok := clientRetries(f); ok && at != nil {
		if v, _ := f.Number(at, nil); v == 0 {
			return nil
		}
		return []Edit{replaceEdit(src, at, "0")}
	}
	for _, c := range f.Constructs {
		if pyfacts.IsClient(c.Class) && c.Class != "ChatCompletionCache" && c.Site == nil {
			if e, ok := insertKwargs(src, c.Call, "max_retries=0"); ok {
				return []Edit{e}
			}
		}
	}
	for _, c := range f.Constructs {
		if a := c.Kw(f, "llm_config"); a != nil && c.Site == nil {
			d := f.Resolve(a.Value, a.Bind)
			if d != nil && d.Kind == "dictionary" {
				return []Edit{insertPair(src, d, `"max_retries": 0`)}
			}
		}
	}
	return nil
}

// insertPair adds an entry right after a dict literal's opening brace.
func insertPair(src *Source, d *pyfacts.Node, pair string) Edit {
	sep := ", "
	if len(d.NamedChildren()) == 0 {
		sep = ""
	}
	return Edit{File: src.Name, Start: d.Start + 1, End: d.Start + 1, New: pair + sep}
}

func retryWhere(r *pyfacts.Retry) string {
	switch r.Kind {
	case "loop":
		return fmt.Sprintf("the retry loop on line %d", r.Node.Line)
	case "tenacity":
		return fmt.Sprintf("the tenacity @retry on line %d", r.Node.Line)
	case "backoff":
		return fmt.Sprintf("the backoff decorator on line %d", r.Node.Line)
	}
	return fmt.Sprintf("the retry decorator on line %d", r.Node.Line)
}

// configRetries reads max_retries from pasted config inputs (entries or the
// llm_config), the lowest value found.
func configRetries(p *Pass) (float64, bool) {
	best, found := 0.0, false
	for _, src := range configSources(p) {
		nodes := []*yaml.Node{src.Config.LLMConfig}
		for _, e := range src.Config.Entries {
			nodes = append(nodes, e.Node)
		}
		for _, m := range nodes {
			if v, ok := scalar(m, "max_retries"); ok {
				if x, err := strconv.ParseFloat(v.Value, 64); err == nil && (!found || x < best) {
					best, found = x, true
				}
			}
		}
	}
	return best, found
}

func checkStackedRetry(p *Pass) {
	cfgN, cfgSet := configRetries(p)
	for _, src := range pythonSources(p) {
		f := src.Python
		n, _, set := clientRetries(f)
		if !set && cfgSet {
			n, set = cfgN, true // from the OAI_CONFIG_LIST pasted with the code
		}
		if set && n == 0 {
			continue // the client does not retry: one layer only
		}
		seen := map[*pyfacts.Node]bool{}
		var edits []Edit
		editsDone := false
		for _, ch := range f.Chats {
			if ch.Retry == nil || seen[ch.Retry.Node] || !isRetryLoop(f, ch.Retry, ch.Call) {
				continue
			}
			if !editsDone { // one edit for the file: the client is shared
				edits, editsDone = clientEdit(src), true
			}
			seen[ch.Retry.Node] = true
			client := "the openai client's own retries (max_retries defaults to 2)"
			if set {
				client = fmt.Sprintf("the client's max_retries=%g", n)
			}
			msg := fmt.Sprintf("%s is retried by %s on top of %s: every failure becomes several requests against the same limit", shortCall(f, ch), retryWhere(ch.Retry), client)
			reportPy(p, src, ch.Call, msg, edits, Diag{})
		}
	}
}

func shortCall(f *pyfacts.File, ch *pyfacts.ChatCall) string {
	t := f.Text(ch.Call.Child("function"))
	return strings.Join(strings.Fields(t), "") + "(...)"
}

var ruleRetryNoBackoff = &Rule{
	ID:       "RLD3002",
	Title:    "Retry on rate limit without backoff",
	Cause:    CauseDoubleRetry,
	Severity: SeverityWarning,
	Article:  "stacked-retries",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for an application retry around a chat or model call that waits a fixed short
time (` + "`time.sleep(2)`" + `) or not at all, or a tenacity ` + "`@retry`" + ` without ` + "`wait=`" + ` (tenacity
waits 0 s by default) or with ` + "`wait_fixed`" + `.

**Why.** A rate limit resets over a window; retrying at once, or at a steady pace,
keeps the bucket empty and turns one 429 into a stream of them.

**Not flagged.** Sleeps that grow (` + "`2 ** attempt`" + `, ` + "`delay *= 2`" + `), sleeps of 30 s or more,
sleeps that read the server's retry-after, ` + "`backoff.expo`" + `, tenacity ` + "`wait_random_exponential`" + `.

**Fix.** Exponential backoff with jitter: ` + "`wait=wait_random_exponential(min=1, max=60)`" + `
for tenacity, ` + "`time.sleep(min(60, 2 ** attempt))`" + ` in a loop.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD3002]`" + ` on the retry's line.` + example("for attempt in range(10):\n    try:\n        user.initiate_chat(assistant, message=task)\n        break\n    except openai.RateLimitError:\n        time.sleep(2)", "for attempt in range(6):\n    try:\n        user.initiate_chat(assistant, message=task)\n        break\n    except openai.RateLimitError:\n        time.sleep(min(60, 2 ** attempt) + random.random())"),
	Run: checkRetryNoBackoff,
}

func checkRetryNoBackoff(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		seen := map[*pyfacts.Node]bool{}
		for _, ch := range f.Chats {
			r := ch.Retry
			if r == nil || seen[r.Node] || !isRetryLoop(f, r, ch.Call) {
				continue
			}
			seen[r.Node] = true
			switch r.Backoff {
			case "none":
			case "fixed":
				if r.Sleep != nil {
					if v, ok := f.Number(f.Positional(r.Sleep, 0), nil); ok && v >= 30 {
						continue
					}
				}
			default:
				continue
			}
			var edits []Edit
			var msg string
			switch r.Kind {
			case "tenacity":
				what := "has no wait (tenacity waits 0 s by default)"
				if r.Backoff == "fixed" {
					what = "waits a fixed time (wait_fixed), not an exponential one"
				}
				msg = fmt.Sprintf("the tenacity @retry on line %d around %s %s: it retries into the same rate limit", r.Node.Line, shortCall(f, ch), what)
				expr := r.Node.NamedChildren()[0]
				if expr.Kind == "call" {
					if w := f.Kwarg(expr, "wait", nil); w != nil && w.Splat == nil {
						edits = append(edits, replaceEdit(src, w.Value, "wait_random_exponential(min=1, max=60)"))
					} else if e, ok := insertKwargs(src, expr, "wait=wait_random_exponential(min=1, max=60)"); ok {
						edits = append(edits, e)
					}
				} else {
					edits = append(edits, replaceEdit(src, expr, f.Text(expr)+"(wait=wait_random_exponential(min=1, max=60), stop=stop_after_attempt(6))"))
				}
				if e, ok := addImport(src, "wait_random_exponential", "from tenacity import stop_after_attempt, wait_random_exponential"); ok {
					edits = append(edits, e)
				}
			default:
				what := "retries at once with no sleep"
				if r.Backoff == "fixed" {
					what = fmt.Sprintf("waits a fixed %s between tries", f.Text(r.Sleep))
				}
				msg = fmt.Sprintf("the retry loop on line %d around %s %s: it retries into the same rate limit", r.Node.Line, shortCall(f, ch), what)
				if r.LoopVar != "" && r.LoopVar != "_" {
					growth := fmt.Sprintf("min(60, 2 ** %s)", r.LoopVar)
					if r.Sleep != nil {
						if a := f.Positional(r.Sleep, 0); a != nil {
							edits = append(edits, replaceEdit(src, a, growth))
						}
					} else if r.Handler != nil {
						edits = append(edits, handlerSleep(src, r.Handler, growth)...)
					}
				}
			}
			d := Diag{}
			if len(edits) == 0 {
				d.Fix = "sleep with exponential growth and jitter between tries, e.g. time.sleep(min(60, 2 ** attempt) + random.random())"
			}
			reportPy(p, src, r.Node, msg, edits, d)
		}
	}
}

// handlerSleep inserts a sleep as the first statement of an except clause.
func handlerSleep(src *Source, clause *pyfacts.Node, growth string) []Edit {
	var block *pyfacts.Node
	for _, c := range clause.Children {
		if c.Kind == "block" {
			block = c
		}
	}
	if block == nil || len(block.NamedChildren()) == 0 {
		return nil
	}
	first := block.NamedChildren()[0]
	if first.Line == clause.Line {
		return nil // one-line handler: no safe edit
	}
	indent := src.Python.Indent(first.Line)
	at := src.Python.LineStart(first.Line)
	edits := []Edit{{File: src.Name, Start: at, End: at, New: indent + "time.sleep(" + growth + ")" + newline(src)}}
	if e, ok := addImport(src, "time", "import time"); ok {
		edits = append(edits, e)
	}
	return edits
}

// containsName reports whether an identifier occurs inside n.
func containsName(f *pyfacts.File, n *pyfacts.Node, name string) bool {
	if n.Kind == "identifier" && f.Text(n) == name {
		return true
	}
	for _, c := range n.Children {
		if containsName(f, c, name) {
			return true
		}
	}
	return false
}
