// Package runlogtest writes AutoGen runtime logs for tests and benchmarks:
// SQLite databases with the SqliteLogger's own table definitions and
// FileLogger JSON lines, filled from scenario values (a looping session, a
// retry storm, a quota failure, a clean cached session, ...).
package runlogtest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // driver "sqlite"
)

// DDL is the SqliteLogger schema (schema_version 1), including its
// misspelled INEGER column type, so fixtures have the real column affinities.
const DDL = `
CREATE TABLE IF NOT EXISTS chat_completions(id INTEGER PRIMARY KEY, invocation_id TEXT, client_id INTEGER, wrapper_id INTEGER, session_id TEXT, source_name TEXT, request TEXT, response TEXT, is_cached INEGER, cost REAL, start_time DATETIME DEFAULT CURRENT_TIMESTAMP, end_time DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS agents(id INTEGER PRIMARY KEY, agent_id INTEGER, wrapper_id INTEGER, session_id TEXT, name TEXT, class TEXT, init_args TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(agent_id, session_id));
CREATE TABLE IF NOT EXISTS oai_wrappers(id INTEGER PRIMARY KEY, wrapper_id INTEGER, session_id TEXT, init_args TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(wrapper_id, session_id));
CREATE TABLE IF NOT EXISTS oai_clients(id INTEGER PRIMARY KEY, client_id INTEGER, wrapper_id INTEGER, session_id TEXT, class TEXT, init_args TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(client_id, session_id));
CREATE TABLE IF NOT EXISTS version(id INTEGER PRIMARY KEY CHECK (id = 1), version_number INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(event_name TEXT, source_id INTEGER, source_name TEXT, agent_module TEXT DEFAULT NULL, agent_class_name TEXT DEFAULT NULL, id INTEGER PRIMARY KEY, json_state TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS function_calls(source_id INTEGER, source_name TEXT, function_name TEXT, args TEXT DEFAULT NULL, returns TEXT DEFAULT NULL, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP);
INSERT OR REPLACE INTO version (id, version_number) VALUES (1, 1);
`

// InsertCompletion is the logger's own insert statement.
const InsertCompletion = `INSERT INTO chat_completions (invocation_id, client_id, wrapper_id, session_id, request, response, is_cached, cost, start_time, end_time, source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// TS formats a time as get_current_ts() does: UTC with microseconds.
func TS(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000000") }

// Msg is one chat message of a request.
type Msg struct {
	Role, Content, Name string
}

// Completion is one chat_completions row.
type Completion struct {
	Invocation string
	ClientID   int64
	WrapperID  int64
	Session    string
	Source     string
	Request    string
	Response   string
	Cached     bool
	Cost       float64
	Start, End time.Time
}

// Agent is one agents row; Wrapper and Client the oai_* rows.
type Agent struct {
	ID, WrapperID int64
	Name, Class   string
}

// Wrapper is one oai_wrappers row.
type Wrapper struct {
	ID       int64
	InitArgs string
}

// Client is one oai_clients row.
type Client struct {
	ID, WrapperID int64
	Class         string
	InitArgs      string
}

// Event is one events row (received_message: Source received from Sender).
type Event struct {
	Name, Source, Sender, Content string
	At                            time.Time
}

// Function is one function_calls row.
type Function struct {
	Source, Name, Args, Returns string
	At                          time.Time
}

// Fixture is everything one runtime log holds.
type Fixture struct {
	Session     string
	Agents      []Agent
	Wrappers    []Wrapper
	Clients     []Client
	Events      []Event
	Functions   []Function
	Completions []Completion
}

// Request renders a request as json.dumps(params) does (", " and ": " separators).
func Request(model string, msgs ...Msg) string {
	var b strings.Builder
	b.WriteString(`{"messages": [`)
	for i, m := range msgs {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"content": %s, "role": %s`, q(m.Content), q(m.Role))
		if m.Name != "" {
			fmt.Fprintf(&b, `, "name": %s`, q(m.Name))
		}
		b.WriteString("}")
	}
	fmt.Fprintf(&b, `], "model": %s, "temperature": 0}`, q(model))
	return b.String()
}

func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// OKResponse renders a successful ChatCompletion the way the logger stores
// it: json.dumps(to_dict(response), indent=4).
func OKResponse(id, model, content string, prompt, completion int, created time.Time) string {
	type usage struct {
		Completion int `json:"completion_tokens"`
		Prompt     int `json:"prompt_tokens"`
		Total      int `json:"total_tokens"`
	}
	type message struct {
		Content      string `json:"content"`
		Role         string `json:"role"`
		FunctionCall any    `json:"function_call"`
		ToolCalls    any    `json:"tool_calls"`
	}
	type choice struct {
		FinishReason string  `json:"finish_reason"`
		Index        int     `json:"index"`
		Logprobs     any     `json:"logprobs"`
		Message      message `json:"message"`
	}
	v := struct {
		ID                string   `json:"id"`
		Choices           []choice `json:"choices"`
		Created           int64    `json:"created"`
		Model             string   `json:"model"`
		Object            string   `json:"object"`
		SystemFingerprint any      `json:"system_fingerprint"`
		Usage             usage    `json:"usage"`
	}{id, []choice{{"stop", 0, nil, message{content, "assistant", nil, nil}}}, created.Unix(), model, "chat.completion", nil,
		usage{completion, prompt, prompt + completion}}
	b, _ := json.MarshalIndent(v, "", "    ")
	return string(b)
}

// ErrorResponse is the stored response of a failed call.
func ErrorResponse(code string, config int) string {
	return fmt.Sprintf(`{"response": "error_code:%s, config %d failed"}`, code, config)
}

// WriteDB creates a runtime-log database at path with the logger's schema
// and the fixture's rows, in one transaction.
func WriteDB(path string, fx *Fixture) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, DDL); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sess := fx.Session
	for _, a := range fx.Agents {
		if _, err := tx.Exec(`INSERT INTO agents (agent_id, wrapper_id, session_id, name, class, init_args, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.WrapperID, sess, a.Name, a.Class, `{"name": `+q(a.Name)+`}`, TS(time.Unix(0, 0))); err != nil {
			return err
		}
	}
	for _, w := range fx.Wrappers {
		if _, err := tx.Exec(`INSERT INTO oai_wrappers (wrapper_id, session_id, init_args, timestamp) VALUES (?, ?, ?, ?)`, w.ID, sess, w.InitArgs, TS(time.Unix(0, 0))); err != nil {
			return err
		}
	}
	for _, c := range fx.Clients {
		if _, err := tx.Exec(`INSERT INTO oai_clients (client_id, wrapper_id, session_id, class, init_args, timestamp) VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.WrapperID, sess, c.Class, c.InitArgs, TS(time.Unix(0, 0))); err != nil {
			return err
		}
	}
	for _, e := range fx.Events {
		state := fmt.Sprintf(`{"message": {"content": %s, "role": "user"}, "sender": %s, "valid": true}`, q(e.Content), q(e.Sender))
		if _, err := tx.Exec(`INSERT INTO events (source_id, source_name, event_name, agent_module, agent_class_name, json_state, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			1, e.Source, e.Name, "autogen.agentchat.conversable_agent", "ConversableAgent", state, TS(e.At)); err != nil {
			return err
		}
	}
	for _, fn := range fx.Functions {
		if _, err := tx.Exec(`INSERT INTO function_calls (source_id, source_name, function_name, args, returns, timestamp) VALUES (?, ?, ?, ?, ?, ?)`,
			1, fn.Source, fn.Name, fn.Args, fn.Returns, TS(fn.At)); err != nil {
			return err
		}
	}
	st, err := tx.Prepare(InsertCompletion)
	if err != nil {
		return err
	}
	for _, c := range fx.Completions {
		s := c.Session
		if s == "" {
			s = sess
		}
		cached := 0
		if c.Cached {
			cached = 1
		}
		if _, err := st.Exec(c.Invocation, c.ClientID, c.WrapperID, s, c.Request, c.Response, cached, c.Cost, TS(c.Start), TS(c.End), c.Source); err != nil {
			return err
		}
	}
	st.Close()
	return tx.Commit()
}

// WriteJSONLines writes the fixture as the FileLogger does: the session line,
// then one JSON object per line, and a new session line where a completion
// belongs to another session (a rerun appending to the same file). The response is stored as a string (the
// logger writes str(response)).
func WriteJSONLines(w io.Writer, fx *Fixture) error {
	if _, err := fmt.Fprintf(w, "Started new session with Session ID: %s\n", fx.Session); err != nil {
		return err
	}
	// records are written when they happen: a completion when its call ends,
	// an event or a tool result at its timestamp.
	type record struct {
		at   time.Time
		kind int // 0 completion, 1 event, 2 function
		i    int
	}
	var recs []record
	for i, c := range fx.Completions {
		recs = append(recs, record{c.End, 0, i})
	}
	for i, e := range fx.Events {
		recs = append(recs, record{e.At, 1, i})
	}
	for i, fn := range fx.Functions {
		recs = append(recs, record{fn.At, 2, i})
	}
	sort.SliceStable(recs, func(a, b int) bool { return recs[a].at.Before(recs[b].at) })
	enc := json.NewEncoder(w)
	current := fx.Session
	for _, r := range recs {
		var v map[string]any
		switch r.kind {
		case 1:
			e := fx.Events[r.i]
			state := fmt.Sprintf(`{"message": {"content": %s, "role": "user"}, "sender": %s, "valid": true}`, q(e.Content), q(e.Sender))
			v = map[string]any{"source_id": 1, "source_name": e.Source, "event_name": e.Name,
				"agent_module": "autogen.agentchat.conversable_agent", "agent_class": "ConversableAgent",
				"json_state": state, "timestamp": TS(e.At), "thread_id": 1}
		case 2:
			// the 0.2 FileLogger's function-use record (it has no function name).
			fn := fx.Functions[r.i]
			v = map[string]any{"source_id": 1, "source_name": fn.Source, "agent_module": "autogen.agentchat.user_proxy_agent",
				"agent_class": "UserProxyAgent", "timestamp": TS(fn.At), "thread_id": 1, "input_args": fn.Args, "returns": fn.Returns}
		default:
			c := fx.Completions[r.i]
			// a rerun appends to the same file after a new session line.
			if c.Session != "" && c.Session != current {
				current = c.Session
				if _, err := fmt.Fprintf(w, "Started new session with Session ID: %s\n", current); err != nil {
					return err
				}
			}
			cached := 0
			if c.Cached {
				cached = 1
			}
			v = map[string]any{"invocation_id": c.Invocation, "client_id": c.ClientID, "wrapper_id": c.WrapperID,
				"request": json.RawMessage(c.Request), "response": c.Response, "is_cached": cached, "cost": c.Cost,
				"start_time": TS(c.Start), "end_time": TS(c.End), "thread_id": 140000000 + r.i%3, "source_name": c.Source}
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}
