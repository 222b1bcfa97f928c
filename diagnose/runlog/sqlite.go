package runlog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"
)

// sqliteMagic opens every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// knownTables are the SqliteLogger tables besides chat_completions.
var knownTables = []string{"agents", "oai_wrappers", "oai_clients", "events", "function_calls", "version"}

// OpenDB reads an AutoGen 0.2/AG2 runtime-log database read-only and
// computes its Facts while streaming the rows. It refuses a file that is
// not SQLite, a truncated one, and a SQLite database that is not a runtime
// log, each with an error that can be shown to the person as is.
func OpenDB(ctx context.Context, path string, lim Limits) (*Facts, error) {
	lim = lim.withDefaults()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open runtime log: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open runtime log: %s is a directory", filepath.Base(path))
	}
	if st.Size() > lim.MaxFileSize {
		return nil, fmt.Errorf("runtime log too large: %d bytes (limit %d)", st.Size(), lim.MaxFileSize)
	}
	if err := checkHeader(path, st.Size()); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open runtime log: %w", err)
	}
	// mode=ro: never write or create; immutable=1: no locks, no journal or
	// WAL look-ups (an uploaded copy has no writer); query_only and
	// trusted_schema=off: a hostile schema cannot run functions with side
	// effects from views or triggers.
	dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() +
		"?mode=ro&immutable=1&_pragma=query_only(1)&_pragma=trusted_schema(0)&_pragma=cache_size(-8000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open runtime log: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	f := &Facts{Format: FormatSQLite, Generation: "0.2", Bytes: st.Size()}
	// immutable=1 reads the main file only: rows still in a write-ahead log
	// of a run that has not stopped are not seen.
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		f.Notes = append(f.Notes, "a -wal file next to the database was not read; stop the run (autogen.runtime_logging.stop()) so its last rows reach the database")
	}
	r := &dbReader{db: db, lim: lim, f: f, agg: newAggregator(lim, f), free: make(chan []call, 16)}
	if err := r.read(ctx); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("runtime log analysis took longer than %s; stopped", lim.Timeout)
		}
		return nil, err
	}
	return f, nil
}

// checkHeader refuses files that are not SQLite or are shorter than their
// header says, before SQLite sees them.
func checkHeader(path string, size int64) error {
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open runtime log: %w", err)
	}
	defer fh.Close()
	var hdr [100]byte
	n, err := io.ReadFull(fh, hdr[:])
	if size == 0 {
		return errors.New("not a SQLite database: the file is empty")
	}
	if !bytes.HasPrefix(hdr[:n], sqliteMagic) {
		if n >= 16 || !bytes.HasPrefix(sqliteMagic, hdr[:n]) {
			return errors.New("not a SQLite database (the file does not start with the SQLite header)")
		}
	}
	if err != nil {
		return fmt.Errorf("truncated SQLite database: only %d bytes", size)
	}
	pageSize := int64(binary.BigEndian.Uint16(hdr[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return fmt.Errorf("corrupt SQLite database: invalid page size %d in the header", pageSize)
	}
	pages := int64(binary.BigEndian.Uint32(hdr[28:32]))
	changed := binary.BigEndian.Uint32(hdr[24:28])
	validFor := binary.BigEndian.Uint32(hdr[92:96])
	if size < pageSize {
		return fmt.Errorf("truncated SQLite database: %d bytes, less than one %d-byte page", size, pageSize)
	}
	if pages > 0 && changed == validFor && pages*pageSize > size {
		return fmt.Errorf("truncated SQLite database: the header says %d bytes, the file has %d", pages*pageSize, size)
	}
	if size%pageSize != 0 {
		return fmt.Errorf("truncated or corrupt SQLite database: size %d is not a multiple of the page size %d", size, pageSize)
	}
	return nil
}

type dbReader struct {
	free chan []call // processed batches for reuse
	db   *sql.DB
	lim  Limits
	f    *Facts
	agg  *aggregator
	cols map[string]map[string]bool
}

func (r *dbReader) read(ctx context.Context) error {
	if err := r.tables(ctx); err != nil {
		return err
	}
	if err := r.meta(ctx); err != nil {
		return err
	}
	if err := r.completions(ctx); err != nil {
		return err
	}
	if err := r.events(ctx); err != nil {
		return err
	}
	if err := r.functions(ctx); err != nil {
		return err
	}
	r.agg.finish()
	return nil
}

// sqliteErr words a driver error for a person.
func sqliteErr(what string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "file is not a database") || strings.Contains(msg, "(26)"):
		return fmt.Errorf("not a SQLite database or corrupt: %s", what)
	case strings.Contains(msg, "malformed") || strings.Contains(msg, "(11)"):
		return fmt.Errorf("corrupt SQLite database (%s): the file is damaged or truncated", what)
	case strings.Contains(msg, "interrupted") || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", what, context.DeadlineExceeded)
	}
	return fmt.Errorf("%s: %v", what, err)
}

// tables checks that the database is a runtime log and records which
// optional tables and columns exist.
func (r *dbReader) tables(ctx context.Context) error {
	rows, err := r.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type IN ('table','view') ORDER BY name`)
	if err != nil {
		return sqliteErr("read the schema", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return sqliteErr("read the schema", err)
		}
		if len(names) < 200 {
			names = append(names, n)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return sqliteErr("read the schema", err)
	}
	rows.Close()
	r.f.Tables = names
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	if !has["chat_completions"] {
		found := "no tables"
		if len(names) > 0 {
			shown := names
			if len(shown) > 8 {
				shown = shown[:8]
			}
			found = "found: " + strings.Join(shown, ", ")
		}
		return fmt.Errorf("not an AutoGen runtime log: no chat_completions table (%s)", found)
	}
	others := 0
	for _, t := range knownTables {
		if has[t] {
			others++
		}
	}
	if others == 0 {
		return fmt.Errorf("not an AutoGen runtime log: chat_completions without any of %s", strings.Join(knownTables, ", "))
	}
	r.cols = map[string]map[string]bool{}
	for _, t := range append([]string{"chat_completions"}, knownTables...) {
		if !has[t] {
			continue
		}
		cols, err := r.columns(ctx, t)
		if err != nil {
			return err
		}
		r.cols[t] = cols
	}
	var missing []string
	for _, c := range []string{"request", "response", "start_time"} {
		if !r.cols["chat_completions"][c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not an AutoGen runtime log: chat_completions has no %s column", strings.Join(missing, ", "))
	}
	return nil
}

func (r *dbReader) columns(ctx context.Context, table string) (map[string]bool, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, sqliteErr("read columns of "+table, err)
	}
	defer rows.Close()
	cols := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, sqliteErr("read columns of "+table, err)
		}
		cols[n] = true
	}
	return cols, rows.Err()
}

// col is the column itself when the table has it, else a typed NULL, so one
// query serves every schema version.
func (r *dbReader) col(table, name, cast string) string {
	if r.cols[table][name] {
		return "CAST(" + name + " AS " + cast + ")"
	}
	return "NULL"
}

// head is the first n bytes of a text column, or NULL when the table lacks it:
// init args are read for keys, and a hostile 1 GB value is not.
func (r *dbReader) head(table, name string, n int) string {
	if r.cols[table][name] {
		return fmt.Sprintf("CAST(substr(%s, 1, %d) AS TEXT)", name, n)
	}
	return "NULL"
}

// meta reads the version, agents, wrappers and clients tables (small).
func (r *dbReader) meta(ctx context.Context) error {
	if r.cols["version"]["version_number"] {
		var v sql.NullInt64
		if err := r.db.QueryRowContext(ctx, `SELECT CAST(version_number AS INTEGER) FROM version LIMIT 1`).Scan(&v); err == nil {
			r.f.Schema = int(v.Int64)
		}
	}
	wrapperAgents := map[int64][]string{}
	if c := r.cols["agents"]; c["name"] && c["wrapper_id"] {
		rows, err := r.db.QueryContext(ctx, `SELECT CAST(wrapper_id AS INTEGER), CAST(name AS TEXT) FROM agents LIMIT 10000`)
		if err != nil {
			return sqliteErr("read agents", err)
		}
		for rows.Next() {
			var w sql.NullInt64
			var n sql.NullString
			if rows.Scan(&w, &n) == nil && n.Valid {
				wrapperAgents[w.Int64] = append(wrapperAgents[w.Int64], n.String)
			}
		}
		rows.Close()
	}
	// keys: recorded init_args usually exclude api_key; when one is there
	// (older or patched loggers), group wrappers by it without keeping it.
	type keyUse struct {
		mask   string
		agents map[string]struct{}
		wraps  map[int64]struct{}
	}
	keys := map[uint64]*keyUse{}
	note := func(wrapper int64, args string) []string {
		var masks []string
		for _, m := range keyRe.FindAllStringSubmatch(args, 8) {
			fp := fingerprint([]byte(m[1]))
			k := keys[fp]
			if k == nil {
				k = &keyUse{mask: maskKey(m[1]), agents: map[string]struct{}{}, wraps: map[int64]struct{}{}}
				keys[fp] = k
			}
			k.wraps[wrapper] = struct{}{}
			for _, a := range wrapperAgents[wrapper] {
				k.agents[a] = struct{}{}
			}
			masks = append(masks, k.mask)
		}
		return masks
	}
	if c := r.cols["oai_wrappers"]; c["init_args"] {
		rows, err := r.db.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM oai_wrappers LIMIT 10000`,
			r.col("oai_wrappers", "wrapper_id", "INTEGER"), r.head("oai_wrappers", "init_args", 65536)))
		if err != nil {
			return sqliteErr("read oai_wrappers", err)
		}
		for rows.Next() {
			var w sql.NullInt64
			var a sql.NullString
			if rows.Scan(&w, &a) == nil {
				note(w.Int64, a.String)
			}
		}
		rows.Close()
	}
	if c := r.cols["oai_clients"]; c["client_id"] {
		q := fmt.Sprintf(`SELECT CAST(client_id AS INTEGER), %s, %s, %s FROM oai_clients LIMIT 10000`,
			r.col("oai_clients", "wrapper_id", "INTEGER"), r.col("oai_clients", "class", "TEXT"),
			r.head("oai_clients", "init_args", 65536))
		rows, err := r.db.QueryContext(ctx, q)
		if err != nil {
			return sqliteErr("read oai_clients", err)
		}
		for rows.Next() {
			var id, w sql.NullInt64
			var cls, args sql.NullString
			if rows.Scan(&id, &w, &cls, &args) != nil {
				continue
			}
			cs := ClientStat{ClientID: id.Int64, WrapperID: w.Int64, Class: cls.String, Agents: wrapperAgents[w.Int64]}
			if m := note(w.Int64, args.String); len(m) > 0 {
				cs.KeyMask = m[0]
			}
			r.f.Clients = append(r.f.Clients, cs)
		}
		rows.Close()
	}
	for _, k := range keys {
		if len(k.wraps) > 1 && len(k.agents) > len(r.f.Shared.KeyAgents) {
			r.f.Shared.KeyMask = k.mask
			r.f.Shared.KeyAgents = sortedKeys(k.agents)
		}
	}
	return ctx.Err()
}

// completions streams chat_completions in row order (insertion order, which
// is the order calls finished). ORDER BY start_time would make SQLite sort
// the whole table in a temporary b-tree, since the logger creates no index;
// the aggregator tolerates the small disorder instead.
//
// Request and response bodies up to MaxColumnBytes are handed to Go as raw
// bytes and scanned there (scanRequest, usageIn): on a million-row log that
// is several times faster than SQLite's JSON functions in this pure-Go
// build. Longer bodies are only measured (octet_length) and never copied.
//
// The table is read in rowid ranges by one worker per core, each on its own
// read-only connection; the aggregator takes the ranges back in order, so
// its results are those of a single ordered scan. Look-ahead is bounded:
// at most a few ranges of calls are in memory at once.
func (r *dbReader) completions(ctx context.Context) error {
	const t = "chat_completions"
	max := r.lim.MaxColumnBytes
	// the invocation groups failed rows (failover); a successful row's is
	// never used, so only short responses, which failures are, bring theirs.
	invocation := "NULL"
	if r.cols[t]["invocation_id"] {
		invocation = "CASE WHEN octet_length(response) <= 512 THEN CAST(invocation_id AS TEXT) END"
	}
	cols := fmt.Sprintf(`SELECT %%s, %s, %s, %s, %s, %s, CAST(start_time AS TEXT), %s,
	  octet_length(request), octet_length(response),
	  CASE WHEN octet_length(request) <= %d THEN CAST(request AS BLOB) END,
	  CASE WHEN octet_length(response) <= %d THEN CAST(response AS BLOB) END
	FROM chat_completions`,
		invocation, r.col(t, "session_id", "TEXT"), r.col(t, "source_name", "TEXT"),
		r.col(t, "is_cached", "INTEGER"), r.col(t, "cost", "REAL"), r.col(t, "end_time", "TEXT"), max, max)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(4, runtime.GOMAXPROCS(0))
	if scanWorkers > 0 {
		workers = scanWorkers
	}
	r.db.SetMaxOpenConns(workers + 1)

	type job struct {
		lo, hi int64 // rowid range [lo, hi); whole is one ordered scan of the table
		whole  bool
		out    chan scanResult
	}
	var lo, hi sql.NullInt64
	ranged := r.db.QueryRowContext(ctx, `SELECT min(rowid), max(rowid) FROM chat_completions`).Scan(&lo, &hi) == nil
	if ranged && !lo.Valid {
		return nil // no rows
	}
	const chunk = 4096
	// sparse or hostile rowids (a huge span with few rows) would make many
	// empty ranges: read such a table in one ordered scan instead.
	if !ranged || workers < 2 || hi.Int64-lo.Int64 > 4*r.lim.MaxRows || hi.Int64-lo.Int64 < 2*chunk {
		ranged = false
	}
	rangeQ := fmt.Sprintf(cols, "rowid") + " WHERE rowid >= ? AND rowid < ? ORDER BY rowid"
	wholeQ := fmt.Sprintf(cols, "id") + fmt.Sprintf(" ORDER BY id LIMIT %d", r.lim.MaxRows+1)

	order := make(chan chan scanResult, workers+1)
	jobs := make(chan job, workers)
	go func() { // dispatcher
		defer close(order)
		defer close(jobs)
		send := func(j job) bool {
			select {
			case order <- j.out:
			case <-ctx.Done():
				return false
			}
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				j.out <- scanResult{err: ctx.Err()}
				close(j.out)
				return false
			}
		}
		if !ranged {
			send(job{whole: true, out: make(chan scanResult, 2)})
			return
		}
		for a := lo.Int64; a <= hi.Int64; a += chunk {
			if !send(job{lo: a, hi: a + chunk, out: make(chan scanResult, 2)}) {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if j.whole {
					r.scanRows(ctx, j.out, wholeQ)
				} else {
					r.scanRows(ctx, j.out, rangeQ, j.lo, j.hi)
				}
				close(j.out)
			}
		}()
	}
	defer wg.Wait()

	var n int64
	var firstErr error
	for ch := range order {
		for res := range ch {
			r.f.Skipped += res.skipped
			r.f.HugeCols += res.huge
			if res.err != nil && firstErr == nil {
				firstErr = res.err
				cancel()
			}
			if firstErr != nil || r.f.Truncated {
				continue // drain so every worker can finish
			}
			for i := range res.calls {
				if n++; n > r.lim.MaxRows {
					r.f.Truncated = true
					r.f.Notes = append(r.f.Notes, fmt.Sprintf("only the first %d rows were read", r.lim.MaxRows))
					cancel()
					break
				}
				r.agg.add(&res.calls[i])
			}
			r.release(res.calls)
		}
	}
	if firstErr != nil && !r.f.Truncated {
		return sqliteErr("read chat_completions", firstErr)
	}
	return nil
}

// scanWorkers overrides the number of workers when set (tests compare the
// ranged scan with the single ordered one).
var scanWorkers = 0

// scanResult is one batch of calls read by a worker.
type scanResult struct {
	calls         []call
	skipped, huge int
	err           error
}

const batchSize = 1024

// batch returns an empty batch, reusing one the aggregator has finished
// with: a million rows would otherwise allocate a thousand batches.
func (r *dbReader) batch() []call {
	select {
	case b := <-r.free:
		return b[:0]
	default:
		return make([]call, 0, batchSize)
	}
}

// release hands a processed batch back for reuse (the aggregator keeps no
// pointer into it: it copies what it keeps).
func (r *dbReader) release(b []call) {
	if cap(b) != batchSize {
		return
	}
	clear(b)
	select {
	case r.free <- b:
	default:
	}
}

// scanRows runs one query over chat_completions and sends its calls in
// batches; request bodies are scanned here, in the worker.
func (r *dbReader) scanRows(ctx context.Context, out chan<- scanResult, q string, args ...any) {
	rows, err := r.db.QueryContext(ctx, q, args...)
	if err != nil {
		out <- scanResult{err: err}
		return
	}
	defer rows.Close()
	var (
		id                           int64
		inv                          sql.NullString
		sess, src, start, end        sql.RawBytes
		cached                       sql.NullInt64
		cost                         sql.NullFloat64
		reqLen, respLen              sql.NullInt64
		req, resp                    sql.RawBytes
		lastSess, lastSrc, lastModel string
	)
	// intern returns prev when b spells it: sessions, agents and models
	// repeat row after row, so most rows allocate none of them.
	intern := func(prev *string, b []byte) string {
		if string(b) != *prev {
			*prev = string(b)
		}
		return *prev
	}
	res := scanResult{calls: r.batch()}
	for rows.Next() {
		if err := rows.Scan(&id, &inv, &sess, &src, &cached, &cost, &start, &end, &reqLen, &respLen, &req, &resp); err != nil {
			res.skipped++
			continue
		}
		c := call{
			id: id, invocation: inv.String, session: intern(&lastSess, sess), agent: intern(&lastSrc, src),
			start: parseTimeBytes(start), end: parseTimeBytes(end),
			cached: cached.Int64 != 0, cost: cost.Float64, costOK: cost.Valid,
			reqBytes: reqLen.Int64, respBytes: respLen.Int64, msgs: -1,
		}
		if c.agent == "" {
			c.agent = "unknown"
		}
		if reqLen.Int64 > int64(r.lim.MaxColumnBytes) || respLen.Int64 > int64(r.lim.MaxColumnBytes) {
			res.huge++
		}
		if len(resp) <= 512 {
			c.errText = string(resp)
		}
		if p, q, ok := usageIn(resp); ok {
			c.prompt, c.completion, c.usageOK = p, q, true
		}
		if info, ok := scanRequest(req); ok {
			c.msgs = info.msgs
			c.model = intern(&lastModel, info.model)
			c.toolChars, c.maxTool = info.toolChars, info.maxTool
			if info.msgs > 0 {
				c.last2 = string(info.last[0]) + "\n" + string(info.last[1])
			}
			c.norm, c.normOK = normHash(c.session, c.agent, c.last2), true
		}
		if req != nil {
			c.fingerprint = fingerprint(req)
		}
		res.calls = append(res.calls, c)
		if len(res.calls) == batchSize {
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
			res = scanResult{calls: r.batch()}
		}
	}
	res.err = rows.Err()
	out <- res
}

// events reads received_message events for the ping-pong signature. The
// json_state is scanned in Go, like the requests; a long one is skipped.
func (r *dbReader) events(ctx context.Context) error {
	c := r.cols["events"]
	if !c["event_name"] || !c["json_state"] || !c["source_name"] {
		return nil
	}
	q := fmt.Sprintf(`SELECT rowid, CAST(source_name AS TEXT), %s,
	  CASE WHEN octet_length(json_state) <= %d THEN CAST(json_state AS BLOB) END
	  FROM events WHERE event_name = 'received_message' ORDER BY rowid LIMIT %d`,
		r.col("events", "timestamp", "TEXT"), r.lim.MaxColumnBytes, r.lim.MaxRows)
	rows, err := r.db.QueryContext(ctx, q)
	if err != nil {
		return sqliteErr("read events", err)
	}
	defer rows.Close()
	var (
		id       int64
		recv, ts sql.NullString
		state    sql.RawBytes
		n        int
	)
	for rows.Next() {
		if n++; n%8192 == 0 && ctx.Err() != nil {
			return sqliteErr("read events", ctx.Err())
		}
		if rows.Scan(&id, &recv, &ts, &state) != nil {
			r.f.Skipped++
			continue
		}
		sender, content, ok := scanEvent(state)
		if !ok {
			continue
		}
		r.agg.event(id, false, parseTime(ts.String), unescape(sender, 200), recv.String, string(content))
	}
	if err := rows.Err(); err != nil {
		return sqliteErr("read events", err)
	}
	return nil
}

// functions sums tool calls per function in SQL; the returns are measured, never read.
func (r *dbReader) functions(ctx context.Context) error {
	c := r.cols["function_calls"]
	if !c["function_name"] {
		return nil
	}
	ret := "0"
	if c["returns"] {
		ret = "octet_length(returns)"
	}
	rows, err := r.db.QueryContext(ctx, fmt.Sprintf(`SELECT CAST(function_name AS TEXT), count(*), total(%s), ifnull(max(%s), 0)
	  FROM function_calls GROUP BY function_name ORDER BY count(*) DESC LIMIT 200`, ret, ret))
	if err != nil {
		return sqliteErr("read function_calls", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name sql.NullString
		var n, mx int64
		var tot float64
		if rows.Scan(&name, &n, &tot, &mx) != nil {
			continue
		}
		r.f.Tools = append(r.f.Tools, ToolStat{Name: name.String, Calls: int(n), ReturnBytes: int64(tot), MaxReturn: mx})
		r.f.ToolCalls += int(n)
	}
	sort.SliceStable(r.f.Tools, func(i, j int) bool { return r.f.Tools[i].ReturnBytes > r.f.Tools[j].ReturnBytes })
	return rows.Err()
}
