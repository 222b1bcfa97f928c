package format

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// hunk is one changed stretch of whole lines: the lines before and after the
// edits that fall in it, with unchanged lines at either end kept as context.
type hunk struct {
	OldStart int      // 1-based first line of Old
	Before   []string // unchanged leading lines (context)
	Old, New []string // the changed lines
	After    []string // unchanged trailing lines (context)
}

// validEdits sorts a copy of the edits that apply to src and reports false when
// any is out of range or two overlap: then no diff is shown, only the Fix text.
func validEdits(src []byte, edits []diagnose.Edit) ([]diagnose.Edit, bool) {
	if len(edits) == 0 {
		return nil, false
	}
	es := append([]diagnose.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	prev := 0
	for _, e := range es {
		if e.Start < prev || e.End < e.Start || e.End > len(src) {
			return nil, false
		}
		prev = e.End
	}
	return es, true
}

// lineStart and lineEnd widen an offset to the line that holds it (lineEnd
// points at the newline, or the end of the text).
func lineStart(src []byte, off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }

func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(src)
}

// position converts a byte offset to a 1-based line and a 1-based column in
// Unicode code points (SARIF's "unicodeCodePoints" column kind).
func position(src []byte, off int) (line, col int) {
	line = bytes.Count(src[:off], []byte{'\n'}) + 1
	col = utf8.RuneCount(src[lineStart(src, off):off]) + 1
	return line, col
}

// editHunks applies the edits to src, grouped into hunks of whole lines.
// Edits whose lines touch are one hunk. ok is false when the edits do not fit src.
func editHunks(src []byte, edits []diagnose.Edit) (hs []hunk, ok bool) {
	es, ok := validEdits(src, edits)
	if !ok {
		return nil, false
	}
	for i := 0; i < len(es); {
		from := lineStart(src, es[i].Start)
		to := lineEnd(src, es[i].End)
		j := i + 1
		for j < len(es) && lineStart(src, es[j].Start) <= to+1 {
			to = lineEnd(src, es[j].End)
			j++
		}
		var nb strings.Builder
		cur := from
		for _, e := range es[i:j] {
			nb.Write(src[cur:e.Start])
			nb.WriteString(e.New)
			cur = e.End
		}
		nb.Write(src[cur:to])
		oldLines := splitLines(string(src[from:to]))
		newLines := splitLines(nb.String())
		h := hunk{OldStart: bytes.Count(src[:from], []byte{'\n'}) + 1}
		// Lines equal at both ends are context, not change.
		for len(oldLines) > 0 && len(newLines) > 0 && oldLines[0] == newLines[0] {
			h.Before = append(h.Before, oldLines[0])
			oldLines, newLines = oldLines[1:], newLines[1:]
		}
		for len(oldLines) > 0 && len(newLines) > 0 && oldLines[len(oldLines)-1] == newLines[len(newLines)-1] {
			h.After = append([]string{oldLines[len(oldLines)-1]}, h.After...)
			oldLines, newLines = oldLines[:len(oldLines)-1], newLines[:len(newLines)-1]
		}
		h.Old, h.New = oldLines, newLines
		if len(h.Old) > 0 || len(h.New) > 0 {
			hs = append(hs, h)
		}
		i = j
	}
	return hs, len(hs) > 0
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "\n")
}

// unifiedDiff renders hunks as a unified diff of one file.
func unifiedDiff(file string, hs []hunk) string {
	var b strings.Builder
	b.WriteString("--- a/" + file + "\n+++ b/" + file + "\n")
	for _, h := range hs {
		start := h.OldStart
		oldN := len(h.Before) + len(h.Old) + len(h.After)
		newN := len(h.Before) + len(h.New) + len(h.After)
		b.WriteString("@@ -" + itoa(start) + "," + itoa(oldN) + " +" + itoa(start) + "," + itoa(newN) + " @@\n")
		for _, l := range h.Before {
			b.WriteString(" " + l + "\n")
		}
		for _, l := range h.Old {
			b.WriteString("-" + l + "\n")
		}
		for _, l := range h.New {
			b.WriteString("+" + l + "\n")
		}
		for _, l := range h.After {
			b.WriteString(" " + l + "\n")
		}
	}
	return b.String()
}

// fixDiffs returns a unified diff per file the finding's edits change, in the
// order the files first appear; ok is false when any file's text is missing or
// its edits do not fit, so the caller falls back to the Fix text.
func fixDiffs(f diagnose.Finding, src Sources) (diffs []string, ok bool) {
	if len(f.Edits) == 0 || src == nil {
		return nil, false
	}
	var files []string
	byFile := map[string][]diagnose.Edit{}
	for _, e := range f.Edits {
		name := e.File
		if name == "" {
			name = f.File
		}
		if _, seen := byFile[name]; !seen {
			files = append(files, name)
		}
		byFile[name] = append(byFile[name], e)
	}
	for _, name := range files {
		text, have := src.Text(name)
		if !have {
			return nil, false
		}
		hs, good := editHunks(text, byFile[name])
		if !good {
			return nil, false
		}
		diffs = append(diffs, unifiedDiff(name, hs))
	}
	return diffs, true
}
