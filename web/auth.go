package web

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"
)

// Access control, off by default (a laptop needs none) and one setting away
// for a team: a shared token (Bearer header or a login form that sets a
// session cookie), basic-auth users from an htpasswd-style file, or a user
// header set by the team's proxy, believed only from trusted addresses.

// sessionCookie names the cookie of --auth token. It holds an HMAC of the
// token (keyed by the token), so the cookie proves knowledge of the token
// without carrying it, is the same on every replica and dies with the token.
const sessionCookie = "rld_session"

// sessionMaxAge is how long a browser stays signed in.
const sessionMaxAge = 30 * 24 * time.Hour

// routeAccess says who may reach a route.
type routeAccess int

const (
	accessOpen      routeAccess = iota // always open: probes, login, assets
	accessArticles                     // open when --public-articles
	accessMetrics                      // open when --metrics-public
	accessProtected                    // needs a signed-in user when auth is on
)

// openRoutes never need credentials: probes must work for the orchestrator
// and the login page must load (with its styles).
var openRoutes = map[string]bool{
	"/healthz": true, "/readyz": true, "/login": true, "/logout": true,
	"/static/:file": true, "/favicon.ico": true,
}

// articleRoutes are the reading side of the site.
var articleRoutes = map[string]bool{
	"/": true, "/articles": true, "/articles/": true, "/articles/:slug": true,
	"/search": true, "/api/v1/articles": true,
}

// accessOf classifies a route template (echo's c.Path(): the route that will
// actually run, so a crafted path cannot borrow another route's openness).
// Anything not listed — the wizard, rules, reports, the diagnosis API,
// /budget, votes, unknown paths — is protected.
func accessOf(route string) routeAccess {
	switch {
	case openRoutes[route]:
		return accessOpen
	case articleRoutes[route]:
		return accessArticles
	case route == "/metrics":
		return accessMetrics
	}
	return accessProtected
}

// authenticator checks credentials for one mode.
type authenticator struct {
	mode           string
	publicArticles bool
	metricsPublic  bool
	secureCookie   bool

	tokenHash [sha256.Size]byte // mode token: sha256 of the token
	session   string            // mode token: the cookie value

	users    map[string][]byte // mode basic: user → bcrypt hash
	okCache  sync.Map          // mode basic: sha256(user\0password) → expiry, so bcrypt runs once per client, not per request
	okCount  int
	okMu     sync.Mutex
	dummyPwd []byte // compared against for unknown users so timing says nothing

	header  string         // mode proxy-header
	trusted []netip.Prefix // mode proxy-header
}

// basicCacheTTL bounds how long a verified basic-auth pair skips bcrypt.
const (
	basicCacheTTL = 5 * time.Minute
	basicCacheMax = 1024
)

func newAuthenticator(cfg Config) (*authenticator, error) {
	a := &authenticator{
		mode:           cfg.Auth,
		publicArticles: cfg.PublicArticles,
		metricsPublic:  cfg.MetricsPublic,
		secureCookie:   strings.HasPrefix(cfg.BaseURL, "https://"),
		header:         cfg.AuthHeader,
		trusted:        cfg.TrustedProxies,
	}
	if a.mode == "" {
		a.mode = AuthNone
	}
	if a.header == "" {
		a.header = "X-Forwarded-User"
	}
	switch a.mode {
	case AuthToken:
		if len(cfg.AuthToken) < minTokenLen {
			return nil, fmt.Errorf("auth token: need at least %d characters", minTokenLen)
		}
		a.tokenHash = sha256.Sum256([]byte(cfg.AuthToken))
		a.session = sessionValue(cfg.AuthToken)
	case AuthBasic:
		users, err := loadHtpasswd(cfg.AuthFile)
		if err != nil {
			return nil, fmt.Errorf("auth file: %w", err)
		}
		a.users = users
		a.dummyPwd, _ = bcrypt.GenerateFromPassword([]byte("not a password anyone uses"), bcrypt.DefaultCost)
	case AuthProxyHeader:
		if len(a.trusted) == 0 {
			return nil, errors.New("auth proxy-header: no trusted proxies")
		}
	}
	return a, nil
}

// sessionValue is the cookie value for a token: HMAC-SHA256(token, label).
func sessionValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("ratelimit-doctor session v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// loadHtpasswd reads user:bcrypt-hash lines ('#' comments and blank lines
// skipped). Only bcrypt ($2a$, $2b$, $2y$) is accepted: the other htpasswd
// formats (MD5, SHA1, crypt) are too weak to trust.
func loadHtpasswd(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	users := map[string][]byte{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return nil, fmt.Errorf("%s:%d: want user:bcrypt-hash", path, n)
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, fmt.Errorf("%s:%d: user %q: not a bcrypt hash (create one with htpasswd -B)", path, n, user)
		}
		if _, dup := users[user]; dup {
			return nil, fmt.Errorf("%s:%d: user %q appears twice", path, n, user)
		}
		users[user] = []byte(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("%s: no users", path)
	}
	return users, nil
}

// needsAuth says whether a route asks for credentials under these settings.
func (a *authenticator) needsAuth(route string) bool {
	if a.mode == AuthNone {
		return false
	}
	switch accessOf(route) {
	case accessOpen:
		return false
	case accessArticles:
		return !a.publicArticles
	case accessMetrics:
		return !a.metricsPublic
	}
	return true
}

// allowed checks the request's credentials for the mode.
func (a *authenticator) allowed(r *http.Request) bool {
	switch a.mode {
	case AuthNone:
		return true
	case AuthToken:
		if tok, ok := bearerToken(r); ok {
			h := sha256.Sum256([]byte(tok))
			return subtle.ConstantTimeCompare(h[:], a.tokenHash[:]) == 1
		}
		if ck, err := r.Cookie(sessionCookie); err == nil {
			return subtle.ConstantTimeCompare([]byte(ck.Value), []byte(a.session)) == 1
		}
		return false
	case AuthBasic:
		user, pwd, ok := r.BasicAuth()
		return ok && a.checkBasic(user, pwd)
	case AuthProxyHeader:
		return peerTrusted(r.RemoteAddr, a.trusted) && strings.TrimSpace(r.Header.Get(a.header)) != ""
	}
	return false
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

// checkToken compares a submitted token with the configured one in constant time.
func (a *authenticator) checkToken(tok string) bool {
	h := sha256.Sum256([]byte(tok))
	return subtle.ConstantTimeCompare(h[:], a.tokenHash[:]) == 1
}

func (a *authenticator) checkBasic(user, pwd string) bool {
	key := sha256.Sum256([]byte(user + "\x00" + pwd))
	if exp, ok := a.okCache.Load(key); ok && time.Now().Before(exp.(time.Time)) {
		return true
	}
	hash, known := a.users[user]
	if !known {
		// Spend the same bcrypt time as for a real user.
		_ = bcrypt.CompareHashAndPassword(a.dummyPwd, []byte(pwd))
		return false
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(pwd)) != nil {
		return false
	}
	a.okMu.Lock()
	if a.okCount >= basicCacheMax {
		a.okCache.Clear()
		a.okCount = 0
	}
	a.okCount++
	a.okMu.Unlock()
	a.okCache.Store(key, time.Now().Add(basicCacheTTL))
	return true
}

// peerTrusted reports whether the direct peer (RemoteAddr, never a header)
// is one of the trusted proxies.
func peerTrusted(remoteAddr string, trusted []netip.Prefix) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// requireAuth is the access-control middleware. It runs after routing, so
// c.Path() is the route template that is about to run.
func (s *Server) requireAuth(next echo.HandlerFunc) echo.HandlerFunc {
	a := s.ops.auth
	if a.mode == AuthNone {
		return next
	}
	return func(c echo.Context) error {
		if !a.needsAuth(c.Path()) || a.allowed(c.Request()) {
			return next(c)
		}
		return s.denyAuth(c)
	}
}

// denyAuth answers a request without valid credentials: JSON 401 under
// /api/ and /metrics, the login page redirect for token-mode pages, a basic
// challenge for basic mode.
func (s *Server) denyAuth(c echo.Context) error {
	a := s.ops.auth
	req := c.Request()
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	switch a.mode {
	case AuthBasic:
		h.Set("WWW-Authenticate", `Basic realm="ratelimit-doctor", charset="UTF-8"`)
	case AuthToken:
		h.Set("WWW-Authenticate", `Bearer realm="ratelimit-doctor"`)
		if (req.Method == http.MethodGet || req.Method == http.MethodHead) && !isAPI(req) {
			// Only the path: a query string may carry pasted text.
			return c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(req.URL.Path))
		}
	}
	msg := "Sign in to use this part of the site."
	if a.mode == AuthProxyHeader {
		msg = "Sign in through your team's proxy to use this part of the site."
	}
	return &PageError{Status: http.StatusUnauthorized, Message: msg}
}

func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/metrics"
}

// safeNext keeps a post-login redirect on this site: a local absolute path,
// not "//host" or "/\host" (which browsers read as another site).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/diagnose"
	}
	return next
}

// showLogin answers GET /login (mode token).
func (s *Server) showLogin(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, LoginPage(LoginView{Layout: s.layout("Sign in", ""), Next: safeNext(c.QueryParam("next"))}))
}

// submitLogin answers POST /login: a right token sets the session cookie.
func (s *Server) submitLogin(c echo.Context) error {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, 8<<10)
	tok := c.FormValue("token")
	next := safeNext(c.FormValue("next"))
	c.Response().Header().Set("Cache-Control", "no-store")
	if tok == "" || !s.ops.auth.checkToken(tok) {
		return s.render(c, http.StatusUnauthorized, LoginPage(LoginView{Layout: s.layout("Sign in", ""), Next: next, Failed: true}))
	}
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: s.ops.auth.session, Path: "/",
		MaxAge: int(sessionMaxAge / time.Second), HttpOnly: true,
		Secure: s.ops.auth.secureCookie || req.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return c.Redirect(http.StatusSeeOther, next)
}

// logout answers POST /logout by clearing the session cookie.
func (s *Server) logout(c echo.Context) error {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.ops.auth.secureCookie || c.Request().TLS != nil, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusSeeOther, "/")
}
