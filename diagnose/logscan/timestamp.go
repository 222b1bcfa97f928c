package logscan

import "time"

// parseTimestamp finds a timestamp near the start of a log line, in the forms
// logs use: "2023-11-20 21:34:00.847", "2026-01-17 15:55:03,200",
// "[2024-03-01T10:00:00Z]", openai's "%Y-%m-%d %H:%M:%S" and AutoGen's
// "%m-%d %H:%M:%S" (no year: year 1 is used, which is fine for minute buckets).
// It looks at the first 64 bytes only and allocates nothing.
func parseTimestamp(b []byte) (time.Time, bool) {
	t, _, ok := parseTimestampAt(b)
	return t, ok
}

// parseTimestampAt is parseTimestamp that also says where the timestamp starts.
func parseTimestampAt(b []byte) (time.Time, int, bool) {
	n := len(b)
	if n > 64 {
		n = 64
	}
	for i := 0; i+14 <= n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			continue
		}
		if i > 0 && isDigit(b[i-1]) {
			continue
		}
		// YYYY-MM-DD[ T]HH:MM:SS
		if i+19 <= len(b) && digits(b[i:i+4]) && b[i+4] == '-' && digits(b[i+5:i+7]) && b[i+7] == '-' &&
			digits(b[i+8:i+10]) && (b[i+10] == ' ' || b[i+10] == 'T') && digits(b[i+11:i+13]) && b[i+13] == ':' &&
			digits(b[i+14:i+16]) && b[i+16] == ':' && digits(b[i+17:i+19]) {
			t, ok := mk(num(b[i:i+4]), num(b[i+5:i+7]), num(b[i+8:i+10]), num(b[i+11:i+13]), num(b[i+14:i+16]), num(b[i+17:i+19]))
			return t, i, ok
		}
		// MM-DD HH:MM:SS
		if digits(b[i:i+2]) && b[i+2] == '-' && digits(b[i+3:i+5]) && b[i+5] == ' ' && digits(b[i+6:i+8]) &&
			b[i+8] == ':' && digits(b[i+9:i+11]) && b[i+11] == ':' && digits(b[i+12:i+14]) {
			t, ok := mk(1, num(b[i:i+2]), num(b[i+3:i+5]), num(b[i+6:i+8]), num(b[i+9:i+11]), num(b[i+12:i+14]))
			return t, i, ok
		}
	}
	return time.Time{}, 0, false
}

func mk(y, mo, d, h, mi, s int) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func num(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}
