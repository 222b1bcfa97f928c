package web

import (
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// CodeView is an excerpt of the person's own input with line numbers,
// highlighted by chroma token classes (the same .chroma stylesheet as the
// articles; no inline styles) and the lines a finding points at marked.
// Components print tokens as text, so pasted markup stays text.
type CodeView struct {
	File  string
	Lang  string
	Lines []CodeLine
}

// CodeLine is one numbered line of a CodeView.
type CodeLine struct {
	N      int
	Marked bool
	Tokens []CodeToken
}

// CodeToken is a run of text with its chroma class ("" for plain text).
type CodeToken struct {
	Class string
	Text  string
}

// codeContext is how many lines around the marked ones an excerpt shows.
const codeContext = 3

// maxLexWhole is the largest text lexed as a whole; longer texts (logs) are
// lexed only around the excerpt, which is enough for one-line log records.
const maxLexWhole = 256 << 10

// maxExcerptLines bounds an excerpt (a finding spanning a whole file).
const maxExcerptLines = 40

// lexerFor picks a chroma lexer for an input kind and name.
func lexerFor(kind diagnose.Kind, name string) (chroma.Lexer, string) {
	var l chroma.Lexer
	lang := "text"
	switch kind {
	case diagnose.KindPython:
		l, lang = lexers.Get("python"), "python"
	case diagnose.KindConfig:
		lower := strings.ToLower(name)
		if strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") {
			l, lang = lexers.Get("yaml"), "yaml"
		} else {
			l, lang = lexers.Get("json"), "json"
		}
	case diagnose.KindLog:
		// Logs are mostly Python tracebacks and console output.
		l, lang = lexers.Get("pytb"), "log"
	}
	if l == nil {
		l = lexers.Fallback
	}
	return chroma.Coalesce(l), lang
}

// newCodeView builds the excerpt of text around lines [from, to] (1-based,
// inclusive), marking them. from == 0 means no particular line: the first
// lines are shown unmarked.
func newCodeView(file, text string, kind diagnose.Kind, from, to int) CodeView {
	v := CodeView{File: file}
	if text == "" {
		return v
	}
	if to < from {
		to = from
	}
	lines := strings.SplitAfter(text, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	first, last := 1, min(len(lines), 2*codeContext+1)
	if from > 0 {
		first = max(1, from-codeContext)
		last = min(len(lines), to+codeContext)
		if last-first+1 > maxExcerptLines {
			last = first + maxExcerptLines - 1
		}
	}
	return codeWindow(file, text, lines, kind, first, last, from, to)
}

// codeWindow renders lines [first, last] of text, marking [from, to].
func codeWindow(file, text string, lines []string, kind diagnose.Kind, first, last, from, to int) CodeView {
	v := CodeView{File: file}
	if first > len(lines) || first > last {
		return v
	}
	lexer, lang := lexerFor(kind, file)
	v.Lang = lang
	// Lex from the top when the text is small (a string or block opened above
	// the excerpt still colours right); else only the excerpt.
	offset := 0
	src := text
	if len(text) > maxLexWhole {
		offset = first - 1
		src = strings.Join(lines[first-1:last], "")
	}
	it, err := lexer.Tokenise(nil, src)
	var tokLines [][]chroma.Token
	if err == nil {
		tokLines = chroma.SplitTokensIntoLines(it.Tokens())
	}
	for n := first; n <= last; n++ {
		cl := CodeLine{N: n, Marked: from > 0 && n >= from && n <= to}
		idx := n - 1 - offset
		if idx >= 0 && idx < len(tokLines) {
			for _, t := range tokLines[idx] {
				txt := strings.TrimRight(t.Value, "\r\n")
				if txt == "" {
					continue
				}
				cls := chroma.StandardTypes[t.Type]
				if t.Type == chroma.Text || t.Type == chroma.TextWhitespace {
					cls = ""
				}
				cl.Tokens = append(cl.Tokens, CodeToken{Class: cls, Text: txt})
			}
		} else {
			cl.Tokens = []CodeToken{{Text: strings.TrimRight(lines[n-1], "\r\n")}}
		}
		v.Lines = append(v.Lines, cl)
	}
	return v
}

// DiffView is a unified diff as table rows, for the before/after of a fix.
type DiffView struct {
	File string
	Rows []DiffRow
	// Added and Removed count the changed lines (for the caption).
	Added, Removed int
}

// DiffRow is one row of a DiffView. Kind is "hunk", "ctx", "add" or "del".
type DiffRow struct {
	Kind   string
	Old    string // old line number, "" when the line is new
	New    string // new line number, "" when the line was removed
	Text   string
	Marker string // "+", "-" or " "
}

// newDiffView parses UnifiedDiff output into rows with line numbers.
func newDiffView(file, diff string) DiffView {
	v := DiffView{File: file}
	oldN, newN := 0, 0
	for _, l := range strings.Split(strings.TrimRight(diff, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ "):
			continue
		case strings.HasPrefix(l, "@@"):
			oldN, newN = hunkStarts(l)
			v.Rows = append(v.Rows, DiffRow{Kind: "hunk", Text: l})
		case strings.HasPrefix(l, "+"):
			v.Rows = append(v.Rows, DiffRow{Kind: "add", New: strconv.Itoa(newN), Text: l[1:], Marker: "+"})
			newN++
			v.Added++
		case strings.HasPrefix(l, "-"):
			v.Rows = append(v.Rows, DiffRow{Kind: "del", Old: strconv.Itoa(oldN), Text: l[1:], Marker: "-"})
			oldN++
			v.Removed++
		default:
			t := l
			if strings.HasPrefix(t, " ") {
				t = t[1:]
			}
			v.Rows = append(v.Rows, DiffRow{Kind: "ctx", Old: strconv.Itoa(oldN), New: strconv.Itoa(newN), Text: t, Marker: " "})
			oldN++
			newN++
		}
	}
	return v
}

// hunkStarts reads "@@ -a,b +c,d @@" into a and c.
func hunkStarts(h string) (int, int) {
	f := strings.Fields(h)
	if len(f) < 3 {
		return 1, 1
	}
	num := func(s string) int {
		s = strings.TrimLeft(s, "-+")
		if i := strings.IndexByte(s, ','); i >= 0 {
			s = s[:i]
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 1
		}
		return n
	}
	return num(f[1]), num(f[2])
}
