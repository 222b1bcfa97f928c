// Package redact masks API keys and other secrets in text.
//
// A masked secret keeps a short, recognisable prefix (the provider's marker such
// as "sk-" or "AIza") and its last four characters, joined by an ellipsis:
// "sk-…a1b2". That is enough for a person to tell which key a message is about
// and never enough to use it.
package redact

import (
	"bytes"
	"io"
	"regexp"
	"strings"
)

// keyPatterns match secrets by their own shape, wherever they appear.
var keyPatterns = []*regexp.Regexp{
	// Anthropic, OpenAI project/service/admin keys, OpenRouter, then plain OpenAI keys.
	regexp.MustCompile(`sk-[A-Za-z0-9][A-Za-z0-9_\-]{14,}`),
	regexp.MustCompile(`gsk_[A-Za-z0-9]{16,}`),                                             // Groq
	regexp.MustCompile(`hf_[A-Za-z0-9]{16,}`),                                              // Hugging Face
	regexp.MustCompile(`AIza[0-9A-Za-z_\-]{30,}`),                                          // Google
	regexp.MustCompile(`xai-[A-Za-z0-9]{20,}`),                                             // xAI
	regexp.MustCompile(`pplx-[A-Za-z0-9]{20,}`),                                            // Perplexity
	regexp.MustCompile(`r8_[A-Za-z0-9]{20,}`),                                              // Replicate
	regexp.MustCompile(`ghp_[A-Za-z0-9]{20,}`),                                             // GitHub tokens pasted by accident
	regexp.MustCompile(`github_pat_[A-Za-z0-9_]{20,}`),                                     // GitHub fine-grained tokens
	regexp.MustCompile(`AKIA[0-9A-Z]{16}`),                                                 // AWS access key IDs
	regexp.MustCompile(`eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}`), // JWTs (Azure AD tokens)
}

// bearerPattern matches an Authorization bearer token; group 1 is the token.
var bearerPattern = regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=\-]{12,})`)

// contextPattern matches a value assigned to a key-like name: api_key="…",
// "api_key": "…", api-key: …, OPENAI_API_KEY=…, token = '…'. Group 2 is a quoted
// value's body, group 3 an unquoted one.
var contextPattern = regexp.MustCompile(`(?i)([A-Za-z0-9_\-]*(?:api[_\-]?key|apikey|secret|token|password|passwd|access[_\-]?key|subscription[_\-]?key|_key)["']?)\s*[:=]\s*(?:["']([^"'\s]{8,})["']|([A-Za-z0-9_\-./+=]{16,}))`)

// hex32 matches Azure-style 32 hex digit keys; only masked in a key context or
// when a line mentions azure/key, to leave hashes and ids in logs alone.
var hex32 = regexp.MustCompile(`\b[0-9a-fA-F]{32}\b`)
var hexContext = regexp.MustCompile(`(?i)key|azure|ocp-apim|subscription`)

// quick holds byte markers of which at least one must occur for any pattern to
// match; most text has none and returns untouched without running a regexp.
var quick = [][]byte{[]byte("sk-"), []byte("gsk_"), []byte("hf_"), []byte("AIza"), []byte("xai-"),
	[]byte("pplx-"), []byte("r8_"), []byte("ghp_"), []byte("github_pat_"), []byte("AKIA"), []byte("eyJ")}

// Mask returns the masked form of one secret: a short prefix, an ellipsis and
// the last four characters ("sk-…a1b2"). Short values lose everything but the ellipsis.
func Mask(secret string) string {
	if len(secret) < 12 {
		return "…"
	}
	prefix := ""
	for _, p := range []string{"sk-ant-", "sk-proj-", "sk-or-", "sk-", "gsk_", "hf_", "AIza", "xai-", "pplx-", "r8_", "ghp_", "github_pat_", "AKIA", "eyJ"} {
		if strings.HasPrefix(secret, p) {
			prefix = p
			break
		}
	}
	return prefix + "…" + secret[len(secret)-4:]
}

// isMasked reports whether v already is a masked value or an obvious
// placeholder, which must stay readable ("<your key>", "sk-...", "${KEY}").
func isPlaceholder(v string) bool {
	l := strings.ToLower(v)
	if strings.Contains(v, "…") || strings.Contains(v, "...") || strings.ContainsAny(v, "<>{}$()[]") {
		return true
	}
	for _, w := range []string{"your", "xxxx", "****", "placeholder", "example", "changeme", "api_key", "apikey", "os.environ", "getenv", "env(", "none", "null", "true", "false", "dummy", "fake", "not-needed", "notneeded", "ollama", "lm-studio", "lmstudio"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// String masks every secret in s.
func String(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	out := Bytes(b)
	if len(out) == len(b) && &out[0] == &b[0] {
		return s // Bytes hands back its input only when nothing was masked
	}
	return string(out)
}

// Bytes masks every secret in b and returns the result (b itself when nothing
// needed masking; b is never modified).
func Bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	out := b
	hasKeyWord := containsKeyWord(out)
	hasMarker := hasAnyMarker(out)
	if !hasMarker && !hasKeyWord {
		return b
	}
	if hasMarker {
		for _, re := range keyPatterns {
			out = re.ReplaceAllFunc(out, func(m []byte) []byte {
				// A key's shape is enough: even "sk-FAKE…" edits of a real
				// key get masked (masking a placeholder costs nothing).
				if bytes.Contains(m, []byte("…")) {
					return m
				}
				return []byte(Mask(string(m)))
			})
		}
	}
	if hasKeyWord {
		if containsFold(out, "bearer") {
			out = bearerPattern.ReplaceAllFunc(out, maskBearer)
		}
		out = replaceContext(out, func(m []byte) []byte {
			sub := contextPattern.FindSubmatchIndex(m)
			s, e := sub[4], sub[5]
			if s < 0 {
				s, e = sub[6], sub[7]
			}
			if s < 0 {
				return m
			}
			v := string(m[s:e])
			if isPlaceholder(v) || !looksSecret(v) {
				return m
			}
			r := append([]byte{}, m[:s]...)
			r = append(r, Mask(v)...)
			return append(r, m[e:]...)
		})
		out = maskHexInContext(out)
	}
	return out
}

// looksSecret rules out values in a key context that are clearly not secrets:
// env var names, file names, dotted module paths and plain words.
func looksSecret(v string) bool {
	if strings.ToUpper(v) == v && !strings.ContainsAny(v, "0123456789") {
		return false // an env var name such as OPENAI_API_KEY
	}
	digits, letters := 0, 0
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		}
	}
	if digits == 0 && len(v) < 24 {
		return false // a word or a name, not random
	}
	if strings.HasSuffix(v, ".json") || strings.HasSuffix(v, ".txt") || strings.HasSuffix(v, ".py") || strings.HasPrefix(v, "http") {
		return false
	}
	return letters > 0 || digits >= 16
}

// maskHexInContext masks 32-hex values on lines that mention keys or Azure.
func maskHexInContext(b []byte) []byte {
	if !hasHex32(b) {
		return b
	}
	var out []byte
	rest := b
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line := rest
		if i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if hasHex32(line) && hexContext.Match(line) {
			line = hex32.ReplaceAllFunc(line, func(m []byte) []byte { return []byte(Mask(string(m))) })
		}
		out = append(out, line...)
	}
	return out
}

func containsFold(b []byte, word string) bool {
	n := len(word)
	for i := 0; i+n <= len(b); i++ {
		if (b[i]|0x20) == word[0] && strings.EqualFold(string(b[i:i+n]), word) {
			return true
		}
	}
	return false
}

// Writer masks secrets in everything written through it. It holds back an
// incomplete last line (up to 64 KiB) so a key split across two writes is
// still masked; Close (or Flush) writes what is left.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer that masks secrets before writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write masks every complete line of p and passes it on.
func (rw *Writer) Write(p []byte) (int, error) {
	rw.buf = append(rw.buf, p...)
	i := bytes.LastIndexByte(rw.buf, '\n')
	if i < 0 && len(rw.buf) < 64<<10 {
		return len(p), nil
	}
	cut := i + 1
	if i < 0 {
		cut = len(rw.buf)
	}
	if _, err := rw.w.Write(Bytes(rw.buf[:cut])); err != nil {
		return 0, err
	}
	rw.buf = append(rw.buf[:0], rw.buf[cut:]...)
	return len(p), nil
}

// Flush writes any held-back partial line.
func (rw *Writer) Flush() error {
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := rw.w.Write(Bytes(rw.buf))
	rw.buf = rw.buf[:0]
	return err
}

// Close flushes; it does not close the underlying writer.
func (rw *Writer) Close() error { return rw.Flush() }

// maskBearer masks the token of one bearerPattern match.
func maskBearer(m []byte) []byte {
	sub := bearerPattern.FindSubmatchIndex(m)
	tok := string(m[sub[2]:sub[3]])
	if isPlaceholder(tok) || strings.Contains(tok, "…") {
		return m
	}
	return append(append([]byte{}, m[:sub[2]]...), Mask(tok)...)
}
