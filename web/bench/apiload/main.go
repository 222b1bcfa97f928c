// Command apiload measures POST /api/v1/diagnose throughput on loopback:
// it starts the ratelimit-doctor binary as a child process (so the server
// has its own runtime, as in production), then uses vegeta as a library in
// closed-loop mode — a fixed number of concurrent clients, each sending its
// next request as soon as the last one is answered — for a bounded time, and
// prints requests per second, latency percentiles and every non-200.
//
//	go build -o /tmp/rld . && go run ./web/bench/apiload -bin /tmp/rld -clients 32 -duration 20s
//
// The body is a typical 3 KB AutoGen 0.2 script (agents, tools, a group
// chat and a retry loop; web/testdata/bench/agents.py, also used by the
// handler benchmark), sent as the JSON contract {"files":[…]}.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// agentScript is the body's script, read from -script at start.
var agentScript string

func main() {
	bin := flag.String("bin", "", "path to the ratelimit-doctor binary (required)")
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("duration", 20*time.Second, "how long to send (bounded: at most 5m)")
	unique := flag.Bool("unique", false, "make every body different (a numbered comment line), as distinct real pastes would be")
	cache := flag.Bool("cache", false, "start the server with --diagnosis-cache on (off by default: then every request runs the engine)")
	scriptPath := flag.String("script", "web/testdata/bench/agents.py", "the agent script to send (the same 3 KB file the handler benchmark uses)")
	flag.Parse()
	script, err := os.ReadFile(*scriptPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "apiload: %v (run from the repository root or pass -script)\n", err)
		os.Exit(2)
	}
	agentScript = string(script)
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "apiload: -bin is required (go build -o /tmp/rld .)")
		os.Exit(2)
	}
	if *duration <= 0 || *duration > 5*time.Minute || *clients < 1 || *clients > 1024 {
		fmt.Fprintln(os.Stderr, "apiload: -duration must be in (0, 5m] and -clients in [1, 1024]")
		os.Exit(2)
	}
	if err := run(*bin, *clients, *duration, *unique, *cache); err != nil {
		fmt.Fprintln(os.Stderr, "apiload:", err)
		os.Exit(1)
	}
}

func run(bin string, clients int, duration time.Duration, unique, cache bool) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dataDir, err := os.MkdirTemp("", "rld-apiload-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dataDir)
	cmd := exec.Command(bin, "serve")
	// Loopback only; no per-client rate limit (all load comes from one address).
	cmd.Env = append(os.Environ(), "RLD_ADDR="+addr, "RLD_DATA_DIR="+dataDir, "RLD_RATE_LIMIT=0", "RLD_LOG_REQUESTS=false",
		fmt.Sprintf("RLD_DIAGNOSIS_CACHE=%t", cache))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return err
	}

	body, err := json.Marshal(map[string]any{"files": []map[string]string{{"name": "agents.py", "content": agentScript}}})
	if err != nil {
		return err
	}
	target := vegeta.Target{Method: http.MethodPost, URL: base + "/api/v1/diagnose", Body: body,
		Header: http.Header{"Content-Type": []string{"application/json"}}}

	// Check the answer once before timing anything.
	resp, err := http.Post(target.URL, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("warm-up request: status %d", resp.StatusCode)
	}

	// Rate 0 with a fixed worker count is vegeta's closed-loop mode: exactly
	// `clients` requests in flight, each worker sending again on its answer.
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	codes := map[uint16]int{}
	var errs []string
	targeter := vegeta.NewStaticTargeter(target)
	if unique {
		targeter = uniqueTargeter(target.URL, target.Header)
	}
	for res := range atk.Attack(targeter, vegeta.Rate{Freq: 0}, duration, "diagnose") {
		m.Add(res)
		codes[res.Code]++
		if res.Error != "" && len(errs) < 5 {
			errs = append(errs, res.Error)
		}
	}
	m.Close()
	mode := "the same body each time"
	if unique {
		mode = "a different body each time (the engine runs for every request)"
	}
	if cache {
		mode += ", server cache ON"
	} else {
		mode += ", server cache off"
	}
	fmt.Printf("POST /api/v1/diagnose, %d-byte script, %d clients, %s, %s\n", len(agentScript), clients, duration, mode)
	fmt.Printf("  requests   %d\n", m.Requests)
	fmt.Printf("  throughput %.0f req/s (answered)\n", m.Throughput)
	fmt.Printf("  latency    p50 %s  p90 %s  p99 %s  max %s\n", m.Latencies.P50.Round(time.Microsecond),
		m.Latencies.P90.Round(time.Microsecond), m.Latencies.P99.Round(time.Microsecond), m.Latencies.Max.Round(time.Microsecond))
	var keys []int
	for c := range codes {
		keys = append(keys, int(c))
	}
	sort.Ints(keys)
	for _, c := range keys {
		fmt.Printf("  status %3d %d\n", c, codes[uint16(c)])
	}
	if m.Success < 1 {
		return fmt.Errorf("%.2f%% of requests failed; first errors: %v", 100*(1-m.Success), errs)
	}
	return nil
}

// uniqueTargeter numbers each request's script with a comment line, so
// every body differs, as distinct pastes from many people would.
func uniqueTargeter(url string, header http.Header) vegeta.Targeter {
	var mu sync.Mutex
	n := 0
	return func(t *vegeta.Target) error {
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		body, err := json.Marshal(map[string]any{"files": []map[string]string{{"name": "agents.py",
			"content": fmt.Sprintf("# request %d\n%s", i, agentScript)}}})
		if err != nil {
			return err
		}
		t.Method, t.URL, t.Body, t.Header = http.MethodPost, url, body, header
		return nil
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server at %s not ready after 30s", base)
}
