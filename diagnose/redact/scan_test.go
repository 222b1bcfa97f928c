package redact

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestScansSame: the one-pass scans give what the plain searches they
// replace give, on the engine's test inputs and on random texts.
func TestScansSame(t *testing.T) {
	var texts [][]byte
	_ = filepath.WalkDir("../testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(p); err == nil {
				texts = append(texts, b)
			}
		}
		return nil
	})
	if len(texts) < 50 {
		t.Fatalf("only %d test files", len(texts))
	}
	pieces := []string{"key", "KEY", "Key", "tok", "en", "TOKEN", "secret", "SeCrEt", "bearer", "Bearer ", "passw", "PASSWORD", "sk-", "gsk_",
		"hf_", "AIza", "xai-", "pplx-", "r8_", "ghp_", "github_pat_", "AKIA", "eyJ", "s", "k", "g", "=", ": ", "\"", "'", " ", "\n", "_",
		"-", "api", "0123456789abcdef", "ABCDEF0123456789", "…", "é", "\u212a", "\u0130", "\xff", "azure", "x"}
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var sb strings.Builder
		for j := r.IntN(14); j >= 0; j-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, []byte(sb.String()))
	}
	hex32 := regexp.MustCompile(`\b[0-9a-fA-F]{32}\b`)
	for _, b := range texts {
		wantMarker := false
		for _, q := range quick {
			wantMarker = wantMarker || bytes.Contains(b, q)
		}
		if got := hasAnyMarker(b); got != wantMarker {
			t.Fatalf("hasAnyMarker(%q) = %v, want %v", b, got, wantMarker)
		}
		wantWord := false
		for _, w := range keyWords {
			wantWord = wantWord || containsFold(b, w)
		}
		if got := containsKeyWord(b); got != wantWord {
			t.Fatalf("containsKeyWord(%q) = %v, want %v", b, got, wantWord)
		}
		if got, want := contextWindows(b), contextWindowsLowered(b); !reflect.DeepEqual(got, want) {
			t.Fatalf("contextWindows(%q) = %v, want %v", b, got, want)
		}
		if got, want := hasHex32(b), hex32.Match(b); got != want {
			t.Fatalf("hasHex32(%q) = %v, want %v", b, got, want)
		}
		s := string(b)
		if got, want := String(s), string(Bytes(b)); got != want {
			t.Fatalf("String(%q) = %q, want %q", s, got, want)
		}
	}
}
