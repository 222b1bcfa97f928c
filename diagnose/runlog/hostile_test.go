package runlog_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sqliteFile creates a database with the given statements.
func sqliteFile(t *testing.T, stmts ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func fixtureBytes(t *testing.T) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(p, runlogtest.RetryStorm()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenDBRejects(t *testing.T) {
	good := fixtureBytes(t)
	badPageSize := bytes.Clone(good)
	badPageSize[16], badPageSize[17] = 0, 3
	tests := []struct {
		name string
		path func(t *testing.T) string
		want string
	}{
		{"empty", func(t *testing.T) string { return writeFile(t, "e.db", nil) }, "not a SQLite database: the file is empty"},
		{"text", func(t *testing.T) string {
			return writeFile(t, "t.db", []byte("hello, this is not a database at all\n"))
		}, "not a SQLite database (the file does not start with the SQLite header)"},
		{"short header", func(t *testing.T) string { return writeFile(t, "s.db", []byte("SQLite form")) }, "truncated SQLite database: only 11 bytes"},
		{"truncated", func(t *testing.T) string { return writeFile(t, "tr.db", good[:len(good)/2+100]) }, "truncated"},
		{"bad page size", func(t *testing.T) string { return writeFile(t, "p.db", badPageSize) }, "corrupt SQLite database: invalid page size 3 in the header"},
		{"other tables", func(t *testing.T) string {
			return sqliteFile(t, "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)", "CREATE TABLE orders(id INTEGER PRIMARY KEY)")
		}, "not an AutoGen runtime log: no chat_completions table (found: orders, users)"},
		{"no tables", func(t *testing.T) string { return sqliteFile(t, "PRAGMA user_version = 1") }, "not an AutoGen runtime log: no chat_completions table (no tables)"},
		{"lone chat_completions", func(t *testing.T) string {
			return sqliteFile(t, "CREATE TABLE chat_completions(id INTEGER PRIMARY KEY, request TEXT, response TEXT, start_time TEXT)")
		}, "not an AutoGen runtime log: chat_completions without any of agents"},
		{"wrong columns", func(t *testing.T) string {
			return sqliteFile(t, "CREATE TABLE chat_completions(id INTEGER PRIMARY KEY, prompt TEXT)", "CREATE TABLE agents(id INTEGER PRIMARY KEY)")
		}, "not an AutoGen runtime log: chat_completions has no request, response, start_time column"},
		{"directory", func(t *testing.T) string { return t.TempDir() }, "is a directory"},
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.db") }, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := runlog.OpenDB(context.Background(), tc.path(t), runlog.Limits{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, facts %v; want %q", err, f != nil, tc.want)
			}
		})
	}
}

// TestOpenDBCorruptPages overwrites pages inside a valid database: the
// reader must return an error or partial facts, never panic or hang.
func TestOpenDBCorruptPages(t *testing.T) {
	good := fixtureBytes(t)
	for _, off := range []int{4096, 4096 * 2, len(good) / 2, len(good) - 4096} {
		b := bytes.Clone(good)
		for i := off; i < off+4096 && i < len(b); i++ {
			b[i] = byte(i * 7)
		}
		p := writeFile(t, "c.db", b)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		f, err := runlog.OpenDB(ctx, p, runlog.Limits{})
		cancel()
		if err == nil && f == nil {
			t.Errorf("offset %d: no facts and no error", off)
		}
		if err != nil && strings.Contains(err.Error(), "panic") {
			t.Errorf("offset %d: %v", off, err)
		}
	}
}

func TestOpenDBLimits(t *testing.T) {
	p := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(p, runlogtest.Looping()); err != nil {
		t.Fatal(err)
	}
	if _, err := runlog.OpenDB(context.Background(), p, runlog.Limits{MaxFileSize: 1000}); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("size limit: %v", err)
	}
	if _, err := runlog.OpenDB(context.Background(), p, runlog.Limits{Timeout: time.Nanosecond}); err == nil || !strings.Contains(err.Error(), "took longer than") {
		t.Errorf("time limit: %v", err)
	}
	// the file is opened read-only: nothing is written next to it.
	if _, err := runlog.OpenDB(context.Background(), p, runlog.Limits{}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("files next to the database after reading: %v", entries)
	}
}

// TestOpenDBHugeRow: a 20 MB request is measured, not copied into Go.
func TestOpenDBHugeRow(t *testing.T) {
	fx := runlogtest.CleanCached()
	big := runlogtest.Request("gpt-4o", runlogtest.Msg{Role: "user", Content: strings.Repeat("x", 20<<20)})
	fx.Completions[2].Request = big
	p := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(p, fx); err != nil {
		t.Fatal(err)
	}
	fx = nil
	big = ""
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := runlog.OpenDB(context.Background(), p, runlog.Limits{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if f.HugeCols != 1 || f.Calls != 10 || f.RequestChars < 20<<20 {
		t.Errorf("huge cols %d calls %d request chars %d", f.HugeCols, f.Calls, f.RequestChars)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("reading allocated %d bytes in Go; the 20 MB column should not be copied", alloc)
	}
}

func TestReadJSONLinesGarbage(t *testing.T) {
	var buf bytes.Buffer
	if err := runlogtest.WriteJSONLines(&buf, runlogtest.QuotaFailure()); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("garbage line\n{not json at all\n\x00\x01\x02 binary\n{\"some\": \"other object\"}\n")
	buf.WriteString(strings.Repeat("y", 3000) + "\n")
	f, err := runlog.ReadJSONLines(&buf, runlog.Limits{MaxLineBytes: 2048})
	if err != nil {
		t.Fatal(err)
	}
	if f.Calls != 4 || f.Skipped != 4 || f.LongLines != 1 {
		t.Errorf("calls %d skipped %d long %d; want 4, 4, 1", f.Calls, f.Skipped, f.LongLines)
	}
}

func TestReadJSONLinesRejects(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"empty":   {"", "not a runtime log: the input is empty"},
		"garbage": {"a\nb\nc\n", "not a runtime log: none of 3 lines is a FileLogger record or an LLMCall event"},
		"http only": {`[2023-11-20 21:34:00.847] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"` + "\n",
			"only openai/httpx log lines"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := runlog.ReadJSONLines(strings.NewReader(tc.in), runlog.Limits{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestReadJSONLinesLLMCall reads 0.4 LLMCall events behind a logging prefix,
// with openai/httpx lines between them (§2.5 and §3 of the reference).
func TestReadJSONLinesLLMCall(t *testing.T) {
	call := func(ts, agent, content string, prompt int) string {
		return ts + ` INFO autogen_core.events: {"tools": [], "type": "LLMCall", "messages": [{"content": "You are a helpful assistant.", "role": "system"}, {"content": "` +
			content + `", "source": "user", "type": "UserMessage"}], "response": {"id": "chatcmpl-1", "choices": [], "created": 1714557733, "model": "gpt-4o-2024-08-06", "object": "chat.completion", "usage": {"completion_tokens": 12, "prompt_tokens": ` +
			itoa(prompt) + `, "total_tokens": 0}}, "prompt_tokens": ` + itoa(prompt) + `, "completion_tokens": 12, "agent_id": "` + agent + `"}`
	}
	lines := []string{
		call("2024-05-01 10:00:01,100", "assistant_agent/default", "What is 2+2?", 40),
		`[2024-05-01 10:00:02.015] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"`,
		`[2024-05-01 10:00:02.016] _base_client.py (919) - [INFO] : Retrying request to /chat/completions in 0.915115 seconds`,
		`[2024-05-01 10:00:03.155] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 429 Too Many Requests"`,
		`[2024-05-01 10:00:03.156] _base_client.py (919) - [INFO] : Retrying request to /chat/completions in 1.881526 seconds`,
		`[2024-05-01 10:00:05.200] _client.py (1013) - [INFO] : HTTP Request: POST https://api.openai.com/v1/chat/completions "HTTP/1.1 200 OK"`,
		call("2024-05-01 10:00:05,300", "critic_agent/default", "Check the answer.", 60),
		`{"type": "LLMCall", "messages": [], "response": {"created": 1714557800}, "prompt_tokens": 5, "completion_tokens": 1, "agent_id": null}`,
	}
	f, err := runlog.ReadJSONLines(strings.NewReader(strings.Join(lines, "\n")), runlog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != runlog.FormatLLMCall || f.Generation != "0.4" || f.Calls != 3 {
		t.Fatalf("format %s gen %s calls %d", f.Format, f.Generation, f.Calls)
	}
	if f.PromptTokens != 105 || f.CompletionTokens != 25 || f.TokensEstimated != 0 {
		t.Errorf("tokens %d+%d estimated %d", f.PromptTokens, f.CompletionTokens, f.TokensEstimated)
	}
	if f.HTTP.Requests != 3 || f.HTTP.Status429 != 2 || f.HTTP.Retries != 2 || f.HTTP.MaxBurst != 2 {
		t.Errorf("http = %+v", f.HTTP)
	}
	if a := f.Agent("critic_agent/default"); a == nil || a.Calls != 1 {
		t.Errorf("agents = %+v", f.Agents)
	}
	if got := f.FirstCalls[0].Time; !got.Equal(time.Date(2024, 5, 1, 10, 0, 1, 100e6, time.UTC)) {
		t.Errorf("time from the prefix = %v", got)
	}
	if got := f.FirstCalls[2].Time; !got.Equal(time.Unix(1714557800, 0).UTC()) || f.FirstCalls[2].Agent != "unknown" {
		t.Errorf("time from response.created = %v, agent %q", got, f.FirstCalls[2].Agent)
	}
	if len(f.Timeline) == 0 || f.Timeline[0].Errors429 != 2 {
		t.Errorf("timeline = %+v", f.Timeline)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSniff(t *testing.T) {
	var fl bytes.Buffer
	runlogtest.WriteJSONLines(&fl, runlogtest.QuotaFailure())
	lines := strings.SplitN(fl.String(), "\n", 2)
	tests := []struct {
		name   string
		prefix string
		want   runlog.Format
		ok     bool
	}{
		{"sqlite", "SQLite format 3\x00\x10\x00", runlog.FormatSQLite, true},
		{"file logger", fl.String()[:200], runlog.FormatFileLogger, true},
		{"file logger without session line", lines[1], runlog.FormatFileLogger, true},
		{"llm call", `2024-05-01 10:00:01 INFO {"tools": [], "type": "LLMCall", "messages": []}`, runlog.FormatLLMCall, true},
		{"llm call spaced", `{"type" :"LLMCall"}`, runlog.FormatLLMCall, true},
		{"python", "import autogen\nprint('hi')\n", "", false},
		{"other json", `{"type": "ToolCall", "tool_name": "x"}`, "", false},
		{"config list", `[{"model": "gpt-4", "api_key": "x"}]`, "", false},
		{"empty", "", "", false},
	}
	for _, tc := range tests {
		got, ok := runlog.Sniff([]byte(tc.prefix))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: Sniff = %q %v, want %q %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzReadJSONLines(f *testing.F) {
	var fl bytes.Buffer
	runlogtest.WriteJSONLines(&fl, runlogtest.RetryStorm())
	f.Add(fl.Bytes()[:min(fl.Len(), 4000)])
	f.Add([]byte(`x {"type": "LLMCall", "messages": [{"role": "tool", "content": "\u00e9\\"}], "response": {"created": 1}, "prompt_tokens": "a", "agent_id": 5}`))
	f.Add([]byte("Started new session with Session ID: 1\n{\"invocation_id\": 1, \"request\": \"{\\\"messages\\\": [}\", \"response\": 3}\n"))
	f.Add([]byte(`{"event_name": "received_message", "json_state": "{\"sender\": 1}", "source_name": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		f, err := runlog.ReadJSONLines(bytes.NewReader(data), runlog.Limits{MaxLineBytes: 1 << 16})
		if err == nil && f == nil {
			t.Fatal("nil facts without an error")
		}
		if err == nil && f.Calls < 0 {
			t.Fatal("negative calls")
		}
	})
}

// lineSource streams n FileLogger chat-completion lines without holding them.
type lineSource struct {
	n, i int
	buf  []byte
}

func (s *lineSource) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i >= s.n {
			return 0, io.EOF
		}
		ts := runlogtest.TS(runlogtest.Epoch.Add(time.Duration(s.i) * 700 * time.Millisecond))
		s.buf = []byte(`{"invocation_id": "inv-` + strconv.Itoa(s.i) + `", "client_id": 1, "wrapper_id": 2, "request": {"messages": [{"content": "task ` +
			strconv.Itoa(s.i) + ` of the batch", "role": "user"}], "model": "gpt-4o"}, "response": "ChatCompletion(usage=CompletionUsage(completion_tokens=5, prompt_tokens=50, total_tokens=55))", "is_cached": 0, "cost": 0.001, "start_time": "` +
			ts + `", "end_time": "` + ts + `", "thread_id": 1, "source_name": "agent` + strconv.Itoa(s.i%4) + `"}` + "\n")
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestReadJSONLinesBoundedMemory streams 100,000 records through a reader
// that never holds them: the heap after reading stays small.
func TestReadJSONLinesBoundedMemory(t *testing.T) {
	const n = 100_000
	f, err := runlog.ReadJSONLines(&lineSource{n: n}, runlog.Limits{MaxKeys: 20_000})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if f.Calls != n || f.PromptTokens != 50*n || len(f.Agents) != 4 {
		t.Errorf("calls %d prompt %d agents %d", f.Calls, f.PromptTokens, len(f.Agents))
	}
	if m.HeapInuse > 32<<20 {
		t.Errorf("heap in use %d MB after streaming; want bounded", m.HeapInuse>>20)
	}
	runtime.KeepAlive(f)
}

// TestOpenDBOldOrOddSchema: optional tables and columns may be missing (older
// loggers had no source_name); the log is still read.
func TestOpenDBOldOrOddSchema(t *testing.T) {
	p := sqliteFile(t,
		"CREATE TABLE chat_completions(id INTEGER PRIMARY KEY, invocation_id TEXT, request TEXT, response TEXT, start_time DATETIME)",
		"CREATE TABLE oai_wrappers(id INTEGER PRIMARY KEY, init_args TEXT)",
		"CREATE TABLE oai_clients(id INTEGER PRIMARY KEY, client_id INTEGER)",
		"CREATE TABLE events(id INTEGER PRIMARY KEY, event_name TEXT)",
		`INSERT INTO oai_wrappers(init_args) VALUES ('{"api_key": "sk-proj-FAKEFAKEFAKE9999"}')`,
		`INSERT INTO chat_completions(invocation_id, request, response, start_time) VALUES
		  ('i1', '{"messages": [{"role": "user", "content": "hi"}]}', '{"response": "error_code:429, config 0 failed"}', '2024-05-01 10:00:00.000000'),
		  ('i2', 'not json', 'not json either', 'not a time'),
		  ('i3', NULL, NULL, NULL)`,
	)
	f, err := runlog.OpenDB(context.Background(), p, runlog.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Calls != 3 || f.ErrorCount("429") != 1 || f.Agent("unknown") == nil {
		t.Errorf("calls %d errors %+v agents %+v", f.Calls, f.Errors, f.Agents)
	}
}
