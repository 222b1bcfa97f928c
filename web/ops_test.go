package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// syncBuffer collects logs written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// opsEnv is a server with a real SQLite store and captured JSON logs.
type opsEnv struct {
	srv     *Server
	store   store.Store
	dataDir string
	logs    *syncBuffer
}

func newOpsEnv(t testing.TB, mut func(*Config)) *opsEnv {
	t.Helper()
	cfg := DefaultConfig()
	cfg.LogRequests = true
	cfg.LogFormat = "json"
	cfg.LogLevel = "debug"
	cfg.RateLimit = 0
	if mut != nil {
		mut(&cfg)
	}
	dir := t.TempDir()
	st, err := store.OpenSQLite(context.Background(), dir, store.Options{Redact: redact.String})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	logs := &syncBuffer{}
	srv, err := New(cfg, Deps{Library: testLibrary(t), Logger: NewLogger(cfg, logs), Store: st})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &opsEnv{srv: srv, store: st, dataDir: dir, logs: logs}
}

// req is one request through the whole stack. Headers come as pairs;
// "RemoteAddr" sets the direct peer.
func (e *opsEnv) req(t testing.TB, method, target, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "RemoteAddr" {
			req.RemoteAddr = header[i+1]
			continue
		}
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// diagnoseBody is an API body with one small Python file.
func diagnoseBody(content string) string {
	b, _ := json.Marshal(map[string]any{"files": []map[string]string{{"name": "agents.py", "content": content}}})
	return string(b)
}

const smallAgent = "from autogen import AssistantAgent\nllm_config = {\"config_list\": [{\"model\": \"gpt-4o\"}]}\na = AssistantAgent(\"a\", llm_config=llm_config)\n"

const jsonCT = "application/json"

// TestConfigTableComplete: every Config field has a settings row (so a flag
// and an RLD_ variable), every row a field, and --help lists each flag with
// its variable.
func TestConfigTableComplete(t *testing.T) {
	rows := map[string]bool{}
	for _, s := range settings {
		if rows[s.name] {
			t.Errorf("setting %q appears twice", s.name)
		}
		rows[s.name] = true
		if _, ok := configField(s.name); !ok {
			t.Errorf("setting %q has no Config field", s.name)
		}
	}
	typ := reflect.TypeFor[Config]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		found := false
		for name := range rows {
			if g, ok := configField(name); ok && g.Name == f.Name {
				found = true
			}
		}
		if !found {
			t.Errorf("Config.%s has no row in settings (no flag, no env variable)", f.Name)
		}
	}
	var help bytes.Buffer
	if _, err := LoadConfig([]string{"--help"}, func(string) string { return "" }, &help); err != ErrHelp {
		t.Fatalf("--help: %v", err)
	}
	for name := range rows {
		if !strings.Contains(help.String(), "-"+name+" ") || !strings.Contains(help.String(), EnvName(name)) {
			t.Errorf("--help does not list -%s with %s", name, EnvName(name))
		}
	}
	for _, want := range []string{"(default localhost:8080)", "(default 30)", "(default X-Forwarded-User)", "(default none)"} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "users")
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	os.WriteFile(good, []byte("# team\nana:"+string(hash)+"\n"), 0o600)
	md5 := filepath.Join(dir, "md5")
	os.WriteFile(md5, []byte("ana:$apr1$abc$defghijklmnopqrstuvwx\n"), 0o600)
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // "" = valid
		check   func(Config) bool
	}{
		{name: "defaults", check: func(c Config) bool { return c.Auth == AuthNone && c.PublicArticles && c.RateLimit == 30 }},
		{name: "token from env", args: []string{"--auth", "token"}, env: map[string]string{"RLD_AUTH_TOKEN": "0123456789abcdefXYZ"},
			check: func(c Config) bool { return c.AuthToken == "0123456789abcdefXYZ" }},
		{name: "token missing", args: []string{"--auth", "token"}, wantErr: "--auth-token"},
		{name: "token short", args: []string{"--auth", "token", "--auth-token", "short"}, wantErr: "at least 16"},
		{name: "token without mode", args: []string{"--auth-token", "0123456789abcdefXYZ"}, wantErr: "--auth is not token"},
		{name: "basic ok", args: []string{"--auth", "basic", "--auth-file", good}},
		{name: "basic no file", args: []string{"--auth", "basic"}, wantErr: "--auth-file"},
		{name: "basic missing file", args: []string{"--auth", "basic", "--auth-file", filepath.Join(dir, "nope")}, wantErr: "no such file"},
		{name: "basic md5 refused", args: []string{"--auth", "basic", "--auth-file", md5}, wantErr: "not a bcrypt hash"},
		{name: "proxy needs trusted", args: []string{"--auth", "proxy-header"}, wantErr: "--trusted-proxies"},
		{name: "proxy ok", args: []string{"--auth", "proxy-header", "--trusted-proxies", "10.0.0.0/8, 192.168.1.5", "--auth-header", "x-auth-user"},
			check: func(c Config) bool { return len(c.TrustedProxies) == 2 && c.AuthHeader == "X-Auth-User" }},
		{name: "bad mode", args: []string{"--auth", "oauth"}, wantErr: "want none, token"},
		{name: "bad cidr", args: []string{"--trusted-proxies", "10.0.0.0/33"}, wantErr: "CIDR"},
		{name: "bad base url", args: []string{"--base-url", "rld.example.com"}, wantErr: "absolute"},
		{name: "base url trailing slash", args: []string{"--base-url", "https://rld.example.com/"},
			check: func(c Config) bool { return c.BaseURL == "https://rld.example.com" }},
		{name: "negative rate", args: []string{"--rate-limit", "-1"}, wantErr: "per minute"},
		{name: "rate off", args: []string{"--rate-limit", "0"}, check: func(c Config) bool { return c.RateLimit == 0 }},
		{name: "bad level", env: map[string]string{"RLD_LOG_LEVEL": "loud"}, wantErr: "RLD_LOG_LEVEL"},
		{name: "bad format", args: []string{"--log-format", "xml"}, wantErr: "text or json"},
		{name: "reload needs dir", args: []string{"--content-reload", "true"}, wantErr: "--content-dir"},
		{name: "flag wins", args: []string{"--rate-limit", "5"}, env: map[string]string{"RLD_RATE_LIMIT": "9"},
			check: func(c Config) bool { return c.RateLimit == 5 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(tt.args, env(tt.env), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil && !tt.check(cfg) {
				t.Errorf("config %+v fails the check", cfg)
			}
		})
	}
}

// TestAccessControl runs each mode with and without credentials, from
// trusted and untrusted addresses.
func TestAccessControl(t *testing.T) {
	const token = "team-token-0123456789"
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret pass"), bcrypt.MinCost)
	if err := os.WriteFile(users, []byte("ana:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	basic := func(u, p string) string {
		r := httptest.NewRequest("GET", "/", nil)
		r.SetBasicAuth(u, p)
		return r.Header.Get("Authorization")
	}
	const (
		trusted   = "10.1.2.3:5555"
		untrusted = "203.0.113.9:5555"
	)
	type check struct {
		name, method, path string
		header             []string
		want               int
		wantLoc            string // Location prefix for redirects
		wantChallenge      string // WWW-Authenticate prefix
	}
	api := func(name string, h []string, want int) check {
		return check{name: name, method: "POST", path: "/api/v1/diagnose", header: append([]string{"Content-Type", jsonCT}, h...), want: want}
	}
	modes := []struct {
		name   string
		mut    func(*Config)
		checks []check
	}{
		{"none", func(c *Config) {}, []check{
			{name: "wizard open", method: "GET", path: "/diagnose", want: 200},
			api("api open", nil, 200),
			{name: "metrics open", method: "GET", path: "/metrics", want: 200},
		}},
		{"token", func(c *Config) { c.Auth, c.AuthToken = AuthToken, token }, []check{
			{name: "articles public", method: "GET", path: "/articles", want: 200},
			{name: "article public", method: "GET", path: "/articles/agent-loops", want: 200},
			{name: "healthz open", method: "GET", path: "/healthz", want: 200},
			{name: "readyz open", method: "GET", path: "/readyz", want: 200},
			{name: "login open", method: "GET", path: "/login", want: 200},
			{name: "wizard redirects to login", method: "GET", path: "/diagnose?error=pasted", want: 303, wantLoc: "/login?next=%2Fdiagnose"},
			{name: "rules protected", method: "GET", path: "/rules", want: 303, wantLoc: "/login"},
			{name: "wizard with bearer", method: "GET", path: "/diagnose", header: []string{"Authorization", "Bearer " + token}, want: 200},
			{name: "wizard wrong bearer", method: "GET", path: "/diagnose", header: []string{"Authorization", "Bearer " + token + "x"}, want: 303},
			{name: "session cookie", method: "GET", path: "/diagnose", header: []string{"Cookie", sessionCookie + "=" + sessionValue(token)}, want: 200},
			{name: "token as cookie refused", method: "GET", path: "/diagnose", header: []string{"Cookie", sessionCookie + "=" + token}, want: 303},
			api("api without token", nil, 401),
			api("api with token", []string{"Authorization", "Bearer " + token}, 200),
			{name: "api reports protected", method: "GET", path: "/api/v1/reports/aaaaaaaaaaaaaaaaaaaaaaaaaa", want: 401, wantChallenge: "Bearer"},
			{name: "metrics protected", method: "GET", path: "/metrics", want: 401},
			{name: "metrics with token", method: "GET", path: "/metrics", header: []string{"Authorization", "Bearer " + token}, want: 200},
		}},
		{"token, metrics public, articles private", func(c *Config) {
			c.Auth, c.AuthToken, c.MetricsPublic, c.PublicArticles = AuthToken, token, true, false
		}, []check{
			{name: "metrics open", method: "GET", path: "/metrics", want: 200},
			{name: "articles need login", method: "GET", path: "/articles", want: 303, wantLoc: "/login"},
			{name: "article api needs token", method: "GET", path: "/api/v1/articles", want: 401},
			{name: "static stays open", method: "GET", path: "/favicon.ico", want: 301},
			{name: "healthz open", method: "GET", path: "/healthz", want: 200},
		}},
		{"basic", func(c *Config) { c.Auth, c.AuthFile = AuthBasic, users }, []check{
			{name: "articles public", method: "GET", path: "/articles", want: 200},
			{name: "wizard challenge", method: "GET", path: "/diagnose", want: 401, wantChallenge: "Basic realm="},
			{name: "wizard right", method: "GET", path: "/diagnose", header: []string{"Authorization", basic("ana", "s3cret pass")}, want: 200},
			{name: "wizard right again (cached)", method: "GET", path: "/diagnose", header: []string{"Authorization", basic("ana", "s3cret pass")}, want: 200},
			{name: "wrong password", method: "GET", path: "/diagnose", header: []string{"Authorization", basic("ana", "s3cret")}, want: 401},
			{name: "unknown user", method: "GET", path: "/diagnose", header: []string{"Authorization", basic("bob", "s3cret pass")}, want: 401},
			api("api no creds", nil, 401),
			api("api creds", []string{"Authorization", basic("ana", "s3cret pass")}, 200),
		}},
		{"proxy-header", func(c *Config) {
			c.Auth = AuthProxyHeader
			c.TrustedProxies = mustPrefixes(t, "10.0.0.0/8")
		}, []check{
			{name: "trusted with user", method: "GET", path: "/diagnose", header: []string{"RemoteAddr", trusted, "X-Forwarded-User", "ana"}, want: 200},
			{name: "trusted without user", method: "GET", path: "/diagnose", header: []string{"RemoteAddr", trusted}, want: 401},
			{name: "untrusted with user", method: "GET", path: "/diagnose", header: []string{"RemoteAddr", untrusted, "X-Forwarded-User", "ana"}, want: 401},
			{name: "untrusted spoofing XFF", method: "GET", path: "/diagnose", header: []string{"RemoteAddr", untrusted, "X-Forwarded-For", "10.9.9.9", "X-Forwarded-User", "ana"}, want: 401},
			{name: "loopback is not trusted by default", method: "GET", path: "/diagnose", header: []string{"RemoteAddr", "127.0.0.1:1", "X-Forwarded-User", "ana"}, want: 401},
			{name: "articles public from anywhere", method: "GET", path: "/articles", header: []string{"RemoteAddr", untrusted}, want: 200},
			api("api trusted", []string{"RemoteAddr", trusted, "X-Forwarded-User", "ana"}, 200),
			api("api untrusted", []string{"RemoteAddr", untrusted, "X-Forwarded-User", "ana"}, 401),
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			env := newOpsEnv(t, m.mut)
			for _, c := range m.checks {
				body := ""
				if c.method == "POST" {
					body = diagnoseBody(smallAgent)
				}
				rec := env.req(t, c.method, c.path, body, c.header...)
				if rec.Code != c.want {
					t.Errorf("%s: %s %s = %d, want %d", c.name, c.method, c.path, rec.Code, c.want)
					continue
				}
				if c.wantLoc != "" && !strings.HasPrefix(rec.Header().Get("Location"), c.wantLoc) {
					t.Errorf("%s: Location %q, want prefix %q", c.name, rec.Header().Get("Location"), c.wantLoc)
				}
				if c.wantChallenge != "" && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), c.wantChallenge) {
					t.Errorf("%s: WWW-Authenticate %q, want %q", c.name, rec.Header().Get("WWW-Authenticate"), c.wantChallenge)
				}
				if rec.Code == 401 && strings.HasPrefix(c.path, "/api/") && !strings.Contains(rec.Header().Get("Content-Type"), "json") {
					t.Errorf("%s: API 401 is %q, want JSON", c.name, rec.Header().Get("Content-Type"))
				}
			}
		})
	}
}

func mustPrefixes(t testing.TB, s string) []netip.Prefix {
	t.Helper()
	var c Config
	if err := setTrustedProxies(&c, s); err != nil {
		t.Fatal(err)
	}
	return c.TrustedProxies
}

// TestLoginForm: a right token sets an HttpOnly, SameSite=Lax cookie that
// holds an HMAC (never the token) and redirects to next; a wrong one does not;
// next cannot leave the site.
func TestLoginForm(t *testing.T) {
	const token = "team-token-0123456789"
	env := newOpsEnv(t, func(c *Config) {
		c.Auth, c.AuthToken, c.BaseURL = AuthToken, token, "https://rld.example.com"
	})
	form := func(tok, next string) string { return url.Values{"token": {tok}, "next": {next}}.Encode() }
	ct := "application/x-www-form-urlencoded"

	rec := env.req(t, "POST", "/login", form("nope-nope-nope-nope", "/diagnose"), "Content-Type", ct)
	if rec.Code != 401 || rec.Header().Get("Set-Cookie") != "" {
		t.Fatalf("wrong token: %d, cookie %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	rec = env.req(t, "POST", "/login", form(token, "/rules"), "Content-Type", ct)
	if rec.Code != 303 || rec.Header().Get("Location") != "/rules" {
		t.Fatalf("right token: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	ck := rec.Header().Get("Set-Cookie")
	for _, want := range []string{sessionCookie + "=" + sessionValue(token), "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, token) {
		t.Errorf("cookie holds the token itself: %q", ck)
	}
	for _, next := range []string{"//evil.example/x", "https://evil.example", `/\evil.example`} {
		rec = env.req(t, "POST", "/login", form(token, next), "Content-Type", ct)
		if loc := rec.Header().Get("Location"); loc != "/diagnose" {
			t.Errorf("next %q redirected to %q, want /diagnose", next, loc)
		}
	}
	// A cross-site login post is refused too (login CSRF).
	rec = env.req(t, "POST", "/login", form(token, "/"), "Content-Type", ct, "Sec-Fetch-Site", "cross-site")
	if rec.Code != 403 {
		t.Errorf("cross-site login: %d, want 403", rec.Code)
	}
}

// TestCSRF: a cross-site form post is refused with 403; same-origin posts,
// API clients without browser headers, and the --base-url origin pass.
func TestCSRF(t *testing.T) {
	env := newOpsEnv(t, func(c *Config) { c.BaseURL = "https://rld.example.com" })
	form := url.Values{"paste": {smallAgent}}.Encode()
	fct := "application/x-www-form-urlencoded"
	tests := []struct {
		name, path, body, ct string
		header               []string
		refused              bool
	}{
		{"cross-site form", "/diagnose", form, fct, []string{"Sec-Fetch-Site", "cross-site"}, true},
		{"cross-site origin only", "/diagnose", form, fct, []string{"Origin", "https://evil.example"}, true},
		{"cross-site api from a browser", "/api/v1/diagnose", diagnoseBody(smallAgent), jsonCT, []string{"Sec-Fetch-Site", "cross-site"}, true},
		{"cross-site vote", "/votes", "rule=RLD1001&fixed=yes", fct, []string{"Sec-Fetch-Site", "same-site"}, true},
		{"same-origin form", "/diagnose", form, fct, []string{"Sec-Fetch-Site", "same-origin"}, false},
		{"same host origin", "/diagnose", form, fct, []string{"Origin", "http://example.com"}, false},
		{"base-url origin behind a proxy", "/diagnose", form, fct, []string{"Origin", "https://rld.example.com"}, false},
		{"api client, no browser headers", "/api/v1/diagnose", diagnoseBody(smallAgent), jsonCT, nil, false},
	}
	for _, tt := range tests {
		rec := env.req(t, "POST", tt.path, tt.body, append([]string{"Content-Type", tt.ct}, tt.header...)...)
		if tt.refused != (rec.Code == http.StatusForbidden) {
			t.Errorf("%s: status %d, refused want %v", tt.name, rec.Code, tt.refused)
		}
		if rec.Code >= 500 {
			t.Errorf("%s: status %d", tt.name, rec.Code)
		}
	}
	// GETs are never checked (they must not change anything).
	if rec := env.req(t, "GET", "/diagnose", "", "Sec-Fetch-Site", "cross-site"); rec.Code != 200 {
		t.Errorf("cross-site GET: %d", rec.Code)
	}
}

// TestRateLimit: past the per-minute budget a client gets 429 with
// Retry-After and a link to the article; other clients are unaffected;
// X-Forwarded-For counts only from trusted proxies.
func TestRateLimit(t *testing.T) {
	env := newOpsEnv(t, func(c *Config) { c.RateLimit = 3 })
	post := func(addr string, extra ...string) *httptest.ResponseRecorder {
		return env.req(t, "POST", "/api/v1/diagnose", diagnoseBody(smallAgent), append([]string{"Content-Type", jsonCT, "RemoteAddr", addr}, extra...)...)
	}
	for i := range 3 {
		if rec := post("192.0.2.7:1"); rec.Code != 200 {
			t.Fatalf("post %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	rec := post("192.0.2.7:2")
	if rec.Code != 429 {
		t.Fatalf("4th post: %d, want 429", rec.Code)
	}
	ra, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After %q, want 1..60 seconds", rec.Header().Get("Retry-After"))
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["article"] != rateLimitArticle || body["error"] == "" {
		t.Errorf("429 body %s (err %v)", rec.Body, err)
	}
	// Spoofed X-Forwarded-For from an untrusted peer does not buy a new bucket.
	if rec := post("192.0.2.7:3", "X-Forwarded-For", "198.51.100.1"); rec.Code != 429 {
		t.Errorf("spoofed XFF: %d, want 429", rec.Code)
	}
	if rec := post("192.0.2.8:1"); rec.Code != 200 {
		t.Errorf("another client: %d, want 200", rec.Code)
	}
	// The HTML side answers a page linking the article.
	rec = env.req(t, "POST", "/diagnose", url.Values{"step": {"results"}, "paste": {"x"}}.Encode(), "Content-Type", "application/x-www-form-urlencoded", "RemoteAddr", "192.0.2.7:4")
	if rec.Code != 429 || !strings.Contains(rec.Body.String(), `href="`+rateLimitArticle+`"`) || rec.Header().Get("Retry-After") == "" {
		t.Errorf("HTML 429: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	// The wizard's live preview is not a diagnosis of its own.
	if rec := env.req(t, "POST", "/diagnose/recognize", url.Values{"error": {"429"}}.Encode(), "Content-Type", "application/x-www-form-urlencoded", "RemoteAddr", "192.0.2.7:6"); rec.Code == 429 {
		t.Errorf("recognize preview limited")
	}
	// Reading is never limited.
	if rec := env.req(t, "GET", "/articles", "", "RemoteAddr", "192.0.2.7:5"); rec.Code != 200 {
		t.Errorf("GET while limited: %d", rec.Code)
	}

	// Behind trusted proxies, each forwarded client has its own bucket.
	env = newOpsEnv(t, func(c *Config) { c.RateLimit = 1; c.TrustedProxies = mustPrefixes(t, "10.0.0.1/32") })
	for _, client := range []string{"198.51.100.1", "198.51.100.2"} {
		if rec := post("10.0.0.1:9", "X-Forwarded-For", client); rec.Code != 200 {
			t.Errorf("client %s via proxy: %d", client, rec.Code)
		}
	}
	if rec := post("10.0.0.1:9", "X-Forwarded-For", "198.51.100.1"); rec.Code != 429 {
		t.Errorf("client 1 again via proxy: %d, want 429", rec.Code)
	}
}

// TestRateLimitSpendsOnlyOnEngine: what neither runs the engine nor writes
// to the store is never limited (the error read-back, moving between the
// wizard's first steps); what does (classifying pastes, the results step,
// votes) is. A whole wizard walk costs one token.
func TestRateLimitSpendsOnlyOnEngine(t *testing.T) {
	env := newOpsEnv(t, func(c *Config) { c.RateLimit = 1 })
	form := func(addr, target string, v url.Values) int {
		t.Helper()
		return env.req(t, "POST", target, v.Encode(), "Content-Type", "application/x-www-form-urlencoded", "RemoteAddr", addr).Code
	}
	// One client walks the wizard with JavaScript: previews as it types,
	// the steps, then the results. Only the results spend its one token.
	walker := "192.0.2.20:1"
	steps := []struct {
		target string
		v      url.Values
	}{
		{"/diagnose/recognize", url.Values{"error": {quotaTraceback}}},
		{"/diagnose/recognize", url.Values{"error": {quotaTraceback + "\n"}}},
		{"/diagnose", url.Values{"step": {"setup"}, "error": {quotaTraceback}}},
		{"/diagnose", url.Values{"step": {"seeing"}, "error": {quotaTraceback}}},
		{"/diagnose", url.Values{"step": {"happened"}, "error": {quotaTraceback}}},
		{"/diagnose", url.Values{"step": {"results"}, "error": {quotaTraceback}}},
	}
	for i, st := range steps {
		if code := form(walker, st.target, st.v); code != 200 {
			t.Fatalf("walk %d %s %v: %d", i, st.target, st.v.Get("step"), code)
		}
	}
	// Its token is spent: the free requests still answer, the costly ones 429.
	for i, st := range steps[:5] {
		if code := form(walker, st.target, st.v); code != 200 {
			t.Errorf("free request %d after the token was spent: %d", i, code)
		}
	}
	costly := []struct {
		name, target string
		v            url.Values
	}{
		{"results", "/diagnose", url.Values{"step": {"results"}, "error": {quotaTraceback}}},
		{"happened with a paste", "/diagnose", url.Values{"step": {"happened"}, "paste": {smallAgent}}},
		{"classify pastes", "/diagnose/recognize?part=setup", url.Values{"paste": {smallAgent}}},
		{"vote", "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"yes"}}},
	}
	for _, c := range costly {
		if code := form(walker, c.target, c.v); code != 429 {
			t.Errorf("%s with no token left: %d, want 429", c.name, code)
		}
	}
	// Reading back pastes with none in the form runs nothing: free.
	if code := form(walker, "/diagnose/recognize?part=setup", url.Values{"paste": {""}}); code != 200 {
		t.Errorf("empty setup preview: %d", code)
	}
}

func TestLimiterBounded(t *testing.T) {
	l := newLimiter(60)
	now := time.Unix(1e9, 0)
	l.now = func() time.Time { return now }
	for i := range maxClients + 10 {
		now = now.Add(time.Microsecond)
		if ok, _ := l.allow("c" + strconv.Itoa(i)); !ok {
			t.Fatalf("first request of client %d refused", i)
		}
	}
	if n := l.size(); n > maxClients {
		t.Errorf("limiter holds %d clients, bound %d", n, maxClients)
	}
	// A client that used its whole burst is still remembered after eviction
	// of idle ones... its bucket must not be reset by map churn.
	for range 60 {
		l.allow("busy")
	}
	if ok, wait := l.allow("busy"); ok || wait <= 0 {
		t.Errorf("busy client allowed (%v, %v)", ok, wait)
	}
}

// TestMetrics: requests are counted by route template (never the raw path),
// diagnoses by cause, the store size and build info are exported.
func TestMetrics(t *testing.T) {
	env := newOpsEnv(t, nil)
	env.req(t, "GET", "/articles/agent-loops", "")
	env.req(t, "GET", "/reports/abcdefghijklmnopqrstuvwxyz", "")
	env.req(t, "GET", "/no/such/page-with-secret-sk-proj-zzzz", "")
	env.srv.ObserveDiagnosis(nil)
	for range 2 {
		if rec := env.req(t, "POST", "/api/v1/diagnose", diagnoseBody(smallAgent), "Content-Type", jsonCT); rec.Code != 200 {
			t.Fatalf("diagnose: %d", rec.Code)
		}
	}
	rec := env.req(t, "GET", "/metrics", "")
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`rld_http_requests_total{method="GET",route="/articles/:slug",status="200"} 1`,
		`rld_http_requests_total{method="GET",route="/reports/:id",status="404"} 1`,
		`rld_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`rld_http_request_duration_seconds_bucket{route="/articles/:slug"`,
		`rld_diagnoses_total{cause="loop"} 0`,
		`rld_report_store_reports 0`,
		`go_build_info{`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	counted := 0.0
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "rld_diagnoses_total{") {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			counted += v
		}
	}
	if counted != 2 {
		t.Errorf("rld_diagnoses_total sums to %v, want 2 (one per API diagnosis)", counted)
	}
	for _, leak := range []string{"agent-loops\"", "abcdefghijklmnopqrstuvwxyz", "sk-proj"} {
		if strings.Contains(body, leak) {
			t.Errorf("/metrics leaks a raw path: %s", leak)
		}
	}
}

func TestReadyz(t *testing.T) {
	env := newOpsEnv(t, nil)
	if rec := env.req(t, "GET", "/readyz", ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ok"`) {
		t.Fatalf("/readyz with a store: %d %s", rec.Code, rec.Body)
	}
	env.store.Close()
	rec := env.req(t, "GET", "/readyz", "")
	if rec.Code != 503 || !strings.Contains(rec.Header().Get("Content-Type"), "json") || !strings.Contains(rec.Body.String(), "unreachable") {
		t.Fatalf("/readyz after close: %d %s", rec.Code, rec.Body)
	}
	if rec := env.req(t, "GET", "/healthz", ""); rec.Code != 200 {
		t.Errorf("/healthz: %d", rec.Code)
	}
}

// TestPanicIsLoggedWithoutContent: a panicking handler answers a clean 500
// and the log has the panic's type and stack but not its value or the URL.
func TestPanicIsLoggedWithoutContent(t *testing.T) {
	env := newOpsEnv(t, nil)
	const secret = "sk-proj-PANICKEY1234567890abcdefghij"
	env.srv.echo.GET("/boom", func(c echoContext) error { panic("bad input " + c.QueryParam("q")) })
	for _, path := range []string{"/boom?q=" + secret, "/api/v1/boom?q=" + secret} {
		if strings.HasPrefix(path, "/api/") {
			env.srv.echo.GET("/api/v1/boom", func(c echoContext) error { panic(c.QueryParam("q")) })
		}
		rec := env.req(t, "GET", path, "")
		if rec.Code != 500 || strings.Contains(rec.Body.String(), secret) || strings.Contains(rec.Body.String(), "goroutine") {
			t.Errorf("%s: %d, body leaks detail: %.200s", path, rec.Code, rec.Body)
		}
	}
	logs := env.logs.String()
	if !strings.Contains(logs, "panic in handler") || !strings.Contains(logs, `"panic_type":"string"`) || !strings.Contains(logs, "goroutine") {
		t.Errorf("panic log lacks type or stack:\n%s", logs)
	}
	if strings.Contains(logs, secret) || strings.Contains(logs, "sk-proj") {
		t.Errorf("logs leak the panic value or URL:\n%s", logs)
	}
}

// TestRequestLogLine: one structured line per request with the route
// template, status, duration and client, never the query string.
func TestRequestLogLine(t *testing.T) {
	env := newOpsEnv(t, nil)
	env.req(t, "GET", "/search?q=sk-ant-api03-SECRETSECRETSECRET", "", "RemoteAddr", "192.0.2.44:1234")
	var line map[string]any
	for _, l := range strings.Split(env.logs.String(), "\n") {
		if strings.Contains(l, `"msg":"request"`) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line == nil || line["route"] != "/search" || line["status"] != float64(200) || line["client"] != "192.0.2.44" || line["dur"] == nil {
		t.Errorf("request line %v", line)
	}
	if strings.Contains(env.logs.String(), "SECRET") {
		t.Errorf("log holds the query string")
	}
}

// TestReload: a reload swaps in the new library with its pages rendered
// anew; a broken file keeps the old site and reports file:line.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	article := func(title string) string {
		return "---\ntitle: " + title + "\nslug: team-vpn\nsummary: Our VPN proxy answers 429 when it is busy.\ncause: general\nautogen: [\"0.4\"]\nupdated: 2026-11-25\n---\nCall the network team.\n"
	}
	write("team-vpn.md", article("VPN proxy runbook v1"))
	load := func() (*content.Library, error) {
		return content.Load(content.Options{Builtin: os.DirFS("testdata/articles"), TeamDir: dir})
	}
	lib, err := load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(func() Config { c := DefaultConfig(); c.RateLimit = 0; return c }(), Deps{Library: lib, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	page := func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Body.String()
	}
	if !strings.Contains(page("/articles/team-vpn"), "VPN proxy runbook v1") {
		t.Fatal("team article not served")
	}
	write("team-vpn.md", article("VPN proxy runbook v2"))
	lib2, err := load()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Reload(lib2); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/articles/team-vpn": "runbook v2", "/articles": "runbook v2", "/search?q=VPN": "runbook v2"} {
		if got := page(path); !strings.Contains(got, want) {
			t.Errorf("%s after reload lacks %q", path, want)
		}
	}
	// A broken file: the loader names file:line; the site keeps v2.
	write("team-vpn.md", "---\ntitle: [unclosed\n---\n")
	if _, err := load(); err == nil || !strings.Contains(err.Error(), "team-vpn.md:") {
		t.Errorf("broken file error %v, want file:line", err)
	}
	if !strings.Contains(page("/articles/team-vpn"), "runbook v2") {
		t.Error("old site not kept")
	}
}

// TestWatchContent: editing a file under --content-dir reloads the site;
// a broken edit is logged with file:line and the old pages keep serving.
func TestWatchContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "team-vpn.md")
	article := func(title string) []byte {
		return []byte("---\ntitle: " + title + "\nslug: team-vpn\nsummary: Our VPN proxy answers 429 when it is busy.\ncause: general\nautogen: [\"0.4\"]\nupdated: 2026-11-25\n---\nCall the network team.\n")
	}
	os.WriteFile(path, article("Watched runbook one"), 0o644)
	lib, err := LoadTeamContent(dir)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	srv, err := New(DefaultConfig(), Deps{Library: lib, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	if err := WatchContent(ctx, srv, dir, log, done); err != nil {
		t.Fatal(err)
	}
	page := func() string {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/articles/team-vpn", nil))
		return rec.Body.String()
	}
	wait := func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("no reload within 20s")
			return nil
		}
	}
	os.WriteFile(path, article("Watched runbook two"), 0o644)
	if err := wait(); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if !strings.Contains(page(), "Watched runbook two") {
		t.Error("edit not served after reload")
	}
	os.WriteFile(path, []byte("---\ntitle: x\nslug: team-vpn\ncause: not-a-cause\n---\n"), 0o644)
	if err := wait(); err == nil {
		t.Fatal("broken edit reloaded without error")
	}
	if !strings.Contains(logs.String(), "team-vpn.md:") {
		t.Errorf("log lacks file:line:\n%s", logs)
	}
	if !strings.Contains(page(), "Watched runbook two") {
		t.Error("old article not kept after a broken edit")
	}
}

// TestPermalinkUsesBaseURL: behind a proxy the saved report's URL is the
// public one from --base-url, not the internal Host.
func TestPermalinkUsesBaseURL(t *testing.T) {
	env := newOpsEnv(t, func(c *Config) { c.BaseURL = "https://rld.example.com" })
	rec := env.req(t, "POST", "/api/v1/reports", diagnoseBody(smallAgent), "Content-Type", jsonCT, "Host", "10.0.0.5:8080")
	var saved SavedJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); err != nil || rec.Code != 201 {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	if saved.URL != "https://rld.example.com/reports/"+saved.ID {
		t.Errorf("permalink %q", saved.URL)
	}
}

// TestReloadUnderLoad: reloads while requests are in flight never fail a
// request (run with -race: the swap is one atomic pointer).
func TestReloadUnderLoad(t *testing.T) {
	srv := newTestServer(t)
	h := srv.Handler()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var failed sync.Map
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, p := range []string{"/articles/agent-loops", "/articles", "/search?q=retry"} {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
					if rec.Code != 200 {
						failed.Store(p, rec.Code)
					}
				}
			}
		}()
	}
	for range 5 {
		if err := srv.Reload(testLibrary(t)); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	failed.Range(func(k, v any) bool { t.Errorf("%v answered %v during reload", k, v); return true })
}
