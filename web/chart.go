package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// ChartView is the requests-per-minute chart, drawn on the server as SVG
// (no script, no inline styles: CSS classes colour it in light and dark
// mode) with a data table as the text alternative.
type ChartView struct {
	Title string
	Desc  string
	// ViewBox is the SVG coordinate system; bars are placed in it.
	Width, Height int
	Bars          []ChartBar
	// Limit is the provider's per-minute request limit line (nil when unknown).
	Limit  *ChartLine
	YTicks []ChartTick
	XTicks []ChartTick
	Rows   []ChartRow
	// Axis positions.
	Left, Bottom, Right, Top int
	Source                   string
}

// ChartBar is one minute: total requests and, stacked inside, the 429s.
type ChartBar struct {
	X, Y, W, H    string
	RLY, RLH      string // the 429 part (RLH "0" when none)
	Label         string // tooltip text (<title>)
	HasRateLimits bool
}

// ChartLine is a horizontal line with a label.
type ChartLine struct {
	Y1, X1, X2 string
	Label      string
	LabelX     string
	LabelY     string
}

// ChartTick is one axis label.
type ChartTick struct {
	Pos   string // x or y in the view box
	Label string
}

// ChartRow is one row of the data table.
type ChartRow struct {
	Minute      string
	Requests    int
	RateLimited int
	Tokens      int
}

const (
	chartW      = 720
	chartH      = 260
	chartLeft   = 48
	chartRight  = 12
	chartTop    = 16
	chartBottom = 40
	maxChartMin = 180 // minutes drawn; longer runs keep their last part
)

// newChartView draws Evidence.Timeline, or returns nil when there is none.
func newChartView(ev *diagnose.Evidence) *ChartView {
	if ev == nil || len(ev.Timeline) == 0 {
		return nil
	}
	tl := ev.Timeline
	if len(tl) > maxChartMin {
		tl = tl[len(tl)-maxChartMin:]
	}
	v := &ChartView{Width: chartW, Height: chartH, Left: chartLeft, Bottom: chartH - chartBottom,
		Right: chartW - chartRight, Top: chartTop, Source: ev.Source}
	peak, total429, totalReq := ev.LimitRPM, 0, 0
	for _, m := range tl {
		peak = max(peak, m.Requests)
		total429 += m.RateLimited
		totalReq += m.Requests
	}
	if peak == 0 {
		peak = 1
	}
	yMax := niceCeil(peak + peak/10)
	plotW := float64(chartW - chartLeft - chartRight)
	plotH := float64(chartH - chartTop - chartBottom)
	slot := plotW / float64(len(tl))
	barW := slot * 0.7
	y := func(n int) float64 { return float64(chartTop) + plotH*(1-float64(n)/float64(yMax)) }
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
	for i, m := range tl {
		x := float64(chartLeft) + slot*float64(i) + (slot-barW)/2
		top := y(m.Requests)
		b := ChartBar{X: f(x), Y: f(top), W: f(barW), H: f(y(0) - top), RLH: "0", RLY: f(y(0)),
			Label: fmt.Sprintf("%s: %d requests, %d rate-limited", minuteLabel(m.Start), m.Requests, m.RateLimited)}
		if m.RateLimited > 0 {
			rl := min(m.RateLimited, m.Requests)
			if rl == 0 {
				rl = m.RateLimited
			}
			b.HasRateLimits = true
			b.RLY = f(y(rl))
			b.RLH = f(y(0) - y(rl))
		}
		v.Bars = append(v.Bars, b)
		v.Rows = append(v.Rows, ChartRow{Minute: minuteLabel(m.Start), Requests: m.Requests, RateLimited: m.RateLimited, Tokens: m.Tokens})
	}
	for _, t := range []int{0, yMax / 2, yMax} {
		v.YTicks = append(v.YTicks, ChartTick{Pos: f(y(t) + 4), Label: strconv.Itoa(t)})
	}
	step := max(1, len(tl)/6)
	for i := 0; i < len(tl); i += step {
		v.XTicks = append(v.XTicks, ChartTick{Pos: f(float64(chartLeft) + slot*float64(i) + slot/2), Label: clockLabel(tl[i].Start)})
	}
	if ev.LimitRPM > 0 {
		ly := y(ev.LimitRPM)
		v.Limit = &ChartLine{Y1: f(ly), X1: strconv.Itoa(chartLeft), X2: strconv.Itoa(chartW - chartRight),
			Label: fmt.Sprintf("limit %d/min", ev.LimitRPM), LabelX: strconv.Itoa(chartW - chartRight - 4), LabelY: f(ly - 5)}
	}
	v.Title = "Requests per minute"
	if total429 > 0 {
		v.Title = "Requests and 429s per minute"
	}
	v.Desc = fmt.Sprintf("%d minutes, %d requests in all, %d answered with 429, peak %d requests in one minute", len(tl), totalReq, total429, peakOf(tl))
	if ev.LimitRPM > 0 {
		v.Desc += fmt.Sprintf(", against a limit of %d requests per minute", ev.LimitRPM)
	}
	v.Desc += "."
	return v
}

func peakOf(tl []diagnose.TimelineMinute) int {
	p := 0
	for _, m := range tl {
		p = max(p, m.Requests)
	}
	return p
}

// niceCeil rounds n up to 1, 2 or 5 times a power of ten.
func niceCeil(n int) int {
	if n <= 1 {
		return 1
	}
	p := 1
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

func minuteLabel(start string) string {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return start
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func clockLabel(start string) string {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return start
	}
	return t.UTC().Format("15:04")
}
