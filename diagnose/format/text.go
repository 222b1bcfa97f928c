package format

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

func itoa(n int) string { return strconv.Itoa(n) }

// ANSI styles used by the text renderer when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[1;36m"
	ansiGreen  = "\x1b[32m"
	ansiBlue   = "\x1b[34m"
)

// painter applies ANSI styles only when colour is on.
type painter struct{ on, links bool }

func (p painter) paint(style, s string) string {
	if !p.on || s == "" {
		return s
	}
	return style + s + ansiReset
}

// hyperlink prints url as an OSC 8 terminal hyperlink whose visible text is the
// URL itself, so terminals without OSC 8 support still show a usable address.
func (p painter) hyperlink(url string) string {
	if !p.on || !p.links {
		return url
	}
	return "\x1b]8;;" + url + "\x1b\\" + p.paint(ansiBlue, url) + "\x1b]8;;\x1b\\"
}

func severityStyle(s diagnose.Severity) string {
	switch s {
	case diagnose.SeverityError:
		return ansiRed
	case diagnose.SeverityWarning:
		return ansiYellow
	}
	return ansiCyan
}

// Text writes the report like a compiler's diagnostics: one block per finding
// ("file:line:col: severity: message [ID]", the source line, a caret under the
// span, the fix and the article), then a summary of ranked causes, counts,
// notes and what to paste next.
func Text(w io.Writer, r *diagnose.Report, o Options) error {
	c := maskedReport(r)
	p := painter{on: o.Color, links: o.Hyperlinks}
	var b bytes.Buffer
	for _, f := range c.Findings {
		writeTextFinding(&b, f, o, p)
	}
	writeTextEvidence(&b, c.Evidence, p)
	writeTextSummary(&b, &c, o, p)
	return writeMasked(w, b.Bytes())
}

// position header: file:line:col, file:line, or just file.
func locationOf(f diagnose.Finding) string {
	loc := f.File
	if loc == "" {
		loc = "<input>"
	}
	if f.Line > 0 {
		loc += ":" + itoa(f.Line)
		if f.Column > 0 {
			loc += ":" + itoa(f.Column)
		}
	}
	return loc
}

func writeTextFinding(b *bytes.Buffer, f diagnose.Finding, o Options, p painter) {
	fmt.Fprintf(b, "%s: %s: %s [%s]\n", p.paint(ansiBold, locationOf(f)),
		p.paint(severityStyle(f.Severity), string(f.Severity)), oneLine(f.Message), f.Rule)

	if raw, ok := sourceLine(o.Sources, f); ok {
		line := mask(raw)
		// The column counts bytes of the unmasked line; a key masked before
		// it moves it.
		col := f.Column
		if col > 0 && col-1 <= len(raw) {
			col = len(mask(raw[:col-1])) + 1
		}
		gutter := strconv.Itoa(f.Line)
		pad := strings.Repeat(" ", len(gutter))
		start, end, ok := caretSpan(line, col, f.Evidence)
		shown, caret := clipLine(line, start, end, ok)
		fmt.Fprintf(b, " %s | %s\n", gutter, expandLine(shown))
		if caret != "" {
			fmt.Fprintf(b, " %s | %s\n", pad, p.paint(ansiGreen, caret))
		}
	} else if ev := strings.TrimSpace(f.Evidence); ev != "" {
		// No source at hand (a pasted log, a streamed file): the evidence is
		// the offending text itself.
		for i, l := range strings.Split(ev, "\n") {
			if i == 6 {
				b.WriteString("    …\n")
				break
			}
			fmt.Fprintf(b, "    %s\n", expandLine(l))
		}
	}
	if diffs, ok := fixDiffs(f, o.Sources); ok {
		// The fix as a diff of the person's own lines, like a compiler's
		// suggestion; headers dropped, hunk positions kept.
		fmt.Fprintf(b, "  %s\n", p.paint(ansiGreen, "fix:"))
		for _, d := range diffs {
			for _, l := range strings.Split(strings.TrimRight(mask(d), "\n"), "\n") {
				switch {
				case strings.HasPrefix(l, "--- "):
					fmt.Fprintf(b, "    %s\n", p.paint(ansiBold, strings.TrimPrefix(strings.TrimPrefix(l, "--- "), "a/")))
				case strings.HasPrefix(l, "+++ "):
				case strings.HasPrefix(l, "@@"):
					fmt.Fprintf(b, "    %s\n", p.paint(ansiCyan, l))
				case strings.HasPrefix(l, "+"):
					fmt.Fprintf(b, "    %s\n", p.paint(ansiGreen, expandLine(l)))
				case strings.HasPrefix(l, "-"):
					fmt.Fprintf(b, "    %s\n", p.paint("\x1b[31m", expandLine(l)))
				default:
					fmt.Fprintf(b, "    %s\n", expandLine(l))
				}
			}
		}
	} else if fix := strings.TrimRight(f.Fix, "\n"); fix != "" {
		lines := strings.Split(fix, "\n")
		fmt.Fprintf(b, "  %s %s\n", p.paint(ansiGreen, "fix:"), expandLine(lines[0]))
		for _, l := range lines[1:] {
			fmt.Fprintf(b, "       %s\n", expandLine(l))
		}
	}
	if f.Article != "" {
		fmt.Fprintf(b, "  %s %s\n", p.paint(ansiDim, "see:"), p.hyperlink(o.link(f.Article)))
	}
	b.WriteString("\n")
}

// sourceLine is the finding's first line from the sources, unmasked: the
// caller masks it and maps the column.
func sourceLine(src Sources, f diagnose.Finding) (string, bool) {
	if src == nil || f.Line < 1 {
		return "", false
	}
	line, ok := src.Line(f.File, f.Line)
	if !ok {
		return "", false
	}
	return strings.TrimRight(line, "\r"), true
}

// expandLine makes a line safe to print on a terminal: tabs become four
// spaces and control characters (an escape sequence in a pasted log could
// otherwise restyle or retitle the terminal) become U+FFFD.
func expandLine(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\t':
			b.WriteString("    ")
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// caretLine underlines the finding's span in line (already masked); see
// caretSpan. Widths follow expandLine (one cell per rune, four per tab).
func caretLine(line string, column int, evidence string) string {
	start, end, ok := caretSpan(line, column, evidence)
	if !ok {
		return ""
	}
	return caretFor(line, start, end)
}

func caretFor(line string, start, end int) string {
	prefix := width(line[:start])
	span := width(line[start:end])
	if span < 1 {
		span = 1
	}
	return strings.Repeat(" ", prefix) + "^" + strings.Repeat("~", span-1)
}

// caretSpan is the byte span to underline: with a column (1-based byte), the
// token that starts there (a quoted string, or a dotted name); without one,
// the evidence where it occurs in the line, else the line's non-blank text.
func caretSpan(line string, column int, evidence string) (start, end int, ok bool) {
	if col := column - 1; col >= 0 && col < len(line) {
		return col, tokenEnd(line, col), true
	}
	if ev := strings.TrimSpace(firstLine(evidence)); ev != "" {
		if i := strings.Index(line, ev); i >= 0 {
			return i, i + len(ev), true
		}
	}
	trim := strings.TrimLeft(line, " \t")
	if trim == "" {
		return 0, 0, false
	}
	start = len(line) - len(trim)
	return start, len(strings.TrimRight(line, " \t")), true
}

// maxShown is how many cells of a source line are shown; log lines holding a
// whole JSON error body run to hundreds.
const maxShown = 120

// clipLine cuts a long line to a window around the span [start,end), marking
// cuts with "…", and returns the shown text and its caret line.
func clipLine(line string, start, end int, ok bool) (shown, caret string) {
	if width(line) <= maxShown {
		if !ok {
			return line, ""
		}
		return line, caretFor(line, start, end)
	}
	if !ok {
		start, end = 0, 0
	}
	// Start a little before the span, on a rune boundary.
	from := start
	for back := 0; from > 0 && back < 20; back++ {
		_, size := utf8.DecodeLastRuneInString(line[:from])
		from -= size
	}
	to := from
	for to < len(line) && width(line[from:to]) < maxShown {
		_, size := utf8.DecodeRuneInString(line[to:])
		to += size
	}
	lead, tail := "", ""
	if from > 0 {
		lead = "…"
	}
	if to < len(line) {
		tail = "…"
	}
	shown = lead + line[from:to] + tail
	if !ok {
		return shown, ""
	}
	cs, ce := start-from+len(lead), min(end, to)-from+len(lead)
	return shown, caretFor(shown, cs, max(ce, cs+1))
}

// tokenEnd is the end of the token starting at i: a quoted string to its
// closing quote, a (dotted) name, or the single character.
func tokenEnd(line string, i int) int {
	switch q := line[i]; {
	case q == '"' || q == '\'':
		for j := i + 1; j < len(line); j++ {
			if line[j] == '\\' {
				j++
				continue
			}
			if line[j] == q {
				return j + 1
			}
		}
		return len(line)
	case isWordByte(q):
		j := i
		for j < len(line) && (isWordByte(line[j]) || line[j] == '.' && j+1 < len(line) && isWordByte(line[j+1])) {
			j++
		}
		return j
	}
	return i + 1
}

func width(s string) int {
	n := 0
	for _, r := range s {
		if r == '\t' {
			n += 4
		} else {
			n++
		}
	}
	return n
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// oneLine folds a message onto one line so the "file:line: severity:" shape
// that editors and CI parse is never broken.
func oneLine(s string) string {
	return strings.Join(strings.Fields(expandLine(strings.ReplaceAll(s, "\n", " "))), " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

func writeTextSummary(b *bytes.Buffer, c *diagnose.Report, o Options, p painter) {
	if len(c.Causes) > 0 {
		b.WriteString(p.paint(ansiBold, "Likely causes, most likely first:") + "\n")
		for i, rc := range c.Causes {
			fmt.Fprintf(b, "  %d. %-18s %.2f", i+1, string(rc.Cause), rc.Score)
			if rc.Reason != "" {
				fmt.Fprintf(b, "  %s", oneLine(rc.Reason))
			}
			b.WriteString("\n")
			if rc.Article != "" {
				fmt.Fprintf(b, "     %s %s\n", p.paint(ansiDim, "see:"), p.hyperlink(o.link(rc.Article)))
			}
		}
		b.WriteString("\n")
	}

	var errs, warns, infos int
	for _, f := range c.Findings {
		switch f.Severity {
		case diagnose.SeverityError:
			errs++
		case diagnose.SeverityWarning:
			warns++
		default:
			infos++
		}
	}
	counts := strings.Join([]string{
		p.paint(severityStyle(diagnose.SeverityError), plural(errs, "error", "errors")),
		p.paint(severityStyle(diagnose.SeverityWarning), plural(warns, "warning", "warnings")),
		p.paint(severityStyle(diagnose.SeverityInfo), plural(infos, "info", "infos")),
	}, ", ")
	if len(c.Findings) == 0 {
		fmt.Fprintf(b, "No rate-limit problems found in %s.\n", plural(len(c.Inputs), "input", "inputs"))
	} else {
		fmt.Fprintf(b, "%s in %s.\n", counts, plural(len(c.Inputs), "input", "inputs"))
	}
	writeTextInputs(b, c.Inputs)
	for _, n := range c.Notes {
		loc := n.File
		if loc != "" && n.Line > 0 {
			loc += ":" + itoa(n.Line)
		}
		if loc != "" {
			loc += ": "
		}
		fmt.Fprintf(b, "%s %s%s\n", p.paint(ansiCyan, "note:"), loc, oneLine(n.Message))
	}
	for _, n := range c.Next {
		fmt.Fprintf(b, "%s %s\n", p.paint(ansiBold, "next:"), oneLine(n))
	}
}

// writeTextInputs says what each input was read as; past a handful of inputs
// (a walked directory) it counts them by kind and names only the ones that
// could not be read.
func writeTextInputs(b *bytes.Buffer, inputs []diagnose.InputSummary) {
	if len(inputs) == 0 {
		return
	}
	describe := func(in diagnose.InputSummary) string {
		s := oneLine(in.Name) + " (" + string(in.Kind)
		if in.Generation != "" {
			s += ", AutoGen " + in.Generation
		}
		if in.Provider != "" {
			s += ", " + in.Provider
		}
		s += ")"
		if in.Error != "" {
			s += " — " + oneLine(in.Error)
		}
		return s
	}
	if len(inputs) <= 6 {
		parts := make([]string, 0, len(inputs))
		for _, in := range inputs {
			parts = append(parts, describe(in))
		}
		fmt.Fprintf(b, "Inputs: %s\n", strings.Join(parts, "; "))
		return
	}
	counts := map[diagnose.Kind]int{}
	var order []diagnose.Kind
	var failed []string
	for _, in := range inputs {
		if counts[in.Kind] == 0 {
			order = append(order, in.Kind)
		}
		counts[in.Kind]++
		if in.Error != "" {
			failed = append(failed, describe(in))
		}
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		parts = append(parts, itoa(counts[k])+" "+string(k))
	}
	fmt.Fprintf(b, "Inputs: %d (%s)\n", len(inputs), strings.Join(parts, ", "))
	for _, f := range failed {
		fmt.Fprintf(b, "  %s\n", f)
	}
}
