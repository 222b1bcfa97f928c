// Package content holds the fix articles (Markdown with front matter, embedded)
// and data files such as provider tier tables, and turns them into rendered,
// validated, searchable articles. It knows nothing of HTTP.
//
// # Loading
//
// [Load] reads the built-in articles (content/articles/*.md) and, when
// [Options.TeamDir] is set, a team's own articles; a team article whose slug
// matches a built-in one replaces it. Every article is rendered once, at load,
// and served from memory. Any problem stops the load with errors of type
// [*FileError] that name the file, the line and the reason, for example:
//
//	team/x.md:5: unknown cause "loops" (want one of general, loop, …)
//
// # Front matter
//
// YAML between --- lines at the top of the file. Unknown keys are errors.
//
//	title:   shown as the page title (required)
//	slug:    must equal the file name without .md (required)
//	summary: one or two sentences for lists and search (required)
//	cause:   one of the cause vocabulary (see [Causes]) or "general" (required)
//	autogen: list of API generations covered, "0.2" and/or "0.4" (required)
//	updated: last-verified date, YYYY-MM-DD (required)
//	order:   position inside the cause group (optional; unset sorts last)
//	related: slugs of related articles, shown first (optional)
//
// Every internal link (/articles/<slug> or /articles/<slug>#<heading-id>, and
// #<heading-id> within the page) and every related slug must resolve.
//
// # Markdown
//
// GitHub-flavoured Markdown with raw HTML switched off. Code is highlighted
// by chroma with CSS classes only ([ChromaCSS] writes the stylesheet) and
// wrapped in <div class="code-block" data-lang="…"> for a copy button.
// Headings get GitHub-style ids and an <a class="anchor"> link; h2 and h3
// form [Article.TOC]. External links get rel="noopener".
//
// Fenced containers (pandoc style: a line of three or more colons and a name
// opens, a line of exactly as many colons closes, outer containers use more
// colons than inner ones):
//
//	::: note | warning | tip [title]     a callout (<aside class="callout callout-note">)
//	:::: tabs / ::: tab LABEL            version tabs that work without JavaScript
//	:::: compare / ::: broken|fixed [title]   broken vs fixed, side by side
//
// The HTML and CSS class names of each are documented in container.go,
// tabs.go and compare.go.
//
// # CSS classes the web layer styles
//
//	.code-block[data-lang]  pre.chroma  .chroma .<token>   code blocks (ChromaCSS)
//	h2 a.anchor …                                            heading anchors
//	aside.callout .callout-note .callout-warning .callout-tip  p.callout-title
//	div.tabs[data-tabs] input.tab-radio label.tab-label div.tab-panel  [data-tab-key]
//	div.compare section.compare-side .compare-broken .compare-fixed
//	  header.compare-header span.compare-mark
//
// # Search
//
// [Library.Search] ranks over a token index built at load: title words weigh
// most, then headings, summary and body; the last word also matches as a
// prefix. Snippets are plain text parts with the matched words flagged, so
// the web layer can escape and highlight them.
package content
