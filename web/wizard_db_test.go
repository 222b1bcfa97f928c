package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

// runlogDB writes a fixture runtime-log database and returns its bytes.
func runlogDB(t testing.TB, fx *runlogtest.Fixture) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(path, fx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// postWizardMultipart posts the wizard form as the browser does
// (multipart/form-data), with fields and one file per entry of files.
func postWizardMultipart(t testing.TB, s *Server, target string, fields url.Values, files ...[3]string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files { // field, file name, content
		fw, err := mw.CreateFormFile(f[0], f[1])
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(f[2]))
	}
	mw.Close()
	rec := send(t, s, http.MethodPost, target, mw.FormDataContentType(), body.Bytes())
	return rec.Code, rec.Body.String()
}

// hiddenFields reads the wizard form's hidden fields back as the next
// step's form values, as a browser would send them.
func hiddenFields(t testing.TB, html string) url.Values {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	vals := url.Values{}
	doc.Find(`#wizard-form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		v, _ := s.Attr("value")
		if name != "" {
			vals.Add(name, v)
		}
	})
	return vals
}

// TestWizardRuntimeDB walks the wizard with an uploaded runtime log: it is
// accepted on "What happened", carried to Results in hidden fields, read by
// the engine (runtime findings and evidence), and saved as a text stand-in.
func TestWizardRuntimeDB(t *testing.T) {
	s, st, _ := newDiagServer(t)
	db := runlogDB(t, runlogtest.QuotaFailure())

	// Step 3 → the database is uploaded on "What happened" and the person
	// goes back to "Your setup": the database must survive that round trip.
	code, html := postWizardMultipart(t, s, "/diagnose", url.Values{"step": {stepHappened}, "go": {stepSetup}, "log": {""}},
		[3]string{runlogField, "logs.db", string(db)})
	if code != http.StatusOK {
		t.Fatalf("upload: status %d: %s", code, html)
	}
	hidden := hiddenFields(t, html)
	if hidden.Get(runlogNameField) != "logs.db" {
		t.Fatalf("runlog name not carried: %v", hidden[runlogNameField])
	}
	got, err := base64.StdEncoding.DecodeString(hidden.Get(runlogB64Field))
	if err != nil || !bytes.Equal(got, db) {
		t.Fatalf("runlog not carried intact (err %v, %d bytes of %d)", err, len(got), len(db))
	}

	// Forward to "What happened": the carried file is shown with Remove.
	hidden.Set("go", stepHappened)
	code, html = postWizardMultipart(t, s, "/diagnose", hidden)
	if code != http.StatusOK || !strings.Contains(html, `data-testid="runlog-carried"`) || !strings.Contains(html, "logs.db") {
		t.Fatalf("happened with carried runlog: status %d, shown %v", code, strings.Contains(html, "runlog-carried"))
	}

	// Results: the runtime evidence and the quota finding from the database.
	hidden = hiddenFields(t, html)
	hidden.Set("go", stepResults)
	code, html = postWizardMultipart(t, s, "/diagnose", hidden)
	if code != http.StatusOK {
		t.Fatalf("results: status %d: %s", code, html)
	}
	for _, want := range []string{"RLD5202", `data-testid="evidence"`} {
		if !strings.Contains(html, want) {
			t.Errorf("results lack %q", want)
		}
	}

	// Save & share stores a text stand-in for the database, never its bytes.
	res := hiddenFields(t, html)
	rec := send(t, s, http.MethodPost, "/reports", "application/x-www-form-urlencoded", []byte(res.Encode()))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: status %d: %s", rec.Code, rec.Body.String())
	}
	id := strings.TrimPrefix(rec.Header().Get("Location"), "/reports/")
	rep, err := st.GetReport(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var stored bool
	for _, in := range rep.Inputs {
		if strings.Contains(in.Text, "SQLite format") || strings.ContainsRune(in.Text, 0) {
			t.Errorf("input %s stored binary", in.Name)
		}
		if in.Name == "logs.db" {
			stored = true
			if !strings.Contains(in.Text, "AutoGen runtime log") || !strings.Contains(in.Text, "not stored") {
				t.Errorf("stand-in %q", in.Text)
			}
		}
	}
	if !stored {
		t.Errorf("saved inputs %+v lack logs.db", rep.Inputs)
	}
	if bytes.Contains(rep.ReportJSON, []byte("SQLite format")) {
		t.Error("report JSON holds the database")
	}

	// Remove drops it: the next page carries no database.
	hidden.Del("go")
	hidden.Set("step", stepHappened)
	hidden.Set(runlogDropField, "1")
	code, html = postWizardMultipart(t, s, "/diagnose", hidden)
	if code != http.StatusOK || strings.Contains(html, runlogB64Field) || !strings.Contains(html, `data-testid="step-happened"`) {
		t.Fatalf("remove: status %d, still carried %v", code, strings.Contains(html, runlogB64Field))
	}
}

// TestWizardRuntimeDBRejected: what is not a runtime log database, or is too
// large, gets a clear 4xx and never reaches the engine.
func TestWizardRuntimeDBRejected(t *testing.T) {
	s, _, _ := newDiagServer(t, func(c *Config) { c.MaxTextBytes = 64 << 10 })
	db := runlogDB(t, runlogtest.QuotaFailure())
	big := append(bytes.Clone(sqliteMagic), bytes.Repeat([]byte{1}, 70<<10)...)
	step := url.Values{"step": {stepHappened}, "go": {stepResults}}
	cases := []struct {
		name   string
		fields url.Values
		files  [][3]string
		status int
		msg    string
	}{
		{"text renamed .db", step, [][3]string{{runlogField, "logs.db", "print('hello')\n"}}, http.StatusUnsupportedMediaType, "is not a SQLite database"},
		{"text in the runlog field", step, [][3]string{{runlogField, "notes.txt", "hello"}}, http.StatusUnsupportedMediaType, "is not a SQLite database"},
		{"oversize upload", step, [][3]string{{runlogField, "logs.db", string(big)}}, http.StatusRequestEntityTooLarge, "ratelimit-doctor diagnose"},
		{"db in the setup upload field, oversize", step, [][3]string{{"upload", "run.sqlite", string(big)}}, http.StatusRequestEntityTooLarge, "/api/v1/diagnose"},
		{"two databases", step, [][3]string{{runlogField, "a.db", string(db)}, {"upload", "b.db", string(db)}}, http.StatusBadRequest, "one runtime log"},
		{"hidden not base64", url.Values{"step": {stepHappened}, "go": {stepResults}, runlogNameField: {"logs.db"}, runlogB64Field: {"%%%not base64"}},
			nil, http.StatusBadRequest, "upload it again"},
		{"hidden not SQLite", url.Values{"step": {stepHappened}, "go": {stepResults}, runlogNameField: {"logs.db"}, runlogB64Field: {base64.StdEncoding.EncodeToString([]byte("just text, no header"))}},
			nil, http.StatusUnsupportedMediaType, "is not a SQLite database"},
		{"hidden oversize", url.Values{"step": {stepHappened}, "go": {stepResults}, runlogNameField: {"logs.db"}, runlogB64Field: {base64.StdEncoding.EncodeToString(big)}},
			nil, http.StatusRequestEntityTooLarge, "too large for the wizard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, html := postWizardMultipart(t, s, "/diagnose", tc.fields, tc.files...)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %.300s", code, tc.status, html)
			}
			if !strings.Contains(html, tc.msg) {
				t.Errorf("message lacks %q: %.600s", tc.msg, html)
			}
			if strings.Contains(html, "RLD5202") {
				t.Error("the engine ran on a rejected database")
			}
		})
	}

	// A real database under the limit goes through, also from the setup
	// step's upload field (a browser without JavaScript may send it there).
	code, html := postWizardMultipart(t, s, "/diagnose", step, [3]string{"upload", "logs.sqlite", string(db)})
	if code != http.StatusOK || !strings.Contains(html, "RLD5202") {
		t.Fatalf("db in upload field: status %d, RLD5202 %v", code, strings.Contains(html, "RLD5202"))
	}
	// A GET link never carries a database.
	rec := get(t, s, "/diagnose?step=setup&runlog_name=logs.db&runlog_b64="+url.QueryEscape(base64.StdEncoding.EncodeToString(db)))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), runlogB64Field) {
		t.Fatalf("GET carried a database: status %d", rec.Code)
	}
}
