package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/format"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// Saved reports: "Save & share" stores the redacted inputs and the report
// and redirects to /reports/{id}. The delete token is shown once, on the
// page the saver lands on, and kept in a cookie scoped to that report's
// path so the saver's browser can delete it later.

// storeError turns a store error into the status and message people see.
func storeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return &PageError{Status: http.StatusNotFound, Message: "There is no saved report at this address. It may have expired or been deleted.", Err: err}
	case errors.Is(err, store.ErrForbidden):
		return &PageError{Status: http.StatusForbidden, Message: "That delete token does not match this report.", Err: err}
	case errors.Is(err, store.ErrTooLarge):
		return &PageError{Status: http.StatusRequestEntityTooLarge, Message: "This report is too large to save.", Err: err}
	case errors.Is(err, store.ErrInvalid):
		return &PageError{Status: http.StatusBadRequest, Message: "This report cannot be saved as given.", Err: err}
	case errors.Is(err, store.ErrUnavailable):
		return &PageError{Status: http.StatusServiceUnavailable, Message: "Saved reports are unavailable right now. Please try again in a minute.", Err: err}
	case errors.Is(err, context.Canceled):
		return &PageError{Status: http.StatusServiceUnavailable, Message: "The request was cancelled.", Err: err}
	}
	return err
}

var errNoStore = &PageError{Status: http.StatusServiceUnavailable, Message: "Saving is turned off on this server."}

// deleteCookie names the cookie that holds a report's delete token.
func deleteCookie(id string) string { return "rld_del_" + id }

// save stores a diagnosis with its redacted inputs.
func (s *Server) save(ctx context.Context, d *diagnosis, title string) (store.Saved, error) {
	if s.store == nil {
		return store.Saved{}, errNoStore
	}
	kinds := map[string]string{}
	for _, in := range d.Report.Inputs {
		kinds[in.Name] = string(in.Kind)
	}
	var ins []store.SavedInput
	for _, name := range d.Order {
		ins = append(ins, store.SavedInput{Name: name, Kind: kinds[name], Text: d.Texts[name]})
	}
	body, err := d.envelopeJSON()
	if err != nil {
		return store.Saved{}, fmt.Errorf("encode report: %w", err)
	}
	if title == "" {
		title = reportTitle(d.Report)
	}
	saved, err := s.store.SaveReport(ctx, store.NewReport{Inputs: ins, ReportJSON: body, Title: truncate(title, 200), TTL: s.cfg.Retention})
	return saved, storeError(err)
}

// reportTitle names a report after its verdict.
func reportTitle(r *diagnose.Report) string {
	if len(r.Causes) == 0 {
		return "Rate limit diagnosis"
	}
	return fmt.Sprintf("Rate limit diagnosis: %s (%d %s)", r.Causes[0].Cause, len(r.Findings), plural(len(r.Findings), "finding", "findings"))
}

// saveReport answers POST /reports: the wizard's Save & share button.
func (s *Server) saveReport(c echo.Context) error {
	st, err := s.readWizard(c)
	if err != nil {
		return err
	}
	if !st.answered() {
		return errBadRequest("There is nothing to save yet.", nil)
	}
	d, err := runDiagnosis(c.Request().Context(), st.inputs(), st.Symptoms, true)
	if err != nil {
		return err
	}
	st.runlogStandIns(d) // a database is described, never stored
	saved, err := s.save(c.Request().Context(), d, "")
	if err != nil {
		return err
	}
	// Max-Age, not Expires: the browser's clock decides, and the cookie
	// lives as long as the report.
	c.SetCookie(&http.Cookie{Name: deleteCookie(saved.ID), Value: saved.DeleteToken, Path: "/reports/" + saved.ID,
		MaxAge: int(s.cfg.Retention.Seconds()), HttpOnly: true, Secure: c.IsTLS(), SameSite: http.SameSiteStrictMode})
	return c.Redirect(http.StatusSeeOther, "/reports/"+saved.ID)
}

// ReportView is a saved report's page.
type ReportView struct {
	Layout    LayoutView
	ID        string
	Title     string
	Created   string
	Expires   string
	Permalink string
	Result    ResultView
	Inputs    []SavedInputView
	// DeleteToken is set for the saver's browser (from its cookie).
	DeleteToken string
}

// SavedInputView is one stored (redacted) input, shown in full.
type SavedInputView struct {
	Name  string
	Kind  string
	Code  CodeView
	Lines int
}

// maxShownLines bounds how much of one saved input the page prints.
const maxShownLines = 400

func newReportView(lib *content.Library, layout LayoutView, rep *store.Report, d *diagnosis, base, token, chartCSS string) ReportView {
	v := ReportView{Layout: layout, ID: rep.ID, Title: rep.Title, Created: rep.CreatedAt.UTC().Format("2 January 2006 15:04 UTC"),
		Expires: rep.ExpiresAt.UTC().Format("2 January 2006"), Permalink: base + "/reports/" + rep.ID, DeleteToken: token}
	v.Result = newResultView(lib, d, "/reports/"+rep.ID, true, chartCSS)
	kinds := map[string]diagnose.Kind{}
	for _, in := range d.Report.Inputs {
		kinds[in.Name] = in.Kind
	}
	for _, in := range rep.Inputs {
		lines := strings.Count(in.Text, "\n") + 1
		cv := wholeCode(in.Name, in.Text, kinds[in.Name])
		v.Inputs = append(v.Inputs, SavedInputView{Name: in.Name, Kind: in.Kind, Code: cv, Lines: lines})
	}
	return v
}

// wholeCode shows a whole (bounded) input with no marked line.
func wholeCode(name, text string, kind diagnose.Kind) CodeView {
	lines := strings.SplitAfter(text, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	return codeWindow(name, text, lines, kind, 1, min(len(lines), maxShownLines), 0, 0)
}

// baseURL is the site's public address: --base-url when set, else as the client reached it.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL // behind a proxy: the public URL from --base-url
	}
	return c.Scheme() + "://" + c.Request().Host
}

// showReport answers GET /reports/{id}, /reports/{id}.json and /reports/{id}.md.
func (s *Server) showReport(c echo.Context) error {
	id := c.Param("id")
	ext := ""
	for _, e := range []string{".json", ".md"} {
		if strings.HasSuffix(id, e) {
			id, ext = strings.TrimSuffix(id, e), e
		}
	}
	if !store.ValidID(id) {
		return errNotFound("There is no saved report at this address.")
	}
	if s.store == nil {
		return errNoStore
	}
	rep, err := s.store.GetReport(c.Request().Context(), id)
	if err != nil {
		return storeError(err)
	}
	var texts []savedText
	for _, in := range rep.Inputs {
		texts = append(texts, savedText{Name: in.Name, Kind: in.Kind, Text: in.Text})
	}
	d, err := diagnosisFromSaved(texts, rep.ReportJSON)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Cache-Control", "private, no-store")
	switch ext {
	case ".json":
		var buf bytes.Buffer
		if err := format.JSON(&buf, d.Report); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, buf.Bytes())
	case ".md":
		var buf bytes.Buffer
		if err := format.Markdown(&buf, markdownReport(d), format.Options{BaseURL: s.baseURL(c), Sources: d.sources(), Rules: diagnose.All}); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", buf.Bytes())
	}
	token := ""
	if ck, err := c.Cookie(deleteCookie(id)); err == nil {
		token = ck.Value
	}
	v := newReportView(s.lib, s.layout(rep.Title, SectionDiagnose), rep, d, s.baseURL(c), token, s.assets.URL("chart.css"))
	return s.render(c, http.StatusOK, ReportPage(v))
}

// sources are the redacted texts for the Markdown renderer.
func (d *diagnosis) sources() format.MemSources {
	m := format.MemSources{}
	for name, t := range d.Texts {
		m[name] = []byte(t)
	}
	return m
}

// markdownReport drops the edits of findings in inputs changed by masking:
// their offsets point into the raw text, which is not kept.
func markdownReport(d *diagnosis) *diagnose.Report {
	if len(d.Masked) == 0 {
		return d.Report
	}
	r := *d.Report
	r.Findings = slices.Clone(r.Findings)
	for i := range r.Findings {
		if slices.Contains(d.Masked, r.Findings[i].File) {
			r.Findings[i].Edits = nil
		}
	}
	return &r
}

// deleteReport answers POST /reports/{id}/delete with the delete token from
// the form or the saver's cookie.
func (s *Server) deleteReport(c echo.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return errNotFound("There is no saved report at this address.")
	}
	if s.store == nil {
		return errNoStore
	}
	token := strings.TrimSpace(c.FormValue("token"))
	if token == "" {
		if ck, err := c.Cookie(deleteCookie(id)); err == nil {
			token = ck.Value
		}
	}
	if token == "" {
		return &PageError{Status: http.StatusForbidden, Message: "Deleting a report needs the delete token you were given when it was saved."}
	}
	if err := s.store.DeleteReport(c.Request().Context(), id, token); err != nil {
		return storeError(err)
	}
	c.SetCookie(&http.Cookie{Name: deleteCookie(id), Value: "", Path: "/reports/" + id, MaxAge: -1, HttpOnly: true,
		Secure: c.IsTLS(), SameSite: http.SameSiteStrictMode, Expires: time.Unix(0, 0)})
	return s.render(c, http.StatusOK, ReportDeletedPage(s.layout("Report deleted", SectionDiagnose)))
}
