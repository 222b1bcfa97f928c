package runlog

import (
	"regexp"
	"strings"
	"time"
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
