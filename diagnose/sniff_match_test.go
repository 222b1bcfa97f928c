package diagnose

import (
	"io/fs"
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
}
