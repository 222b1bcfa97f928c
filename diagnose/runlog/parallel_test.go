package runlog

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

// bigFixture has enough rows (20,000) for the ranged scan, with failures,
// failover, a repeated request and cache hits spread across the ranges.
func bigFixture() *runlogtest.Fixture {
	fx := runlogtest.Looping()
	t := runlogtest.Epoch.Add(time.Hour)
	agents := []string{"planner", "coder", "critic"}
	for i := 0; i < 20_000; i++ {
		req := runlogtest.Request("gpt-4o", runlogtest.Msg{Role: "user", Content: fmt.Sprintf("item %d: %c%c", i, 'a'+rune(i%26), 'a'+rune(i/26%26))})
		resp := runlogtest.OKResponse("c", "gpt-4o", "ok", 30+i%50, 5, t)
		switch {
		case i%997 == 0:
			resp = runlogtest.ErrorResponse("rate_limit_exceeded", i%2)
		case i%1999 == 1:
			resp = runlogtest.ErrorResponse("insufficient_quota", 0)
		}
		if i%5000 == 7 {
			req = runlogtest.Request("gpt-4o", runlogtest.Msg{Role: "user", Content: "the same question again"})
		}
		fx.Completions = append(fx.Completions, runlogtest.Completion{Invocation: fmt.Sprintf("inv-%d", i/2), Source: agents[i%3],
			Session: fmt.Sprintf("s-%d", i/3000), Request: req, Response: resp, Cached: i%20 == 3, Start: t, End: t.Add(2 * time.Second), Cost: 0.001})
		t = t.Add(time.Duration(200+i%900) * time.Millisecond)
	}
	return fx
}

// TestRangedScanMatchesOrderedScan: reading in parallel rowid ranges gives
// exactly the facts of one ordered scan.
func TestRangedScanMatchesOrderedScan(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.db")
	if err := runlogtest.WriteDB(p, bigFixture()); err != nil {
		t.Fatal(err)
	}
	read := func(workers int, lim Limits) *Facts {
		scanWorkers = workers
		defer func() { scanWorkers = 0 }()
		f, err := OpenDB(context.Background(), p, lim)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	one, three := read(1, Limits{}), read(3, Limits{})
	if one.Calls != 20_040 || one.Failed == 0 || one.FailoverCalls == 0 || one.Repeated == 0 {
		t.Fatalf("fixture facts look wrong: calls %d failed %d failover %d repeated %d", one.Calls, one.Failed, one.FailoverCalls, one.Repeated)
	}
	if !reflect.DeepEqual(one, three) {
		t.Errorf("ranged scan differs from the ordered scan:\n%+v\n%+v", summary(one), summary(three))
	}
	// a row limit stops the ranged scan at exactly that many rows.
	lim := read(3, Limits{MaxRows: 15_000})
	if !lim.Truncated || lim.Calls != 15_000 {
		t.Errorf("truncated %v calls %d", lim.Truncated, lim.Calls)
	}
}

func summary(f *Facts) string {
	return fmt.Sprintf("calls %d failed %d cached %d repeated %d failover %d resent %d peak %+v loops %d errors %+v",
		f.Calls, f.Failed, f.Cached, f.Repeated, f.FailoverCalls, f.Resent, f.Peak, len(f.Loops), f.Errors)
}

// BenchmarkOpenDB reads a 20,040-row log; bench/runlog/run.sh does the
// 1,000,000-row figure.
func BenchmarkOpenDB(b *testing.B) {
	p := filepath.Join(b.TempDir(), "big.db")
	if err := runlogtest.WriteDB(p, bigFixture()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenDB(context.Background(), p, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
