package redact

import "bytes"

// replaceContext is contextPattern.ReplaceAllFunc(b, fn) without running
// the regexp over the whole text. The pattern starts with an unanchored
// `[A-Za-z0-9_\-]*`, so Go's regexp tries it from every byte: on a 10 KB
// report that cost milliseconds, most of a diagnosis. Every match contains
// one of the words key, token, secret or passw (case-insensitive), starts
// inside the run of identifier bytes holding that word and ends at the end
// of the run of non-space bytes after the ":" or "=" that follows it. So the
// regexp only runs on those windows (merged where they overlap), which
// gives the same matches: nothing before a window can start a match, and no
// match reaches past its window. TestReplaceContextSame checks it.
func replaceContext(b []byte, fn func([]byte) []byte) []byte {
	wins := contextWindows(b)
	if len(wins) == 0 {
		return b
	}
	var out []byte
	last := 0
	for _, w := range wins {
		seg := b[w[0]:w[1]]
		rep := contextPattern.ReplaceAllFunc(seg, fn)
		if out == nil && bytes.Equal(rep, seg) {
			continue // nothing masked yet: keep sharing b
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:w[0]]...)
		out = append(out, rep...)
		last = w[1]
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

var contextWords = []string{"key", "token", "secret", "passw"}

// contextPairs are the first two letters of contextWords.
var contextPairs = func() (ps pairSet) {
	for _, w := range contextWords {
		ps.add(w[0], w[1])
	}
	return ps
}()

func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// isSpace is the regexp's \s: \t \n \f \r and space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// contextWindows returns sorted, merged [start, end) windows that hold every
// possible contextPattern match.
func contextWindows(b []byte) [][2]int {
	var wins [][2]int
	if lowerKeepsOffsets(b) {
		// One case-insensitive pass finds the same word offsets as
		// searching bytes.ToLower(b) word by word, without the copy.
		for p := 0; p+1 < len(b); p++ {
			if !contextPairs.has(b[p]|0x20, b[p+1]|0x20) {
				continue
			}
			for _, w := range contextWords {
				if hasPrefixFold(b[p:], w) {
					wins = appendWindow(wins, b, p, w)
				}
			}
		}
		return mergeWindows(wins)
	}
	return contextWindowsLowered(b)
}

// contextWindowsLowered is contextWindows by searching bytes.ToLower(b) for
// each word: the way for texts whose lower case moves bytes.
func contextWindowsLowered(b []byte) [][2]int {
	var wins [][2]int
	lower := bytes.ToLower(b)
	if len(lower) != len(b) {
		lower = b // offsets would not match b: search b as it is
	}
	for _, w := range contextWords {
		for i := 0; ; {
			j := bytes.Index(lower[i:], []byte(w))
			if j < 0 {
				break
			}
			p := i + j
			i = p + 1
			wins = appendWindow(wins, b, p, w)
		}
	}
	return mergeWindows(wins)
}

// appendWindow adds the window around the key word w found at p, when a
// ":" or "=" follows the name holding it (no match can use it otherwise).
func appendWindow(wins [][2]int, b []byte, p int, w string) [][2]int {
	s := p
	for s > 0 && isIdent(b[s-1]) {
		s--
	}
	e := p + len(w)
	for e < len(b) && isIdent(b[e]) {
		e++ // the rest of the name ("password", "key_id")
	}
	if e < len(b) && (b[e] == '"' || b[e] == '\'') {
		e++
	}
	for e < len(b) && isSpace(b[e]) {
		e++
	}
	if e >= len(b) || (b[e] != ':' && b[e] != '=') {
		return wins // no ":" or "=" after the name: no match can use this word
	}
	e++
	for e < len(b) && isSpace(b[e]) {
		e++
	}
	for e < len(b) && !isSpace(b[e]) {
		e++
	}
	return append(wins, [2]int{s, e})
}

// mergeWindows sorts the windows and merges overlapping ones.
func mergeWindows(wins [][2]int) [][2]int {
	if len(wins) < 2 {
		return wins
	}
	sortWindows(wins)
	merged := wins[:1]
	for _, w := range wins[1:] {
		last := &merged[len(merged)-1]
		if w[0] <= last[1] {
			last[1] = max(last[1], w[1])
			continue
		}
		merged = append(merged, w)
	}
	return merged
}

func sortWindows(w [][2]int) {
	// insertion sort: a text has few key words
	for i := 1; i < len(w); i++ {
		for j := i; j > 0 && w[j][0] < w[j-1][0]; j-- {
			w[j], w[j-1] = w[j-1], w[j]
		}
	}
}

// hasHex32 is hex32.Match(b) without the regexp: some run of word bytes
// ([0-9A-Za-z_], as \b sees them) is exactly 32 hex digits.
func hasHex32(b []byte) bool {
	for i := 0; i < len(b); {
		if wordClass[b[i]]&1 == 0 {
			i++
			continue
		}
		j, hex := i, uint8(2)
		for j < len(b) && wordClass[b[j]]&1 != 0 {
			hex &= wordClass[b[j]]
			j++
		}
		if hex != 0 && j-i == 32 {
			return true
		}
		i = j
	}
	return false
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
