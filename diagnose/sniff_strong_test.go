package diagnose

import (
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestStrongPyMatchers checks that the hand-written strongLogLine and
// pyStatement agree with the regexps they replace, on every testdata line
// and on random lines built from the pieces the regexps care about.
func TestStrongPyMatchers(t *testing.T) {
	lines := []string{"", " ", "if :", "if x:", "if x", "if", "elif x", "else:", "for x in y:", "for x in :", "for x in:", "for  in y:",
		"for x iny:", "for x in y", "for _ in  :", "while :", "while x", "with a:", "with:", "except", "exceptx", "except:", "return",
		"return(x)", "raise", "raised = 1", "x[1] = 2", "x[1 = 2", "x[] += 3", "x.y ==", "x.y == 1", "x = ", "x =", "x= y", "a.b[c]d = 1",
		"ValueError: x", "openai.RateLimitError: x", "Error: x", ".Error: x", "MyException: ", "MyExceptionx: ", "Error:x",
		"a (to b):", "    File \"a.py\", line 3", "\tFile \"x\", line 1", "File \"a\", line 2", "  x = File \"a\", line 2",
		"2024-05-01 10:00:00 INFO x", "[2024-05-01T10:00", "05-01 10:00:00", "INFO:root", "DEBUG x", "---------- x ----------",
		strings.Repeat("-", 80), ">>>>>>>> EXECUTING", "***** Suggested", "Next speaker: a", "{\"type\": 1}", "é = 1", "\xff = 1", "x = \xff",
	}
	_ = fs.WalkDir(testdataFS, "testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := testdataFS.ReadFile(p)
		lines = append(lines, strings.Split(string(b), "\n")...)
		return nil
	})
	if len(lines) < 1000 {
		t.Fatalf("only %d lines to check", len(lines))
	}
	pieces := []string{"if", "elif", "else", "for", "in", "while", "with", "try", "except", "finally", "return", "raise", "print",
		"import", "from", "def", "class", "async", "await", "x", "a.b", "_1", "Error", "Exception", "File", "\"", " ", "  ", "\t",
		"(", ")", "[", "]", "=", "==", "+=", "+", ":", ": ", "@", "#", ".", ",", "é", "\xff", "-", "-----", "*****", "{", "2024", "-05"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 60000 {
		var sb strings.Builder
		for j := r.IntN(8); j >= 0; j-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		lines = append(lines, sb.String())
	}
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		if got, want := strongLogLine.MatchString(l), strongLogLineRe.MatchString(l); got != want {
			t.Errorf("strongLogLine(%q) = %v, regexp says %v", l, got, want)
		}
		tl := strings.TrimSpace(l)
		if got, want := pyStatement.MatchString(tl), pyStatementRe.MatchString(tl); got != want {
			t.Errorf("pyStatement(%q) = %v, regexp says %v", tl, got, want)
		}
	}
}
