package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
)

// BenchmarkAPIDiagnose is POST /api/v1/diagnose with a typical agent script
// through the whole handler stack (see web/bench/apiload for the loopback
// load test): "same" sends one body again and again, "unique" numbers each
// body (nothing is cached, so both run the engine; "unique" shows that no
// answer depends on having seen the body before).
func BenchmarkAPIDiagnose(b *testing.B) {
	script, err := os.ReadFile("testdata/bench/agents.py")
	if err != nil {
		b.Fatal(err)
	}
	s, _, _ := newDiagServer(b)
	exampleCache() // the rule examples warm up in the background; not part of this
	for _, unique := range []bool{false, true} {
		name := "same"
		if unique {
			name = "unique"
		}
		b.Run(name, func(b *testing.B) {
			var n atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					text := string(script)
					if unique {
						text = fmt.Sprintf("# request %d\n%s", n.Add(1), script)
					}
					rec := send(b, s, http.MethodPost, "/api/v1/diagnose", "application/json", mustJSON(files("agents.py", text)))
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d", rec.Code)
					}
				}
			})
		})
	}
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
		if _, err := runDiagnosis(context.Background(), ins, nil, false); err != nil {
			b.Fatal(err)
		}
	}
}
