package diagnose

import (
	"fmt"
	"strings"
)

var ruleUnboundedTool = &Rule{
	ID:       "RLD4001",
	Title:    "Tool returns unbounded output to the model",
	Cause:    CauseNoisyTool,
	Severity: SeverityWarning,
	Article:  "noisy-tools",
	Kinds:    []Kind{KindPython},
	Doc: `Looks at every function given to the model as a tool (` + "`register_function`" + `,
` + "`@register_for_llm`" + `/` + "`@register_for_execution`" + `, ` + "`FunctionTool`" + `, ` + "`tools=[...]`" + `,
` + "`function_map`" + `) and flags a return of something with no size limit: a whole file
(` + "`.read()`" + `), ` + "`json.dumps`" + ` of a whole object, a data frame (` + "`.to_string()`" + `,
` + "`.to_json()`" + `, ` + "`.to_dict()`" + ` of a frame read from a file), an HTTP body (` + "`response.text`" + `, ` + "`.json()`" + `), a
subprocess's output.

**Why.** The result goes into the conversation and is sent again with every later
turn: one large result can exhaust a tokens-per-minute limit by itself, and noisy
output makes the model call more tools.

A JSON API's answer (` + "`.json()`" + `, or ` + "`.text`" + ` of a request to an API URL written in the
code or with a result-count parameter) is only a note: such answers are usually small.

**Not flagged.** ` + "`str(df)`" + ` (pandas prints a truncated view, 60 rows by default), aggregations
(` + "`groupby`" + `, ` + "`describe`" + `, ` + "`value_counts`" + `), results that are sliced (` + "`[:4000]`" + `), passed through a function named
like truncate/limit/summarize, or built from ` + "`.head()`" + `.

**Fix.** Cap what the tool returns (shown: ` + "`[:4000]`" + ` characters), or summarise it.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD4001]`" + ` on the return line.` + example("def read_file(path: str) -> str:\n    with open(path) as fh:\n        return fh.read()", "def read_file(path: str) -> str:\n    with open(path) as fh:\n        return fh.read()[:4000]"),
	Run: checkUnboundedTool,
}

func checkUnboundedTool(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, t := range f.Tools {
			for _, r := range t.Returns {
				if r.Unbounded == "" || r.Expr == nil {
					continue
				}
				expr := f.Text(r.Expr)
				repl := "(" + expr + ")[:4000]"
				if r.Expr.Kind == "call" || r.Expr.Kind == "attribute" || r.Expr.Kind == "identifier" {
					repl = expr + "[:4000]"
				}
				if strings.Contains(r.Unbounded, ".to_dict()") || strings.Contains(r.Unbounded, ".to_records()") || strings.Contains(r.Unbounded, ".tolist()") {
					repl = "str(" + expr + ")[:4000]" // a list: cap the text, not the number of rows
				}
				if strings.Contains(r.Unbounded, "JSON body") && r.Expr.Kind == "call" {
					repl = "json.dumps(" + expr + ")[:4000]"
				}
				edits := []Edit{replaceEdit(src, r.Expr, repl)}
				if strings.HasPrefix(repl, "json.dumps") {
					if e, ok := addImport(src, "json", "import json"); ok {
						edits = append(edits, e)
					}
				}
				msg := fmt.Sprintf("tool %s returns %s with no size limit: it lands in the conversation and is re-sent every turn, using up the tokens-per-minute limit", t.Name, r.Unbounded)
				d := Diag{}
				if strings.HasPrefix(r.Unbounded, "the whole JSON body") {
					// API JSON is often small (a weather reading); say it, softly.
					d.Severity = SeverityInfo
				}
				reportPy(p, src, r.Stmt, msg, edits, d)
			}
		}
	}
}
