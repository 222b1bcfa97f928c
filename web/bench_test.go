package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// BenchmarkArticlePage measures GET /articles/agent-loops through the whole
// handler stack (router, security headers, ETag, pre-rendered page), with
// the real built-in articles.
func BenchmarkArticlePage(b *testing.B) {
	lib, err := content.Load(content.Options{})
	if err != nil {
		b.Fatalf("load articles: %v", err)
	}
	s := newTestServerWith(b, lib)
	h := s.Handler()
	req := httptest.NewRequest(http.MethodGet, "/articles/agent-loops", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkSearchPage measures a search, which renders per request.
func BenchmarkSearchPage(b *testing.B) {
	lib, err := content.Load(content.Options{})
	if err != nil {
		b.Fatalf("load articles: %v", err)
	}
	h := newTestServerWith(b, lib).Handler()
	req := httptest.NewRequest(http.MethodGet, "/search?q=max_turns+termination", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
