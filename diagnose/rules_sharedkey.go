package diagnose

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

// minParallel is the known number of parallel runs from which a shared key
// is flagged; an unknown number (a comprehension, *tasks, a default pool)
// always is.
const minParallel = 4

var ruleSharedKeyConcurrent = &Rule{
	ID:       "RLD2001",
	Title:    "Concurrent chats share one API key with no throttle",
	Cause:    CauseSharedKey,
	Severity: SeverityWarning,
	Article:  "shared-api-key",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for chats or model calls started concurrently — ` + "`asyncio.gather`" + `, tasks created
in a loop, ` + "`ThreadPoolExecutor`" + `/` + "`ProcessPoolExecutor`" + `, ` + "`multiprocessing`" + `,
` + "`a_initiate_chats`" + ` — when every agent draws on one key (one env var, one config list
or one client) and nothing throttles them (no semaphore, no rate limiter, no
` + "`api_rate_limit`" + `).

**Why.** Limits are per organisation/key (per deployment on Azure): N parallel
conversations fill the same requests- and tokens-per-minute bucket N times faster.

**Not flagged.** Sequential chats (sharing a key one after another is normal), two
fixed tasks (fewer than 4), code with a semaphore or limiter, or several distinct keys.

**Fix.** Bound the concurrency (a semaphore, ` + "`max_workers=2`" + `) or spread the work over
separate keys/deployments.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD2001]`" + ` on the line that starts the runs.` + example("await asyncio.gather(*[review(doc) for doc in docs])", "limit = asyncio.Semaphore(2)\n\nasync def limited(doc):\n    async with limit:\n        return await review(doc)\n\nawait asyncio.gather(*[limited(doc) for doc in docs])"),
	Run: checkSharedKeyConcurrent,
}

// keySources counts the distinct places keys come from in a file.
// keySources lists the distinct keys the file draws on. An Azure deployment
// is another dimension of the same limit (one key and one deployment is one
// bucket), so deployments only count when there is no key: several
// deployments, like several keys, mean the work may be spread.
func keySources(f *pyfacts.File) []string {
	keys, deployments := map[string]bool{}, map[string]bool{}
	for _, n := range f.Keyed["api_key"] {
		keys[keyIdentity(f, n.Child("value"))] = true
	}
	for _, n := range f.Keyed["azure_deployment"] {
		deployments[keyIdentity(f, n.Child("value"))] = true
	}
	for _, n := range f.Calls("config_list_from_json") {
		keys["config:"+f.Text(f.Positional(n, 0))] = true
	}
	set := keys
	if len(keys) == 0 || len(deployments) > 1 {
		for d := range deployments {
			set[d] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func keyIdentity(f *pyfacts.File, v *pyfacts.Node) string {
	if env, ok := f.EnvVar(v); ok {
		return "env:" + env
	}
	if s, ok := f.Str(v, nil); ok {
		return "literal:" + s
	}
	r := f.Resolve(v, nil)
	return "expr:" + f.Text(r)
}

func checkSharedKeyConcurrent(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		if len(f.Semaphores) > 0 || strings.Contains(string(src.Text), "api_rate_limit") {
			continue // throttled
		}
		keys := keySources(f)
		if len(keys) > 1 {
			continue // several keys: cannot say they share one
		}
		for _, c := range f.Concurrency {
			if c.Width > 0 && c.Width < minParallel {
				continue // a few fixed tasks: a small, short burst
			}
			key := "the default OPENAI_API_KEY"
			if len(keys) == 1 {
				key = strings.SplitN(keys[0], ":", 2)[1]
				switch {
				case strings.HasPrefix(keys[0], "literal:"):
					key = "one hard-coded key"
				case strings.HasPrefix(keys[0], "config:"):
					key = "the key in " + key
				}
			}
			width := "several"
			if c.Width > 0 {
				width = fmt.Sprint(c.Width)
			}
			msg := fmt.Sprintf("%s on line %d runs %s chats at once (%s), all on %s, with no semaphore or rate limiter: their calls burst into the same per-minute limit",
				c.Kind, c.Node.Line, width, shortCall(f, c.Chats[0]), key)
			var edits []Edit
			d := Diag{}
			if c.Kind == "ThreadPoolExecutor" || c.Kind == "ProcessPoolExecutor" {
				if pool := poolCall(f, c.Node); pool != nil {
					if a := f.Kwarg(pool, "max_workers", nil); a != nil && a.Splat == nil {
						edits = append(edits, replaceEdit(src, a.Value, "2"))
					} else if e, ok := insertKwargs(src, pool, "max_workers=2"); ok && f.Positional(pool, 0) == nil {
						edits = append(edits, e)
					}
				}
			}
			if len(edits) == 0 {
				d.Fix = "limit = asyncio.Semaphore(2)\n\nasync def limited(coro):\n    async with limit:\n        return await coro\n\n# wrap each run: asyncio.gather(*(limited(run(x)) for x in items))"
			}
			reportPy(p, src, c.Node, msg, edits, d)
		}
	}
}

// poolCall finds the executor construction behind pool.map/submit.
func poolCall(f *pyfacts.File, call *pyfacts.Node) *pyfacts.Node {
	obj := call.Child("function").Child("object")
	if obj == nil {
		return nil
	}
	r := f.Resolve(obj, nil)
	if r != nil && r.Kind == "call" {
		return r
	}
	name := f.Text(obj)
	var found *pyfacts.Node
	for p := call.Parent; p != nil && found == nil; p = p.Parent {
		if p.Kind != "with_statement" {
			continue
		}
		var visit func(n *pyfacts.Node)
		visit = func(n *pyfacts.Node) {
			if found != nil || n.Kind == "block" {
				return
			}
			if n.Kind == "as_pattern" && strings.HasSuffix(strings.TrimSpace(f.Text(n)), name) {
				if cs := n.NamedChildren(); len(cs) > 0 && cs[0].Kind == "call" {
					found = cs[0]
				}
			}
			for _, c := range n.Children {
				visit(c)
			}
		}
		visit(p)
	}
	return found
}

var ruleConfigSharedKey = &Rule{
	ID:       "RLD2002",
	Title:    "Config entries have no api_rate_limit while the code runs chats in parallel",
	Cause:    CauseSharedKey,
	Severity: SeverityWarning,
	Article:  "client-side-throttling",
	Kinds:    []Kind{KindConfig, KindPython},
	Doc: `Reads a config list together with the code: when the code runs chats concurrently (see
RLD2001) and the config_list entries they use set no ` + "`api_rate_limit`" + `, every parallel
agent sends at full speed on the same key or deployment.

**Why.** Each agent has its own client and its own limiter; with none, N agents
multiply the request rate by N against one per-minute budget.

**Not flagged.** Configs pasted without code, code that runs chats one after
another, entries that already set ` + "`api_rate_limit`" + `, and code with its own semaphore.

**Fix.** Add ` + "`\"api_rate_limit\"`" + ` (requests per second, per agent) to each entry: your
RPM / 60 / number of parallel agents, e.g. 0.5.

**Suppress** with ` + "`ratelimit-doctor: ignore[RLD2002]`" + ` in a comment of the code file
(JSON has no comments) or ` + "`# ratelimit-doctor: ignore[RLD2002]`" + ` in a YAML config.`,
	Run: checkConfigSharedKey,
}

func checkConfigSharedKey(p *Pass) {
	var where string
	for _, src := range pythonSources(p) {
		f := src.Python
		if len(f.Semaphores) > 0 || strings.Contains(string(src.Text), "api_rate_limit") {
			continue
		}
		for _, c := range f.Concurrency {
			if c.Width == 0 || c.Width >= minParallel {
				where = fmt.Sprintf("%s in %s line %d", c.Kind, src.Name, c.Node.Line)
				break
			}
		}
		if where != "" {
			break
		}
	}
	if where == "" {
		return
	}
	for _, src := range configSources(p) {
		cf := src.Config
		if len(cf.Entries) == 0 {
			continue
		}
		limited := false
		for _, e := range cf.Entries {
			if _, ok := scalar(e.Node, "api_rate_limit"); ok {
				limited = true
			}
		}
		if limited {
			continue
		}
		var edits []Edit
		for _, e := range cf.Entries {
			if ed, ok := configInsert(cf, src.Name, e.Node, "api_rate_limit", "0.5"); ok {
				edits = append(edits, ed)
			}
		}
		first := cf.Entries[0].Node
		p.Report(Diag{Source: src, Line: first.Line, Column: first.Column,
			Message: fmt.Sprintf("%d config_list %s set no api_rate_limit, and %s runs chats in parallel: every agent sends at full speed on the same key",
				len(cf.Entries), pluralWord(len(cf.Entries), "entry", "entries"), where),
			Evidence: cf.LineText(first.Line),
			Edits:    edits,
			Fix:      configFixText(cf, edits)})
	}
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
