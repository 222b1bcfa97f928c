package web

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// metrics are the Prometheus series of one server process. Each Server set
// has its own registry (not the global one), so tests can run several.
//
// Labels are bounded: the route is echo's route template ("/reports/:id"),
// never the raw path (which holds report ids and, for GET forms, pasted text).
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	diagnoses *prometheus.CounterVec
	handler   http.Handler

	routesOnce sync.Once
	routes     map[string]bool
}

// storeStatsTTL is how long one store.Stats answer is reused: a scrape every
// few seconds must not count rows every time.
const storeStatsTTL = 30 * time.Second

func newMetrics(st store.Store) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rld_http_requests_total", Help: "HTTP requests by route template, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "rld_http_request_duration_seconds", Help: "HTTP request latency by route template.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.diagnoses = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rld_diagnoses_total", Help: "Diagnoses by their top-ranked cause (\"none\" when no cause had evidence).",
	}, []string{"cause"})
	m.reg.MustRegister(m.requests, m.latency, m.diagnoses,
		collectors.NewBuildInfoCollector(),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, c := range diagnose.Causes {
		m.diagnoses.WithLabelValues(string(c)) // export zeros so rates work from the start
	}
	if st != nil {
		cache := &statsCache{st: st}
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "rld_report_store_reports", Help: "Saved reports in the store (including expired ones not yet purged)."},
				func() float64 { return float64(cache.get().Reports) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "rld_report_store_bytes", Help: "Bytes of saved reports in the store."},
				func() float64 { return float64(cache.get().Bytes) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "rld_report_store_votes", Help: "\"Did this fix it?\" votes in the store."},
				func() float64 { return float64(cache.get().Votes) }),
		)
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// statsCache refreshes store.Stats lazily, at most once per storeStatsTTL;
// when the store is down it keeps the last figures.
type statsCache struct {
	st   store.Store
	mu   sync.Mutex
	at   time.Time
	last store.Stats
}

func (c *statsCache) get() store.Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) < storeStatsTTL && !c.at.IsZero() {
		return c.last
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if st, err := c.st.Stats(ctx); err == nil {
		c.last = st
	}
	c.at = time.Now()
	return c.last
}

// ObserveDiagnosis counts one diagnosis under its top-ranked cause. The
// wizard and the API call it once per diagnosis they run.
func (s *Server) ObserveDiagnosis(rep *diagnose.Report) {
	if s == nil || s.ops == nil || rep == nil {
		return
	}
	cause := "none"
	if len(rep.Causes) > 0 {
		cause = string(rep.Causes[0].Cause)
	}
	s.ops.metrics.diagnoses.WithLabelValues(cause).Inc()
}

// routeLabel is the route template for metrics and logs; requests that
// matched no route share one label so junk paths cannot grow the series.
func (m *metrics) routeLabel(c echo.Context) string {
	m.routesOnce.Do(func() {
		m.routes = map[string]bool{}
		for _, r := range c.Echo().Routes() {
			m.routes[r.Path] = true
		}
	})
	if p := c.Path(); m.routes[p] {
		return p
	}
	return "unmatched"
}

// observe records every request: counter and latency by route template. It
// settles errors itself (c.Error) so the status counted is the one sent.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	m := s.ops.metrics
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := m.routeLabel(c)
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		return nil
	}
}

// serveMetrics answers GET /metrics in the Prometheus text format.
func (s *Server) serveMetrics(c echo.Context) error {
	s.ops.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}
