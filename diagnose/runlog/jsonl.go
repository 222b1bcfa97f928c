package runlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const sessionPrefix = "Started new session with Session ID:"

// ReadJSONLines reads a 0.2/AG2 FileLogger file (autogen_logs/runtime.log),
// 0.4 LLMCall event lines (with or without a logging prefix before the JSON),
// and openai/httpx INFO lines mixed into them. Lines that are none of these
// are counted in Facts.Skipped; lines longer than Limits.MaxLineBytes are
// skipped and counted in Facts.LongLines. It fails only when nothing in the
// input is a runtime-log record.
func ReadJSONLines(r io.Reader, lim Limits) (*Facts, error) {
	lim = lim.withDefaults()
	f := &Facts{}
	jr := &jsonReader{lim: lim, f: f, agg: newAggregator(lim, f)}
	if err := jr.read(r); err != nil {
		return nil, err
	}
	if jr.records == 0 {
		switch {
		case jr.lines == 0:
			return nil, errors.New("not a runtime log: the input is empty")
		case jr.http > 0:
			return nil, errors.New("not a runtime log: only openai/httpx log lines, no model-call records")
		}
		return nil, fmt.Errorf("not a runtime log: none of %d lines is a FileLogger record or an LLMCall event", jr.lines)
	}
	if f.Format == FormatLLMCall {
		f.Notes = append(f.Notes, "0.4 logs no LLMCall event for a failed call; failures show only in openai/httpx log lines.")
	}
	jr.agg.finish()
	return f, nil
}

type jsonReader struct {
	lim     Limits
	f       *Facts
	agg     *aggregator
	session string
	lines   int
	records int
	http    int
	burst   int
}

func (j *jsonReader) read(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			if !long && len(line)+len(chunk) <= j.lim.MaxLineBytes {
				line = append(line, chunk...)
			} else {
				long, line = true, line[:0]
			}
			continue
		case err != nil && err != io.EOF:
			return fmt.Errorf("read runtime log: %w", err)
		}
		if !long && len(line)+len(chunk) > j.lim.MaxLineBytes {
			long = true
		}
		if !long {
			line = append(line, chunk...)
		}
		if len(chunk) > 0 || len(line) > 0 || long {
			j.lines++
			if long {
				j.f.LongLines++
			} else {
				j.line(j.lines, line)
			}
			if int64(j.lines) >= j.lim.MaxRows {
				j.f.Truncated = true
				j.f.Notes = append(j.f.Notes, fmt.Sprintf("only the first %d lines were read", j.lim.MaxRows))
				return nil
			}
		}
		j.f.Bytes += int64(len(chunk))
		line, long = line[:0], false
		if err == io.EOF {
			return nil
		}
	}
}

var (
	httpLineRe  = regexp.MustCompile(`HTTP Request: \S+ \S+ "HTTP/[\d.]+ (\d{3})`)
	retryLineRe = regexp.MustCompile(`Retrying request to \S+ in [\d.]+ seconds|Retrying request in [\d.]+ seconds`)
)

// line handles one line (1-based number n).
func (j *jsonReader) line(n int, b []byte) {
	s := bytes.TrimSpace(b)
	if len(s) == 0 {
		return
	}
	if bytes.HasPrefix(s, []byte(sessionPrefix)) {
		j.session = strings.TrimSpace(string(s[len(sessionPrefix):]))
		if j.f.Format == "" {
			j.f.Format, j.f.Generation = FormatFileLogger, "0.2"
		}
		j.records++
		return
	}
	brace := bytes.IndexByte(s, '{')
	if brace < 0 {
		j.plain(n, s)
		return
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(s[brace:], &rec); err != nil {
		j.plain(n, s)
		return
	}
	prefix := string(s[:brace])
	switch {
	case str(rec["type"]) == "LLMCall":
		j.llmCall(n, prefix, rec)
	case rec["invocation_id"] != nil && rec["request"] != nil:
		j.completion(n, rec)
	case rec["event_name"] != nil:
		j.event(n, rec)
	case rec["client_id"] != nil && rec["class"] != nil, rec["wrapper_id"] != nil && rec["json_state"] != nil:
		j.records++
		for _, m := range keysIn(string(rec["json_state"])) {
			j.f.Shared.KeyMask = m
		}
	case rec["agent_name"] != nil:
		j.records++
	case rec["function_name"] != nil || (rec["returns"] != nil && rec["source_name"] != nil):
		j.records++
		// the 0.2 FileLogger records no function name; some loggers add tool_name.
		name := str(rec["function_name"])
		if name == "" {
			name = str(rec["tool_name"])
		}
		if name == "" {
			name = "(unnamed tool)"
		}
		ret := rec["returns"]
		size := int64(len(ret))
		if len(ret) >= 2 && ret[0] == '"' {
			size = decodedLen(ret[1 : len(ret)-1])
		}
		j.f.ToolCalls++
		for i := range j.f.Tools {
			if j.f.Tools[i].Name == name {
				t := &j.f.Tools[i]
				t.Calls++
				t.ReturnBytes += size
				t.MaxReturn = max(t.MaxReturn, size)
				return
			}
		}
		if len(j.f.Tools) < 200 {
			j.f.Tools = append(j.f.Tools, ToolStat{Name: name, Calls: 1, ReturnBytes: size, MaxReturn: size})
		}
	default:
		j.f.Skipped++
	}
}

// plain handles a line that holds no JSON record: openai/httpx lines count,
// anything else is garbage.
func (j *jsonReader) plain(n int, s []byte) {
	if m := httpLineRe.FindSubmatch(s); m != nil {
		j.http++
		j.f.HTTP.Requests++
		if string(m[1]) == "429" {
			j.f.HTTP.Status429++
			j.burst++
			j.f.HTTP.MaxBurst = max(j.f.HTTP.MaxBurst, j.burst)
			if t := prefixTime(string(s)); !t.IsZero() {
				j.mark429(t)
			}
		} else {
			j.burst = 0
		}
		return
	}
	if retryLineRe.Match(s) {
		j.http++
		j.f.HTTP.Retries++
		return
	}
	j.f.Skipped++
}

func (j *jsonReader) mark429(t time.Time) {
	m := t.Unix() / 60
	mt := j.agg.minutes[m]
	if mt == nil && len(j.agg.minutes) < 500_000 {
		mt = &Minute{Start: time.Unix(m*60, 0).UTC()}
		j.agg.minutes[m] = mt
	}
	if mt != nil {
		mt.Errors429++
	}
}

func str(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '"' {
		if len(raw) > 0 && raw[0] != 'n' && raw[0] != '{' && raw[0] != '[' {
			return string(raw) // a number or bool, as written
		}
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

type message struct {
	Role    string          `json:"role"`
	Name    string          `json:"name"`
	Content json.RawMessage `json:"content"`
}

type request struct {
	Model    string    `json:"model"`
	Messages []message `json:"messages"`
}

// analyse fills the request-derived fields of a call from its messages.
func analyse(c *call, msgs []message, model string, raw []byte) {
	c.msgs = len(msgs)
	c.model = model
	c.reqBytes = int64(len(raw))
	var texts []string
	for i, m := range msgs {
		t := contentText(m.Content)
		if m.Role == "tool" || m.Role == "function" {
			c.toolChars += int64(len(t))
			c.maxTool = max(c.maxTool, int64(len(t)))
		}
		if i >= len(msgs)-2 {
			if len(t) > 2048 {
				t = t[:2048]
			}
			texts = append(texts, t)
		}
	}
	c.last2 = strings.Join(texts, "\n")
	c.fingerprint = fingerprint(raw)
}

func contentText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

var (
	reprPromptRe     = regexp.MustCompile(`prompt_tokens['"]?\s*[=:]\s*(\d+)`)
	reprCompletionRe = regexp.MustCompile(`completion_tokens['"]?\s*[=:]\s*(\d+)`)
)

// completion handles a FileLogger chat completion record. Its response is
// str(response): the repr of a ChatCompletion, a dict, or the failure text.
func (j *jsonReader) completion(n int, rec map[string]json.RawMessage) {
	j.records++
	if j.f.Format == "" {
		j.f.Format, j.f.Generation = FormatFileLogger, "0.2"
	}
	resp := str(rec["response"])
	if resp == "" && len(rec["response"]) > 0 && rec["response"][0] == '{' {
		resp = string(rec["response"])
	}
	c := call{
		id: int64(n), line: true, invocation: str(rec["invocation_id"]), session: j.session,
		agent: str(rec["source_name"]), start: parseTime(str(rec["start_time"])), end: parseTime(str(rec["end_time"])),
		respBytes: int64(len(resp)), msgs: -1,
	}
	if cached := str(rec["is_cached"]); cached != "" && cached != "0" && cached != "false" {
		c.cached = true
	}
	if cost, err := strconv.ParseFloat(str(rec["cost"]), 64); err == nil {
		c.cost, c.costOK = cost, true
	}
	if len(resp) <= 512 {
		c.errText = resp
	}
	if m := reprPromptRe.FindStringSubmatch(resp); m != nil {
		c.prompt, _ = strconv.Atoi(m[1])
		c.usageOK = true
		if m := reprCompletionRe.FindStringSubmatch(resp); m != nil {
			c.completion, _ = strconv.Atoi(m[1])
		}
	}
	raw := []byte(rec["request"])
	if len(raw) > 0 && raw[0] == '"' { // request stored as a JSON string
		raw = []byte(str(rec["request"]))
	}
	var req request
	if json.Unmarshal(raw, &req) == nil {
		analyse(&c, req.Messages, req.Model, raw)
	} else {
		c.reqBytes = int64(len(raw))
	}
	j.agg.add(&c)
}

// llmCall handles a 0.4 LLMCall event. It carries no timestamp of its own:
// the time comes from the logging prefix, else from response.created.
func (j *jsonReader) llmCall(n int, prefix string, rec map[string]json.RawMessage) {
	j.records++
	if j.f.Format == "" {
		j.f.Format, j.f.Generation = FormatLLMCall, "0.4"
	}
	c := call{id: int64(n), line: true, agent: str(rec["agent_id"]), msgs: -1}
	if c.agent == "" {
		c.agent = "unknown"
	}
	c.start = prefixTime(prefix)
	var resp struct {
		Created int64  `json:"created"`
		Model   string `json:"model"`
	}
	json.Unmarshal(rec["response"], &resp)
	if c.start.IsZero() && resp.Created > 0 {
		c.start = time.Unix(resp.Created, 0).UTC()
	}
	c.end = c.start
	c.respBytes = int64(len(rec["response"]))
	p, errP := strconv.Atoi(str(rec["prompt_tokens"]))
	q, errQ := strconv.Atoi(str(rec["completion_tokens"]))
	if errP == nil || errQ == nil {
		c.prompt, c.completion, c.usageOK = p, q, true
	}
	var msgs []message
	json.Unmarshal(rec["messages"], &msgs)
	analyse(&c, msgs, resp.Model, rec["messages"])
	j.agg.add(&c)
}

// event handles a FileLogger event record; received_message feeds the
// ping-pong signature.
func (j *jsonReader) event(n int, rec map[string]json.RawMessage) {
	j.records++
	if j.f.Format == "" {
		j.f.Format, j.f.Generation = FormatFileLogger, "0.2"
	}
	if str(rec["event_name"]) != "received_message" {
		return
	}
	state := rec["json_state"]
	if len(state) > 0 && state[0] == '"' {
		state = json.RawMessage(str(state))
	}
	var st struct {
		Sender  string          `json:"sender"`
		Message json.RawMessage `json:"message"`
	}
	json.Unmarshal(state, &st)
	content := contentText(st.Message)
	var m message
	if len(st.Message) > 0 && st.Message[0] == '{' && json.Unmarshal(st.Message, &m) == nil {
		content = contentText(m.Content)
	}
	j.agg.event(int64(n), true, parseTime(str(rec["timestamp"])), st.Sender, str(rec["source_name"]), content)
}
