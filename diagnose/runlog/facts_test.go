package runlog_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

func openFixture(t *testing.T, fx *runlogtest.Fixture, lim runlog.Limits) *runlog.Facts {
	t.Helper()
	p := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(p, fx); err != nil {
		t.Fatal(err)
	}
	f, err := runlog.OpenDB(context.Background(), p, lim)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func readFixture(t *testing.T, fx *runlogtest.Fixture) *runlog.Facts {
	t.Helper()
	var buf bytes.Buffer
	if err := runlogtest.WriteJSONLines(&buf, fx); err != nil {
		t.Fatal(err)
	}
	f, err := runlog.ReadJSONLines(&buf, runlog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// both runs a check on the SQLite and the JSON-lines form of a fixture:
// the two readers must agree on every fact the check looks at.
func both(t *testing.T, fx func() *runlogtest.Fixture, check func(t *testing.T, f *runlog.Facts)) {
	t.Run("sqlite", func(t *testing.T) { check(t, openFixture(t, fx(), runlog.Limits{})) })
	t.Run("jsonl", func(t *testing.T) { check(t, readFixture(t, fx())) })
}

func findLoop(f *runlog.Facts, kind runlog.LoopKind) *runlog.Loop {
	for i := range f.Loops {
		if f.Loops[i].Kind == kind {
			return &f.Loops[i]
		}
	}
	return nil
}

func TestFactsLooping(t *testing.T) {
	both(t, runlogtest.Looping, func(t *testing.T, f *runlog.Facts) {
		if f.Calls != 40 || f.Failed != 0 || f.Cached != 0 {
			t.Errorf("calls/failed/cached = %d/%d/%d, want 40/0/0", f.Calls, f.Failed, f.Cached)
		}
		if a := f.Agent("assistant"); a == nil || a.Calls != 40 {
			t.Errorf("assistant stats = %+v", a)
		}
		// 40 calls 3 s apart: 20 start in the first 60 s window.
		if f.Peak.Requests != 20 || !f.Peak.Start.Equal(runlogtest.Epoch) {
			t.Errorf("peak = %+v", f.Peak)
		}
		// loop replies start at call 12; the request carrying two loop messages first is call 13,
		// and calls 13..40 are 28 repeats.
		rep := findLoop(f, runlog.LoopRepeat)
		if rep == nil || rep.Count != 28 || rep.Agent != "assistant" || rep.Start.Time != runlogtest.Epoch.Add(36*time.Second) {
			t.Fatalf("repeat loop = %+v", rep)
		}
		g := findLoop(f, runlog.LoopGrowth)
		if g == nil || g.Step != 2 || g.Count != 27 || g.End.Time != runlogtest.Epoch.Add(39*3*time.Second) {
			t.Errorf("growth loop = %+v", g)
		}
		pp := findLoop(f, runlog.LoopPingPong)
		if pp == nil || pp.Count < 50 || !(pp.Agent == "assistant" && pp.Peer == "user_proxy") {
			t.Errorf("ping-pong = %+v", pp)
		}
		if f.Repeated != 0 {
			t.Errorf("growing requests are never identical; Repeated = %d", f.Repeated)
		}
		if len(f.Timeline) != 2 || f.Timeline[0].Requests != 20 || f.Timeline[1].Requests != 20 {
			t.Errorf("timeline = %+v", f.Timeline)
		}
		if f.TokensEstimated != 0 || f.PromptTokens == 0 {
			t.Errorf("usage should be read from responses: estimated %d, prompt %d", f.TokensEstimated, f.PromptTokens)
		}
	})
}

func TestFactsRetryStorm(t *testing.T) {
	both(t, runlogtest.RetryStorm, func(t *testing.T, f *runlog.Facts) {
		if f.Calls != 51 || f.Failed != 5 || f.ErrorCount("rate_limit_exceeded") != 5 {
			t.Errorf("calls %d failed %d errors %+v", f.Calls, f.Failed, f.Errors)
		}
		if f.FailoverCalls != 2 || f.MaxFailedRows != 2 {
			t.Errorf("failover calls %d, max failed rows %d; want 2, 2", f.FailoverCalls, f.MaxFailedRows)
		}
		// both failed rows of each failed-over invocation, config 0 first.
		if len(f.FailoverRows) != 4 || !f.FailoverRows[0].Time.Equal(runlogtest.Epoch.Add(70*time.Second)) ||
			f.FailoverRows[0].Invocation != f.FailoverRows[1].Invocation {
			t.Errorf("failover rows = %v", f.FailoverRows)
		}
		if f.Resent != 1 || f.ResentRows[0].Agent != "researcher" {
			t.Errorf("resent = %d %+v", f.Resent, f.ResentRows)
		}
		ff := f.FirstFailure
		if ff == nil || ff.Call.Agent != "researcher" || ff.Call.Error != "rate_limit_exceeded" || len(ff.Before) == 0 {
			t.Fatalf("first failure = %+v", ff)
		}
		// the 45 calls are 1.2 s apart from 10:00:00; the failure at 10:01:10 sees those from 10:00:11 on.
		if ff.LastMin != 36 {
			t.Errorf("calls in the minute before the first failure = %d, want 36", ff.LastMin)
		}
		if ff.Call.Prompt != 0 || ff.Call.Completion != 0 {
			t.Errorf("a failed call used no tokens: %+v", ff.Call)
		}
		if f.Peak.Requests != 45 || f.Peak.Agents != 3 {
			t.Errorf("peak = %+v", f.Peak)
		}
		// the peak is reached with the 45th call: critic at 10:00:52.8.
		if n := len(f.PeakRows); n == 0 || f.PeakRows[n-1].Agent != "critic" || !f.PeakRows[n-1].Time.Equal(runlogtest.Epoch.Add(44*1200*time.Millisecond)) {
			t.Errorf("peak rows = %v", f.PeakRows)
		}
		if len(f.Shared.Agents) != 3 || f.Shared.Overlaps < 40 || f.Shared.MaxInFight != 3 {
			t.Errorf("shared = %+v", f.Shared)
		}
		if len(f.Timeline) != 2 || f.Timeline[1].Errors429 != 5 {
			t.Errorf("timeline = %+v", f.Timeline)
		}
	})
	t.Run("key", func(t *testing.T) {
		f := openFixture(t, runlogtest.RetryStorm(), runlog.Limits{})
		if f.Shared.KeyMask != "sk-…a1b2" || len(f.Shared.KeyAgents) != 3 {
			t.Errorf("shared key = %q %v", f.Shared.KeyMask, f.Shared.KeyAgents)
		}
		for _, c := range f.Clients {
			if c.KeyMask != "" && c.KeyMask != "sk-…a1b2" {
				t.Errorf("client key not masked: %q", c.KeyMask)
			}
		}
		if f.Schema != 1 || len(f.Tables) != 7 {
			t.Errorf("schema %d tables %v", f.Schema, f.Tables)
		}
	})
}

func TestFactsQuotaCachedNoCacheTools(t *testing.T) {
	t.Run("quota", func(t *testing.T) {
		both(t, runlogtest.QuotaFailure, func(t *testing.T, f *runlog.Facts) {
			if f.ErrorCount("insufficient_quota") != 1 || f.FirstFailure == nil || f.FirstFailure.Call.ID == 0 {
				t.Errorf("errors %+v first %+v", f.Errors, f.FirstFailure)
			}
			if f.FailoverCalls != 0 || f.Resent != 0 {
				t.Errorf("no failover or resend expected: %d %d", f.FailoverCalls, f.Resent)
			}
		})
	})
	t.Run("clean-cached", func(t *testing.T) {
		both(t, runlogtest.CleanCached, func(t *testing.T, f *runlog.Facts) {
			if f.Cached != 4 || f.Repeated != 0 || len(f.Loops) != 0 || f.Failed != 0 {
				t.Errorf("cached %d repeated %d loops %+v failed %d", f.Cached, f.Repeated, f.Loops, f.Failed)
			}
			// cache hits make no request: the timeline counts 6.
			total := 0
			for _, m := range f.Timeline {
				total += m.Requests
			}
			if total != 6 {
				t.Errorf("timeline requests = %d, want 6", total)
			}
			if !f.CostRecorded || f.Cost <= 0 {
				t.Errorf("cost = %v recorded %v", f.Cost, f.CostRecorded)
			}
		})
	})
	t.Run("no-cache-rerun", func(t *testing.T) {
		both(t, runlogtest.NoCacheRerun, func(t *testing.T, f *runlog.Facts) {
			// 3 runs of 5 identical requests: the 2nd and 3rd runs repeat all 5.
			if f.Repeated != 10 || f.Cached != 0 {
				t.Errorf("repeated %d cached %d", f.Repeated, f.Cached)
			}
			if len(f.Loops) != 0 {
				t.Errorf("reruns in separate sessions are not loops: %+v", f.Loops)
			}
		})
		f := openFixture(t, runlogtest.NoCacheRerun(), runlog.Limits{})
		if len(f.Sessions) != 3 || f.Sessions[0].Calls != 5 {
			t.Errorf("sessions = %+v", f.Sessions)
		}
	})
	t.Run("tool-heavy", func(t *testing.T) {
		both(t, runlogtest.ToolHeavy, func(t *testing.T, f *runlog.Facts) {
			// results of 0, 1, 2 pages are in the three requests: 3 pages of 32,900 characters.
			if f.ToolChars != 3*32900 || f.MaxToolMessage != 32900 || f.ToolShare() < 0.6 {
				t.Errorf("tool chars %d max %d share %.2f", f.ToolChars, f.MaxToolMessage, f.ToolShare())
			}
		})
		f := openFixture(t, runlogtest.ToolHeavy(), runlog.Limits{})
		if len(f.Tools) != 1 || f.Tools[0].Name != "scrape_page" || f.Tools[0].Calls != 3 || f.Tools[0].MaxReturn != 32900 {
			t.Errorf("tools = %+v", f.Tools)
		}
	})
}

func TestMaxRows(t *testing.T) {
	f := openFixture(t, runlogtest.Looping(), runlog.Limits{MaxRows: 10})
	if !f.Truncated || f.Calls != 10 {
		t.Errorf("truncated %v calls %d", f.Truncated, f.Calls)
	}
}

func TestRowString(t *testing.T) {
	r := runlog.Row{Time: runlogtest.Epoch, Agent: "coder", ID: 7, Prompt: 10, Completion: 2, Cached: true, Error: "429"}
	if got, want := r.String(), "2024-05-01 10:00:00  coder  row 7  tokens 10+2  cached  error 429"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	r = runlog.Row{ID: 3, Line: true}
	if got, want := r.String(), "-  ?  line 3  tokens 0+0"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
