// Command gen writes a realistic mixed AutoGen log for the log-scan benchmark:
// openai/httpx INFO lines, SDK retry lines, 429 tracebacks with dict bodies,
// AutoGen 0.2 transcript blocks with tool calls, 0.4 Console blocks and
// application noise, with timestamps that advance through the run.
//
//	go run ./bench/logs/gen -size 100MB -o /tmp/bench.log
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	size := flag.String("size", "100MB", "approximate output size (KB, MB, GB)")
	out := flag.String("o", "", "output file (required)")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same file)")
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -size 100MB -o FILE")
		os.Exit(2)
	}
	if err := write(*out, n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			mult, s = u.m, strings.TrimSuffix(s, u.suffix)
			break
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(v * float64(mult)), nil
}

// countingWriter tracks how much has been written.
type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) line(s string) {
	c.w.WriteString(s)
	c.w.WriteByte('\n')
	c.n += int64(len(s) + 1)
}

const (
	url     = "https://api.openai.com/v1/chat/completions"
	sep80   = "--------------------------------------------------------------------------------"
	rpmBody = "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-BenchOrg0001 on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}"
	tpmBody = "Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-BenchOrg0001 on tokens per min (TPM): Limit 30000, Used 28112, Requested 4410. Please try again in 5.044s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}"
)

var words = strings.Fields(`the agent reads the quarterly report and writes a short summary for the team
with charts tables and a list of open questions about revenue churn pricing and hiring plans in europe asia
and the americas while the critic checks numbers sources tone length and asks for a second draft when needed`)

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

func write(path string, size int64, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := &countingWriter{w: bw}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	t := time.Date(2024, 11, 20, 9, 0, 0, 0, time.UTC)
	ts := func() string {
		t = t.Add(time.Duration(50+r.IntN(900)) * time.Millisecond)
		return t.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d", t.Nanosecond()/1e6)
	}
	agents := []string{"user_proxy", "assistant", "critic", "researcher", "coder"}
	for w.n < size {
		switch k := r.IntN(100); {
		case k < 40: // a successful call
			w.line(ts() + " - httpx - INFO - HTTP Request: POST " + url + ` "HTTP/1.1 200 OK"`)
		case k < 48: // a 429 the SDK recovers from
			w.line(ts() + " - httpx - INFO - HTTP Request: POST " + url + ` "HTTP/1.1 429 Too Many Requests"`)
			w.line(ts() + " - openai._base_client - INFO - Retrying request to /chat/completions in " + fmt.Sprintf("%.6f", 0.375+r.Float64()*0.125) + " seconds")
			w.line(ts() + " - httpx - INFO - HTTP Request: POST " + url + ` "HTTP/1.1 200 OK"`)
		case k < 50: // a 429 that ends in a traceback
			for i := 0; i < 3; i++ {
				w.line(ts() + " - httpx - INFO - HTTP Request: POST " + url + ` "HTTP/1.1 429 Too Many Requests"`)
				if i < 2 {
					w.line(ts() + " - openai._base_client - INFO - Retrying request to /chat/completions in " + fmt.Sprintf("%.6f", 0.4*float64(i+1)+r.Float64()*0.1) + " seconds")
				}
			}
			w.line("Traceback (most recent call last):")
			w.line(`  File "/app/main.py", line 41, in <module>`)
			w.line(`    user_proxy.initiate_chat(assistant, message=task)`)
			w.line(`  File "/venv/lib/python3.11/site-packages/openai/_base_client.py", line 1020, in _request`)
			w.line(`    raise self._make_status_error_from_response(err.response) from None`)
			if r.IntN(2) == 0 {
				w.line("openai.RateLimitError: " + rpmBody)
			} else {
				w.line("openai.RateLimitError: " + tpmBody)
			}
		case k < 75: // a 0.2 transcript message
			a, b := agents[r.IntN(len(agents))], agents[r.IntN(len(agents))]
			w.line(a + " (to " + b + "):")
			w.line("")
			for i := 0; i < 2+r.IntN(6); i++ {
				w.line(sentence(r, 8+r.IntN(14)))
			}
			w.line("")
			w.line(sep80)
		case k < 80: // a tool call and its response
			id := fmt.Sprintf("call_%08x", r.Uint32())
			w.line("assistant (to user_proxy):")
			w.line("")
			w.line("***** Suggested tool call (" + id + "): search_web *****")
			w.line("Arguments: ")
			w.line(`{"query": "` + sentence(r, 4) + `"}`)
			w.line("*****************************************************")
			w.line("")
			w.line(sep80)
			w.line("")
			w.line(">>>>>>>> EXECUTING FUNCTION search_web...")
			w.line("user_proxy (to assistant):")
			w.line("")
			w.line("***** Response from calling tool (" + id + ") *****")
			for i := 0; i < 1+r.IntN(5); i++ {
				w.line(sentence(r, 20))
			}
			w.line("*****************************************************")
			w.line("")
			w.line(sep80)
		case k < 85: // a 0.4 Console message
			w.line("---------- TextMessage (" + agents[r.IntN(len(agents))] + ") ----------")
			w.line(sentence(r, 12+r.IntN(20)))
		default: // application noise and DEBUG lines
			switch r.IntN(4) {
			case 0:
				w.line(ts() + " - app.pipeline - INFO - processed batch " + strconv.Itoa(r.IntN(100000)) + " in " + strconv.Itoa(r.IntN(900)) + " ms")
			case 1:
				w.line(ts() + " - openai._base_client - DEBUG - Request options: {'method': 'post', 'url': '/chat/completions', 'json_data': {'model': 'gpt-4o-mini'}}")
			case 2:
				w.line(ts() + " - autogen.oai.client - WARNING - Model gpt-4o-mini-2024-07-18 is not found. The cost will be 0.")
			default:
				w.line(ts() + " - app.store - DEBUG - cache miss for key " + fmt.Sprintf("%016x", r.Uint64()))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
