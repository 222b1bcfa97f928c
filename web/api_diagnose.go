package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// apiDiagnose answers POST /api/v1/diagnose: JSON {"files":[{"name","content"}]}
// (optionally "symptoms") or a multipart upload → the DESIGN.md JSON report.
// Nothing is stored.
func (s *Server) apiDiagnose(c echo.Context) error {
	ins, syms, _, err := s.readAPIInputs(c)
	if err != nil {
		return err
	}
	// The engine runs every time unless --diagnosis-cache is on (diagcache.go).
	e, err := s.diagnoseCached(c.Request().Context(), ins, syms, false)
	if err != nil {
		return err
	}
	s.ObserveDiagnosis(e.d.Report) // metrics: diagnoses by cause
	body, err := e.reportJSON()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, body)
}

// SavedJSON is the answer of POST /api/v1/reports.
type SavedJSON struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	DeleteToken string `json:"delete_token"`
	ExpiresAt   string `json:"expires_at"`
}

// apiSaveReport answers POST /api/v1/reports: same body as diagnose; the
// redacted inputs and the report are saved → 201 {"id","url","delete_token"}.
func (s *Server) apiSaveReport(c echo.Context) error {
	if s.store == nil {
		return errNoStore
	}
	ins, syms, title, err := s.readAPIInputs(c)
	if err != nil {
		return err
	}
	d, err := runDiagnosis(c.Request().Context(), ins, syms, true)
	if err != nil {
		return err
	}
	s.ObserveDiagnosis(d.Report) // metrics: diagnoses by cause
	saved, err := s.save(c.Request().Context(), d, title)
	if err != nil {
		return err
	}
	url := s.baseURL(c) + "/reports/" + saved.ID
	c.Response().Header().Set(echo.HeaderLocation, url)
	return c.JSON(http.StatusCreated, SavedJSON{ID: saved.ID, URL: url, DeleteToken: saved.DeleteToken,
		ExpiresAt: saved.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z")})
}

// apiGetReport answers GET /api/v1/reports/{id}: the saved report's JSON.
func (s *Server) apiGetReport(c echo.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return errNotFound("No saved report has this id.")
	}
	c.SetParamValues(id + ".json")
	return s.showReport(c)
}

// apiDeleteReport answers DELETE /api/v1/reports/{id} with the token in the
// X-Delete-Token header (kept out of URLs, which end up in logs).
func (s *Server) apiDeleteReport(c echo.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return errNotFound("No saved report has this id.")
	}
	if s.store == nil {
		return errNoStore
	}
	token := strings.TrimSpace(c.Request().Header.Get("X-Delete-Token"))
	if token == "" {
		return &PageError{Status: http.StatusForbidden, Message: "Send the delete token in the X-Delete-Token header."}
	}
	if err := s.store.DeleteReport(c.Request().Context(), id, token); err != nil {
		return storeError(err)
	}
	return c.NoContent(http.StatusNoContent)
}
