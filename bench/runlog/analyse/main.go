// Command analyse runs runlog.OpenDB on a runtime-log database and prints
// how long it took and what it found; run.sh wraps it in /usr/bin/time -v
// for the peak memory.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

func main() {
	prof := flag.String("cpuprofile", "", "write a CPU profile to this file")
	memprof := flag.String("memprofile", "", "write an allocation profile to this file")
	flag.Parse()
	if *prof != "" {
		pf, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "analyse:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: analyse DB")
		os.Exit(2)
	}
	began := time.Now()
	f, err := runlog.OpenDB(context.Background(), flag.Arg(0), runlog.Limits{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "analyse:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	took := time.Since(began)
	if *memprof != "" {
		if mf, err := os.Create(*memprof); err == nil {
			pprof.Lookup("allocs").WriteTo(mf, 0)
			mf.Close()
		}
	}
	fmt.Printf("analysis: %s\n", took.Round(time.Millisecond))
	fmt.Printf("file: %d bytes; calls %d, failed %d, cached %d, agents %d, sessions %d, minutes %d\n",
		f.Bytes, f.Calls, f.Failed, f.Cached, len(f.Agents), len(f.Sessions), len(f.Timeline))
	fmt.Printf("tokens: prompt %d, completion %d (estimated for %d calls); tool chars %d of %d\n",
		f.PromptTokens, f.CompletionTokens, f.TokensEstimated, f.ToolChars, f.RequestChars)
	fmt.Printf("peak: %d requests / 60 s from %s; failover calls %d; repeated %d; loops %d\n",
		f.Peak.Requests, f.Peak.Start.Format(time.DateTime), f.FailoverCalls, f.Repeated, len(f.Loops))
}
