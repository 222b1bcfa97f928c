// Command gen writes a large AutoGen runtime-log database for the runlog
// benchmark: the SqliteLogger schema, and by default 1,000,000
// chat_completions rows (about 1 GB) of realistic request and response JSON
// from three-agent sessions, with a few cached calls, rate-limit failures,
// failover rows and tool messages. Write it under /tmp; never commit it.
//
//	go run ./bench/runlog/gen -out /tmp/runlog-1m.db -rows 1000000
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
	_ "modernc.org/sqlite"
)

func main() {
	out := flag.String("out", "/tmp/runlog-1m.db", "database to write (replaced)")
	rows := flag.Int("rows", 1_000_000, "chat_completions rows")
	events := flag.Bool("events", false, "also write two received_message events per call, as the 0.2 logger does")
	flag.Parse()
	if err := run(*out, *rows, *events); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

var agents = []string{"planner", "coder", "critic"}

// words feed the message text so rows differ the way real chats do.
var words = strings.Fields(`the data frame function result error retry plan step test file output
value model agent answer report table column request response limit token minute query index
summary review patch build deploy check parse write read list number chart image price market`)

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	b.WriteByte('.')
	return b.String()
}

func quote(s string) string { return strconv.Quote(s) } // ASCII text: Go and JSON quoting agree

func run(path string, n int, events bool) error {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-65536)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(runlogtest.DDL); err != nil {
		return err
	}
	began := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for i, a := range agents {
		if _, err := tx.Exec(`INSERT INTO agents (agent_id, wrapper_id, session_id, name, class, init_args) VALUES (?, ?, 'bench', ?, 'AssistantAgent', '{}')`, 100+i, 200+i, a); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO oai_clients (client_id, wrapper_id, session_id, class, init_args) VALUES (?, ?, 'bench', 'OpenAI', '{}')`, 300+i, 200+i); err != nil {
			return err
		}
	}
	st, err := tx.Prepare(runlogtest.InsertCompletion)
	if err != nil {
		return err
	}
	ev, err := tx.Prepare(`INSERT INTO events (source_id, source_name, event_name, agent_module, agent_class_name, json_state, timestamp) VALUES (?, ?, 'received_message', 'autogen.agentchat.conversable_agent', 'ConversableAgent', ?, ?)`)
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	t := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	system := "You are a helpful AI assistant. Reply TERMINATE when the task is done."
	var session string
	for i := 0; i < n; i++ {
		if i%200 == 0 {
			session = fmt.Sprintf("%08x-bench-4000-8000-%012d", i/200, i/200)
			t = t.Add(2 * time.Minute)
		}
		agent := i % len(agents)
		var req strings.Builder
		req.WriteString(`{"messages": [{"content": `)
		req.WriteString(quote(system))
		req.WriteString(`, "role": "system"}, {"content": `)
		req.WriteString(quote(sentence(r, 6)))
		req.WriteString(`, "role": "user", "name": "user_proxy"}`)
		if i%3 == 0 {
			req.WriteString(`, {"content": `)
			req.WriteString(quote(sentence(r, 6)))
			req.WriteString(`, "role": "assistant"}`)
		}
		if i%10 == 0 {
			req.WriteString(`, {"content": `)
			req.WriteString(quote(sentence(r, 30)))
			req.WriteString(`, "role": "tool", "tool_call_id": "call_` + strconv.Itoa(i) + `"}`)
		}
		req.WriteString(`], "model": "gpt-4o", "temperature": 0}`)
		start := t
		end := t.Add(time.Duration(800+r.IntN(2000)) * time.Millisecond)
		t = t.Add(time.Duration(300+r.IntN(900)) * time.Millisecond)
		cached := 0
		var resp string
		switch {
		case i%97 == 5:
			resp = runlogtest.ErrorResponse("rate_limit_exceeded", i%2)
		case i%20 == 3:
			cached = 1
			fallthrough
		default:
			resp = runlogtest.OKResponse("chatcmpl-"+strconv.Itoa(i), "gpt-4o-2024-05-13", sentence(r, 4), 120+r.IntN(400), 20+r.IntN(200), start)
		}
		if _, err := st.Exec(fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i), 300+agent, 200+agent, session,
			req.String(), resp, cached, 0.0012, runlogtest.TS(start), runlogtest.TS(end), agents[agent]); err != nil {
			return err
		}
		if events {
			next := agents[(agent+1)%len(agents)]
			for _, e := range [2][2]string{{next, agents[agent]}, {agents[agent], next}} {
				state := `{"message": {"content": ` + quote(sentence(r, 6)) + `, "role": "user"}, "sender": ` + quote(e[1]) + `, "valid": true}`
				if _, err := ev.Exec(1, e[0], state, runlogtest.TS(end)); err != nil {
					return err
				}
			}
		}
		if (i+1)%100_000 == 0 {
			fmt.Fprintf(os.Stderr, "%d rows, %s\n", i+1, time.Since(began).Round(time.Millisecond))
		}
	}
	st.Close()
	ev.Close()
	if err := tx.Commit(); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d rows to %s: %d bytes in %s\n", n, path, fi.Size(), time.Since(began).Round(time.Millisecond))
	return nil
}
