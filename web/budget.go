package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// SectionBudget is the budget calculator's place in the navigation.
const SectionBudget Section = "budget"

// showBudget answers GET /budget: the empty form, a form prefilled from the
// query (the results page links here with ?rpm=3&tpm=... read from the
// person's 429 message), or results when the query carries go=1.
func (s *Server) showBudget(c echo.Context) error {
	q := c.QueryParams()
	// Code is read from a POST only: parsing it costs more than a page
	// view, and posts go through the site's rate limit; reading never does.
	q.Del("code")
	return s.renderBudget(c, q)
}

// submitBudget answers POST /budget: the same page computed from the posted
// form (a POST because pasted code can be longer than a URL should be).
func (s *Server) submitBudget(c echo.Context) error {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, maxBudgetCode+64<<10)
	if err := req.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &PageError{Status: http.StatusRequestEntityTooLarge, Message: "That is more code than the calculator reads; paste the agents and the chat call only.", Err: err}
		}
		return &PageError{Status: http.StatusBadRequest, Message: "The form could not be read; send it again.", Err: err}
	}
	return s.renderBudget(c, req.PostForm)
}

func (s *Server) renderBudget(c echo.Context, q url.Values) error {
	in, errs := ParseBudgetInput(q)
	tiers, err := content.LoadTiers(s.cfg.ContentDir)
	if err != nil {
		// A broken team tiers.yaml must not take the page down: the typed
		// limits still work, and the reason is shown.
		errs = append(errs, "The tier table could not be read, so only typed limits work: "+err.Error())
		tiers = nil
	}
	var setup *diagnose.Setup
	var setupErr string
	if in.Code != "" {
		setup, err = diagnose.ReadSetup(c.Request().Context(), "agents.py", []byte(in.Code))
		if err != nil {
			setupErr = err.Error()
		}
	}
	// The code goes back into the form masked: a pasted key is never echoed.
	in.Code = redactText([]byte(in.Code))
	in.ErrorText = redactText([]byte(in.ErrorText))
	v := NewBudgetPageView(in, errs, tiers, setup, setupErr)
	v.Layout = s.layout("Will my setup fit my limits?", SectionBudget)
	v.Layout.Description = "Count an AutoGen setup's model calls per run and compare them with your provider's rate limits."
	v.Evidence.CSS = s.assets.URL("chart.css")
	return s.render(c, http.StatusOK, BudgetPage(v))
}
