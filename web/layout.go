package web

// Section names the top-level area a page belongs to (for aria-current in the nav).
type Section string

const (
	SectionHome     Section = ""
	SectionArticles Section = "articles"
	SectionDiagnose Section = "diagnose"
	SectionRules    Section = "rules"
	SectionSearch   Section = "search"
)

// LayoutView is what the page frame shows: title, nav, search box, assets.
type LayoutView struct {
	Title       string // page title; the site name is appended
	Description string // <meta name="description">
	Query       string // pre-fills the header search box
	Nav         []NavItem
	Assets      AssetURLs
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Label   string
	URL     string
	Current bool
}

// AssetURLs are the hashed URLs of the files every page loads.
type AssetURLs struct {
	CSS, ChromaCSS, ThemeJS, AppJS, Icon string
	// WizardCSS and WizardJS style and enhance the diagnosis pages
	// (wizard, results, rules, reports).
	WizardCSS, WizardJS string
}

// siteName is appended to every page title.
const siteName = "ratelimit-doctor"

// FullTitle is the <title>: "Page — site", or just the site on the home page.
func (v LayoutView) FullTitle() string {
	if v.Title == "" {
		return siteName + ": fix AutoGen 429 rate limit errors"
	}
	return v.Title + " — " + siteName
}

// navLinks are the sections of the main navigation, in order.
var navLinks = []struct {
	label   string
	url     string
	section Section
}{
	{"Articles", "/articles", SectionArticles},
	{"Diagnose", "/diagnose", SectionDiagnose},
	{"Rules", "/rules", SectionRules},
	{"Budget", "/budget", SectionBudget},
}

// newLayoutView builds the frame of a page in a section.
func newLayoutView(assets AssetURLs, title string, section Section) LayoutView {
	v := LayoutView{Title: title, Assets: assets}
	for _, l := range navLinks {
		v.Nav = append(v.Nav, NavItem{Label: l.label, URL: l.url, Current: section != SectionHome && l.section == section})
	}
	return v
}

// assetURLs resolves the hashed URLs of the assets every page loads.
func (s *assetSet) pageAssets() AssetURLs {
	return AssetURLs{
		CSS:       s.URL("app.css"),
		ChromaCSS: s.URL("chroma.css"),
		ThemeJS:   s.URL("theme.js"),
		AppJS:     s.URL("app.js"),
		Icon:      s.URL("favicon.svg"),
		WizardCSS: s.URL("wizard.css"),
		WizardJS:  s.URL("wizard.js"),
	}
}

// layout is the frame for a page of the given title and section.
func (s *Server) layout(title string, section Section) LayoutView {
	return newLayoutView(s.assets.pageAssets(), title, section)
}

// plural picks the singular or plural word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// levelClass names a heading level for the TOC's indentation class.
func levelClass(level int) string {
	if level >= 3 {
		return "3"
	}
	return "2"
}
