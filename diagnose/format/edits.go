package format

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// validEdits sorts a copy of the edits that apply to src and reports false when
// any is out of range or two overlap: then SARIF gets no fix for the result.
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

// lineStart is the offset of the start of the line holding off.
func lineStart(src []byte, off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }

// position converts a byte offset to a 1-based line and a 1-based column in
// Unicode code points (SARIF's "unicodeCodePoints" column kind).
func position(src []byte, off int) (line, col int) {
	line = bytes.Count(src[:off], []byte{'\n'}) + 1
	col = utf8.RuneCount(src[lineStart(src, off):off]) + 1
	return line, col
}

// fixDiffs returns a unified diff per file the finding's edits change (the
// engine's ApplyEdits and UnifiedDiff on the person's own text), in the order
// the files first appear; ok is false when any file's text is missing or its
// edits do not fit, so the caller falls back to the Fix text.
func fixDiffs(f diagnose.Finding, src Sources) (diffs []string, ok bool) {
	if len(f.Edits) == 0 || src == nil {
		return nil, false
	}
	files, byFile := editsByFile(f)
	for _, name := range files {
		text, have := src.Text(name)
		if !have {
			return nil, false
		}
		after, err := diagnose.ApplyEdits(text, byFile[name])
		if err != nil {
			return nil, false
		}
		if d := diagnose.UnifiedDiff(name, text, after); d != "" {
			diffs = append(diffs, d)
		}
	}
	return diffs, len(diffs) > 0
}

// editsByFile groups a finding's edits by the file they change (an edit with
// no file changes the finding's own), files in the order they first appear.
func editsByFile(f diagnose.Finding) (files []string, byFile map[string][]diagnose.Edit) {
	byFile = map[string][]diagnose.Edit{}
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
	return files, byFile
}
