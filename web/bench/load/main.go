// Command load is a bounded load test of the site on loopback: it starts the
// ratelimit-doctor binary as a child process (its own memory, measured from
// /proc), then uses vegeta as a library to send a fixed request rate at
// article pages and POST /api/v1/diagnose for a set time. It reports errors,
// latency percentiles per kind of request and the server's RSS at the start,
// middle and end (memory must stay flat).
//
//	go build -o /tmp/rld . && go run ./web/bench/load -bin /tmp/rld -duration 60s -rate 200
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// agentsPy is a realistic small input: a group chat with retries stacked.
const agentsPy = `import autogen
config_list = [{"model": "gpt-4o", "api_key": "sk-proj-REDACTEDEXAMPLEKEYabcdefghijklmnop"}]
llm_config = {"config_list": config_list, "max_retries": 10, "timeout": 600}
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=100)
writer = autogen.AssistantAgent("writer", llm_config=llm_config)
critic = autogen.AssistantAgent("critic", llm_config=llm_config)
chat = autogen.GroupChat(agents=[user, writer, critic], messages=[], max_round=50)
manager = autogen.GroupChatManager(groupchat=chat, llm_config=llm_config)
user.initiate_chat(manager, message="Write a report.")
`

func main() {
	bin := flag.String("bin", "", "path to the ratelimit-doctor binary (required)")
	duration := flag.Duration("duration", 60*time.Second, "how long to attack")
	rate := flag.Int("rate", 200, "requests per second (all kinds together)")
	diagnoseShare := flag.Int("diagnose-every", 5, "one request in N is POST /api/v1/diagnose; the rest are article pages")
	flag.Parse()
	if *diagnoseShare < 2 {
		fmt.Fprintln(os.Stderr, "load: -diagnose-every must be at least 2")
		os.Exit(2)
	}
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "load: -bin is required (go build -o /tmp/rld .)")
		os.Exit(2)
	}
	if err := run(*bin, *duration, *rate, *diagnoseShare); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(bin string, duration time.Duration, rate, every int) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dataDir, err := os.MkdirTemp("", "rld-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dataDir)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "RLD_ADDR="+addr, "RLD_DATA_DIR="+dataDir, "RLD_RATE_LIMIT=0", "RLD_LOG_REQUESTS=false")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return err
	}
	slugs, err := articleURLs(base)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"files": []map[string]string{{"name": "agents.py", "content": agentsPy}}})
	var targets []vegeta.Target
	for i, u := range slugs {
		if i > 0 && i%(every-1) == 0 {
			targets = append(targets, diagnoseTarget(base, body))
		}
		targets = append(targets, vegeta.Target{Method: "GET", URL: base + u})
	}
	if len(targets) < every {
		targets = append(targets, diagnoseTarget(base, body))
	}

	// Warm up (first renders, connection pool), then sample RSS every second.
	for _, tg := range targets {
		req, _ := tg.Request()
		if resp, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	var rssMu sync.Mutex
	var rss []int64
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			if kb, err := rssKB(cmd.Process.Pid); err == nil {
				rssMu.Lock()
				rss = append(rss, kb)
				rssMu.Unlock()
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()

	atk := vegeta.NewAttacker(vegeta.Timeout(10*time.Second), vegeta.KeepAlive(true), vegeta.MaxWorkers(64))
	var all, articles, diagnoses vegeta.Metrics
	errs := map[string]int{}
	start := time.Now()
	for res := range atk.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, duration, "load") {
		all.Add(res)
		if res.Method == "POST" {
			diagnoses.Add(res)
		} else {
			articles.Add(res)
		}
		if res.Error != "" {
			errs[res.Error]++
		} else if res.Code != 200 {
			errs["status "+strconv.Itoa(int(res.Code))]++
		}
	}
	elapsed := time.Since(start)
	all.Close()
	articles.Close()
	diagnoses.Close()
	cancel()
	if kb, err := rssKB(cmd.Process.Pid); err == nil {
		rss = append(rss, kb)
	}

	fmt.Printf("load: %s at %d req/s on %s (%d targets: %d article pages, 1 in %d POST /api/v1/diagnose)\n",
		duration, rate, addr, len(targets), len(slugs), every)
	fmt.Printf("sent %d requests in %s: %.1f req/s achieved, success %.2f%%, errors %d\n",
		all.Requests, elapsed.Round(time.Millisecond), all.Rate, all.Success*100, len(all.Errors))
	for _, m := range []struct {
		name string
		m    *vegeta.Metrics
	}{{"articles", &articles}, {"diagnose", &diagnoses}} {
		fmt.Printf("%-9s n=%-6d p50=%-9s p90=%-9s p99=%-9s max=%-9s codes=%v\n", m.name, m.m.Requests,
			m.m.Latencies.P50.Round(time.Microsecond), m.m.Latencies.P90.Round(time.Microsecond),
			m.m.Latencies.P99.Round(time.Microsecond), m.m.Latencies.Max.Round(time.Microsecond), m.m.StatusCodes)
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  error %q × %d\n", k, errs[k])
	}
	if len(rss) >= 3 {
		mid := rss[len(rss)/2]
		peak := int64(0)
		for _, v := range rss {
			peak = max(peak, v)
		}
		fmt.Printf("server RSS: start %d MiB, middle %d MiB, end %d MiB, peak %d MiB (%d samples)\n",
			rss[0]/1024, mid/1024, rss[len(rss)-1]/1024, peak/1024, len(rss))
	}
	if all.Success < 1 {
		return fmt.Errorf("%.2f%% of requests failed", (1-all.Success)*100)
	}
	return nil
}

func diagnoseTarget(base string, body []byte) vegeta.Target {
	return vegeta.Target{Method: "POST", URL: base + "/api/v1/diagnose", Body: body,
		Header: http.Header{"Content-Type": {"application/json"}}}
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
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("server at %s not ready within 60s", base)
}

// articleURLs lists the article pages from the JSON API.
func articleURLs(base string) ([]string, error) {
	resp, err := http.Get(base + "/api/v1/articles")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list []struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, fmt.Errorf("article list: %w", err)
	}
	var out []string
	for _, a := range list {
		out = append(out, a.URL)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no articles listed")
	}
	return append(out, "/articles", "/search?q=retry"), nil
}

// rssKB reads a process's resident set size from /proc (Linux).
func rssKB(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				return strconv.ParseInt(f[1], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}
