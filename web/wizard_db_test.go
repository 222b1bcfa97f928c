package web

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"

	_ "modernc.org/sqlite" // the "sqlite" driver, to write a database that is not a runtime log
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

	// "Skip this step" drops the step's answers, the database too.
	code, html = postWizardMultipart(t, s, "/diagnose", url.Values{"step": {stepHappened}, "skip": {stepResults}},
		[3]string{runlogField, "logs.db", string(db)})
	if code != http.StatusOK || strings.Contains(html, "RLD5202") || strings.Contains(html, runlogB64Field) {
		t.Errorf("skip kept the database: status %d", code)
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

// TestBrowserWizardRuntimeDB uploads a runtime log in chromium, with
// JavaScript (the file goes with the fetch's multipart POST; it is never
// read into a paste box) and without (plain form posts).
func TestBrowserWizardRuntimeDB(t *testing.T) {
	actx := startChromium(t, 5*time.Minute)
	s, _, _ := newDiagServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	shots := screenshotDir(t)
	dbPath := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(dbPath, runlogtest.Looping()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	upload := css(`[data-testid="runlog-upload"]`)

	t.Run("with JavaScript", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open wizard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.WaitVisible(css(`[data-testid="goto-happened"]`)))
		b.str(`window.__noReload = "yes"`)
		b.do("to step 3", chromedp.Click(css(`[data-testid="goto-happened"]`)), chromedp.WaitVisible(upload))

		// Too big for the wizard: refused in the browser, pointing at the CLI.
		b.str(`document.querySelector('[data-testid="runlog-upload"]').dataset.maxBytes = "100"`)
		b.do("pick an oversize db", chromedp.SetUploadFiles(upload, []string{dbPath}), chromedp.WaitVisible(css(`[data-testid="runlog-picked"]`)))
		if msg := b.str(`document.querySelector('[data-testid="runlog-picked"]').textContent`); !strings.Contains(msg, "ratelimit-doctor diagnose") ||
			b.num(`document.querySelector('[data-testid="runlog-upload"]').files.length`) != 0 {
			t.Errorf("oversize db: message %q, input not emptied", msg)
		}
		b.str(`document.querySelector('[data-testid="runlog-upload"]').dataset.maxBytes = "` + strconv.Itoa(5<<20) + `"`)

		// Picked: name and size shown, Remove empties the input.
		b.do("pick the db", chromedp.SetUploadFiles(upload, []string{dbPath}), chromedp.WaitVisible(css(`[data-testid="runlog-clear"]`)))
		picked := b.str(`document.querySelector('[data-testid="runlog-picked"]').textContent`)
		if !strings.Contains(picked, "logs.db") || !strings.Contains(picked, fmt.Sprintf("%d KB", (fi.Size()+512)/1024)) {
			t.Errorf("picked shows %q (file %d bytes)", picked, fi.Size())
		}
		if v := b.str(`document.querySelector('[data-testid="log-input"]').value`); v != "" {
			t.Errorf("the database was read into the log box: %.60q", v)
		}
		b.saveElement(`[data-runlog]`, "wizard-runlog-picked-1280-light.png")
		b.do("remove", chromedp.Click(css(`[data-testid="runlog-clear"]`)))
		if b.num(`document.querySelector('[data-testid="runlog-upload"]').files.length`) != 0 || !b.boolean(`document.querySelector('[data-testid="runlog-picked"]').hidden`) {
			t.Error("Remove left the file picked")
		}

		// Picked again and sent: the results come from the database.
		b.do("pick again", chromedp.SetUploadFiles(upload, []string{dbPath}), chromedp.WaitVisible(css(`[data-testid="runlog-clear"]`)))
		b.do("results", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-results"]`)))
		if b.str(`window.__noReload || ""`) != "yes" {
			t.Error("the upload reloaded the page; with JavaScript it goes by fetch")
		}
		if !b.boolean(`!!document.querySelector('[data-rule="RLD1201"]')`) || !b.boolean(`!!document.querySelector('[data-testid="evidence"]')`) {
			b.save("runlog-results-missing.png")
			t.Fatalf("no runtime findings or evidence: %.600s", b.str(`document.querySelector('[data-testid="step-results"]').innerText`))
		}
		b.save("results-runlog-1280-light.png")

		// Back to step 3: the carried database is shown, with Remove.
		b.do("back to step 3", chromedp.Click(css(`[data-testid="goto-happened"]`)), chromedp.WaitVisible(css(`[data-testid="runlog-carried"]`)))
		b.do("remove carried", chromedp.Click(css(`[data-testid="runlog-remove"]`)), chromedp.WaitVisible(css(`[data-testid="step-happened"]`)))
		if b.boolean(`!!document.querySelector('[data-testid="runlog-carried"]') || !!document.querySelector('input[name="runlog_b64"]')`) {
			t.Error("Remove kept the carried database")
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("a database among the setup uploads", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("open wizard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/diagnose"),
			chromedp.WaitVisible(css(`[data-testid="goto-setup"]`)))
		b.do("to step 2", chromedp.Click(css(`[data-testid="goto-setup"]`)), chromedp.WaitVisible(css(`[data-testid="upload"]`)))
		script := filepath.Join(t.TempDir(), "agents.py")
		if err := os.WriteFile(script, []byte(loopScript), 0o644); err != nil {
			t.Fatal(err)
		}
		b.do("upload both", chromedp.SetUploadFiles(css(`[data-testid="upload"]`), []string{script, dbPath}),
			chromedp.Poll[chromedp.Void](`document.querySelector('[data-testid="paste-input"]').value !== ""`))
		if got := b.str(`Array.from(document.querySelectorAll('[data-testid="paste-input"]')).map(t => t.value.slice(0, 15)).join("|")`); strings.Contains(got, "SQLite") {
			t.Errorf("the database was read into a paste box: %q", got)
		}
		if got := b.str(`Array.from(document.querySelector('[data-testid="upload"]').files).map(f => f.name).join(",")`); got != "logs.db" {
			t.Errorf("the upload input holds %q, want the database only", got)
		}
		b.do("to step 3", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="runlog-carried"]`)))
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		b, done := newBrowserSession(t, actx, shots)
		defer done()
		b.do("disable scripts", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
		b.do("open wizard", chromedp.Navigate(srv.URL+"/diagnose"), chromedp.WaitVisible(css(`[data-testid="goto-happened"]`)))
		b.do("to step 3", chromedp.Click(css(`[data-testid="goto-happened"]`)), chromedp.WaitVisible(upload))
		b.do("pick the db", chromedp.SetUploadFiles(upload, []string{dbPath}))
		b.do("results", chromedp.Click(css(`[data-testid="wizard-next"]`)), chromedp.WaitVisible(css(`[data-testid="step-results"]`)))
		if !b.boolean(`!!document.querySelector('[data-rule="RLD1201"]')`) {
			t.Fatalf("no runtime findings without JavaScript: %.600s", b.str(`document.body.innerText`))
		}
	})
}

// TestWizardOtherSQLite: a SQLite database that is not an AutoGen runtime log
// reaches the engine, and the results say plainly why it was not read.
func TestWizardOtherSQLite(t *testing.T) {
	s, _, _ := newDiagServer(t)
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hi')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, html := postWizardMultipart(t, s, "/diagnose", url.Values{"step": {stepHappened}, "go": {stepResults}},
		[3]string{runlogField, "app.db", string(b)})
	if code != http.StatusOK {
		t.Fatalf("status %d: %.300s", code, html)
	}
	if !strings.Contains(html, `data-testid="input-summary"><code>app.db</code>`) || !strings.Contains(html, "not an AutoGen runtime log") {
		t.Errorf("the results do not say the database is not a runtime log: %.2000s", html)
	}
}
