package diagnose

import (
	"fmt"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

var ruleHistoryKept = &Rule{
	ID:       "RLD7003",
	Title:    "Chats in a loop keep the whole history",
	Cause:    CauseContextGrowth,
	Severity: SeverityWarning,
	Article:  "context-growth",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for ` + "`initiate_chat(..., clear_history=False)`" + ` called inside a loop (AutoGen 0.2/AG2).

**Why.** With ` + "`clear_history=False`" + ` every chat starts from all earlier messages of the
same pair, so each iteration sends a longer prompt than the last: the requests
grow until one of them alone uses most of a tokens-per-minute limit.

**Not flagged.** The default ` + "`clear_history=True`" + `, and a single chat outside a loop.
A loop that waits for a person each time round (` + "`input()`" + `, a chat box) is only a note.

**Fix.** Start each chat fresh (` + "`clear_history=True`" + `, the default) and pass what must
carry over in the message or through ` + "`carryover`" + ` / a summary.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD7003]`" + ` on the line.`,
	Run: checkHistoryKept,
}

func checkHistoryKept(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, ch := range f.Chats {
			if ch.Method != "initiate_chat" && ch.Method != "a_initiate_chat" || !ch.InLoop {
				continue
			}
			kw := f.Kwarg(ch.Call, "clear_history", nil)
			if kw == nil {
				continue
			}
			if v, ok := f.Bool(kw.Value, nil); !ok || v {
				continue
			}
			msg := fmt.Sprintf("%s runs in a loop with clear_history=False: every chat resends all earlier ones, so each request is longer than the last", shortCall(f, ch))
			var edits []Edit
			if kw.Splat == nil {
				edits = append(edits, replaceEdit(src, kw.Value, "True"))
			}
			d := Diag{}
			if humanPaced(f, ch.Call) {
				// A chat console: a person types each turn, so the
				// calls are few; the growing prompt is still worth a note.
				d.Severity = SeverityInfo
				msg += " (a person paces this loop, so it matters only for long sessions)"
			}
			reportPy(p, src, ch.Call, msg, edits, d)
		}
	}
}

// humanPaced reports whether the loop around n waits for a person each time
// round: input(), Streamlit's chat_input, Gradio/Chainlit handlers' prompts.
func humanPaced(f *pyfacts.File, n *pyfacts.Node) bool {
	var loop *pyfacts.Node
	for p := n.Parent; p != nil && loop == nil; p = p.Parent {
		switch p.Kind {
		case "for_statement", "while_statement":
			loop = p
		case "function_definition", "lambda", "class_definition":
			return false
		}
	}
	if loop == nil {
		return false
	}
	paced := false
	var visit func(m *pyfacts.Node)
	visit = func(m *pyfacts.Node) {
		if paced {
			return
		}
		if m.Kind == "call" {
			switch f.CalleeName(m) {
			case "input", "chat_input", "text_input", "get_human_input", "a_get_human_input", "prompt", "ask":
				paced = true
				return
			}
		}
		for _, c := range m.Children {
			visit(c)
		}
	}
	visit(loop)
	return paced
}
