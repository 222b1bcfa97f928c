package redact

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplaceContextSame: the windowed replacement gives exactly what the
// plain regexp replacement gives, on every test input of the engine and on
// random texts built from the pieces the pattern cares about.
func TestReplaceContextSame(t *testing.T) {
	mark := func(m []byte) []byte { return append(append([]byte("<"), m...), '>') }
	check := func(name string, b []byte) {
		t.Helper()
		want := contextPattern.ReplaceAllFunc(b, mark)
		if got := replaceContext(b, mark); !bytes.Equal(got, want) {
			t.Fatalf("%s: windowed replacement differs\ninput: %q\ngot:   %q\nwant:  %q", name, b, got, want)
		}
	}
	n := 0
	_ = filepath.WalkDir("../testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil {
			check(p, b)
			n++
		}
		return nil
	})
	if n < 50 {
		t.Errorf("only %d test files checked", n)
	}
	pieces := []string{"api_key", "API-KEY", "apikey", "token", "Secret", "password", "passwd", "access_key", "subscription-key",
		"_key", "my", "x", "\"", "'", " ", "\n", "\t", ":", "=", " = ", ": ", "sk-abcdefghij1234567890", "abcdef0123456789abcdef",
		"os.environ", "KEY", "key_id", "keys", ",", "{", "}", "…", "1234567890123456", "a.b/c+d=", "-", "_"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		for j := r.IntN(12); j >= 0; j-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		check("random", []byte(sb.String()))
		h := []byte(sb.String())
		if hasHex32(h) != hex32.Match(h) {
			t.Fatalf("hasHex32(%q) = %v, regexp says %v", h, hasHex32(h), hex32.Match(h))
		}
	}
	for _, h := range []string{strings.Repeat("a", 32), "x" + strings.Repeat("a", 32), strings.Repeat("a", 33), "-" + strings.Repeat("F", 32) + ".",
		strings.Repeat("0", 31), "é" + strings.Repeat("b", 32), strings.Repeat("c", 32) + "_"} {
		if hasHex32([]byte(h)) != hex32.Match([]byte(h)) {
			t.Errorf("hasHex32(%q) = %v, regexp says %v", h, hasHex32([]byte(h)), hex32.Match([]byte(h)))
		}
	}
}

func BenchmarkBytesReport(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 60; i++ {
		sb.WriteString(`    "message": "proxy (human_input_mode=\"NEVER\") has no is_termination_msg; the token budget and api_key come from config_list",` + "\n")
	}
	text := []byte(sb.String())
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Bytes(text)
	}
}
