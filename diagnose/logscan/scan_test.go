package logscan

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func scanString(t *testing.T, s string) *Facts {
	t.Helper()
	f, err := Scan(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The interleaved httpx/openai lines are the LangBot#606 log of the reference (§3).
const sdkRetryLog = `[2023-11-20 21:34:00.847] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"
[2023-11-20 21:34:00.848] _base_client.py (919) - [INFO] : Retrying request to /chat/completions in 0.915115 seconds
[2023-11-20 21:34:02.015] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"
[2023-11-20 21:34:02.015] _base_client.py (919) - [INFO] : Retrying request to /chat/completions in 1.881526 seconds
[2023-11-20 21:34:04.155] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"
Traceback (most recent call last):
  File "/app/main.py", line 12, in <module>
    user_proxy.initiate_chat(assistant, message="hi")
  File "/venv/lib/python3.11/site-packages/openai/_base_client.py", line 1020, in _request
    raise self._make_status_error_from_response(err.response) from None
openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o-mini in organization org-erQx1ZrQBcN6XYo3YE on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}
`

func TestScanSDKRetries(t *testing.T) {
	f := scanString(t, sdkRetryLog)
	if f.HTTPRequests != 3 || f.HTTP429 != 3 {
		t.Errorf("requests %d, 429 %d; want 3, 3", f.HTTPRequests, f.HTTP429)
	}
	if len(f.Requests) != 1 {
		t.Fatalf("requests = %+v, want one chain", f.Requests)
	}
	r := f.Requests[0]
	if r.SDKRetries != 2 || r.Attempts != 3 || r.Outcome != "error" || r.Line != 1 || r.EndLine != 5 {
		t.Errorf("chain = %+v", r)
	}
	if len(f.RateLimits) != 1 || f.RateLimits[0].Line != 11 || f.RateLimits[0].Kind != KindRPM || f.RateLimits[0].Limit != 3 {
		t.Fatalf("rate limits = %+v", f.RateLimits)
	}
	if len(f.Exceptions) != 1 || f.Exceptions[0].Type != "openai.RateLimitError" || f.Exceptions[0].Line != 11 {
		t.Errorf("exceptions = %+v", f.Exceptions)
	}
	if len(f.Timeline) != 1 || f.Timeline[0].Requests != 3 || f.Timeline[0].RateLimited != 3 {
		t.Errorf("timeline = %+v", f.Timeline)
	}
	if f.Provider != ProviderOpenAI {
		t.Errorf("provider = %q", f.Provider)
	}
}

func TestScanStackedRetries(t *testing.T) {
	var b strings.Builder
	for attempt := 0; attempt < 3; attempt++ {
		b.WriteString("INFO:httpx:HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 429 Too Many Requests\"\n")
		b.WriteString("INFO:openai._base_client:Retrying request to /chat/completions in 0.412000 seconds\n")
		b.WriteString("INFO:httpx:HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 429 Too Many Requests\"\n")
		b.WriteString("INFO:openai._base_client:Retrying request to /chat/completions in 0.861000 seconds\n")
		b.WriteString("INFO:httpx:HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 429 Too Many Requests\"\n")
		if attempt < 2 {
			b.WriteString("WARNING:tenacity:Retrying __main__.run_chat in 4.0 seconds as it raised RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-abcdefgh on tokens per min (TPM): Limit 30000, Used 29000, Requested 4000. Please try again in 2s.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}\n")
		}
	}
	b.WriteString("tenacity.RetryError: RetryError[<Future at 0x7f0 state=finished raised RateLimitError>]\n")
	f := scanString(t, b.String())
	if len(f.Requests) != 1 {
		t.Fatalf("chains = %+v", f.Requests)
	}
	r := f.Requests[0]
	if r.SDKRetries != 6 || r.AppRetries != 2 || r.Attempts != 9 || strings.Join(r.Layers, ",") != "sdk,tenacity" {
		t.Errorf("chain = %+v", r)
	}
	if len(f.RateLimits) != 1 || f.RateLimits[0].Count != 2 || f.RateLimits[0].Kind != KindTPM {
		t.Errorf("rate limits = %+v", f.RateLimits)
	}
}

func TestScanSplitsConcurrentChains(t *testing.T) {
	log := `INFO:openai._base_client:Retrying request to /chat/completions in 0.420000 seconds
INFO:openai._base_client:Retrying request to /chat/completions in 0.870000 seconds
INFO:openai._base_client:Retrying request to /chat/completions in 0.390000 seconds
INFO:openai._base_client:Retrying request to /chat/completions in 0.800000 seconds
`
	f := scanString(t, log)
	if len(f.Requests) != 2 || f.Requests[0].SDKRetries != 2 || f.Requests[1].SDKRetries != 2 {
		t.Errorf("chains = %+v", f.Requests)
	}
}

const transcript02 = `user_proxy (to assistant):

What is (44232 + 13312 / (232 - 32)) * 5?

--------------------------------------------------------------------------------
assistant (to user_proxy):

***** Suggested tool call (call_4rElPoLggOYJmkUutbGaSTX1): calculator *****
Arguments: 
{
  "a": 232,
  "b": 32,
  "operator": "-"
}
***************************************************************************

--------------------------------------------------------------------------------

>>>>>>>> EXECUTING FUNCTION calculator...
user_proxy (to assistant):

***** Response from calling tool (call_4rElPoLggOYJmkUutbGaSTX1) *****
200
**********************************************************************

--------------------------------------------------------------------------------
assistant (to user_proxy):

TERMINATE

--------------------------------------------------------------------------------

>>>>>>>> TERMINATING RUN (4b5c6d7e-0000-4000-8000-000000000000): Termination message condition on agent 'user_proxy' met
`

func TestScanTranscript02(t *testing.T) {
	f := scanString(t, transcript02)
	if f.Generation != "0.2" || f.Messages != 4 {
		t.Errorf("generation %q messages %d", f.Generation, f.Messages)
	}
	if len(f.Pairs) != 1 || f.Pairs[0].Turns != 4 || !f.Pairs[0].LastTerms {
		t.Errorf("pairs = %+v", f.Pairs)
	}
	if len(f.ToolCalls) != 1 || f.ToolCalls[0].Name != "calculator" || f.ToolCalls[0].Line != 8 {
		t.Errorf("tool calls = %+v", f.ToolCalls)
	}
	if len(f.ToolResults) != 1 || f.ToolResults[0].Size != 4 || f.ToolResults[0].Line != 22 {
		t.Errorf("tool results = %+v", f.ToolResults)
	}
	if len(f.Terminations) != 1 || f.Terminations[0].Cap || !strings.HasPrefix(f.Terminations[0].Reason, "Termination message") {
		t.Errorf("terminations = %+v", f.Terminations)
	}
}

func TestScanConsole04(t *testing.T) {
	log := `---------- TextMessage (user) ----------
What is the weather in New York?
---------- ToolCallRequestEvent (assistant_agent) ----------
[FunctionCall(id='call_33uMqZO6hwOfEpJavP9GW9LI', arguments='{"city":"New York","units":"metric"}', name='get_weather')]
---------- ToolCallExecutionEvent (assistant_agent) ----------
[FunctionExecutionResult(content='The weather in New York is 23 °C and Sunny.', name='get_weather', call_id='call_33uMqZO6hwOfEpJavP9GW9LI', is_error=False)]
---------- ToolCallSummaryMessage (assistant_agent) ----------
The weather in New York is 23 °C and Sunny.
---------- Summary ----------
Number of messages: 4
Finish reason: Maximum number of turns 10 reached.
Total prompt tokens: 0
`
	f := scanString(t, log)
	if f.Generation != "0.4" || f.Messages != 2 {
		t.Errorf("generation %q messages %d", f.Generation, f.Messages)
	}
	if len(f.ToolCalls) != 1 || f.ToolCalls[0].Name != "get_weather" || !strings.Contains(f.ToolCalls[0].Args, "New York") {
		t.Errorf("tool calls = %+v", f.ToolCalls)
	}
	if len(f.ToolResults) != 1 || f.ToolResults[0].Name != "get_weather" || f.ToolResults[0].Line != 6 {
		t.Errorf("tool results = %+v", f.ToolResults)
	}
	if len(f.Terminations) != 1 || !f.Terminations[0].Cap {
		t.Errorf("terminations = %+v", f.Terminations)
	}
	if len(f.Pairs) != 1 || f.Pairs[0].Turns != 1 {
		t.Errorf("pairs = %+v", f.Pairs)
	}
}

func TestScanRepeats(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 6; i++ {
		b.WriteString("writer (to critic):\n\nHere is the draft of the report, saved at " + strconv.Itoa(1700000000+i*37) + ".\n\n" + strings.Repeat("-", 80) + "\n")
		b.WriteString("critic (to writer):\n\nPlease improve it.\n\n" + strings.Repeat("-", 80) + "\n")
	}
	f := scanString(t, b.String())
	if len(f.Repeats) != 2 || f.Repeats[0].Count != 6 || f.Repeats[0].Line != 1 {
		t.Fatalf("repeats = %+v", f.Repeats)
	}
	if f.Pairs[0].Turns != 12 || f.Pairs[0].Repeats != 10 {
		t.Errorf("pair = %+v", f.Pairs[0])
	}
}

func TestScanLongLineBounded(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 10<<20)
	in := append([]byte("---------- ToolCallExecutionEvent (a) ----------\n[FunctionExecutionResult(content='"), big...)
	in = append(in, []byte("', name='dump', call_id='c1', is_error=False)]\n---------- TextMessage (a) ----------\nok\n")...)
	f, err := Scan(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if f.LongLines != 1 || f.Lines != 4 {
		t.Errorf("long %d lines %d", f.LongLines, f.Lines)
	}
	if len(f.ToolResults) != 1 || f.ToolResults[0].Size < 10<<20 {
		t.Errorf("tool results = %+v", f.ToolResults)
	}
}

func TestScanMultiLineBody(t *testing.T) {
	log := `Retrying llama_index.llms.openai.base.OpenAI._chat in 1.0 seconds as it raised RateLimitError: 
Error code: 429 - {'error': {'message': 'Request too large for gpt-4-turbo-preview in organization 
org-beMasKKpVbaaCH4QeDDChZaF on tokens per min (TPM): Limit 30000, Requested 78891. The input or 
output tokens must be reduced in order to run successfully.', 'type': 'tokens', 'param': None, 'code': 
'rate_limit_exceeded'}}
done
`
	f := scanString(t, log)
	if len(f.RateLimits) != 1 {
		t.Fatalf("rate limits = %+v", f.RateLimits)
	}
	rl := f.RateLimits[0]
	if rl.Line != 2 || rl.EndLine != 5 || rl.Limit != 30000 || rl.Requested != 78891 || !rl.TooLarge {
		t.Errorf("rate limit = %+v", rl)
	}
	if strings.Contains(rl.Message, "beMasKKpVbaaCH4QeDDChZaF") {
		t.Errorf("org id not masked: %s", rl.Message)
	}
	if len(f.Retries) != 1 || f.Retries[0].Layer != "tenacity" || f.Retries[0].Delay != time.Second {
		t.Errorf("retries = %+v", f.Retries)
	}
}

func TestSniff(t *testing.T) {
	for _, in := range []string{sdkRetryLog, transcript02, "---------- TextMessage (user) ----------\nhi\n---------- TextMessage (a) ----------\nhello\n",
		"2024-05-01 10:00:00,001 - INFO - start\n2024-05-01 10:00:01,001 - WARNING - slow\n"} {
		if !Sniff([]byte(in)) {
			t.Errorf("not sniffed as a log: %.60q (score %.2f)", in, SniffScore([]byte(in)))
		}
	}
	for _, in := range []string{
		"import autogen\nfrom autogen import AssistantAgent\n\ndef main():\n    try:\n        run()\n    except openai.RateLimitError:\n        pass\n",
		`[{"model": "gpt-4", "api_key": "x"}]`,
		"model: gpt-4\nmax_retries: 3\n",
		"",
	} {
		if Sniff([]byte(in)) {
			t.Errorf("sniffed as a log: %.60q (score %.2f)", in, SniffScore([]byte(in)))
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(sdkRetryLog))
	f.Add([]byte(transcript02))
	f.Add([]byte("---------- ToolCallRequestEvent (a) ----------\n[FunctionCall(id='x', arguments='{}', name='t')]\n"))
	f.Add([]byte("Error code: 429 - {'error': {{{{\n"))
	f.Add([]byte("***** Suggested tool call (c): t *****\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		facts, err := Scan(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		// The pipelined scan must see exactly what the serial one sees.
		piped, err := scanPipelined(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(facts, piped) {
			t.Fatalf("serial and pipelined scans differ:\n%+v\n%+v", facts, piped)
		}
		if len(facts.RateLimits) > maxRateLimits || len(facts.Retries) > maxRetries || len(facts.ToolResults) > maxToolResults {
			t.Fatalf("caps exceeded")
		}
		_ = SniffScore(in)
	})
}

func TestKeywordFlags(t *testing.T) {
	for in, want := range map[string]int{
		`HTTP Request: POST u "HTTP/1.1 429 Too Many Requests"`: kwfHTTP | kwf429,
		"Retrying request to /chat/completions in 0.9 seconds":  kwfRetry,
		"DEBUG 3 retries left":                                  kwfLeft,
		"1 retry left":                                          kwfRetry | kwfLeft,
		"Error code: 529 overloaded_error":                      kwf429 | kwfOverloaded,
		"RateLimitError: insufficient_quota":                    kwfLimit | kwfQuota,
		"status RESOURCE_EXHAUSTED":                             kwfExhausted,
		"ResourceExhausted: 429 Resource has been exhausted":    kwfExhausted | kwf429,
		"Backing off f(...) for 0.5s":                           kwfBackoff,
		"TERMINATE":                                             kwfTerminate,
		"port 4290 and 1429 and 2024-05-29":                     0,
		"the cat sat on the mat":                                0,
	} {
		if got := keywordFlags([]byte(in)); got != want {
			t.Errorf("keywordFlags(%q) = %b, want %b", in, got, want)
		}
	}
}

func TestHasDigit(t *testing.T) {
	for in, want := range map[string]bool{
		"": false, "abc": false, "abcdefghijklmnop": false, "abcdefgh/:;<=>?@": false, "abcdefghijk9": true,
		"0": true, "zzzzzzz5zzzzzzzz": true, "the quarterly report, (final).": false, "~~~~~~~~~~~~~~~~~~9": true,
	} {
		if got := hasDigit([]byte(in)); got != want {
			t.Errorf("hasDigit(%q) = %v", in, got)
		}
	}
}

// AutoGen 0.4 teams re-raise a model error as RuntimeError("RateLimitError: ...");
// the inner openai exception printed above it is the same event.
func TestScanRuntimeErrorWrap(t *testing.T) {
	log := `Traceback (most recent call last):
  File "/app/openai/_base_client.py", line 1634, in _request
    raise self._make_status_error_from_response(err.response) from None
openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-AbCdEf123456 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/team.py", line 30, in <module>
    asyncio.run(main())
  File "/venv/autogen_agentchat/teams/_group_chat/_base_group_chat.py", line 518, in run_stream
    raise RuntimeError(str(message.error))
RuntimeError: RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o in organization org-AbCdEf123456 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.', 'type': 'requests', 'param': None, 'code': 'rate_limit_exceeded'}}
`
	f := scanString(t, log)
	if len(f.RateLimits) != 1 || f.RateLimits[0].Count != 1 || f.RateLimits[0].Line != 4 || f.RateLimits[0].Limit != 3 {
		t.Fatalf("rate limits = %+v", f.RateLimits)
	}
	if len(f.Exceptions) != 2 || f.Exceptions[1].Type != "RuntimeError" {
		t.Errorf("exceptions = %+v", f.Exceptions)
	}
}

func TestScanPromptGrowth(t *testing.T) {
	log := `---------- TextMessage (writer) ----------
draft
[Prompt tokens: 812, Completion tokens: 96]
INFO:autogen_core.events:{"type": "LLMCall", "messages": [], "response": {}, "prompt_tokens": 4100, "completion_tokens": 80, "agent_id": null}
{"type": "LLMCall", "messages": [], "response": {}, "prompt_tokens": 9050, "completion_tokens": 70, "agent_id": "writer/default"}
`
	f := scanString(t, log)
	p := f.Prompt
	if p.Calls != 3 || p.First != 812 || p.Max != 9050 || p.Last != 9050 || p.FirstLine != 3 || p.LastLine != 5 {
		t.Errorf("prompt = %+v", p)
	}
	if f.HTTPRequests != 2 {
		t.Errorf("LLMCall events counted as %d requests", f.HTTPRequests)
	}
}

func TestScanGenerationFromFrames(t *testing.T) {
	for gen, frame := range map[string]string{
		"0.2": `  File "C:\Users\me\envs\ag\Lib\site-packages\autogen\agentchat\conversable_agent.py", line 1018, in initiate_chat`,
		"0.4": `  File "/venv/lib/python3.12/site-packages/autogen_agentchat/teams/_group_chat/_base_group_chat.py", line 518, in run_stream`,
	} {
		f := scanString(t, "Traceback (most recent call last):\n"+frame+"\nopenai.RateLimitError: Error code: 429\n")
		if f.Generation != gen {
			t.Errorf("generation = %q, want %s", f.Generation, gen)
		}
	}
}

// TestHTTPOrTerm checks the one-pass search against bytes.Contains on every
// line of the engine's test data and on edge cases.
func TestHTTPOrTerm(t *testing.T) {
	lines := [][]byte{[]byte(""), []byte("T"), []byte("HTTP Re"), []byte("xHTTP Request TERMINATE"), []byte("TERMINAT"),
		[]byte("TTERMINATE"), []byte("HTTP R"), []byte("HHTTP Re"), []byte("TERMINATEHTTP Re")}
	files, _ := filepath.Glob("../testdata/*/*/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines = append(lines, bytes.Split(b, []byte("\n"))...)
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d lines of test data found", len(lines))
	}
	for _, l := range lines {
		h, term := httpOrTerm(l)
		if h != bytes.Contains(l, kwHTTP) || term != bytes.Contains(l, kwTERMINATE) {
			t.Errorf("httpOrTerm(%q) = %v, %v", l, h, term)
		}
	}
}

// TestPipelinedBlocks checks that the pipelined reader, which cuts lines in
// place across 256 KiB chunks, sees what the serial scan sees: lines that
// straddle chunks, lines over the line cap (ending in the same chunk, in a
// later one, or at EOF), CRLF endings and a last line without a newline.
func TestPipelinedBlocks(t *testing.T) {
	var b bytes.Buffer
	unit := sdkRetryLog + transcript02
	long := func(n int) string { return "user (to assistant):\n\n" + strings.Repeat("word 429 ", n/9) + "\n" }
	for i := 0; b.Len() < 3*blockSize; i++ {
		b.WriteString(unit)
		switch i % 7 {
		case 1:
			b.WriteString(long(maxLine + 100)) // over the cap, ends in this chunk or the next
		case 3:
			b.WriteString(long(blockSize + maxLine)) // spans whole chunks
		case 5:
			b.WriteString("INFO:httpx:HTTP Request: POST https://api.openai.com/v1/chat/completions \"HTTP/1.1 429 Too Many Requests\"\r\n")
		}
	}
	b.WriteString(long(maxLine * 2))
	b.WriteString("openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 3, Used 3, Requested 1.'}}")
	for _, in := range [][]byte{b.Bytes(), b.Bytes()[:blockSize], b.Bytes()[:blockSize+1], b.Bytes()[:blockSize-maxLine/2]} {
		serial, err := scanSerial(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		piped, err := scanPipelined(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if serial.Lines < 100 || serial.LongLines == 0 && len(in) > blockSize*2 {
			t.Fatalf("input too simple: %d lines, %d long", serial.Lines, serial.LongLines)
		}
		if !reflect.DeepEqual(serial, piped) {
			t.Errorf("%d bytes: serial and pipelined scans differ:\nserial: lines %d long %d msgs %d rl %d results %+v\npiped:  lines %d long %d msgs %d rl %d results %+v",
				len(in), serial.Lines, serial.LongLines, serial.Messages, serial.RateLimitsN, serial.ToolResults,
				piped.Lines, piped.LongLines, piped.Messages, piped.RateLimitsN, piped.ToolResults)
		}
	}
}
