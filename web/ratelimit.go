package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// The site limits what it preaches: every client gets a token bucket of
// --rate-limit diagnoses per minute (burst of the same size). A token is
// spent by every unsafe request (POST/DELETE) that runs the engine or
// writes to the store: the API, saves, deletes, votes, /budget (it parses
// the pasted code), and the login form (a token guess is worth limiting).
// Requests that do neither are free (freePosts), and the wizard's two
// routes spend a token only when the engine actually runs (spendRate in
// wizard.go): moving between the first steps or reading back a pasted error
// costs nothing. Reading is never limited.

// rateLimitArticle is the article the 429 answers link.
const rateLimitArticle = "/articles/what-rate-limit-exceeded-means"

// freePosts neither run the engine nor write to the store.
var freePosts = map[string]bool{"/logout": true}

// chargedByHandler are the posts whose handler decides: it calls spendRate
// just before it runs the engine.
var chargedByHandler = map[string]bool{"/diagnose": true, "/diagnose/recognize": true}

// maxClients bounds the limiter map: past it, clients whose bucket has
// refilled (idle ones) are dropped first, then the oldest seen.
const maxClients = 10000

type clientLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

// limiter is a bounded map of per-client token buckets.
type limiter struct {
	perMinute int
	now       func() time.Time

	mu      sync.Mutex
	clients map[string]*clientLimiter
}

func newLimiter(perMinute int) *limiter {
	return &limiter{perMinute: perMinute, now: time.Now, clients: map[string]*clientLimiter{}}
}

// allow takes one token for client; when none is left it returns how long
// until one is.
func (l *limiter) allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	cl, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= maxClients {
			l.evict(now)
		}
		cl = &clientLimiter{lim: rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)}
		l.clients[client] = cl
	}
	cl.seen = now
	r := cl.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// evict makes room: first every client whose bucket is full again (they
// lose nothing by being forgotten), then, if none is, the least recently seen half.
func (l *limiter) evict(now time.Time) {
	for k, cl := range l.clients {
		if cl.lim.TokensAt(now) >= float64(l.perMinute) {
			delete(l.clients, k)
		}
	}
	if len(l.clients) < maxClients {
		return
	}
	seen := make([]time.Time, 0, len(l.clients))
	for _, cl := range l.clients {
		seen = append(seen, cl.seen)
	}
	slices.SortFunc(seen, time.Time.Compare)
	cut := seen[len(seen)/2]
	for k, cl := range l.clients {
		if !cl.seen.After(cut) {
			delete(l.clients, k)
		}
	}
}

func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// rateLimit is the middleware. The client is echo's RealIP, which reads
// X-Forwarded-For only from --trusted-proxies (see ipExtractor).
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	l := s.ops.limiter
	if l == nil {
		return next
	}
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if freePosts[c.Path()] || chargedByHandler[c.Path()] {
			return next(c)
		}
		if ok, wait := l.allow(c.RealIP()); !ok {
			return s.tooMany(c, wait)
		}
		return next(c)
	}
}

// spendRate takes the client's token for a request that is about to run
// the engine. When none is left it has already answered 429 and returns
// false: the caller returns nil.
func (s *Server) spendRate(c echo.Context) (bool, error) {
	l := s.ops.limiter
	if l == nil {
		return true, nil
	}
	if ok, wait := l.allow(c.RealIP()); !ok {
		return false, s.tooMany(c, wait)
	}
	return true, nil
}

// tooMany answers 429 with Retry-After in whole seconds (rounded up).
func (s *Server) tooMany(c echo.Context, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	h := c.Response().Header()
	h.Set("Retry-After", strconv.Itoa(secs))
	h.Set("Cache-Control", "no-store")
	if isAPI(c.Request()) {
		return c.JSON(http.StatusTooManyRequests, map[string]any{
			"error":       "Too many requests: this site allows " + strconv.Itoa(s.cfg.RateLimit) + " diagnoses per minute per client. Retry after " + strconv.Itoa(secs) + " s.",
			"retry_after": secs,
			"article":     rateLimitArticle,
		})
	}
	return s.render(c, http.StatusTooManyRequests, TooManyPage(TooManyView{Layout: s.layout("Too many requests", ""), RetryAfter: secs}))
}

// retryText writes a wait for people: "1 second", "42 seconds".
func retryText(secs int) string {
	return strconv.Itoa(secs) + " " + plural(secs, "second", "seconds")
}
