package diagnose

import (
	"bytes"
	"regexp"
	"strings"
)

// People paste code and the traceback it raised in one block, often inside
// Markdown fences with prose around them. Such an input is read twice: as
// the log it contains and as the code it contains. The code view keeps every
// byte offset and line of the original (everything that is not code becomes
// spaces), so findings and edits still point into the person's own text.

var fenceRe = regexp.MustCompile("^\\s*(```|~~~)\\s*([A-Za-z0-9_+-]*)")

// codeView blanks what is not Python: with fences, everything outside
// python (or unlabelled, code-looking) fences; without, log lines and the
// source lines a traceback quotes. It returns nil when no code is left.
func codeView(text []byte) []byte {
	lines := bytes.SplitAfter(text, []byte("\n"))
	keep := make([]bool, len(lines))
	hasFence := false
	for _, l := range lines {
		if fenceRe.Match(l) {
			hasFence = true
			break
		}
	}
	if hasFence {
		in := false
		start := 0
		lang := ""
		for i, l := range lines {
			m := fenceRe.FindSubmatch(l)
			if m == nil {
				continue
			}
			if !in {
				in, start, lang = true, i+1, strings.ToLower(string(m[2]))
				continue
			}
			in = false
			if lang == "python" || lang == "py" || lang == "python3" || lang == "" {
				block := bytes.Join(lines[start:i], nil)
				logs, py := scoreLines(block)
				if py > logs {
					for j := start; j < i; j++ {
						keep[j] = true
					}
				}
			}
		}
	} else {
		prevFile := false
		for i, raw := range lines {
			l := strings.TrimRight(string(raw), "\r\n")
			t := strings.TrimSpace(l)
			quoted := prevFile && strings.HasPrefix(l, "    ")
			prevFile = strings.HasPrefix(t, "File \"")
			if quoted || t != "" && !strings.HasPrefix(t, "#") && logLine.MatchString(l) {
				continue
			}
			keep[i] = true
		}
	}
	out := make([]byte, 0, len(text))
	kept := false
	for i, l := range lines {
		if keep[i] {
			out = append(out, l...)
			if len(bytes.TrimSpace(l)) > 0 {
				kept = true
			}
			continue
		}
		// Byte for byte, so every offset stays where it was.
		for _, c := range l {
			if c == '\n' || c == '\r' {
				out = append(out, c)
			} else {
				out = append(out, ' ')
			}
		}
	}
	if !kept {
		return nil
	}
	return out
}
