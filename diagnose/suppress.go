package diagnose

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// suppressPattern matches `# ratelimit-doctor: ignore[RLD1001, RLD2001]`,
// `# ratelimit-doctor: ignore-file[...]` and the bare forms (all rules). JSON
// has no comments; `//` is accepted too for JSONC-style configs.
var suppressPattern = regexp.MustCompile(`(?:#|//)\s*ratelimit-doctor:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?`)

type suppression struct {
	file  string
	line  int // 0 for ignore-file
	ids   []string
	used  bool
	start int // statement span the line suppression covers
	end   int
}

func (s *suppression) matches(f Finding) bool {
	if s.file != f.File {
		return false
	}
	if len(s.ids) > 0 {
		ok := false
		for _, id := range s.ids {
			if strings.EqualFold(id, f.Rule) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if s.line == 0 {
		return true
	}
	end := f.EndLine
	if end < f.Line {
		end = f.Line
	}
	// The marker's line, or the statement spanning it, overlaps the finding.
	return f.Line <= s.end && end >= s.start
}

// findSuppressions reads the markers of one source.
func findSuppressions(src *Source) []*suppression {
	if src.Text == nil || !bytes.Contains(src.Text, []byte("ratelimit-doctor:")) {
		return nil
	}
	var out []*suppression
	for i, line := range bytes.Split(src.Text, []byte("\n")) {
		m := suppressPattern.FindSubmatch(line)
		if m == nil {
			continue
		}
		s := &suppression{file: src.Name, line: i + 1, start: i + 1, end: i + 1}
		if string(m[1]) == "ignore-file" {
			s.line = 0
		}
		for _, id := range strings.Split(string(m[2]), ",") {
			if id = strings.TrimSpace(id); id != "" {
				s.ids = append(s.ids, strings.ToUpper(id))
			}
		}
		if s.line > 0 && src.Python != nil {
			s.start, s.end = statementSpan(src, s.line)
		}
		out = append(out, s)
	}
	return out
}

// statementSpan is the line range of the innermost simple statement that
// contains line, so a marker on the last line of a multi-line call covers it.
func statementSpan(src *Source, line int) (int, int) {
	best0, best1 := line, line
	var visit func(children []*pyNode)
	visit = func(children []*pyNode) {
		for _, c := range children {
			if c.Line > line || c.EndLine < line {
				continue
			}
			switch c.Kind {
			case "expression_statement", "return_statement", "assert_statement", "decorator":
				best0, best1 = c.Line, c.EndLine
				return
			}
			visit(c.Children)
		}
	}
	visit(src.Python.Root.Children)
	return best0, best1
}

// applySuppressions drops suppressed findings and notes markers that match nothing.
func applySuppressions(sources []*Source, findings []Finding) ([]Finding, []Note) {
	// A paste read both as code and as log is two sources with one name:
	// take each marker once.
	var sups []*suppression
	seen := map[string]bool{}
	for _, s := range sources {
		for _, sup := range findSuppressions(s) {
			k := fmt.Sprintf("%s:%d:%v", sup.file, sup.line, sup.ids)
			if !seen[k] {
				seen[k] = true
				sups = append(sups, sup)
			}
		}
	}
	if len(sups) == 0 {
		return findings, nil
	}
	out := findings[:0]
	for _, f := range findings {
		kept := true
		for _, s := range sups {
			if s.matches(f) {
				s.used = true
				kept = false
			}
		}
		if kept {
			out = append(out, f)
		}
	}
	var notes []Note
	for _, s := range sups {
		if s.used {
			continue
		}
		what := "all rules"
		if len(s.ids) > 0 {
			what = strings.Join(s.ids, ", ")
		}
		for _, id := range s.ids {
			if _, ok := Lookup(id); !ok {
				what += fmt.Sprintf(" (%s is not a rule)", id)
			}
		}
		notes = append(notes, Note{File: s.file, Line: s.line, Message: "suppression of " + what + " matches no finding; remove it"})
	}
	return out, notes
}
