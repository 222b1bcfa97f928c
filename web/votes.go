package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// submitVote answers POST /votes: one "did this fix it?" answer for a rule.
// Only the rule id and yes/no are stored, never anything pasted. wizard.js
// sends it by fetch and swaps in the thanks; without JavaScript a saved
// report's page is shown again, and the wizard (whose results live only in
// the browser) gets a short thanks page.
func (s *Server) submitVote(c echo.Context) error {
	if s.store == nil {
		return errNoStore
	}
	r, ok := diagnose.Lookup(c.FormValue("rule"))
	if !ok {
		return errBadRequest("Unknown rule.", nil)
	}
	var fixed bool
	switch c.FormValue("fixed") {
	case "yes":
		fixed = true
	case "no":
	default:
		return errBadRequest(`Answer "yes" or "no".`, nil)
	}
	if err := s.store.Vote(c.Request().Context(), r.ID, fixed); err != nil {
		return storeError(err)
	}
	if c.Request().Header.Get(fragmentHeader) != "" {
		return s.render(c, http.StatusOK, voteThanks(fixed))
	}
	if back := c.FormValue("back"); safeBack(back) {
		return c.Redirect(http.StatusSeeOther, back)
	}
	return s.render(c, http.StatusOK, VoteThanksPage(s.layout("Thanks", SectionDiagnose), r.ID, fixed))
}

// safeBack allows only our own saved-report pages as a redirect target, so
// the form cannot be used to send people elsewhere.
func safeBack(p string) bool {
	if !strings.HasPrefix(p, "/reports/") || strings.ContainsAny(p, "\\?#") || strings.Contains(p, "//") {
		return false
	}
	return len(p) < 120
}
