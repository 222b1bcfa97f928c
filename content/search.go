package content

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search is a small in-memory full-text index built once at load: every term
// of every article with a weight per field (title, headings, summary, body).
// A query is tokenised the same way; each term is looked up in a map, and the
// last term also matches as a prefix (search-as-you-type) by a binary search
// over the sorted vocabulary. No allocation grows with the corpus per query
// beyond the hits themselves.

// Field weights: a word in the title says most about an article; the title
// weight exceeds all the others together, so a title match always ranks first.
const (
	weightTitle   = 20
	weightHeading = 5
	weightSummary = 3
	weightBody    = 1
	prefixFactor  = 0.7 // a prefix match counts less than the whole word
	maxQueryTerms = 16  // longer queries are cut: cost stays bounded
	snippetBefore = 60  // bytes of context before the first match
	snippetLength = 220 // bytes of snippet in all
)

// Hit is one search result.
type Hit struct {
	Article *Article
	Score   float64
	// Snippet is a short passage (from the body, else the summary) split into
	// parts; parts with Match set are the query's words, for highlighting.
	// The text is plain: the web layer escapes it like any other text.
	Snippet []SnippetPart
}

// SnippetPart is a run of snippet text, matched or not.
type SnippetPart struct {
	Text  string
	Match bool
}

type posting struct {
	doc    int
	weight float64
}

type tokenPos struct {
	start, end int // byte offsets in Article.Text
	term       string
}

type searchIndex struct {
	docs     []*Article
	terms    []string             // sorted vocabulary
	postings map[string][]posting // term -> documents and weights
	idf      map[string]float64
	body     [][]tokenPos     // per document: the body's tokens, for snippets
	first    []map[string]int // per document: index of each term's first body token
	keywords []map[string]bool
}

func newSearchIndex(docs []*Article) *searchIndex {
	ix := &searchIndex{docs: docs, postings: map[string][]posting{}, idf: map[string]float64{}}
	for d, a := range docs {
		weights := map[string]float64{}
		addField := func(s string, w float64) {
			seen := map[string]bool{}
			for _, t := range tokenize(s) {
				if !seen[t.term] {
					seen[t.term] = true
					weights[t.term] += w
				}
			}
		}
		addField(a.Title, weightTitle)
		var hs []string
		for _, h := range a.headings {
			hs = append(hs, h.Text)
		}
		addField(strings.Join(hs, " "), weightHeading)
		addField(a.Summary, weightSummary)
		body := tokenize(a.Text)
		ix.body = append(ix.body, body)
		tf := map[string]int{}
		first := map[string]int{}
		for i, t := range body {
			if tf[t.term] == 0 {
				first[t.term] = i
			}
			tf[t.term]++
		}
		ix.first = append(ix.first, first)
		for term, n := range tf {
			// A word used often in the body counts more, with diminishing returns.
			weights[term] += weightBody * (1 + math.Log(float64(n)))
		}
		kw := map[string]bool{}
		for _, t := range tokenize(a.Title + " " + a.Summary + " " + strings.Join(hs, " ")) {
			if len(t.term) > 2 && !stopWords[t.term] {
				kw[t.term] = true
			}
		}
		ix.keywords = append(ix.keywords, kw)
		for term, w := range weights {
			ix.postings[term] = append(ix.postings[term], posting{doc: d, weight: w})
		}
	}
	n := float64(len(docs))
	for term, ps := range ix.postings {
		ix.terms = append(ix.terms, term)
		ix.idf[term] = math.Log(1 + n/float64(len(ps)))
	}
	sort.Strings(ix.terms)
	return ix
}

// shared scores how much two articles have in common: the rarity-weighted
// count of distinctive words (title, summary, headings) they share.
func (ix *searchIndex) shared(a, b int) float64 {
	s := 0.0
	for term := range ix.keywords[a] {
		if ix.keywords[b][term] {
			s += ix.idf[term]
		}
	}
	return s
}

// tokenize splits s into lower-case words of letters, digits and inner
// underscores, with offsets. An identifier such as max_turns is one token
// (so a query for it finds exactly it, and "max_tu" finds it as a prefix),
// followed by its parts "max" and "turns" (so "turns" finds it too).
func tokenize(s string) []tokenPos {
	var out []tokenPos
	start := -1
	emit := func(end int) {
		word := strings.Trim(s[start:end], "_")
		if word == "" {
			return
		}
		from := start + strings.Index(s[start:end], word)
		out = append(out, tokenPos{from, from + len(word), strings.ToLower(word)})
		if !strings.Contains(word, "_") {
			return
		}
		off := from
		for _, part := range strings.Split(word, "_") {
			if part != "" {
				out = append(out, tokenPos{off, off + len(part), strings.ToLower(part)})
			}
			off += len(part) + 1
		}
	}
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			emit(i)
			start = -1
		}
	}
	if start >= 0 {
		emit(len(s))
	}
	return out
}

var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"do": true, "does": true, "for": true, "from": true, "how": true, "i": true, "in": true, "is": true,
	"it": true, "my": true, "of": true, "on": true, "or": true, "the": true, "this": true, "that": true,
	"to": true, "what": true, "why": true, "with": true,
}

// queryTerm is one word of a query and the vocabulary terms it matches.
type queryTerm struct {
	word   string
	prefix bool // the last word also matches longer terms
}

// Search returns the articles matching q, best first, at most limit (all when
// limit <= 0). Every word must match (the last one may be a prefix); when no
// article has them all, articles matching any are returned instead.
func (l *Library) Search(q string, limit int) []Hit {
	terms := parseQuery(q)
	if len(terms) == 0 {
		return nil
	}
	ix := l.index
	scores := make([]float64, len(ix.docs))
	matched := make([]int, len(ix.docs))
	best := make([]float64, len(ix.docs))
	for _, qt := range terms {
		for i := range best {
			best[i] = 0
		}
		ix.match(qt, func(term string, factor float64) {
			idf := ix.idf[term]
			for _, p := range ix.postings[term] {
				if s := p.weight * idf * factor; s > best[p.doc] {
					best[p.doc] = s
				}
			}
		})
		for d, s := range best {
			if s > 0 {
				scores[d] += s
				matched[d]++
			}
		}
	}
	phrase := strings.Join(wordsOf(terms), " ")
	need := len(terms)
	if !anyEqual(matched, need) {
		need = 1
	}
	var hits []Hit
	for d, s := range scores {
		if matched[d] < need || s == 0 {
			continue
		}
		if len(terms) > 1 && strings.Contains(strings.ToLower(ix.docs[d].Title), phrase) {
			s *= 1.5 // the words in this order in the title
		}
		hits = append(hits, Hit{Article: ix.docs[d], Score: s})
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return articleLess(hits[i].Article, hits[j].Article)
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	for i := range hits {
		hits[i].Snippet = ix.snippet(l.pos[hits[i].Article], terms)
	}
	return hits
}

func anyEqual(xs []int, n int) bool {
	for _, x := range xs {
		if x == n {
			return true
		}
	}
	return false
}

func wordsOf(terms []queryTerm) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.word
	}
	return out
}

// parseQuery tokenises a query, drops stop words (unless nothing else is
// left) and marks the last word as a prefix unless the query ends in a space.
func parseQuery(q string) []queryTerm {
	if len(q) > 512 {
		q = q[:512]
	}
	var toks []tokenPos
	for _, t := range tokenize(q) {
		if n := len(toks); n > 0 && t.start < toks[n-1].end {
			continue // a part of the identifier just taken whole
		}
		toks = append(toks, t)
	}
	if len(toks) == 0 {
		return nil
	}
	lastIsPrefix := toks[len(toks)-1].end == len(strings.TrimRight(q, "_"))
	var terms []queryTerm
	for i, t := range toks {
		isLast := i == len(toks)-1
		if stopWords[t.term] && !(isLast && lastIsPrefix) {
			continue
		}
		terms = append(terms, queryTerm{word: t.term, prefix: isLast && lastIsPrefix})
	}
	if len(terms) == 0 {
		for _, t := range toks {
			terms = append(terms, queryTerm{word: t.term})
		}
	}
	// The same word twice adds nothing but cost.
	seen := map[queryTerm]bool{}
	uniq := terms[:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			uniq = append(uniq, t)
		}
	}
	if len(uniq) > maxQueryTerms {
		uniq = uniq[:maxQueryTerms]
	}
	return uniq
}

// match calls fn for every vocabulary term qt matches, with the factor its
// matches are worth.
func (ix *searchIndex) match(qt queryTerm, fn func(term string, factor float64)) {
	if !qt.prefix {
		if _, ok := ix.postings[qt.word]; ok {
			fn(qt.word, 1)
		}
		return
	}
	i := sort.SearchStrings(ix.terms, qt.word)
	for ; i < len(ix.terms) && strings.HasPrefix(ix.terms[i], qt.word); i++ {
		factor := 1.0
		if ix.terms[i] != qt.word {
			factor = prefixFactor
		}
		fn(ix.terms[i], factor)
	}
}

// matches reports whether a token is one of the query's words.
func matches(term string, terms []queryTerm) bool {
	for _, qt := range terms {
		if term == qt.word || qt.prefix && strings.HasPrefix(term, qt.word) {
			return true
		}
	}
	return false
}

// snippet cuts a passage around the first query word in the body, or marks
// the words in the summary when the body has none.
func (ix *searchIndex) snippet(d int, terms []queryTerm) []SnippetPart {
	a := ix.docs[d]
	toks := ix.body[d]
	first := -1
	for _, qt := range terms {
		ix.match(qt, func(term string, _ float64) {
			if i, ok := ix.first[d][term]; ok && (first < 0 || i < first) {
				first = i
			}
		})
	}
	if first < 0 {
		return markWords(a.Summary, 0, len(a.Summary), tokenize(a.Summary), terms, false, false)
	}
	text := a.Text
	start := toks[first].start - snippetBefore
	if start <= 0 {
		start = 0
	} else {
		// begin at a word: skip back to the token that contains start
		for i := first; i >= 0; i-- {
			if toks[i].start <= start {
				start = toks[i].start
				break
			}
		}
	}
	end := start + snippetLength
	if end >= len(text) {
		end = len(text)
	} else {
		for i := first; i < len(toks); i++ {
			if toks[i].end >= end {
				end = toks[i].end
				break
			}
		}
	}
	return markWords(text, start, end, toks, terms, start > 0, end < len(text))
}

// markWords splits text[start:end] into parts, marking tokens that match the
// query, collapsing whitespace and adding ellipses where the text was cut.
func markWords(text string, start, end int, toks []tokenPos, terms []queryTerm, cutBefore, cutAfter bool) []SnippetPart {
	var parts []SnippetPart
	plain := func(s string) {
		s = collapseSpace(s)
		if s == "" {
			return
		}
		if n := len(parts); n > 0 && !parts[n-1].Match {
			parts[n-1].Text += s
			return
		}
		parts = append(parts, SnippetPart{Text: s})
	}
	if cutBefore {
		plain("… ")
	}
	pos := start
	// Tokens are in text order: jump to the window instead of scanning all.
	from := sort.Search(len(toks), func(i int) bool { return toks[i].start >= start })
	for _, t := range toks[from:] {
		if t.start >= end {
			break
		}
		if t.end > end || t.start < pos {
			continue // outside the window, or a part of a word already marked
		}
		if !matches(t.term, terms) {
			continue
		}
		plain(text[pos:t.start])
		parts = append(parts, SnippetPart{Text: text[t.start:t.end], Match: true})
		pos = t.end
	}
	plain(text[pos:end])
	if cutAfter {
		plain(" …")
	}
	if len(parts) > 0 && !parts[0].Match {
		parts[0].Text = strings.TrimLeft(parts[0].Text, " ")
	}
	return parts
}

// collapseSpace turns each run of white space into one space and drops
// invalid UTF-8, so a snippet reads as one line.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				continue
			}
		}
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether s is ASCII with no white space but single
// spaces: the common case, returned as is.
func isCollapsed(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == ' ' && i > 0 && s[i-1] == ' ' {
			return false
		}
	}
	return true
}
