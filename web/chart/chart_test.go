package chart

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// elem is one parsed SVG element with its attributes and text.
type elem struct {
	name  string
	attrs map[string]string
	text  string
}

// parse checks that the output is well-formed XML and returns its elements in order.
func parse(t *testing.T, svg string) []elem {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var out []elem
	var stack []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			e := elem{name: v.Name.Local, attrs: map[string]string{}}
			for _, a := range v.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(v)
			}
		}
	}
	if len(out) == 0 || out[0].name != "svg" {
		t.Fatalf("no root svg element")
	}
	return out
}

func byClass(es []elem, class string) []elem {
	var out []elem
	for _, e := range es {
		for _, c := range strings.Fields(e.attrs["class"]) {
			if c == class {
				out = append(out, e)
			}
		}
	}
	return out
}

func f(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

func TestColumns(t *testing.T) {
	c := Columns{
		ID: "req", Title: "Requests per minute", Desc: "3 minutes <of> data & more",
		Labels: []string{"14:00", "14:01", "14:02"},
		Values: []int{3, 0, 4},
		Marks:  []int{0, 0, 3},
		Limit:  3,
		Unit:   "requests/min",
	}
	es := parse(t, string(c.Draw()))
	root := es[0]
	if root.attrs["role"] != "img" || root.attrs["aria-labelledby"] != "req-title req-desc" {
		t.Errorf("root attrs %v", root.attrs)
	}
	for _, e := range es {
		if _, ok := e.attrs["style"]; ok {
			t.Errorf("%s has a style attribute (the CSP forbids them)", e.name)
		}
	}
	if es[1].name != "title" || es[1].text != "Requests per minute" || es[2].name != "desc" || es[2].text != "3 minutes <of> data & more" {
		t.Errorf("title/desc = %q / %q", es[1].text, es[2].text)
	}
	// Scale: max(4, limit 3) = 4, + 4/10 = 4 → NiceCeil(4) = 5. Plot height
	// 240 - 20 - 36 = 184; the limit 3 sits at 20 + 184 × (1 - 3/5) = 93.6.
	lim := byClass(es, "chart-limit")
	if len(lim) != 1 {
		t.Fatalf("%d limit lines", len(lim))
	}
	if y := f(t, lim[0].attrs["y1"]); math.Abs(y-93.6) > 0.05 || lim[0].attrs["y2"] != lim[0].attrs["y1"] {
		t.Errorf("limit line at y=%s..%s, want 93.6", lim[0].attrs["y1"], lim[0].attrs["y2"])
	}
	if math.Abs(c.LimitY()-93.6) > 1e-9 {
		t.Errorf("LimitY = %v", c.LimitY())
	}
	cols := byClass(es, "chart-col")
	if len(cols) != 3 {
		t.Fatalf("%d columns", len(cols))
	}
	// Heights proportional to values: 3 → 184×3/5 = 110.4, 0 → 0, 4 → 147.2.
	for i, want := range []float64{110.4, 0, 147.2} {
		if h := f(t, cols[i].attrs["height"]); math.Abs(h-want) > 0.05 {
			t.Errorf("column %d height %v, want %v", i, h, want)
		}
	}
	// Columns stand on the base line (y + height = 204).
	for i, col := range cols {
		if b := f(t, col.attrs["y"]) + f(t, col.attrs["height"]); math.Abs(b-204) > 0.1 {
			t.Errorf("column %d ends at %v", i, b)
		}
	}
	if m := byClass(es, "chart-mark-429"); len(m) != 1 || !strings.Contains(string(c.Draw()), "<title>14:02: 3 answered 429</title></path>") {
		t.Errorf("429 marks %+v", m)
	}
	if len(byClass(es, "chart-col-429")) != 1 {
		t.Error("the 429 minute's column is not classed")
	}
}

func TestColumnsEscapesAndEmpty(t *testing.T) {
	c := Columns{ID: `x"><script>`, Title: `<script>alert(1)</script>`, Labels: []string{`"><img>`}, Values: []int{1}, Unit: "&"}
	svg := string(c.Draw())
	if strings.Contains(svg, "<script") || strings.Contains(svg, "<img") {
		t.Fatalf("unescaped text in %s", svg)
	}
	parse(t, svg)
	parse(t, string(Columns{ID: "e"}.Draw()))
	if len(byClass(parse(t, string(Columns{ID: "n", Values: []int{2}}.Draw())), "chart-limit")) != 0 {
		t.Error("a limit line without a limit")
	}
}

func TestBars(t *testing.T) {
	c := Bars{ID: "agents", Title: "Calls per agent", Desc: "d", Unit: "calls", Bars: []Bar{
		{Label: "researcher", Value: 18, Hot: true}, {Label: "writer", Value: 9}, {Label: "a-very-long-agent-name-that-goes-on", Value: 0},
	}}
	es := parse(t, string(c.Draw()))
	bars := byClass(es, "chart-hbar")
	if len(bars) != 3 {
		t.Fatalf("%d bars", len(bars))
	}
	// Full width 720 - 180 - 90 = 450 for the largest; 9 of 18 → 225; 0 → 0.
	for i, want := range []float64{450, 225, 0} {
		if w := f(t, bars[i].attrs["width"]); math.Abs(w-want) > 0.05 {
			t.Errorf("bar %d width %v, want %v", i, w, want)
		}
	}
	if len(byClass(es, "chart-hbar-hot")) != 1 {
		t.Error("hot bar not classed")
	}
	labels := byClass(es, "chart-label")
	if labels[2].text != "a-very-long-agent-name-…" {
		t.Errorf("label %q not clipped", labels[2].text)
	}
	if vals := byClass(es, "chart-value"); vals[0].text != "18" {
		t.Errorf("value %q", vals[0].text)
	}
	// viewBox height: 8 × 2 + 26 × 3 = 94.
	if es[0].attrs["viewBox"] != "0 0 720 94" {
		t.Errorf("viewBox %q", es[0].attrs["viewBox"])
	}
}

func TestShortAndNiceCeil(t *testing.T) {
	for n, want := range map[int]string{950: "950", 12500: "12.5k", 60000: "60k", 3_200_000: "3.2M"} {
		if got := Short(n); got != want {
			t.Errorf("Short(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]int{0: 1, 3: 5, 11: 20, 60: 100, 44: 50, 200: 200} {
		if got := NiceCeil(n); got != want {
			t.Errorf("NiceCeil(%d) = %d, want %d", n, got, want)
		}
	}
}
