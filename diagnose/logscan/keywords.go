package logscan

// The per-line prefilter. Calling bytes.Contains once per keyword costs a
// pass over the line per keyword (and keywords that start with a common letter
// such as "e" are slow to search), which made the scan several times slower
// than grep. Instead one loop visits each byte once and only stops at a few
// rare "anchor" bytes, each the rarest letter of one keyword, where it checks
// the keyword around it.
//
//	anchor  keyword it confirms
//	'H'     "HTTP Re" (httpx / openai response lines)
//	'y'     "etry" (Retrying, retrying, retry, Retry-After)
//	'f'     "left" after "retries"/"retry" (openai DEBUG)
//	'9'     "429", "529"
//	'm'     "imit" (rate limit, RateLimitError, Limit), "ttempt" (an app's "Attempt 3 failed")
//	'q'     "quota"
//	'x' 'X' "xhausted", "XHAUSTED" (RESOURCE_EXHAUSTED, ResourceExhausted)
//	'v'     "verloaded" (overloaded_error, OverloadedError)
//	'('     "(...)" (backoff's "Backing off f(...)", "Giving up f(...)")
//	'M'     "TERMINATE"

const (
	kwfHTTP = 1 << iota
	kwfRetry
	kwfLeft
	kwf429
	kwfLimit
	kwfQuota
	kwfExhausted
	kwfOverloaded
	kwfBackoff
	kwfTerminate
	kwfAttempt
)

var anchors = func() (t [256]bool) {
	for _, c := range []byte("Hyf9mqxXv(M") {
		t[c] = true
	}
	return t
}()

// keywordFlags returns the kwf* flags of the keywords found in b.
func keywordFlags(b []byte) int {
	flags := 0
	for i := 0; i < len(b); i++ {
		if anchors[b[i]] {
			flags |= anchorAt(b, i)
		}
	}
	return flags
}

// anchorAt checks the keyword whose anchor byte is b[i].
func anchorAt(b []byte, i int) int {
	flags := 0
	n := len(b)
	c := b[i]
	switch c {
	case 'H':
		if i+6 < n && b[i+1] == 'T' && b[i+2] == 'T' && b[i+3] == 'P' && b[i+4] == ' ' && b[i+5] == 'R' && b[i+6] == 'e' {
			flags |= kwfHTTP
		}
	case 'y':
		if i >= 3 && b[i-1] == 'r' && b[i-2] == 't' && b[i-3] == 'e' {
			flags |= kwfRetry
		}
	case 'f':
		if i >= 7 && i+1 < n && b[i-1] == 'e' && b[i-2] == 'l' && b[i-3] == ' ' && b[i+1] == 't' &&
			(b[i-4] == 's' || b[i-4] == 'y') {
			flags |= kwfLeft
		}
	case '9':
		if i >= 2 && b[i-1] == '2' && (b[i-2] == '4' || b[i-2] == '5') && (i+1 == n || !isDigit(b[i+1])) && (i < 3 || !isDigit(b[i-3])) {
			flags |= kwf429
		}
	case 'm':
		if i >= 1 && i+2 < n && b[i-1] == 'i' && b[i+1] == 'i' && b[i+2] == 't' {
			flags |= kwfLimit
		} else if i >= 3 && i+2 < n && b[i-1] == 'e' && b[i-2] == 't' && b[i-3] == 't' && b[i+1] == 'p' && b[i+2] == 't' {
			flags |= kwfAttempt
		}
	case 'q':
		if i+4 < n && b[i+1] == 'u' && b[i+2] == 'o' && b[i+3] == 't' && b[i+4] == 'a' {
			flags |= kwfQuota
		}
	case 'x':
		if i+7 < n && b[i+1] == 'h' && b[i+2] == 'a' && b[i+3] == 'u' && b[i+4] == 's' && b[i+5] == 't' {
			flags |= kwfExhausted
		}
	case 'X':
		if i+5 < n && b[i+1] == 'H' && b[i+2] == 'A' && b[i+3] == 'U' && b[i+4] == 'S' && b[i+5] == 'T' {
			flags |= kwfExhausted
		}
	case 'v':
		if i+7 < n && b[i+1] == 'e' && b[i+2] == 'r' && b[i+3] == 'l' && b[i+4] == 'o' && b[i+5] == 'a' && b[i+6] == 'd' {
			flags |= kwfOverloaded
		}
	case '(':
		if i+4 < n && b[i+1] == '.' && b[i+2] == '.' && b[i+3] == '.' && b[i+4] == ')' {
			flags |= kwfBackoff
		}
	case 'M':
		if i >= 3 && i+5 < n && b[i-3] == 'T' && b[i-2] == 'E' && b[i-1] == 'R' && b[i+1] == 'I' && b[i+2] == 'N' && b[i+3] == 'A' && b[i+4] == 'T' && b[i+5] == 'E' {
			flags |= kwfTerminate
		}
	}
	return flags
}
