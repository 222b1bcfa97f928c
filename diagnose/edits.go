package diagnose

import (
	"fmt"
	"slices"
	"strings"
)

// ApplyEdits applies non-overlapping edits (offsets into text) and returns
// the new text. Edits may come in any order; overlapping or out-of-range
// edits are an error.
func ApplyEdits(text []byte, edits []Edit) ([]byte, error) {
	es := slices.Clone(edits)
	slices.SortStableFunc(es, func(a, b Edit) int { return a.Start - b.Start })
	var out []byte
	last := 0
	for _, e := range es {
		if e.Start < 0 || e.End < e.Start || e.End > len(text) {
			return nil, fmt.Errorf("edit [%d,%d) is outside the input (%d bytes)", e.Start, e.End, len(text))
		}
		if e.Start < last {
			return nil, fmt.Errorf("edit [%d,%d) overlaps the previous one", e.Start, e.End)
		}
		out = append(out, text[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	out = append(out, text[last:]...)
	return out, nil
}

// UnifiedDiff returns a unified diff (3 lines of context) from a to b, with
// name in the headers; "" when they are equal. It diffs by lines with a
// longest-common-subsequence table, which is fine for the few hundred lines
// a fix touches.
func UnifiedDiff(name string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	al := splitLines(string(a))
	bl := splitLines(string(b))
	// Trim the common head and tail so the table stays small.
	pre := 0
	for pre < len(al) && pre < len(bl) && al[pre] == bl[pre] {
		pre++
	}
	suf := 0
	for suf < len(al)-pre && suf < len(bl)-pre && al[len(al)-1-suf] == bl[len(bl)-1-suf] {
		suf++
	}
	am, bm := al[pre:len(al)-suf], bl[pre:len(bl)-suf]
	type op struct {
		kind byte // ' ', '-', '+'
		text string
	}
	var ops []op
	for i := max(0, pre-3); i < pre; i++ {
		ops = append(ops, op{' ', al[i]})
	}
	startA, startB := max(0, pre-3), max(0, pre-3)
	if len(am)*len(bm) > 4_000_000 {
		for _, l := range am {
			ops = append(ops, op{'-', l})
		}
		for _, l := range bm {
			ops = append(ops, op{'+', l})
		}
	} else {
		lcs := make([][]int, len(am)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(bm)+1)
		}
		for i := len(am) - 1; i >= 0; i-- {
			for j := len(bm) - 1; j >= 0; j-- {
				if am[i] == bm[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(am) || j < len(bm) {
			switch {
			case i < len(am) && j < len(bm) && am[i] == bm[j]:
				ops = append(ops, op{' ', am[i]})
				i++
				j++
			case j < len(bm) && (i == len(am) || lcs[i][j+1] >= lcs[i+1][j]):
				ops = append(ops, op{'+', bm[j]})
				j++
			default:
				ops = append(ops, op{'-', am[i]})
				i++
			}
		}
	}
	conventionalOrder(ops, func(o op) byte { return o.kind })
	for i := len(al) - suf; i < len(al) && i < len(al)-suf+3; i++ {
		ops = append(ops, op{' ', al[i]})
	}
	na, nb := 0, 0
	for _, o := range ops {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- a/%s\n+++ b/%s\n@@ -%d,%d +%d,%d @@\n", name, name, startA+1, na, startB+1, nb)
	for _, o := range ops {
		sb.WriteByte(o.kind)
		sb.WriteString(o.text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// conventionalOrder rewrites every run of changed lines in place so its
// removed lines come before its added ones, the order diff(1) and patch
// readers expect; context lines stay where they are.
func conventionalOrder[T any](ops []T, kind func(T) byte) {
	for i := 0; i < len(ops); {
		if kind(ops[i]) == ' ' {
			i++
			continue
		}
		j := i
		for j < len(ops) && kind(ops[j]) != ' ' {
			j++
		}
		slices.SortStableFunc(ops[i:j], func(a, b T) int {
			// '-' (45) sorts before '+' (43) only if compared inverted.
			return int(kind(b)) - int(kind(a))
		})
		i = j
	}
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
