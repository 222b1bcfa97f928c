package diagnose

import (
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

type pyNode = pyfacts.Node

// maxEvidenceLines caps how much source a finding quotes.
const maxEvidenceLines = 8

// evidence quotes lines [from,to] of a source (1-based, inclusive), capped.
func evidence(src *Source, from, to int) string {
	if src.Text == nil || from < 1 {
		return ""
	}
	if to < from {
		to = from
	}
	cut := false
	if to-from+1 > maxEvidenceLines {
		to = from + maxEvidenceLines - 1
		cut = true
	}
	starts := src.lineStarts()
	if from > len(starts) {
		return ""
	}
	end := len(src.Text)
	if to < len(starts) {
		end = starts[to] // start of the line after `to`
	}
	out := strings.TrimRight(string(src.Text[starts[from-1]:end]), "\r\n ")
	out = strings.ReplaceAll(out, "\r\n", "\n")
	if cut {
		out += "\n…"
	}
	return out
}

// nodeEvidence quotes the lines of a node.
func nodeEvidence(src *Source, n *pyNode) string {
	if n == nil {
		return ""
	}
	return evidence(src, n.Line, n.EndLine)
}

// replaceEdit replaces a node's text.
func replaceEdit(src *Source, n *pyNode, text string) Edit {
	return Edit{File: src.Name, Start: n.Start, End: n.End, New: text}
}

// insertKwargs adds keyword arguments at the end of a call's argument list,
// on their own line with the arguments' indentation when the call spans
// several lines, inline otherwise.
func insertKwargs(src *Source, call *pyNode, kwargs ...string) (Edit, bool) {
	args := call.Child("arguments")
	if args == nil || args.Kind != "argument_list" || len(args.Children) == 0 {
		return Edit{}, false
	}
	closeParen := args.Children[len(args.Children)-1]
	if closeParen.Kind != ")" {
		return Edit{}, false
	}
	named := args.NamedChildren()
	if len(named) == 0 {
		return Edit{File: src.Name, Start: closeParen.Start, End: closeParen.Start, New: strings.Join(kwargs, ", ")}, true
	}
	last := named[len(named)-1]
	// Is there a trailing comma after the last argument?
	trailing := false
	for _, c := range args.Children {
		if c.Start >= last.End && c.Kind == "," {
			trailing = true
		}
	}
	f := src.Python
	if last.Line != call.Line || closeParen.Line != last.Line {
		indent := f.Indent(last.Line)
		if last.Line == call.Line { // first arg on the call line: indent one level more
			indent = f.Indent(call.Line) + "    "
		}
		var b strings.Builder
		if !trailing {
			b.WriteString(",")
		}
		for _, kw := range kwargs {
			b.WriteString(newline(src) + indent + kw + ",")
		}
		at := last.End
		if trailing {
			for _, c := range args.Children {
				if c.Start >= last.End && c.Kind == "," {
					at = c.End
					break
				}
			}
		}
		return Edit{File: src.Name, Start: at, End: at, New: b.String()}, true
	}
	sep := ", "
	if trailing {
		sep = " "
		at := closeParen.Start
		return Edit{File: src.Name, Start: at, End: at, New: strings.TrimPrefix(sep, " ") + strings.Join(kwargs, ", ")}, true
	}
	return Edit{File: src.Name, Start: last.End, End: last.End, New: sep + strings.Join(kwargs, ", ")}, true
}

// addImport adds an import line after the file's last top-level import (or
// at the top) unless the name is already imported.
func addImport(src *Source, name, line string) (Edit, bool) {
	f := src.Python
	if f == nil {
		return Edit{}, false
	}
	if _, ok := f.Imports[name]; ok {
		return Edit{}, false
	}
	if f.LastImport != nil {
		return Edit{File: src.Name, Start: f.LastImport.End, End: f.LastImport.End, New: newline(src) + line}, true
	}
	return Edit{File: src.Name, Start: 0, End: 0, New: line + newline(src)}, true
}

// fixText applies edits to a source and returns the changed lines of the
// result: the Fix text of a finding.
func fixText(src *Source, edits []Edit) string {
	if src.Text == nil || len(edits) == 0 {
		return ""
	}
	out, err := ApplyEdits(src.Text, edits)
	if err != nil {
		return ""
	}
	var parts []string
	shift := 0
	sorted := append([]Edit(nil), edits...)
	for i := 1; i < len(sorted); i++ {
		for j := i; j > 0 && sorted[j].Start < sorted[j-1].Start; j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	for _, e := range sorted {
		s := e.Start + shift
		en := s + len(e.New)
		shift += len(e.New) - (e.End - e.Start)
		ls := strings.LastIndexByte(string(out[:s]), '\n') + 1
		le := strings.IndexByte(string(out[en:]), '\n')
		if le < 0 {
			le = len(out)
		} else {
			le += en
		}
		parts = append(parts, strings.Trim(string(out[ls:le]), "\n"))
	}
	return strings.Join(parts, "\n…\n")
}

// report is a shortcut for the common finding of a Python node with edits.
func reportPy(p *Pass, src *Source, n *pyNode, msg string, edits []Edit, d Diag) {
	d.Source = src
	d.Line = n.Line
	d.EndLine = n.EndLine
	d.Column = n.Col + 1
	d.Message = msg
	if d.Evidence == "" {
		d.Evidence = nodeEvidence(src, n)
	}
	d.Edits = edits
	if d.Fix == "" {
		d.Fix = fixText(src, edits)
	}
	p.Report(d)
}

// pythonSources returns the sources with Python facts.
func pythonSources(p *Pass) []*Source {
	var out []*Source
	for _, s := range p.Sources {
		if s.Python != nil {
			out = append(out, s)
		}
	}
	return out
}

// configSources returns the sources with config facts.
func configSources(p *Pass) []*Source {
	var out []*Source
	for _, s := range p.Sources {
		if s.Config != nil {
			out = append(out, s)
		}
	}
	return out
}

// newline is the input's own line ending, so an edit does not mix CRLF and LF.
func newline(src *Source) string {
	if i := strings.IndexByte(string(src.Text), '\n'); i > 0 && src.Text[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
