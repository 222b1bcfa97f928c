package content

import (
	"fmt"
	"regexp"

	"github.com/yuin/goldmark/util"
)

// Version tabs that work without JavaScript.
//
//	:::: tabs
//	::: tab AutoGen 0.2 / AG2
//	...
//	:::
//	::: tab AutoGen 0.4
//	...
//	:::
//	::::
//
// renders as a flat run of (radio, label, panel) triples:
//
//	<div class="tabs" data-tabs>
//	  <input type="radio" class="tab-radio" name="tabs-1" id="tabs-1-0" data-tab-key="0.2" checked>
//	  <label for="tabs-1-0" class="tab-label" data-tab-key="0.2">AutoGen 0.2 / AG2</label>
//	  <div class="tab-panel" role="tabpanel" data-tab-key="0.2">...</div>
//	  ...
//	</div>
//
// The web layer's CSS shows the checked panel with
// `.tab-radio:checked + .tab-label + .tab-panel { display: block }`, lays the
// labels out in one row (e.g. `.tabs { display: flex; flex-wrap: wrap }`,
// `.tab-label { order: 0 }`, `.tab-panel { order: 1; width: 100%; display: none }`)
// and hides the radios visually (not with display:none, so they stay
// keyboard-reachable). JavaScript may use data-tab-key to switch every tab group
// of the page to the generation the reader picked.

// versionRE finds an API generation such as "0.2" or "0.4" in a tab label.
var versionRE = regexp.MustCompile(`\b\d+\.\d+\b`)

// tabKey is the data-tab-key of a tab: the version number in its label when
// there is one (so "AutoGen 0.2 / AG2" and "0.2 (pyautogen)" sync), otherwise
// the slugified label.
func tabKey(label string) string {
	if v := versionRE.FindString(label); v != "" {
		return v
	}
	return slugify(label)
}

func renderTabs(w util.BufWriter, n *Container, entering bool) {
	if entering {
		_, _ = w.WriteString("<div class=\"tabs\" data-tabs>\n")
		return
	}
	_, _ = w.WriteString("</div>\n")
}

func renderTab(w util.BufWriter, n *Container, entering bool) {
	if !entering {
		_, _ = w.WriteString("</div>\n")
		return
	}
	id := fmt.Sprintf("tabs-%d-%d", n.Group, n.Index)
	key := util.EscapeHTML([]byte(tabKey(n.Args)))
	checked := ""
	if n.Index == 0 {
		checked = " checked"
	}
	fmt.Fprintf(w, "<input type=\"radio\" class=\"tab-radio\" name=\"tabs-%d\" id=\"%s\" data-tab-key=\"%s\"%s>\n", n.Group, id, key, checked)
	fmt.Fprintf(w, "<label for=\"%s\" id=\"%s-label\" class=\"tab-label\" data-tab-key=\"%s\">%s</label>\n", id, id, key, util.EscapeHTML([]byte(n.Args)))
	fmt.Fprintf(w, "<div class=\"tab-panel\" role=\"tabpanel\" aria-labelledby=\"%s-label\" data-tab-key=\"%s\">\n", id, key)
}
