package pyfacts

import (
	"context"
	"fmt"
	"strings"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

func parse(t testing.TB, src string) *File {
	t.Helper()
	f, err := Parse(context.Background(), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestGeneration(t *testing.T) {
	cases := map[string]string{
		"import autogen\n":                                                   "0.2",
		"from autogen import AssistantAgent\n":                               "0.2",
		"from autogen.agentchat import GroupChat\n":                          "0.2",
		"import ag2\n":                                                       "0.2",
		"from autogen_agentchat.agents import AssistantAgent\n":              "0.4",
		"from autogen_ext.models.openai import OpenAIChatCompletionClient\n": "0.4",
		"import os\n": "",
		"x = AssistantAgent('a', model_client=c)\n": "0.4",
		"x = AssistantAgent('a', llm_config=cfg)\n": "0.2",
		// Fragments with neither imports nor telling constructors: the calls say.
		"r = user_proxy.initiate_chat(assistant, message='hi')\n":          "0.2",
		"await Console(team.run_stream(task=task))\n":                      "0.4",
		"cl = config_list_from_json('OAI_CONFIG_LIST')\n":                  "0.2",
		"a = AssistantAgent('a')\nawait Console(a.run_stream(task='x'))\n": "0.4",
		"team.run(task=t)\nu.initiate_chat(a)\nawait Console(s)\n":         "",
	}
	for src, want := range cases {
		if got := parse(t, src).Generation; got != want {
			t.Errorf("%q: generation %q, want %q", src, got, want)
		}
	}
}

func TestResolveThroughNamesDictsAndHelpers(t *testing.T) {
	f := parse(t, `
import os
import autogen
MAX = 50
base = {"model": "gpt-4", "api_key": os.environ["OPENAI_API_KEY"], "temperature": 1}
cfg = {**base, "temperature": 0}
llm_config = dict(config_list=[cfg], cache_seed=None)
def make(name, cap=MAX):
    return autogen.AssistantAgent(name, llm_config=llm_config, max_consecutive_auto_reply=cap)
a = make("a")
b = make("b", cap=3)
u = autogen.UserProxyAgent("u", **{"human_input_mode": "NEVER"})
`)
	if len(f.Constructs) != 3 {
		t.Fatalf("constructs = %d, want 3 (two through the helper)", len(f.Constructs))
	}
	caps := map[string]float64{}
	for _, c := range f.Constructs[:2] {
		a := c.Kw(f, "max_consecutive_auto_reply")
		v, ok := f.Number(a.Value, a.Bind)
		if !ok {
			t.Fatalf("%s: cap not resolved", c.Var)
		}
		caps[c.Name(f)] = v
	}
	if caps["a"] != 50 || caps["b"] != 3 {
		t.Errorf("caps = %v", caps)
	}
	c := f.Constructs[0]
	lc := c.Kw(f, "llm_config")
	if seed := f.DictGet(lc.Value, "cache_seed", nil, 0); seed == nil || !f.IsNone(seed.Value, nil) {
		t.Error("cache_seed=None not found through dict(...)")
	}
	cl := f.DictGet(lc.Value, "config_list", nil, 0)
	items := f.ListItems(cl.Value, nil)
	if len(items) != 1 {
		t.Fatalf("config_list items = %d", len(items))
	}
	if temp := f.DictGet(items[0], "temperature", nil, 0); temp == nil || f.Text(temp.Value) != "0" {
		t.Error("{**base, temperature: 0} should override base")
	}
	key := f.DictGet(items[0], "api_key", nil, 0)
	if env, ok := f.EnvVar(key.Value); !ok || env != "OPENAI_API_KEY" {
		t.Errorf("env var = %q %v", env, ok)
	}
	u := f.Constructs[2]
	if m := u.Kw(f, "human_input_mode"); m == nil || m.Splat == nil {
		t.Error("human_input_mode through a ** literal not found")
	}
}

func TestChatsRetriesAndConcurrency(t *testing.T) {
	f := parse(t, `
import asyncio, time
from concurrent.futures import ThreadPoolExecutor
from tenacity import retry, wait_fixed
from autogen_agentchat.teams import RoundRobinGroupChat
team = RoundRobinGroupChat([a, b], max_turns=4)

@retry(wait=wait_fixed(2))
async def go(task):
    return await team.run(task=task)

def loop_retry():
    for attempt in range(5):
        try:
            user.initiate_chat(bot, message="x")
            break
        except Exception:
            time.sleep(2 ** attempt)

async def fan(items):
    await asyncio.gather(*[go(i) for i in items])

with ThreadPoolExecutor(max_workers=8) as ex:
    ex.map(loop_retry, range(3))
asyncio.run(fan([1, 2]))
`)
	methods := map[string]*ChatCall{}
	for _, c := range f.Chats {
		methods[c.Method] = c
	}
	if methods["run"] == nil || methods["initiate_chat"] == nil || len(f.Chats) != 2 {
		t.Fatalf("chats = %v (asyncio.run must not count)", methods)
	}
	if r := methods["run"].Retry; r == nil || r.Kind != "tenacity" || r.Backoff != "fixed" {
		t.Errorf("tenacity retry = %+v", r)
	}
	if r := methods["initiate_chat"].Retry; r == nil || r.Kind != "loop" || r.Backoff != "exponential" || r.LoopVar != "attempt" {
		t.Errorf("loop retry = %+v", r)
	}
	kinds := map[string]int{}
	for _, c := range f.Concurrency {
		kinds[c.Kind] = c.Width
	}
	// max_workers=8, but map over range(3) never runs more than 3 at once.
	if w, ok := kinds["ThreadPoolExecutor"]; !ok || w != 3 {
		t.Errorf("thread pool = %v", kinds)
	}
	if _, ok := kinds["asyncio.gather"]; !ok {
		t.Errorf("gather not found: %v", kinds)
	}
}

func TestToolReturns(t *testing.T) {
	f := parse(t, `
from autogen_core.tools import FunctionTool
def whole(p):
    return open(p).read()
def part(p):
    return open(p).read()[:100]
def fmt(x):
    return f"value {x}"
tool = FunctionTool(whole, description="d")
agent = AssistantAgent("a", model_client=c, tools=[tool, part, fmt])
`)
	got := map[string]string{}
	for _, tl := range f.Tools {
		for _, r := range tl.Returns {
			got[tl.Name] = r.Unbounded
		}
	}
	if !strings.Contains(got["whole"], "whole file") || got["part"] != "" || got["fmt"] != "" || len(got) != 3 {
		t.Errorf("tool returns = %v", got)
	}
}

func TestFragmentsDoNotFail(t *testing.T) {
	for _, src := range []string{
		"",
		"    assistant = AssistantAgent(name='x', llm_config=cfg",
		"user_proxy.initiate_chat(assistant, message=\"hi\"\n)))\n",
		"def f(:\n  return AssistantAgent(\n",
		"```python\nx = 1\n```",
		strings.Repeat("(", 5000),
		strings.Repeat("a = b\n", 100) + "\x00",
	} {
		if _, err := Parse(context.Background(), []byte(src)); err != nil {
			t.Errorf("%.30q: %v", src, err)
		}
	}
}

// FuzzPython: no input may panic or hang the extractor.
func FuzzPython(f *testing.F) {
	f.Add([]byte("import autogen\na = autogen.AssistantAgent('a', llm_config={'config_list': cl})\nu.initiate_chat(a)\n"))
	f.Add([]byte("from autogen_agentchat.teams import RoundRobinGroupChat\nt = RoundRobinGroupChat([a], termination_condition=x | y)\n"))
	f.Add([]byte("def make(n, c=M):\n    return ConversableAgent(n, max_consecutive_auto_reply=c)\na, b = make(1), make(2)\nx, y = pair()\n"))
	f.Add([]byte("for i in range(3):\n    try:\n        team.run(task=1)\n    except Exception:\n        time.sleep(i)\n"))
	f.Add([]byte("class A(ConversableAgent):\n    def __init__(self, n, **kw):\n        super().__init__(n, **kw)\nclass B(A): pass\nclass C(C): pass\nx = B('x', max_consecutive_auto_reply=2)\n"))
	f.Add([]byte("await u.a_initiate_chats([{'chat_id': 1, 'prerequisites': [1]}, q])\nfor fn in (f, g): register_function(fn, caller=a)\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		pf, err := Parse(context.Background(), src)
		if err != nil {
			return
		}
		for _, c := range pf.Constructs {
			_ = c.Name(pf)
			for _, k := range []string{"llm_config", "max_consecutive_auto_reply", "termination_condition"} {
				if a := c.Kw(pf, k); a != nil {
					pf.Number(a.Value, a.Bind)
					pf.DictGet(a.Value, "config_list", a.Bind, 0)
					pf.ListItems(a.Value, a.Bind)
				}
			}
		}
		_ = fmt.Sprint(len(pf.Chats), len(pf.Tools))
	})
}

// TestFlattenMatchesCursorWalk checks the one-call C flattener against the
// binding's own cursor walk (which costs several cgo calls per node): same
// kinds, fields, offsets and shape. It guards the hand-declared tree-sitter
// ABI in cgo.go.
func TestFlattenMatchesCursorWalk(t *testing.T) {
	srcs := []string{
		"import autogen\nx = {'a': [1, 2, f\"{y}\"], **b}\n# c\ndef f(a, *b, c=1, **d):\n    return a | b\n",
		"    broken(\n  indent\nclass X:\n pass\n\xe2\x82\xac = 1\n",
		strings.Repeat("a = (", 600) + strings.Repeat(")", 600),
	}
	for _, src := range srcs {
		f := parse(t, src)
		useLibcAllocator()
		parser := sitter.NewParser()
		parser.SetLanguage(language())
		tree := parser.Parse([]byte(src), nil)
		cur := tree.RootNode().Walk()
		c := cursorCopier{cur: cur, kinds: kindCache(), fields: fieldCache(), lineIndex: lineIndex{lineStart: f.lineStart}}
		ref := c.copy(nil, 0)
		cur.Close()
		tree.Close()
		parser.Close()
		var a, b []string
		walk(f.Root, func(n *Node) bool {
			a = append(a, fmt.Sprintf("%s/%s/%d-%d/%d:%d/%d", n.Kind, n.Field, n.Start, n.End, n.Line, n.Col, len(n.Children)))
			return true
		})
		walk(ref, func(n *Node) bool {
			b = append(b, fmt.Sprintf("%s/%s/%d-%d/%d:%d/%d", n.Kind, n.Field, n.Start, n.End, n.Line, n.Col, len(n.Children)))
			return true
		})
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			for i := range min(len(a), len(b)) {
				if a[i] != b[i] {
					t.Fatalf("%.30q: node %d: flat %s, cursor %s", src, i, a[i], b[i])
				}
			}
			t.Fatalf("%.30q: %d flat nodes, %d cursor nodes", src, len(a), len(b))
		}
	}
}

// cursorCopier is the reference walk: go-tree-sitter's cursor, several cgo
// calls per node.
type cursorCopier struct {
	lineIndex
	cur    *sitter.TreeCursor
	kinds  []kindInfo
	fields []string
}

func (c *cursorCopier) copy(parent *Node, depth int) *Node {
	tn := c.cur.Node()
	kid := tn.KindId()
	var k kindInfo
	if int(kid) < len(c.kinds) {
		k = c.kinds[kid]
	} else {
		k = kindInfo{name: tn.Kind(), named: tn.IsNamed()}
	}
	field := ""
	if fid := c.cur.FieldId(); fid != 0 && int(fid) < len(c.fields) {
		field = c.fields[fid]
	}
	start := int(tn.StartByte())
	var end int
	if k.named {
		end = int(tn.EndByte())
	} else {
		// An anonymous node's text is its kind ("(", ",", "async"): one
		// cgo call saved on half the nodes.
		end = start + len(k.name)
	}
	line, col := c.lineOf(start)
	endLine, _ := c.lineOf(max(start, end-1))
	n := &Node{Kind: k.name, Field: field, Start: start, End: end, Line: line, EndLine: endLine, Col: col,
		Named: k.named, Parent: parent}
	c.line = line - 1
	// Strings are leaves here (unquote reads their text); deep trees stop.
	if depth >= maxDepth || !k.named || k.name == "string" || k.name == "comment" {
		return n
	}
	if c.cur.GotoFirstChild() {
		for {
			n.Children = append(n.Children, c.copy(n, depth+1))
			if !c.cur.GotoNextSibling() {
				break
			}
		}
		c.cur.GotoParent()
	}
	return n
}

// Agents built from a subclass of an AutoGen class are constructs of the
// base class, with the arguments of super().__init__ or of the instantiation.
func TestSubclassConstructs(t *testing.T) {
	f := parse(t, `from autogen import ConversableAgent

class Debater(ConversableAgent):
    def __init__(self, name, stance, cap=7):
        super().__init__(name=name, system_message=stance, human_input_mode="NEVER", max_consecutive_auto_reply=cap)

class Loud(Debater):
    pass

class Passthrough(ConversableAgent):
    def __init__(self, name, **kwargs):
        super().__init__(name=name, **kwargs)

class Plain(ConversableAgent):
    def helper(self):
        return 1

pro = Debater("pro", "for")
con = Debater("con", "against", cap=3)
shout = Loud("shout", "loudly")
fw = Passthrough("fw", human_input_mode="ALWAYS")
pl = Plain("pl", human_input_mode="TERMINATE")
`)
	byVar := map[string]*Construct{}
	for _, c := range f.Constructs {
		byVar[c.Var] = c
	}
	num := func(v, kw string) float64 {
		c := byVar[v]
		if c == nil {
			t.Fatalf("no construct for %s; constructs: %d", v, len(f.Constructs))
		}
		a := c.Kw(f, kw)
		if a == nil {
			t.Fatalf("%s: no %s", v, kw)
		}
		n, ok := f.Number(a.Value, a.Bind)
		if !ok {
			t.Fatalf("%s: %s not a number", v, kw)
		}
		return n
	}
	str := func(v, kw string) string {
		c := byVar[v]
		if c == nil {
			t.Fatalf("no construct for %s", v)
		}
		a := c.Kw(f, kw)
		if a == nil {
			return ""
		}
		s, _ := f.Str(a.Value, a.Bind)
		return s
	}
	if c := byVar["pro"]; c == nil || c.Class != "ConversableAgent" || c.Gen != "0.2" || c.Site == nil {
		t.Fatalf("pro = %+v", c)
	}
	if got := num("pro", "max_consecutive_auto_reply"); got != 7 {
		t.Errorf("pro cap = %g, want the default 7", got)
	}
	if got := num("con", "max_consecutive_auto_reply"); got != 3 {
		t.Errorf("con cap = %g, want 3 from the call", got)
	}
	if got := str("shout", "human_input_mode"); got != "NEVER" {
		t.Errorf("shout (subclass of a subclass) mode = %q", got)
	}
	if got := str("fw", "human_input_mode"); got != "ALWAYS" {
		t.Errorf("fw mode through **kwargs = %q", got)
	}
	if got := str("pl", "human_input_mode"); got != "TERMINATE" {
		t.Errorf("pl (no __init__) mode = %q", got)
	}
	if c := f.ConstructOf(f.Calls("Debater")[0], nil); c == nil || c.Var != "pro" {
		t.Errorf("ConstructOf(Debater(...)) = %+v", c)
	}
}

func TestChatQueueWidthAndThrottles(t *testing.T) {
	f := parse(t, `import asyncio
async def main():
    await user.a_initiate_chats([
        {"chat_id": 1, "recipient": a, "message": "x"},
        {"chat_id": 2, "prerequisites": [1], "recipient": b, "message": "y"},
        {"chat_id": 3, "recipient": c, "message": "z"},
    ])
`)
	if len(f.Concurrency) != 1 || f.Concurrency[0].Width != 2 {
		t.Fatalf("concurrency = %+v, want one site of width 2", f.Concurrency)
	}
	for name, want := range map[string]bool{
		"Semaphore": true, "BoundedSemaphore": true, "AsyncLimiter": true, "SharedRateLimiter": true,
		"RequestThrottle": true, "TokenBucketLimiter": true, "limit": false, "Agent": false, "": false,
	} {
		if got := isThrottle(name); got != want {
			t.Errorf("isThrottle(%q) = %v, want %v", name, got, want)
		}
	}
}

// Dicts changed after they are built: d["k"] = v, d.update(k=v),
// d.update({...}), d.setdefault(k, v), d.update(other).
func TestDictGetSeesLaterChanges(t *testing.T) {
	f := parse(t, `base = {"cap": 1}
base["cap"] = 2
base.update(mode="NEVER")
base.update({"seed": 42})
base.setdefault("timeout", 60)
more = {"x": 1}
more.update(other)
known = {"a": 1}
known.update({"b": 2})
use(base, more, known)
`)
	use := f.Calls("use")[0]
	arg := func(i int) *Node { return f.Positional(use, i) }
	num := func(a *Arg) float64 {
		if a == nil {
			return -1
		}
		v, ok := f.Number(a.Value, nil)
		if !ok {
			return -2
		}
		return v
	}
	if got := num(f.DictGet(arg(0), "cap", nil, 0)); got != 2 {
		t.Errorf("cap = %g, want 2 (the later assignment)", got)
	}
	if a := f.DictGet(arg(0), "mode", nil, 0); a == nil {
		t.Error("mode from update(k=v) not found")
	} else if s, _ := f.Str(a.Value, nil); s != "NEVER" {
		t.Errorf("mode = %q", s)
	}
	if got := num(f.DictGet(arg(0), "seed", nil, 0)); got != 42 {
		t.Errorf("seed = %g", got)
	}
	if got := num(f.DictGet(arg(0), "timeout", nil, 0)); got != 60 {
		t.Errorf("timeout = %g", got)
	}
	if f.DictGet(arg(0), "absent", nil, 0) != nil {
		t.Error("a key nobody sets was found")
	}
	// update(other) with other unknown: any key may be set, so it is not absent, and not readable.
	if a := f.DictGet(arg(1), "anything", nil, 0); a == nil || f.Known(a.Value, nil) {
		t.Errorf("merge from an unknown dict = %+v, want an unreadable value", a)
	}
	if got := num(f.DictGet(arg(2), "b", nil, 0)); got != 2 {
		t.Errorf("b = %g", got)
	}
	if f.DictGet(arg(2), "c", nil, 0) != nil {
		t.Error("update with a literal dict made other keys unknown")
	}
}
