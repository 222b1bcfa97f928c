package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestGracefulShutdown starts the real server on a loopback port, begins a
// slow request, cancels the serve context (what SIGTERM does in serve.go)
// and checks the request completes while new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	env := newOpsEnv(t, nil)
	started := make(chan struct{})
	env.srv.echo.GET("/slow", func(c echoContext) error {
		close(started)
		time.Sleep(700 * time.Millisecond)
		return c.String(200, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.srv.Serve(ctx, ln) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel() // the signal
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	hs := env.srv.httpServer()
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Errorf("server timeouts not all set: %+v", hs)
	}
}

// noNetwork makes any outbound dial fail the test, through http.DefaultTransport
// and the default resolver, until the test ends.
func noNetwork(t *testing.T) {
	oldT, oldR := http.DefaultTransport, net.DefaultResolver
	fail := func(_ context.Context, network, addr string) (net.Conn, error) {
		t.Errorf("outbound %s connection to %s", network, addr)
		return nil, errors.New("no network in this test")
	}
	http.DefaultTransport = &http.Transport{DialContext: fail}
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: fail}
	t.Cleanup(func() { http.DefaultTransport, net.DefaultResolver = oldT, oldR })
}

// routeRequests builds one request per registered route and method, with
// params filled from real values.
func routeRequests(t *testing.T, env *opsEnv, reportID, deleteToken string) []*http.Request {
	var reqs []*http.Request
	fill := func(p string) string {
		r := strings.NewReplacer(":slug", "agent-loops", ":id", reportID, ":file", "app.css")
		if strings.HasPrefix(p, "/rules/") {
			r = strings.NewReplacer(":id", "RLD1001")
		}
		return r.Replace(p)
	}
	for _, rt := range env.srv.echo.Routes() {
		if strings.Contains(rt.Path, "*") || rt.Path == "/boom" {
			continue
		}
		path := fill(rt.Path)
		var req *http.Request
		switch {
		case rt.Method == "POST" && strings.HasPrefix(path, "/api/"):
			req = httptest.NewRequest("POST", path, strings.NewReader(diagnoseBody(smallAgent)))
			req.Header.Set("Content-Type", jsonCT)
		case rt.Method == "POST":
			form := url.Values{"paste": {smallAgent}, "code": {smallAgent}, "rule": {"RLD1001"}, "fixed": {"yes"}, "token": {deleteToken}, "step": {"result"}}
			req = httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		case rt.Method == "DELETE":
			req = httptest.NewRequest("DELETE", path, nil)
			req.Header.Set("X-Delete-Token", "wrong")
		case rt.Method == "GET" || rt.Method == "HEAD":
			req = httptest.NewRequest(rt.Method, path, nil)
		default:
			continue
		}
		reqs = append(reqs, req)
	}
	return reqs
}

// TestNoOutboundNetwork exercises every route with the network cut: the
// server never dials out (no CDN, no telemetry, no provider call).
func TestNoOutboundNetwork(t *testing.T) {
	noNetwork(t)
	env := newOpsEnv(t, nil)
	rec := env.req(t, "POST", "/api/v1/reports", diagnoseBody(smallAgent), "Content-Type", jsonCT)
	if rec.Code != 201 {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	var saved SavedJSON
	json.Unmarshal(rec.Body.Bytes(), &saved)
	reqs := routeRequests(t, env, saved.ID, "wrong-token")
	if len(reqs) < 20 {
		t.Fatalf("only %d routes exercised", len(reqs))
	}
	for _, req := range reqs {
		rec := httptest.NewRecorder()
		env.srv.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("%s %s: %d", req.Method, req.URL.Path, rec.Code)
		}
	}
}

// TestRoutesKeepCSP: every route answers the strict CSP (no route weakens it).
func TestRoutesKeepCSP(t *testing.T) {
	env := newOpsEnv(t, nil)
	for _, req := range routeRequests(t, env, "abcdefghijklmnopqrstuvwxyz", "x") {
		rec := httptest.NewRecorder()
		env.srv.Handler().ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s %s: CSP %q", req.Method, req.URL.Path, got)
		}
	}
}

func multipartBody(t testing.TB, field, name string, content []byte) (string, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return b.String(), w.FormDataContentType()
}

// notAutoGenDB is a real SQLite file with an unrelated table.
func notAutoGenDB(t testing.TB) []byte {
	p := filepath.Join(t.TempDir(), "shop.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE orders(id INTEGER, item TEXT); INSERT INTO orders VALUES (1, 'tea')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipBomb(t testing.TB, n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := make([]byte, 1<<20)
	for i := 0; i < n; i += len(chunk) {
		zw.Write(chunk)
	}
	zw.Close()
	return b.Bytes()
}

// TestBadInputHTTP sends hostile bodies through the real handler: each gets
// a clear 4xx (or a 200 that shows the payload escaped), nothing crashes,
// nothing is stored unredacted.
func TestBadInputHTTP(t *testing.T) {
	env := newOpsEnv(t, func(c *Config) { c.MaxTextBytes = 64 << 10; c.MaxUploadBytes = 256 << 10 })
	fileJSON := func(name, content string) string {
		b, _ := json.Marshal(map[string]any{"files": []map[string]string{{"name": name, "content": content}}})
		return string(b)
	}
	huge := strings.Repeat("x = 1\n", 200<<10/6)
	deep := strings.Repeat(`{"files":`, 100000) + "1" + strings.Repeat("}", 100000)
	mpDB, ctDB := multipartBody(t, "files", "runtime.db", notAutoGenDB(t))
	mpBomb, ctBomb := multipartBody(t, "files", "logs.zip", gzipBomb(t, 8<<20))
	mpTrav, ctTrav := multipartBody(t, "files", "../../etc/passwd", []byte(smallAgent))
	mpBig, ctBig := multipartBody(t, "files", "big.py", []byte(huge+huge))
	const script = `<script>alert(1)</script>`
	tests := []struct {
		name, method, path, ct string
		body                   string
		header                 []string
		want                   []int
		notInBody              []string
	}{
		{"empty api", "POST", "/api/v1/diagnose", jsonCT, "", nil, []int{400}, nil},
		{"empty json object", "POST", "/api/v1/diagnose", jsonCT, "{}", nil, []int{400}, nil},
		{"no content type", "POST", "/api/v1/diagnose", "", diagnoseBody(smallAgent), nil, []int{415}, nil},
		{"huge api", "POST", "/api/v1/diagnose", jsonCT, fileJSON("a.py", huge+huge+huge), nil, []int{413}, nil},
		{"huge save", "POST", "/api/v1/reports", jsonCT, fileJSON("a.py", huge+huge+huge), nil, []int{413}, nil},
		{"huge wizard form", "POST", "/diagnose", "application/x-www-form-urlencoded", url.Values{"paste": {huge + huge}}.Encode(), nil, []int{413}, nil},
		{"huge upload", "POST", "/api/v1/diagnose", ctBig, mpBig, nil, []int{413}, nil},
		{"huge budget", "POST", "/budget", "application/x-www-form-urlencoded", url.Values{"code": {strings.Repeat(huge, 20)}}.Encode(), nil, []int{413}, nil},
		{"binary", "POST", "/api/v1/diagnose", jsonCT, fileJSON("blob.bin", "\x00\x01\x02\xff\xfe binary"), nil, []int{200, 400, 415}, nil},
		{"invalid utf-8", "POST", "/api/v1/diagnose", jsonCT, "{\"files\":[{\"name\":\"a.py\",\"content\":\"x = '\xff\xfe\xc3'\"}]}", nil, []int{200, 400}, nil},
		{"invalid utf-8 save", "POST", "/api/v1/reports", jsonCT, "{\"files\":[{\"name\":\"a.py\",\"content\":\"x = '\xff\xfe\xc3'\"}]}", nil, []int{201, 400}, nil},
		{"deeply nested json", "POST", "/api/v1/diagnose", jsonCT, deep, nil, []int{400, 413}, nil},
		{"sqlite not a runtime log", "POST", "/api/v1/diagnose", ctDB, mpDB, nil, []int{200, 400, 415, 422}, nil},
		{"zip bomb upload", "POST", "/api/v1/diagnose", ctBomb, mpBomb, nil, []int{400, 413, 415}, nil},
		{"gzip content-encoding bomb", "POST", "/api/v1/diagnose", jsonCT, string(gzipBomb(t, 64<<20)), []string{"Content-Encoding", "gzip"}, []int{400, 415}, nil},
		{"script in content", "POST", "/diagnose", "application/x-www-form-urlencoded", url.Values{"paste": {"# " + script + "\n" + smallAgent}, "step": {"result"}}.Encode(), nil, []int{200}, []string{script}},
		{"script in file name", "POST", "/api/v1/diagnose", jsonCT, fileJSON(script+".py", smallAgent), nil, []int{200, 400}, []string{script}},
		{"script in wizard query", "GET", "/diagnose?error=" + url.QueryEscape(script), "", "", nil, []int{200}, []string{script}},
		{"script in search", "GET", "/search?q=" + url.QueryEscape(script), "", "", nil, []int{200}, []string{script}},
		{"template injection", "POST", "/diagnose", "application/x-www-form-urlencoded", url.Values{"paste": {"x = '{{.}} ${{7*7}} {{template \"x\"}}'\n" + smallAgent}, "step": {"result"}}.Encode(), nil, []int{200}, nil},
		{"template injection budget", "POST", "/budget", "application/x-www-form-urlencoded", url.Values{"code": {"{{.}} ${{7*7}}"}}.Encode(), nil, []int{200, 400}, nil},
		{"path traversal upload", "POST", "/api/v1/diagnose", ctTrav, mpTrav, nil, []int{200, 400, 415}, []string{"root:x:0"}},
		{"path traversal json name", "POST", "/api/v1/reports", jsonCT, fileJSON("../../etc/passwd", smallAgent), nil, []int{201, 400}, []string{"root:x:0"}},
		{"path traversal report id", "GET", "/reports/..%2F..%2Fetc%2Fpasswd", "", "", nil, []int{404}, []string{"root:x:0"}},
		{"path traversal static", "GET", "/static/..%2F..%2Fgo.mod", "", "", nil, []int{404}, []string{"module "}},
		{"huge vote (global body cap)", "POST", "/votes", "application/x-www-form-urlencoded", "rule=" + strings.Repeat("A", 300<<10), nil, []int{413}, nil},
		{"vote over the small-form cap", "POST", "/votes", "application/x-www-form-urlencoded", "rule=" + strings.Repeat("A", 100<<10), nil, []int{413}, nil},
		{"bad report id", "GET", "/api/v1/reports/%00%ff", "", "", nil, []int{400, 404}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := append([]string{}, tt.header...)
			if tt.ct != "" {
				h = append(h, "Content-Type", tt.ct)
			}
			rec := env.req(t, tt.method, tt.path, tt.body, h...)
			ok := false
			for _, w := range tt.want {
				ok = ok || rec.Code == w
			}
			if !ok {
				t.Errorf("status %d, want one of %v; body %.300s", rec.Code, tt.want, rec.Body)
			}
			for _, bad := range tt.notInBody {
				if strings.Contains(rec.Body.String(), bad) {
					t.Errorf("body holds %q unescaped", bad)
				}
			}
			if rec.Code >= 400 && rec.Code < 500 {
				if strings.HasPrefix(tt.path, "/api/") {
					var e map[string]any
					if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e["error"] == "" {
						t.Errorf("API %d without a JSON error: %.200s", rec.Code, rec.Body)
					}
				}
				if strings.Contains(rec.Body.String(), "goroutine ") || strings.Contains(rec.Body.String(), ".go:") {
					t.Errorf("error shows internals: %.300s", rec.Body)
				}
			}
		})
	}
	// The server is still healthy and the template payload was not evaluated.
	if rec := env.req(t, "GET", "/healthz", ""); rec.Code != 200 {
		t.Errorf("healthz after bad input: %d", rec.Code)
	}
	if strings.Contains(env.logs.String(), "panic") {
		t.Errorf("a bad input panicked:\n%s", env.logs)
	}
}

// randomKey makes a key that looks real (random, no "fake" marker), so the
// redactor cannot wave it through as a placeholder.
func randomKey(prefix string, n int, alphabet string) string {
	b := []byte(prefix)
	for range n {
		b = append(b, alphabet[rand.IntN(len(alphabet))])
	}
	return string(b)
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// secretSet is a batch of keys of every supported shape, plus a text that
// holds them all the way people paste them.
func secretSet() ([]string, string) {
	keys := []string{
		randomKey("sk-proj-", 48, alnum),
		randomKey("sk-ant-api03-", 60, alnum),
		randomKey("AIza", 35, alnum),
		randomKey("gsk_", 52, alnum),
		randomKey("", 32, "0123456789abcdef"),
		randomKey("", 40, alnum),
	}
	text := "import os\nfrom autogen import AssistantAgent\n" +
		"config_list = [{\"model\": \"gpt-4o\", \"api_key\": \"" + keys[0] + "\"},\n" +
		"  {\"model\": \"claude-3-5-sonnet\", \"api_key\": \"" + keys[1] + "\", \"api_type\": \"anthropic\"},\n" +
		"  {\"model\": \"gemini-1.5-pro\", \"api_key\": \"" + keys[2] + "\", \"api_type\": \"google\"},\n" +
		"  {\"model\": \"llama3-70b\", \"api_key\": \"" + keys[3] + "\", \"base_url\": \"https://api.groq.com/openai/v1\"},\n" +
		"  {\"model\": \"gpt-4\", \"api_type\": \"azure\", \"api_key\": \"" + keys[4] + "\", \"base_url\": \"https://x.openai.azure.com\"}]\n" +
		"headers = {\"Authorization\": \"Bearer " + keys[5] + "\"}\n" +
		"llm_config = {\"config_list\": config_list}\n" +
		"a = AssistantAgent(\"a\", llm_config=llm_config)\n" +
		"# openai.RateLimitError: Error code: 429 - Rate limit reached for gpt-4o, key " + keys[0] + "\n"
	return keys, text
}

// TestSecretsNeverLeak posts text full of keys through every route (wizard
// steps, recognise, save, API diagnose and reports, report pages and
// exports, budget, votes, search, login) and greps every response, every
// file of the store and the logs.
func TestSecretsNeverLeak(t *testing.T) {
	env := newOpsEnv(t, nil)
	keys, text := secretSet()
	errText := "openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached', 'key': '" + keys[0] + "'}} Authorization: Bearer " + keys[5]
	var responses []string
	keep := func(what string, rec *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		if rec.Code >= 500 {
			t.Errorf("%s: %d", what, rec.Code)
		}
		var hdr strings.Builder
		rec.Header().Write(&hdr)
		responses = append(responses, what+"\n"+hdr.String()+rec.Body.String())
		return rec
	}
	form := "application/x-www-form-urlencoded"
	wiz := url.Values{"error": {errText}, "log": {errText}, "paste": {text}, "paste_name": {"agents.py"}}
	for _, step := range []string{"seeing", "setup", "log", "result"} {
		v := url.Values{}
		for k, vv := range wiz {
			v[k] = vv
		}
		v.Set("step", step)
		keep("wizard POST "+step, env.req(t, "POST", "/diagnose", v.Encode(), "Content-Type", form))
		keep("wizard GET "+step, env.req(t, "GET", "/diagnose?"+v.Encode(), ""))
	}
	keep("recognize", env.req(t, "POST", "/diagnose/recognize", wiz.Encode(), "Content-Type", form))
	keep("recognize setup", env.req(t, "POST", "/diagnose/recognize?part=setup", wiz.Encode(), "Content-Type", form))
	keep("save from wizard", env.req(t, "POST", "/reports", wiz.Encode(), "Content-Type", form))
	keep("api diagnose", env.req(t, "POST", "/api/v1/diagnose", diagnoseBody(text), "Content-Type", jsonCT))
	body, ct := multipartBody(t, "files", "agents.py", []byte(text))
	keep("api diagnose multipart", env.req(t, "POST", "/api/v1/diagnose", body, "Content-Type", ct))
	apiBody, _ := json.Marshal(map[string]any{"title": "key " + keys[3], "files": []map[string]string{{"name": "agents.py", "content": text}, {"name": "run.log", "content": errText}}})
	rec := keep("api save", env.req(t, "POST", "/api/v1/reports", string(apiBody), "Content-Type", jsonCT))
	var saved SavedJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); err != nil || saved.ID == "" {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	for _, p := range []string{"/reports/" + saved.ID, "/reports/" + saved.ID + ".json", "/reports/" + saved.ID + ".md", "/api/v1/reports/" + saved.ID} {
		if rec := keep(p, env.req(t, "GET", p, "")); rec.Code != 200 {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
	keep("budget POST", env.req(t, "POST", "/budget", url.Values{"code": {text}, "rpm": {"3"}}.Encode(), "Content-Type", form))
	keep("budget GET", env.req(t, "GET", "/budget?"+url.Values{"code": {text}, "go": {"1"}}.Encode(), ""))
	keep("vote", env.req(t, "POST", "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"yes"}, "back": {"/x?" + keys[0]}}.Encode(), "Content-Type", form))
	keep("search", env.req(t, "GET", "/search?q="+url.QueryEscape(keys[0]), ""))
	keep("delete wrong token", env.req(t, "POST", "/reports/"+saved.ID+"/delete", url.Values{"token": {keys[0]}}.Encode(), "Content-Type", form))
	keep("metrics", env.req(t, "GET", "/metrics", ""))

	var stored []byte
	filepath.WalkDir(env.dataDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			stored = append(stored, b...)
		}
		return nil
	})
	if len(stored) == 0 {
		t.Fatal("store files are empty")
	}
	logs := env.logs.String()
	for _, k := range keys {
		for _, r := range responses {
			if strings.Contains(r, k) {
				t.Errorf("key %s…%s appears in response %q", k[:6], k[len(k)-4:], strings.SplitN(r, "\n", 2)[0])
			}
		}
		if bytes.Contains(stored, []byte(k)) {
			t.Errorf("key %s…%s is in the store's files", k[:6], k[len(k)-4:])
		}
		if strings.Contains(logs, k) {
			t.Errorf("key %s…%s is in the logs", k[:6], k[len(k)-4:])
		}
	}
}
