// Package chart draws the evidence pictures of a diagnosis as server-side
// SVG: a per-minute column chart (requests or tokens) with the provider's
// limit as a dashed line and 429s marked, and horizontal bar charts (calls
// per agent, tool result sizes).
//
// There are no templates here, only functions that write SVG with every
// text escaped, so the output is safe to embed as HTML. Colours come from
// CSS classes (static/chart.css) because the site's CSP forbids style
// attributes, and so that dark mode is a stylesheet matter. Every chart has
// a <title> and <desc> and role="img"; the page shows the same numbers as a
// data table next to it.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
)

// Geometry of a column chart, in view-box units; the SVG scales to its box.
const (
	colWidth  = 720
	colHeight = 240
	colLeft   = 56
	colRight  = 16
	colTop    = 20
	colBottom = 36
)

// Columns is a per-minute series: one column per minute.
type Columns struct {
	// ID makes the title/desc ids unique on a page ("tokens" → "tokens-title").
	ID    string
	Title string
	Desc  string
	// Labels name each column for the x axis and the tooltips ("14:02").
	Labels []string
	Values []int
	// Marks is the number of 429s in each minute (nil or 0: none); a marked
	// minute gets a marker above its column.
	Marks []int
	// Limit draws a dashed horizontal line at this value (0: none).
	Limit int
	// Unit names the values in tooltips and the limit label ("requests/min").
	Unit string
}

// scaleMax is the top of the y axis: a round number above the largest
// value and the limit, with a little headroom so the limit line never sits
// on the frame.
func (c Columns) scaleMax() int {
	top := c.Limit
	for _, v := range c.Values {
		top = max(top, v)
	}
	return NiceCeil(top + top/10)
}

// yOf maps a value to its y coordinate.
func (c Columns) yOf(v, yMax int) float64 {
	plotH := float64(colHeight - colTop - colBottom)
	return float64(colTop) + plotH*(1-float64(v)/float64(yMax))
}

// LimitY is where the limit line is drawn (for tests and callers that
// label it); 0 when there is no limit.
func (c Columns) LimitY() float64 {
	if c.Limit <= 0 {
		return 0
	}
	return c.yOf(c.Limit, c.scaleMax())
}

// Draw writes the column chart.
func (c Columns) Draw() template.HTML {
	var b strings.Builder
	n := len(c.Values)
	open(&b, c.ID, "ev-chart ev-chart-columns", colWidth, colHeight, c.Title, c.Desc)
	if n == 0 {
		b.WriteString("</svg>")
		return template.HTML(b.String())
	}
	yMax := c.scaleMax()
	plotW := float64(colWidth - colLeft - colRight)
	slot := plotW / float64(n)
	barW := max(slot*0.72, 0.5)
	base := c.yOf(0, yMax)
	// Axes and gridlines at 0, half and the top.
	for _, t := range []int{0, yMax / 2, yMax} {
		y := c.yOf(t, yMax)
		fmt.Fprintf(&b, `<line class="chart-grid" x1="%d" y1="%s" x2="%d" y2="%s"></line>`, colLeft, num(y), colWidth-colRight, num(y))
		fmt.Fprintf(&b, `<text class="chart-tick" x="%d" y="%s" text-anchor="end">%s</text>`, colLeft-6, num(y+4), esc(Short(t)))
	}
	fmt.Fprintf(&b, `<line class="chart-axis" x1="%d" y1="%s" x2="%d" y2="%s"></line>`, colLeft, num(base), colWidth-colRight, num(base))
	b.WriteString(`<g class="chart-bars">`)
	for i, v := range c.Values {
		x := float64(colLeft) + slot*float64(i) + (slot-barW)/2
		y := c.yOf(v, yMax)
		cls := "chart-col"
		marked := i < len(c.Marks) && c.Marks[i] > 0
		if marked {
			cls += " chart-col-429"
		}
		label := ""
		if i < len(c.Labels) {
			label = c.Labels[i]
		}
		tip := fmt.Sprintf("%s: %d %s", label, v, c.Unit)
		if marked {
			tip += fmt.Sprintf(", %d answered 429", c.Marks[i])
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"><title>%s</title></rect>`,
			cls, num(x), num(y), num(barW), num(base-y), esc(tip))
		if marked {
			// A downward triangle just above the column: visible even when
			// the column itself is short (a minute that was almost all 429s).
			cx, ty := x+barW/2, y-4
			r := min(max(barW/2, 3), 6)
			fmt.Fprintf(&b, `<path class="chart-mark-429" d="M%s %sL%s %sL%s %sZ"><title>%s</title></path>`,
				num(cx-r), num(ty-r*1.6), num(cx+r), num(ty-r*1.6), num(cx), num(ty), esc(fmt.Sprintf("%s: %d answered 429", label, c.Marks[i])))
		}
	}
	b.WriteString(`</g>`)
	if c.Limit > 0 {
		y := c.LimitY()
		fmt.Fprintf(&b, `<line class="chart-limit" x1="%d" y1="%s" x2="%d" y2="%s"></line>`, colLeft, num(y), colWidth-colRight, num(y))
		fmt.Fprintf(&b, `<text class="chart-limit-label" x="%d" y="%s" text-anchor="end">%s</text>`,
			colWidth-colRight-4, num(y-5), esc(fmt.Sprintf("limit %s %s", Short(c.Limit), c.Unit)))
	}
	// About six x labels, whatever the length.
	step := max(1, (n+5)/6)
	for i := 0; i < n && i < len(c.Labels); i += step {
		x := float64(colLeft) + slot*float64(i) + slot/2
		fmt.Fprintf(&b, `<text class="chart-tick" x="%s" y="%d" text-anchor="middle">%s</text>`, num(x), colHeight-colBottom+16, esc(c.Labels[i]))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// Bar is one labelled bar.
type Bar struct {
	Label string
	Value int
	// Note is added to the bar's tooltip ("agents.py:12").
	Note string
	// Hot marks a bar drawn in the warning colour (a result over a size
	// that costs turns, the agent with most of the calls).
	Hot bool
}

// Bars is a horizontal bar chart, one row per bar, largest value at full width.
type Bars struct {
	ID    string
	Title string
	Desc  string
	Bars  []Bar
	Unit  string // "calls", "characters"
}

// Geometry of a bar chart.
const (
	barsWidth  = 720
	barsLabelW = 180
	barsRight  = 90 // room for the value after the longest bar
	barsRow    = 26
	barsThick  = 16
	barsTop    = 8
)

// plotW is the width of a full bar.
const barsPlotW = barsWidth - barsLabelW - barsRight

// BarWidth is the drawn width of a value: proportional to the largest bar.
func (c Bars) BarWidth(v int) float64 {
	top := 0
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	if top <= 0 || v <= 0 {
		return 0
	}
	return float64(barsPlotW) * float64(v) / float64(top)
}

// Draw writes the bar chart.
func (c Bars) Draw() template.HTML {
	var b strings.Builder
	h := barsTop*2 + barsRow*len(c.Bars)
	open(&b, c.ID, "ev-chart ev-chart-bars", barsWidth, max(h, 2*barsTop), c.Title, c.Desc)
	for i, bar := range c.Bars {
		y := barsTop + barsRow*i
		w := c.BarWidth(bar.Value)
		if bar.Value > 0 {
			w = max(w, 1) // a tiny value still shows
		}
		cls := "chart-hbar"
		if bar.Hot {
			cls += " chart-hbar-hot"
		}
		tip := fmt.Sprintf("%s: %d %s", bar.Label, bar.Value, c.Unit)
		if bar.Note != "" {
			tip += " (" + bar.Note + ")"
		}
		fmt.Fprintf(&b, `<text class="chart-label" x="%d" y="%d" text-anchor="end">%s</text>`, barsLabelW-8, y+barsThick-3, esc(clip(bar.Label, 24)))
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%s" height="%d"><title>%s</title></rect>`, cls, barsLabelW, y, num(w), barsThick, esc(tip))
		fmt.Fprintf(&b, `<text class="chart-value" x="%s" y="%d">%s</text>`, num(float64(barsLabelW)+w+6), y+barsThick-3, esc(Short(bar.Value)))
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// open writes the <svg> element with its accessible name and description.
func open(b *strings.Builder, id, class string, w, h int, title, desc string) {
	id = safeID(id)
	fmt.Fprintf(b, `<svg class="%s" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" focusable="false" preserveAspectRatio="xMinYMin meet">`,
		class, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
}

// safeID keeps an id to letters, digits and dashes.
func safeID(id string) string {
	id = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return '-'
	}, id)
	if id == "" {
		return "chart"
	}
	return id
}

// esc escapes text for SVG content and attributes (XML's five entities).
func esc(s string) string { return html.EscapeString(s) }

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// clip shortens a label to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Short prints a count compactly: 950, 12.5k, 3.2M.
func Short(n int) string {
	switch {
	case n >= 1_000_000:
		return trimZero(strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64)) + "M"
	case n >= 10_000:
		return trimZero(strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64)) + "k"
	}
	return strconv.Itoa(n)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// NiceCeil rounds n up to 1, 2 or 5 times a power of ten (at least 1).
func NiceCeil(n int) int {
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
