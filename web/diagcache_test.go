package web

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

// TestDiagCacheOffByDefault: without --diagnosis-cache nothing is kept,
// and the same inputs run the engine again.
func TestDiagCacheOffByDefault(t *testing.T) {
	s, _, _ := newDiagServer(t)
	if s.cache != nil {
		t.Fatal("the diagnosis cache is on by default")
	}
	ins := []namedInput{{Name: "agents.py", Text: []byte(loopScript)}}
	a, err := s.diagnoseCached(context.Background(), ins, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := s.diagnoseCached(context.Background(), ins, nil, false); a == b || a.d == b.d {
		t.Error("a second request was answered from memory with the cache off")
	}
	if DefaultConfig().DiagnosisCache {
		t.Error("DefaultConfig turns the diagnosis cache on")
	}
	cfg, err := LoadConfig(nil, func(k string) string {
		if k == "RLD_DIAGNOSIS_CACHE" {
			return "true"
		}
		return ""
	}, io.Discard)
	if err != nil || !cfg.DiagnosisCache {
		t.Errorf("RLD_DIAGNOSIS_CACHE=true: cache %v, err %v", cfg.DiagnosisCache, err)
	}
}

func TestDiagCache(t *testing.T) {
	s, _, _ := newDiagServer(t)
	s.cache = newDiagCache() // as with --diagnosis-cache
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.cache.now = func() time.Time { return now }
	ctx := context.Background()
	ins := []namedInput{{Name: "agents.py", Text: []byte(loopScript)}}
	a, err := s.diagnoseCached(ctx, ins, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.diagnoseCached(ctx, ins, nil, true)
	if a != b {
		t.Error("the same inputs ran the engine again")
	}
	if c, _ := s.diagnoseCached(ctx, ins, nil, false); c == a || len(c.d.Texts) != 0 || len(a.d.Texts) != 1 {
		t.Error("a report-only diagnosis shares the entry of a full one, or holds texts")
	}
	if c, _ := s.diagnoseCached(ctx, ins, []string{"concurrent"}, true); c == a {
		t.Error("different answers share a cache entry")
	}
	if c, _ := s.diagnoseCached(ctx, []namedInput{{Name: "other.py", Text: []byte(loopScript)}}, nil, true); c == a {
		t.Error("a different file name shares a cache entry")
	}
	now = now.Add(cacheTTL + time.Second)
	if c, _ := s.diagnoseCached(ctx, ins, nil, true); c == a {
		t.Error("an expired entry was served")
	}
	for i := range 2 * cacheMax {
		_, _ = s.diagnoseCached(ctx, []namedInput{{Name: "a.py", Text: fmt.Appendf(nil, "x = %d\n", i)}}, nil, false)
	}
	if n := len(s.cache.entries); n > cacheMax || len(s.cache.order) != n {
		t.Errorf("cache holds %d entries (order %d), max %d", n, len(s.cache.order), cacheMax)
	}
	big := []namedInput{{Name: "big.log", Text: make([]byte, cacheMaxBytes+1)}}
	for i := range big[0].Text {
		big[0].Text[i] = 'x'
	}
	if _, ok := cacheKey(big, nil, false); ok {
		t.Error("an input over cacheMaxBytes is cached")
	}
}
