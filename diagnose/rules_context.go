package diagnose

import "fmt"

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
			reportPy(p, src, ch.Call, msg, edits, Diag{})
		}
	}
}
