package diagnose

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/configfacts"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

// sqliteMagic starts every SQLite database file (AutoGen's runtime log).
var sqliteMagic = []byte("SQLite format 3\x00")

// Sniff classifies an input from its first bytes, with its name as a hint.
// It returns the kind and, for inputs that cannot be read, why.
func Sniff(name string, prefix []byte) (Kind, string) {
	if bytes.HasPrefix(prefix, sqliteMagic) {
		return KindRuntimeDB, ""
	}
	if isBinary(prefix) {
		return KindUnknown, "binary input, not read"
	}
	text := bytes.TrimSpace(stripBOM(prefix))
	if len(text) == 0 {
		return KindUnknown, "empty input"
	}
	base := strings.ToLower(filepath.Base(name))
	ext := filepath.Ext(base)
	switch {
	case ext == ".py":
		return KindPython, ""
	case ext == ".log" || ext == ".jsonl" || ext == ".ndjson":
		return KindLog, ""
	case ext == ".json" || ext == ".yaml" || ext == ".yml" || strings.HasPrefix(base, "oai_config_list") || ext == ".toml":
		if looksConfig(text) {
			return KindConfig, ""
		}
	}
	// Scored only now: a .py or .log name decides without reading lines.
	logScore, pyScore := scoreLines(text)
	if looksConfig(text) && logScore < 3 {
		return KindConfig, ""
	}
	switch {
	case logScore >= 3 && logScore*2 >= pyScore:
		return KindLog, ""
	case pyScore >= 2 && pyScore > logScore:
		return KindPython, ""
	case logScore >= 1 && logScore >= pyScore:
		return KindLog, ""
	case pyScore >= 1:
		return KindPython, ""
	case logscan.SniffScore(prefix) >= 0.3:
		return KindLog, ""
	}
	return KindUnknown, "could not tell what this is; paste Python, a config list, or a log"
}

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// isBinary: NUL bytes or invalid UTF-8 (a rune cut at the end of the prefix is fine).
func isBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	check := b
	if len(check) > 4 {
		// allow a truncated rune at the very end of a prefix
		for i := 0; i < 3 && len(check) > 0 && !utf8.Valid(check); i++ {
			check = check[:len(check)-1]
		}
	}
	return !utf8.Valid(check)
}

var (
	// logLineRe is the definition of a log-looking line; logLine answers the
	// same question faster (see logLineMatcher).
	logLineRe = regexp.MustCompile(`^(Traceback \(most recent call last\)|\s*File ".*", line \d+|[A-Za-z_.]*(Error|Exception)(: |$)|.*Error code: \d{3}|.*HTTP Request: (POST|GET)|.*Retrying request to|\S.* \(to \S.*\):$|-{10} .*-{10}$|-{80}$|>>>>>>>> |\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d-\d\d \d\d:\d\d:\d\d|(INFO|WARNING|ERROR|DEBUG)[: ]|\[autogen|.*(429|Too Many Requests|rate limit|RateLimitError)|\*{5} |Next speaker: |TERMINATING RUN|\{"(type|invocation_id|client_id|source_id|agent_id)": )`)
	// pyLineRe defines a Python-looking line; pyLine answers the same faster.
	pyLineRe = regexp.MustCompile(`^(import \w|from [\w.]+ import |def \w+\(|async def |class \w+|@\w|if __name__|for \w+ in |while |try:|except\b|with .*:$|return\b|await |[\w.\[\]"']+ ?(=|\+=) ?[^=]|\w[\w.]*\(.*\)?$|#)`)
)

// logLine matches exactly the lines logLineRe matches. The regexp's
// alternatives that start with ".*" make Go's backtracker try every start
// position of every line, which made sniffing the largest cost of a whole
// diagnosis; here those alternatives are substring checks and only the
// anchored ones stay a regexp. TestLogLineMatcher checks the two agree.
var logLine = logLineMatcher{}

var (
	logLineAnchored = regexp.MustCompile(`^(Traceback \(most recent call last\)|\s*File ".*", line \d+|[A-Za-z_.]*(Error|Exception)(: |$)|-{10} .*-{10}$|-{80}$|>>>>>>>> |\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d-\d\d \d\d:\d\d:\d\d|(INFO|WARNING|ERROR|DEBUG)[: ]|\[autogen|\*{5} |Next speaker: |TERMINATING RUN|\{"(type|invocation_id|client_id|source_id|agent_id)": )`)
	errorCode       = regexp.MustCompile(`Error code: \d{3}`)
)

type logLineMatcher struct{}

// MatchString reports whether l looks like a log line.
func (logLineMatcher) MatchString(l string) bool {
	switch {
	case strings.Contains(l, "429"), strings.Contains(l, "Too Many Requests"), strings.Contains(l, "rate limit"),
		strings.Contains(l, "RateLimitError"), strings.Contains(l, "HTTP Request: POST"), strings.Contains(l, "HTTP Request: GET"),
		strings.Contains(l, "Retrying request to"):
		return true
	case strings.Contains(l, "Error code: ") && errorCode.MatchString(l):
		return true
	case addressedLine(l):
		return true
	}
	if !mayStartLog(l) {
		return false
	}
	return logLineAnchored.MatchString(l)
}

// mayStartLog is a cheap necessary condition for logLineAnchored: each of
// its alternatives starts with one of these bytes ("File" after spaces), or
// is a name ending in Error or Exception. Most lines of code fail it.
func mayStartLog(l string) bool {
	if l == "" {
		return true // "(Error|Exception)$" cannot match "", but let the regexp say so
	}
	switch l[0] {
	case 'T', '-', '>', '[', 'I', 'W', 'E', 'D', '*', 'N', '{', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return true
	}
	if strings.HasPrefix(strings.TrimLeft(l, " \t\n\f\r"), "File \"") {
		return true
	}
	return strings.Contains(l, "Error") || strings.Contains(l, "Exception")
}

// addressedLine matches `\S.* \(to \S.*\):$`, AutoGen 0.2's "a (to b):" header.
func addressedLine(l string) bool {
	if len(l) < 8 || !strings.HasSuffix(l, "):") || isSpaceByte(l[0]) {
		return false
	}
	for i := 1; i < len(l); {
		j := strings.Index(l[i:], " (to ")
		if j < 0 {
			return false
		}
		k := i + j + len(" (to ")
		// a non-space after "(to ", and the final "):" after that character
		if k < len(l) && !isSpaceByte(l[k]) && k+1 <= len(l)-2 {
			return true
		}
		i = i + j + 1
	}
	return false
}

// pyLine matches exactly the lines pyLineRe matches, by hand: the regexp's
// backtracking over every line of every input was the largest Go cost of a
// diagnosis after tree-sitter. Each alternative is checked as the regexp
// would; TestPyLineMatcher checks the two agree.
var pyLine = pyLineMatcher{}

type pyLineMatcher struct{}

// MatchString reports whether t (a trimmed line) looks like Python.
func (pyLineMatcher) MatchString(t string) bool {
	for _, p := range []string{"async def ", "if __name__", "while ", "try:", "await ", "#"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	switch {
	case pyHeader(t):
		return true
	case strings.HasPrefix(t, "for "):
		if r := runEnd(t, 4, isWordByte); r > 4 && strings.HasPrefix(t[r:], " in ") {
			return true
		}
	case strings.HasPrefix(t, "with ") && len(t) >= 6 && strings.HasSuffix(t, ":"):
		return true
	}
	for _, w := range []string{"except", "return"} {
		if strings.HasPrefix(t, w) && (len(t) == len(w) || !isWordByte(t[len(w)])) {
			return true
		}
	}
	// [\w.\[\]"']+ ?(=|\+=) ?[^=] : the run cannot stop early (a space, "="
	// or "+" would have to follow, and none is in the run's class).
	if r := runEnd(t, 0, isTargetByte); r > 0 {
		p := r
		if p < len(t) && t[p] == ' ' {
			p++
		}
		q := -1
		if p < len(t) && t[p] == '=' {
			q = p + 1
		} else if strings.HasPrefix(t[p:], "+=") {
			q = p + 2
		}
		if q >= 0 && q < len(t) && t[q] != '=' { // " ?[^=]": a space, or any byte but "="
			return true
		}
	}
	// \w[\w.]*\(.*\)?$ : "(" right after the name; the rest always matches.
	if len(t) > 0 && isWordByte(t[0]) {
		if r := runEnd(t, 1, isNameByte); r < len(t) && t[r] == '(' {
			return true
		}
	}
	return false
}

// runEnd returns the end of the run of bytes from i that satisfy in.
func runEnd(t string, i int, in func(byte) bool) int {
	for i < len(t) && in(t[i]) {
		i++
	}
	return i
}

// isWordByte is regexp's ASCII \w.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isNameByte(c byte) bool { return isWordByte(c) || c == '.' }

func isTargetByte(c byte) bool {
	return isWordByte(c) || c == '.' || c == '[' || c == ']' || c == '"' || c == '\''
}

// isSpaceByte is regexp's \s for ASCII: \t \n \f \r and space.
func isSpaceByte(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r'
}

// scoreLines counts lines that look like logs and like Python. Commented
// lines count for Python only (a script with a commented traceback stays a
// script); a traceback's quoted source lines are indented and end up in
// neither count when they follow a File "..." line.
func scoreLines(text []byte) (logScore, pyScore int) {
	lines := bytes.Split(text, []byte("\n"))
	if len(lines) > 400 {
		lines = lines[:400]
	}
	prevFile := false
	for _, raw := range lines {
		l := strings.TrimRight(string(raw), "\r")
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if prevFile {
			prevFile = false
			if strings.HasPrefix(l, "    ") && !logLine.MatchString(l) {
				continue // the source line quoted in a traceback
			}
		}
		if strings.HasPrefix(t, "#") {
			pyScore++
			continue
		}
		// Code that names errors (except RateLimitError:, print("429"))
		// is still code; only lines shaped like log output count as log
		// before the Python check.
		if pyStatement.MatchString(t) && !strongLogLine.MatchString(l) {
			pyScore++
			continue
		}
		isLog := logLine.MatchString(l)
		if isLog {
			logScore++
			prevFile = strings.HasPrefix(t, "File \"")
			if strings.HasPrefix(t, "Traceback") || strings.Contains(t, "Error code: 429") {
				logScore += 2
			}
			continue
		}
		if pyLine.MatchString(t) {
			pyScore++
		}
	}
	return logScore, pyScore
}

// looksConfig: a JSON/YAML document that parses and has config-ish keys.
func looksConfig(text []byte) bool {
	first := text[0]
	if first == '[' || first == '{' {
		_, err := parseConfigTree(text)
		return err == nil
	}
	// YAML: key: value lines with known AutoGen config keys.
	s := string(text)
	if !regexp.MustCompile(`(?m)^\s*-?\s*"?(model|config_list|api_key|provider|component_type|base_url|api_type|llm_config|participants)"?\s*:`).MatchString(s) {
		return false
	}
	if strings.Contains(s, "(") && strings.Contains(s, "import ") {
		return false
	}
	_, err := parseConfigTree(text)
	return err == nil
}

func parseConfigTree(text []byte) (any, error) { return configfacts.ParseTree(text) }

// strongLogLineRe is log output that no Python statement looks like;
// pyStatementRe is a line that starts like a Python statement. scoreLines
// asks strongLogLine and pyStatement, which match exactly the same lines by
// hand (TestStrongPyMatchers checks it): as regexps, with their ".*"
// alternatives, they were most of the cost of reading a script's lines.
var (
	strongLogLineRe = regexp.MustCompile(`^(Traceback \(most recent call last\)|\s*File ".*", line \d+|\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d-\d\d \d\d:\d\d:\d\d|(INFO|WARNING|ERROR|DEBUG)[: ]|\S.* \(to \S.*\):$|-{10} .*-{10}$|-{80}$|>>>>>>>> |\*{5} |Next speaker: |[\w.]+(Error|Exception): |\{")`)
	pyStatementRe   = regexp.MustCompile(`^(import \w|from [\w.]+ import |def \w+\(|async def |class \w+|@\w|if .*:$|elif |else:|for \w.* in .*:$|while .*:$|try:|except\b|finally:|with .*:$|return\b|raise\b|print\(|await |[\w.]+(\[[^\]]*\])? ?(=|\+=) ?[^=])`)
)

var (
	strongLogLine = strongLogMatcher{}
	pyStatement   = pyStatementMatcher{}
	// strongAnchored is strongLogLineRe without the two alternatives that
	// strongLogMatcher checks by hand; every remaining one starts with one
	// of the bytes in mayStartStrong.
	strongAnchored = regexp.MustCompile(`^(Traceback \(most recent call last\)|\s*File ".*", line \d+|\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\d\d-\d\d \d\d:\d\d:\d\d|(INFO|WARNING|ERROR|DEBUG)[: ]|-{10} .*-{10}$|-{80}$|>>>>>>>> |\*{5} |Next speaker: |\{")`)
)

type strongLogMatcher struct{}

// MatchString reports whether l matches strongLogLineRe.
func (strongLogMatcher) MatchString(l string) bool {
	if l == "" {
		return false
	}
	if addressedLine(l) || errorNameLine(l) {
		return true
	}
	switch c := l[0]; {
	case isSpaceByte(c):
		// Only `\s*File ".*", line \d+` can start with a space.
		if !strings.HasPrefix(strings.TrimLeft(l, " \t\n\f\r"), `File "`) {
			return false
		}
	case c == 'T', c == 'F', c == '[', c >= '0' && c <= '9', c == 'I', c == 'W', c == 'E', c == 'D',
		c == '-', c == '>', c == '*', c == 'N', c == '{':
	default:
		return false
	}
	return strongAnchored.MatchString(l)
}

// errorNameLine matches `^[\w.]+(Error|Exception): `: the run of name bytes
// cannot stop early (":" is not in it), so the word must end the run.
func errorNameLine(l string) bool {
	r := runEnd(l, 0, isNameByte)
	if !strings.HasPrefix(l[r:], ": ") {
		return false
	}
	return r > len("Error") && strings.HasSuffix(l[:r], "Error") ||
		r > len("Exception") && strings.HasSuffix(l[:r], "Exception")
}

type pyStatementMatcher struct{}

// MatchString reports whether t (a trimmed line) matches pyStatementRe.
func (pyStatementMatcher) MatchString(t string) bool {
	for _, p := range []string{"async def ", "elif ", "else:", "try:", "finally:", "print(", "await "} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	// "if .*:$" and its kin: the prefix, then a ":" ending the line.
	for _, p := range []string{"if ", "while ", "with "} {
		if strings.HasPrefix(t, p) && strings.HasSuffix(t[len(p):], ":") {
			return true
		}
	}
	for _, w := range []string{"except", "return", "raise"} {
		if strings.HasPrefix(t, w) && (len(t) == len(w) || !isWordByte(t[len(w)])) {
			return true
		}
	}
	switch {
	case pyHeader(t):
		return true
	case strings.HasPrefix(t, "for ") && len(t) > 4 && isWordByte(t[4]) && strings.HasSuffix(t, ":"):
		// `for \w.* in .*:$`: the first " in " after the name's first
		// byte leaves the most room for the final ":".
		if j := strings.Index(t[5:], " in "); j >= 0 && 5+j+len(" in ") <= len(t)-1 {
			return true
		}
	}
	// `[\w.]+(\[[^\]]*\])? ?(=|\+=) ?[^=]`: the name run cannot stop early
	// (none of "[", " ", "=", "+" is in it), a "[" must open the subscript,
	// which ends at the first "]", and " ?[^=]" needs one byte that is not "=".
	r := runEnd(t, 0, isNameByte)
	if r == 0 {
		return false
	}
	p := r
	if p < len(t) && t[p] == '[' {
		k := strings.IndexByte(t[p:], ']')
		if k < 0 {
			return false
		}
		p += k + 1
	}
	if p < len(t) && t[p] == ' ' {
		p++
	}
	q := -1
	if p < len(t) && t[p] == '=' {
		q = p + 1
	} else if strings.HasPrefix(t[p:], "+=") {
		q = p + 2
	}
	return q >= 0 && q < len(t) && t[q] != '='
}

// pyHeader reports the line starts both Python tests accept: an import, a
// from-import, a def, a class or a decorator.
func pyHeader(t string) bool {
	switch {
	case strings.HasPrefix(t, "import ") && len(t) > 7 && isWordByte(t[7]):
		return true
	case strings.HasPrefix(t, "from "):
		r := runEnd(t, 5, isNameByte)
		return r > 5 && strings.HasPrefix(t[r:], " import ")
	case strings.HasPrefix(t, "def "):
		r := runEnd(t, 4, isWordByte)
		return r > 4 && r < len(t) && t[r] == '('
	case strings.HasPrefix(t, "class ") && len(t) > 6 && isWordByte(t[6]):
		return true
	case len(t) > 1 && t[0] == '@' && isWordByte(t[1]):
		return true
	}
	return false
}
