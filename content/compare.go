package content

import (
	"fmt"

	"github.com/yuin/goldmark/util"
)

// Broken vs fixed, side by side.
//
//	:::: compare
//	::: broken No stop condition
//	```python
//	...
//	```
//	:::
//	::: fixed A hard turn limit plus a termination check
//	...
//	:::
//	::::
//
// renders as:
//
//	<div class="compare">
//	  <section class="compare-side compare-broken" aria-label="Broken: No stop condition">
//	    <header class="compare-header"><span class="compare-mark" aria-hidden="true">✗</span> Broken: No stop condition</header>
//	    ...
//	  </section>
//	  <section class="compare-side compare-fixed" aria-label="Fixed: ...">
//	    <header class="compare-header"><span class="compare-mark" aria-hidden="true">✓</span> Fixed: ...</header>
//	    ...
//	  </section>
//	</div>
//
// The web layer's CSS puts the sides next to each other
// (`.compare { display: grid; grid-template-columns: 1fr 1fr }`) and stacks
// them on narrow screens (one column under a media query). The title is
// optional; without it the header reads just "Broken" or "Fixed".

func renderCompare(w util.BufWriter, n *Container, entering bool) {
	if entering {
		_, _ = w.WriteString("<div class=\"compare\">\n")
		return
	}
	_, _ = w.WriteString("</div>\n")
}

func renderCompareSide(w util.BufWriter, n *Container, entering bool) {
	if !entering {
		_, _ = w.WriteString("</section>\n")
		return
	}
	mark, word := "✗", "Broken"
	if n.Name == containerFixed {
		mark, word = "✓", "Fixed"
	}
	label := word
	if n.Args != "" {
		label += ": " + n.Args
	}
	esc := util.EscapeHTML([]byte(label))
	fmt.Fprintf(w, "<section class=\"compare-side compare-%s\" aria-label=\"%s\">\n<header class=\"compare-header\"><span class=\"compare-mark\" aria-hidden=\"true\">%s</span> %s</header>\n", n.Name, esc, mark, esc)
}
