package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/format"
)

// diagCache remembers recent diagnoses of the JSON API by the SHA-256 of
// their inputs, in memory only, for clients that send the same inputs again
// (a CI job posting the same config on every push). It is OFF unless the
// operator turns on --diagnosis-cache: the site promises that nothing a
// person pastes is kept unless they press Save, and a cache keeps masked
// reports for a few minutes. Entries hold only the masked report, expire
// after cacheTTL and are never written anywhere.
type diagCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	now     func() time.Time
	entries map[[32]byte]*cacheEntry
	order   [][32]byte // insertion order, for eviction
}

type cacheEntry struct {
	d       *diagnosis
	expires time.Time
	// jsonOnce builds the API's JSON answer once per entry.
	jsonOnce sync.Once
	json     []byte
	jsonErr  error
}

const (
	cacheTTL = 5 * time.Minute
	// cacheMax bounds memory: entries are small (a report and masked inputs
	// under the text limit), and most are far under it.
	cacheMax = 256
	// cacheMaxBytes is the largest total input cached; bigger diagnoses are
	// rare and would crowd the cache.
	cacheMaxBytes = 512 << 10
)

func newDiagCache() *diagCache {
	return &diagCache{ttl: cacheTTL, max: cacheMax, now: time.Now, entries: map[[32]byte]*cacheEntry{}}
}

// cacheKey hashes names, texts and the sorted answers; ok is false when the
// inputs are too big to cache.
func cacheKey(ins []namedInput, symptoms []string, full bool) (key [32]byte, ok bool) {
	h := sha256.New()
	if full {
		h.Write([]byte("full\x00"))
	}
	total := 0
	var n [8]byte
	write := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, in := range ins {
		total += len(in.Text)
		write([]byte(in.Name))
		write(in.Text)
	}
	if total > cacheMaxBytes {
		return key, false
	}
	h.Write([]byte{0xff})
	syms := slices.Clone(symptoms)
	slices.Sort(syms)
	for _, s := range syms {
		write([]byte(s))
	}
	copy(key[:], h.Sum(nil))
	return key, true
}

func (c *diagCache) get(key [32]byte) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || c.now().After(e.expires) {
		return nil
	}
	return e
}

func (c *diagCache) put(key [32]byte, d *diagnosis) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil && !c.now().After(e.expires) {
		return e
	}
	for len(c.order) > 0 && len(c.entries) >= c.max {
		old := c.order[0]
		c.order = c.order[1:]
		delete(c.entries, old)
	}
	e := &cacheEntry{d: d, expires: c.now().Add(c.ttl)}
	if _, ok := c.entries[key]; !ok {
		c.order = append(c.order, key)
	}
	c.entries[key] = e
	return e
}

// diagnoseCached runs the engine, or answers from the cache when it is on
// (s.cache nil: always the engine). The diagnosis it returns may be shared:
// callers only read it.
func (s *Server) diagnoseCached(ctx context.Context, ins []namedInput, symptoms []string, full bool) (*cacheEntry, error) {
	if s.cache == nil {
		d, err := runDiagnosis(ctx, ins, symptoms, full)
		if err != nil {
			return nil, err
		}
		return &cacheEntry{d: d}, nil
	}
	key, ok := cacheKey(ins, symptoms, full)
	if ok {
		if e := s.cache.get(key); e != nil {
			return e, nil
		}
	}
	d, err := runDiagnosis(ctx, ins, symptoms, full)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &cacheEntry{d: d}, nil
	}
	return s.cache.put(key, d), nil
}

// reportJSON is the entry's report as the API answers it.
func (e *cacheEntry) reportJSON() ([]byte, error) {
	e.jsonOnce.Do(func() {
		var buf bytes.Buffer
		e.jsonErr = format.JSON(&buf, e.d.Report)
		e.json = buf.Bytes()
	})
	return e.json, e.jsonErr
}
