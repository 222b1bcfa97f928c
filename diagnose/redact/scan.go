package redact

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// The scans here answer the cheap "is there anything to mask?" questions in
// one pass each: Bytes runs on every field of every report and on the
// finished output, and one bytes.Contains per marker or word walked the text
// a dozen times, stopping at every common letter they start with.

// keyWords are the words (lower case) one of which a key-context match holds.
var keyWords = []string{"key", "token", "secret", "bearer", "passw"}

// pairSet holds the first two bytes of some words: a cheap necessary test
// before comparing whole words, since their first letters alone are common.
type pairSet [256][4]uint64

func (ps *pairSet) add(a, b byte)      { ps[a][b>>6] |= 1 << (b & 63) }
func (ps *pairSet) has(a, b byte) bool { return ps[a][b>>6]&(1<<(b&63)) != 0 }

// markerPairs are the first two bytes of the quick markers.
var markerPairs = func() (ps pairSet) {
	for _, q := range quick {
		ps.add(q[0], q[1])
	}
	return ps
}()

// hasAnyMarker is "bytes.Contains(b, q) for some q in quick" (every marker
// is at least three bytes long).
func hasAnyMarker(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if !markerPairs.has(b[i], b[i+1]) {
			continue
		}
		for _, q := range quick {
			if bytes.HasPrefix(b[i:], q) {
				return true
			}
		}
	}
	return false
}

// keyWordPairs are the first two letters of keyWords, lower case.
var keyWordPairs = func() (ps pairSet) {
	for _, w := range keyWords {
		ps.add(w[0], w[1])
	}
	return ps
}()

// containsKeyWord is "containsFold(b, w) for some w in keyWords": an ASCII
// case-insensitive search (every word is at least three letters long).
func containsKeyWord(b []byte) bool {
	for i := 0; i+1 < len(b); i++ {
		if !keyWordPairs.has(b[i]|0x20, b[i+1]|0x20) {
			continue
		}
		for _, w := range keyWords {
			if hasPrefixFold(b[i:], w) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether b starts with the lower-case ASCII letters
// of w in either case (for letters, c|0x20 is exactly ASCII lower-casing).
func hasPrefixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if b[j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

// lowerKeepsOffsets reports whether bytes.ToLower(b) keeps every rune at
// its byte offset, so an ASCII word found in the lowered text is found at
// the same offset in b by a case-insensitive ASCII search. False for
// invalid UTF-8 and for runes whose lower case has another length (such
// as the Kelvin sign, whose lower case is "k").
func lowerKeepsOffsets(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if utf8.RuneLen(unicode.ToLower(r)) != size {
			return false
		}
		i += size
	}
	return true
}

// wordClass marks regexp \w bytes (1) and hex digits (2).
var wordClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if isWord(b) {
			t[c] |= 1
		}
		if b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F' {
			t[c] |= 2
		}
	}
	return t
}()
