package web

import (
	"context"
	"net/http"
	"os"
	"testing"
)

// BenchmarkAPIDiagnose is POST /api/v1/diagnose with a typical agent script
// through the whole handler stack (see web/bench/apiload for the loopback
// load test).
func BenchmarkAPIDiagnose(b *testing.B) {
	script, err := os.ReadFile("testdata/bench/agents.py")
	if err != nil {
		b.Fatal(err)
	}
	s, _, _ := newDiagServer(b)
	body := mustJSON(files("agents.py", string(script)))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := send(b, s, http.MethodPost, "/api/v1/diagnose", "application/json", body)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkRunDiagnosis is the engine run alone, for comparison.
func BenchmarkRunDiagnosis(b *testing.B) {
	script, err := os.ReadFile("testdata/bench/agents.py")
	if err != nil {
		b.Fatal(err)
	}
	ins := []namedInput{{Name: "agents.py", Text: script}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := runDiagnosis(context.Background(), ins, nil); err != nil {
			b.Fatal(err)
		}
	}
}
