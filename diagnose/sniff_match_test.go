package diagnose

import (
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLogLineMatcher checks that the fast logLine agrees with its regexp
// definition on every line of every test input, plus edge cases.
func TestLogLineMatcher(t *testing.T) {
	lines := []string{
		"", "a (to b):", "a (to  b):", " a (to b):", "a (to b): ", "x (to ):", "ab (to b)):", "a (to b) (to c):",
		"a (to  b) (to c):", "----------  ----------", "---------- ---------", strings.Repeat("-", 80), strings.Repeat("-", 81),
		"Error code: 42", "xError code: 429", "Error code: 4a9", "rate limits", "HTTP Request: PUT", "\tFile \"a.py\", line 3",
		"2024-05-01 10:00:00 INFO x", "[2024-05-01T10:00", "INFO:root", "ValueError: x", "openai.RateLimitError", "(to b):",
		"é (to b):", "\x00 (to b):",
	}
	n := 0
	_ = fs.WalkDir(testdataFS, "testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := testdataFS.ReadFile(p)
		lines = append(lines, strings.Split(string(b), "\n")...)
		return nil
	})
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		n++
		if got, want := logLine.MatchString(l), logLineRe.MatchString(l); got != want {
			t.Errorf("logLine(%q) = %v, regexp says %v", l, got, want)
		}
	}
	if n < 1000 {
		t.Errorf("only %d lines checked", n)
	}
	for _, l := range lines {
		tl := strings.TrimSpace(l)
		if got, want := pyLine.MatchString(tl), pyLineRe.MatchString(tl); got != want {
			t.Errorf("pyLine(%q) = %v, regexp says %v", tl, got, want)
		}
	}
}

// TestPyLineMatcher checks the hand-written pyLine against its regexp on
// random lines built from the pieces the alternatives look for.
func TestPyLineMatcher(t *testing.T) {
	pieces := []string{"import", "from", "def", "class", "for", "in", "with", "while", "try", "except", "return", "await", "async",
		"if", "__name__", " ", "  ", "x", "a.b", "_1", "(", ")", "[", "]", "\"", "'", "=", "==", "+=", "+", ":", "@", "#", ".", ",", "é", "-", "\t"}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 50000; i++ {
		var sb strings.Builder
		for j := r.IntN(8); j >= 0; j-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		l := sb.String()
		if got, want := pyLine.MatchString(l), pyLineRe.MatchString(l); got != want {
			t.Fatalf("pyLine(%q) = %v, regexp says %v", l, got, want)
		}
	}
}
