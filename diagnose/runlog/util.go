package runlog

import (
	"regexp"
	"strings"
	"time"
	"unsafe"
)

// timeLayouts are the timestamp shapes AutoGen writes: get_current_ts()
// ("%Y-%m-%d %H:%M:%S.%f", UTC), SQLite's CURRENT_TIMESTAMP default, and ISO
// forms from logging prefixes.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05,999",
}

// parseTime reads a logged timestamp as UTC; the zero time when it is not one.
func parseTime(s string) time.Time {
	if t, ok := fastTime(s); ok {
		return t
	}
	s = strings.TrimSpace(s)
	if len(s) < 19 {
		return time.Time{}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// prefixTimeRe finds a timestamp in a logging prefix ("2024-05-01 10:02:13,123 INFO ...",
// "[2023-11-20 21:34:00.847] ...").
var prefixTimeRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`)

func prefixTime(s string) time.Time {
	m := prefixTimeRe.FindString(s)
	if m == "" {
		return time.Time{}
	}
	return parseTime(strings.Replace(m, ",", ".", 1))
}

// keyRe finds API keys in init args. Keys are reduced to a mask at once and
// never stored whole.
var keyRe = regexp.MustCompile(`"api_key"\s*:\s*"([^"]{8,})"`)

// maskKey shows only the scheme prefix and the last four characters: sk-…a1b2.
func maskKey(k string) string {
	if len(k) < 12 {
		return "…"
	}
	prefix := ""
	if strings.HasPrefix(k, "sk-") {
		prefix = "sk-"
	}
	return prefix + "…" + k[len(k)-4:]
}

// keysIn returns the masked keys found in a text.
func keysIn(s string) []string {
	var out []string
	for _, m := range keyRe.FindAllStringSubmatch(s, 8) {
		out = append(out, maskKey(m[1]))
	}
	return out
}

// fastTime parses "YYYY-MM-DD HH:MM:SS[.ffffff]" without the layout
// machinery of time.Parse: two timestamps per row of a million-row log.
func fastTime(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 {
		return time.Time{}, false
	}
	ns := 0
	if len(s) > 19 {
		if s[19] != '.' || len(s) > 29 || len(s) == 20 {
			return time.Time{}, false
		}
		f, ok := num(20, len(s))
		if !ok {
			return time.Time{}, false
		}
		ns = f
		for k := len(s) - 20; k < 9; k++ {
			ns *= 10
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC), true
}

// parseTimeBytes parses a timestamp column read as raw bytes without
// allocating in the common case.
func parseTimeBytes(b []byte) time.Time {
	if t, ok := fastTime(unsafe.String(unsafe.SliceData(b), len(b))); ok {
		return t
	}
	return parseTime(string(b))
}
