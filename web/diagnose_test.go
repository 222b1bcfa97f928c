package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
	"github.com/ratelimit-doctor/ratelimit-doctor/web/store"
)

// loopScript is an AutoGen 0.2 pair that can reply to each other forever:
// RLD1001 flags line 9 (the proxy with no cap and no termination check).
const loopScript = `import os
import autogen

llm_config = {"config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}]}

assistant = autogen.AssistantAgent(name="assistant", llm_config=llm_config)

# Answers on its own, never asks a human.
proxy = autogen.UserProxyAgent(
    name="proxy",
    human_input_mode="NEVER",
    code_execution_config=False,
)

proxy.initiate_chat(assistant, message="Plan a trip to Paris.")
`

// quotaTraceback is the insufficient_quota 429 as the openai client prints it.
const quotaTraceback = `Traceback (most recent call last):
  File "/home/me/agents/main.py", line 20, in <module>
    user_proxy.initiate_chat(assistant, message=task)
openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}
`

// fakeKey is a made-up key shaped like an OpenAI project key.
const fakeKey = "sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVcXz"

// testClock is a settable time for the store's expiry tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newDiagServer is a test server with a SQLite store in a temp dir, no rate
// limit (tests post many times from one address) and its own clock.
func newDiagServer(t testing.TB, tweak ...func(*Config)) (*Server, store.Store, *testClock) {
	t.Helper()
	clk := &testClock{t: time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)}
	cfg := DefaultConfig()
	cfg.RateLimit = 0
	for _, f := range tweak {
		f(&cfg)
	}
	st, err := store.OpenSQLite(context.Background(), t.TempDir(), store.Options{Now: clk.now, Redact: redact.String,
		DefaultTTL: cfg.Retention, MaxTTL: cfg.Retention})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := New(cfg, Deps{Library: testLibrary(t), Logger: discardLogger(), Store: st})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, st, clk
}

// send runs one request through the whole stack.
func send(t testing.TB, s *Server, method, target, contentType string, body []byte, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func postForm(t testing.TB, s *Server, target string, form url.Values, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return send(t, s, http.MethodPost, target, "application/x-www-form-urlencoded", []byte(form.Encode()), header...)
}

func postJSON(t testing.TB, s *Server, target string, v any) *httptest.ResponseRecorder {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, s, http.MethodPost, target, "application/json", b)
}

func files(nameContent ...string) map[string]any {
	var fs []map[string]string
	for i := 0; i+1 < len(nameContent); i += 2 {
		fs = append(fs, map[string]string{"name": nameContent[i], "content": nameContent[i+1]})
	}
	return map[string]any{"files": fs}
}

func wantStatus(t testing.TB, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; body: %.400s", rec.Code, want, rec.Body.String())
	}
}

func TestWizardFirstStepAndPrefill(t *testing.T) {
	s, _, _ := newDiagServer(t)
	rec := get(t, s, "/diagnose")
	wantStatus(t, rec, 200)
	doc := parse(t, rec)
	if doc.Find(testid("step-seeing")).Length() != 1 || doc.Find(testid("recognised")).Length() != 0 {
		t.Fatal("first step should show the error box and nothing recognised yet")
	}
	if n := doc.Find(`input[name="symptom"]`).Length(); n != len(diagnose.Symptoms()) {
		t.Errorf("%d symptom boxes, want %d", n, len(diagnose.Symptoms()))
	}

	// A team's error handler links straight in with ?error=…
	q := url.Values{"error": {typicalError}, "symptom": {"after-turns"}}
	doc = parse(t, get(t, s, "/diagnose?"+q.Encode()))
	if got := doc.Find(testid("error-input")).Text(); got != typicalError {
		t.Errorf("error box not prefilled: %q", got)
	}
	if got := doc.Find(testid("recognised-provider")).Text(); got != "OpenAI" {
		t.Errorf("provider = %q, want OpenAI", got)
	}
	if got := doc.Find(testid("recognised-kind")).Text(); got != "requests per minute" {
		t.Errorf("kind = %q", got)
	}
	if got := doc.Find(testid("recognised-numbers")).Text(); !strings.Contains(got, "limit 3") || !strings.Contains(got, "used 3") {
		t.Errorf("numbers = %q, want limit 3 and used 3", got)
	}
	if _, ok := doc.Find(testid("symptom-after-turns")).Attr("checked"); !ok {
		t.Error("symptom from the URL not checked")
	}
	if _, ok := doc.Find(testid("symptom-first-call")).Attr("checked"); ok {
		t.Error("symptom not in the URL is checked")
	}
	// Links never run a diagnosis (only POSTs do, under --rate-limit).
	doc = parse(t, get(t, s, "/diagnose?step=results&"+q.Encode()))
	if doc.Find(testid("step-seeing")).Length() != 1 || doc.Find(testid("verdict")).Length() != 0 {
		t.Error("GET ?step=results ran the diagnosis")
	}
}

// TestWizardWalk goes through every step with plain form posts (no
// JavaScript), checking that each answer survives the steps after it.
func TestWizardWalk(t *testing.T) {
	s, _, _ := newDiagServer(t)
	form := url.Values{"step": {"seeing"}, "error": {quotaTraceback}, "go": {"setup"}}
	doc := parse(t, postForm(t, s, "/diagnose", form))
	if doc.Find(testid("step-setup")).Length() != 1 {
		t.Fatal("Next did not reach the setup step")
	}
	if v, _ := doc.Find(`input[type="hidden"][name="error"]`).Attr("value"); !strings.Contains(v, "insufficient_quota") {
		t.Fatalf("error not kept as a hidden field: %q", v)
	}

	form = url.Values{"step": {"setup"}, "error": {quotaTraceback}, "paste_name": {"agents.py", ""}, "paste": {loopScript, ""}, "go": {"happened"}}
	doc = parse(t, postForm(t, s, "/diagnose", form))
	if doc.Find(testid("step-happened")).Length() != 1 {
		t.Fatal("did not reach the third step")
	}
	sum := doc.Find(testid("setup-summary"))
	if !strings.Contains(sum.Text(), "agents.py") || sum.Find(testid("input-generation")).Text() != "AutoGen 0.2" {
		t.Errorf("setup summary = %q, want agents.py read as AutoGen 0.2", strings.Join(strings.Fields(sum.Text()), " "))
	}
	if doc.Find(`input[type="hidden"][name="paste"]`).Length() != 1 {
		t.Error("the paste is not carried as one hidden field")
	}

	form = url.Values{"step": {"happened"}, "error": {quotaTraceback}, "paste_name": {"agents.py"}, "paste": {loopScript}, "log": {""}, "go": {"results"}}
	doc = parse(t, postForm(t, s, "/diagnose", form))
	if doc.Find(testid("step-results")).Length() != 1 {
		t.Fatal("did not reach the results")
	}
	if got, _ := doc.Find(testid("verdict")).Attr("data-cause"); got != "low-quota" {
		t.Errorf("verdict %q, want low-quota (insufficient_quota says the credit is spent)", got)
	}
	var causes []string
	doc.Find(testid("cause-card")).Each(func(_ int, c *goquerySel) { causes = append(causes, c.AttrOr("data-cause", "")) })
	if !slices.Contains(causes, "loop") {
		t.Errorf("cause cards %v, want loop among them", causes)
	}
	// The verdict says why once; the first card (the same cause) does not
	// repeat it, the other cards give their own reason.
	if doc.Find(".verdict-why").Length() != 1 {
		t.Error("the verdict gives no reason")
	}
	cards := doc.Find(testid("cause-card"))
	if cards.First().Find(".cause-reason").Length() != 0 || cards.Eq(1).Find(".cause-reason").Length() != 1 {
		t.Errorf("reasons on cards: first %d, second %d; want 0 and 1", cards.First().Find(".cause-reason").Length(), cards.Eq(1).Find(".cause-reason").Length())
	}
	loop := doc.Find(`[data-testid="finding"][data-rule="RLD1001"]`)
	if loop.Length() == 0 {
		t.Fatal("no RLD1001 finding card")
	}
	if got := loop.Find(testid("marked-line")).First().AttrOr("data-line", ""); got != "9" {
		t.Errorf("marked line %q, want 9 (the proxy)", got)
	}
	if loop.Find(".code-excerpt .chroma .k, .code-excerpt .chroma .nb, .code-excerpt .chroma .s2").Length() == 0 {
		t.Error("code excerpt has no chroma token classes")
	}
	if loop.Find(testid("diff")).Find(".diff-add").Length() == 0 {
		t.Error("no fix diff with added lines")
	}
	if href := loop.Find(testid("finding-article")).AttrOr("href", ""); href != "/articles/agent-loops" {
		t.Errorf("article link %q", href)
	}
	if doc.Find(`form[action="/votes"] input[name="rule"][value="RLD1001"]`).Length() != 1 {
		t.Error("no vote form for RLD1001")
	}
	if doc.Find(testid("save-share")).Length() != 1 {
		t.Error("no Save & share button")
	}
}

func TestWizardSkipDropsTheStep(t *testing.T) {
	s, _, _ := newDiagServer(t)
	form := url.Values{"step": {"seeing"}, "error": {quotaTraceback}, "symptom": {"first-call"}, "skip": {"setup"}}
	doc := parse(t, postForm(t, s, "/diagnose", form))
	if doc.Find(testid("step-setup")).Length() != 1 {
		t.Fatal("skip did not move on")
	}
	if v := doc.Find(`input[type="hidden"][name="error"]`).AttrOr("value", "x"); v != "" {
		t.Errorf("skipped error kept: %q", v)
	}
	if doc.Find(`input[type="hidden"][name="symptom"]`).Length() != 0 {
		t.Error("skipped symptom kept")
	}
	// Back keeps answers.
	form = url.Values{"step": {"setup"}, "error": {"x"}, "paste": {loopScript}, "go": {"seeing"}}
	doc = parse(t, postForm(t, s, "/diagnose", form))
	if doc.Find(testid("error-input")).Text() != "x" || doc.Find(`input[type="hidden"][name="paste"]`).Length() != 1 {
		t.Error("Back lost an answer")
	}
}

func TestWizardAnswersAlone(t *testing.T) {
	s, _, _ := newDiagServer(t)
	doc := parse(t, postForm(t, s, "/diagnose", url.Values{"step": {"happened"}, "symptom": {"concurrent"}, "go": {"results"}}))
	if got := doc.Find(testid("verdict")).AttrOr("data-cause", ""); got != "shared-key" {
		t.Errorf("verdict from 'several at once' = %q, want shared-key", got)
	}
	if doc.Find(testid("answers-only")).Length() != 1 || doc.Find(testid("next")).Find("li").Length() == 0 {
		t.Error("answers alone must say so and say what to paste")
	}
	doc = parse(t, postForm(t, s, "/diagnose", url.Values{"step": {"happened"}, "go": {"results"}}))
	if doc.Find(testid("results-empty")).Length() != 1 {
		t.Error("no answers at all should ask for something")
	}
	rec := postForm(t, s, "/diagnose", url.Values{"step": {"seeing"}, "symptom": {"made-up"}, "go": {"setup"}})
	wantStatus(t, rec, http.StatusBadRequest)
}

func TestWizardFragment(t *testing.T) {
	s, _, _ := newDiagServer(t)
	rec := postForm(t, s, "/diagnose", url.Values{"step": {"seeing"}, "go": {"setup"}}, fragmentHeader, "1")
	wantStatus(t, rec, 200)
	body := rec.Body.String()
	if !strings.HasPrefix(strings.TrimSpace(body), `<div id="wizard"`) || strings.Contains(body, "<html") {
		t.Fatalf("fragment is not just the wizard: %.200s", body)
	}
	rec = postForm(t, s, "/diagnose/recognize", url.Values{"error": {quotaTraceback}}, fragmentHeader, "1")
	wantStatus(t, rec, 200)
	if !strings.Contains(rec.Body.String(), "insufficient quota") {
		t.Errorf("recognize fragment: %s", rec.Body.String())
	}
	rec = postForm(t, s, "/diagnose/recognize?part=setup", url.Values{"paste": {loopScript}}, fragmentHeader, "1")
	if !strings.Contains(rec.Body.String(), "AutoGen 0.2") {
		t.Errorf("setup fragment: %s", rec.Body.String())
	}
}

// TestPastedMarkupStaysText: a <script> in any input is shown as text.
func TestPastedMarkupStaysText(t *testing.T) {
	s, _, _ := newDiagServer(t)
	evil := `<script>alert("x")</script>`
	script := strings.Replace(loopScript, `"Plan a trip to Paris."`, `"`+evil+`"`, 1)
	script = strings.Replace(script, `name="proxy",`, `name="proxy", # `+evil, 1)
	form := url.Values{"step": {"happened"}, "error": {evil + "\n" + quotaTraceback}, "paste_name": {evil + ".py"}, "paste": {script}, "log": {evil}, "go": {"results"}}
	rec := postForm(t, s, "/diagnose", form)
	wantStatus(t, rec, 200)
	if strings.Contains(rec.Body.String(), "<script>alert") {
		t.Fatal("pasted <script> reached the page unescaped")
	}
	doc := parse(t, rec)
	if !strings.Contains(doc.Find(testid("code-excerpt")).Text(), evil) {
		t.Error("the pasted markup is not shown as text in the code excerpt")
	}
	// and in a saved report
	rec = postJSON(t, s, "/api/v1/reports", files("agents.py", script, "error.log", evil+"\n"+quotaTraceback))
	wantStatus(t, rec, 201)
	var saved SavedJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &saved)
	rec = get(t, s, "/reports/"+saved.ID)
	wantStatus(t, rec, 200)
	if strings.Contains(rec.Body.String(), "<script>alert") {
		t.Fatal("pasted <script> reached the saved report unescaped")
	}
}

// TestKeysMaskedServerSide: without JavaScript the raw key reaches the
// server; it must not come back in any page, hidden field or saved report.
func TestKeysMaskedServerSide(t *testing.T) {
	s, _, _ := newDiagServer(t)
	script := strings.Replace(loopScript, `os.environ["OPENAI_API_KEY"]`, `"`+fakeKey+`"`, 1)
	for _, step := range []string{"setup", "happened", "results"} {
		form := url.Values{"step": {"seeing"}, "error": {"key " + fakeKey}, "paste": {script}, "log": {"Authorization: Bearer " + fakeKey}, "go": {step}}
		rec := postForm(t, s, "/diagnose", form)
		wantStatus(t, rec, 200)
		if strings.Contains(rec.Body.String(), fakeKey) || strings.Contains(rec.Body.String(), fakeKey[10:30]) {
			t.Fatalf("step %s: the key came back in the page", step)
		}
		if !strings.Contains(rec.Body.String(), "masked before sending") {
			t.Errorf("step %s: no note that keys were masked", step)
		}
	}
	rec := postJSON(t, s, "/api/v1/reports", files("agents.py", script))
	wantStatus(t, rec, 201)
	var saved SavedJSON
	_ = json.Unmarshal(rec.Body.Bytes(), &saved)
	for _, suffix := range []string{"", ".json", ".md"} {
		rec := get(t, s, "/reports/"+saved.ID+suffix)
		wantStatus(t, rec, 200)
		if strings.Contains(rec.Body.String(), fakeKey[10:30]) {
			t.Errorf("/reports/%s%s shows the key", saved.ID, suffix)
		}
	}
}

func TestAPIDiagnose(t *testing.T) {
	s, _, _ := newDiagServer(t)
	rec := postJSON(t, s, "/api/v1/diagnose", files("agents.py", loopScript))
	wantStatus(t, rec, 200)
	var rep diagnose.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("not a report: %v", err)
	}
	if rep.Version != 1 || len(rep.Causes) == 0 || rep.Causes[0].Cause != "loop" || rep.Inputs[0].Kind != "python" {
		t.Errorf("report = %+v", rep)
	}
	// symptoms alone are an input too
	rec = postJSON(t, s, "/api/v1/diagnose", map[string]any{"files": []any{}, "symptoms": []string{"insufficient-quota"}})
	wantStatus(t, rec, 200)

	// multipart upload
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "agents.py")
	fw.Write([]byte(loopScript))
	fw, _ = mw.CreateFormFile("file", "error.log")
	fw.Write([]byte(quotaTraceback))
	mw.Close()
	rec = send(t, s, http.MethodPost, "/api/v1/diagnose", mw.FormDataContentType(), body.Bytes())
	wantStatus(t, rec, 200)
	rep = diagnose.Report{}
	_ = json.Unmarshal(rec.Body.Bytes(), &rep)
	if len(rep.Inputs) != 2 || rep.Causes[0].Cause != "low-quota" {
		t.Errorf("multipart report: inputs %+v causes %+v", rep.Inputs, rep.Causes)
	}
}

// TestAPIErrors: bad input gets JSON {"error"} with the right status, never a 500.
func TestAPIErrors(t *testing.T) {
	s, _, _ := newDiagServer(t, func(c *Config) { c.MaxTextBytes = 2000; c.MaxUploadBytes = 3000 })
	big := strings.Repeat("x = 1\n", 600)
	multipartBody := func(name, content string) (string, []byte) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		return mw.FormDataContentType(), b.Bytes()
	}
	binCT, binBody := multipartBody("data.py", "\x00\x01\x02binary")
	exeCT, exeBody := multipartBody("tool.exe", "MZ")
	bigCT, bigBody := multipartBody("big.py", strings.Repeat("y = 2\n", 1000))
	tests := []struct {
		name, ct string
		body     []byte
		status   int
		msg      string
	}{
		{"malformed JSON", "application/json", []byte(`{"files": [`), 400, "cut short"},
		{"syntax error", "application/json", []byte(`{"files": [}`), 400, "syntax error"},
		{"wrong shape", "application/json", []byte(`{"files": "agents.py"}`), 400, "wrong type"},
		{"no files", "application/json", []byte(`{"files": []}`), 400, "No input"},
		{"blank files", "application/json", []byte(`{"files": [{"name":"a.py","content":"  "}]}`), 400, "No input"},
		{"unknown symptom", "application/json", []byte(`{"files": [{"name":"a.py","content":"x=1"}], "symptoms": ["nope"]}`), 400, "Unknown symptom"},
		{"two values", "application/json", []byte(`{"files": [{"name":"a.py","content":"x=1"}]} {}`), 400, "more than one"},
		{"too large JSON", "application/json", mustJSON(files("a.py", big)), 413, "too much text"},
		{"too large upload", bigCT, bigBody, 413, "too much text"},
		{"no content type", "", []byte(`{}`), 415, "application/json"},
		{"text/plain", "text/plain", []byte("x"), 415, "not accepted"},
		{"binary upload", binCT, binBody, 415, "not a text file"},
		{"exe upload", exeCT, exeBody, 415, "not read"},
		{"broken multipart", "multipart/form-data; boundary=zzz", []byte("garbage"), 400, "multipart"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/api/v1/diagnose", "/api/v1/reports"} {
				rec := send(t, s, http.MethodPost, path, tt.ct, tt.body)
				if rec.Code != tt.status {
					t.Fatalf("%s: status %d, want %d: %s", path, rec.Code, tt.status, rec.Body.String())
				}
				var e struct{ Error string }
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, tt.msg) {
					t.Errorf("%s: body %s, want JSON error containing %q", path, rec.Body.String(), tt.msg)
				}
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestSaveLoadExpireDelete(t *testing.T) {
	s, _, clk := newDiagServer(t)
	rec := postJSON(t, s, "/api/v1/reports", files("agents.py", loopScript))
	wantStatus(t, rec, 201)
	var saved SavedJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); err != nil {
		t.Fatal(err)
	}
	if len(saved.ID) < 22 || saved.DeleteToken == "" || !strings.HasSuffix(saved.URL, "/reports/"+saved.ID) {
		t.Fatalf("saved = %+v (the id must carry at least 128 bits)", saved)
	}
	doc := parse(t, get(t, s, "/reports/"+saved.ID))
	if doc.Find(testid("verdict")).AttrOr("data-cause", "") != "loop" || doc.Find(testid("saved-input")).Length() != 1 {
		t.Error("saved report page lacks its verdict or its input")
	}
	if doc.Find(testid("owner-panel")).Length() != 0 {
		t.Error("the delete token is shown to a reader without the saver's cookie")
	}
	if doc.Find(`[data-rule="RLD1001"] `+testid("diff")).Length() == 0 {
		t.Error("saved report lost the fix diff")
	}
	rec = get(t, s, "/reports/"+saved.ID+".json")
	wantStatus(t, rec, 200)
	var rep diagnose.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rep.Version != 1 || rep.Causes[0].Cause != "loop" {
		t.Errorf(".json: %v %+v", err, rep)
	}
	rec = get(t, s, "/reports/"+saved.ID+".md")
	wantStatus(t, rec, 200)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/markdown") || !strings.Contains(rec.Body.String(), "RLD1001") {
		t.Errorf(".md: %s %.200s", rec.Header().Get("Content-Type"), rec.Body.String())
	}
	wantStatus(t, get(t, s, "/api/v1/reports/"+saved.ID), 200)

	// wrong token, then the right one
	del := func(token string) *httptest.ResponseRecorder {
		return send(t, s, http.MethodDelete, "/api/v1/reports/"+saved.ID, "", nil, "X-Delete-Token", token)
	}
	wantStatus(t, del("not-the-token"), 403)
	wantStatus(t, send(t, s, http.MethodDelete, "/api/v1/reports/"+saved.ID, "", nil), 403)
	wantStatus(t, del(saved.DeleteToken), 204)
	wantStatus(t, get(t, s, "/reports/"+saved.ID), 404)
	wantStatus(t, del(saved.DeleteToken), 404)

	// expiry: 30 days by default
	rec = postJSON(t, s, "/api/v1/reports", files("agents.py", loopScript))
	wantStatus(t, rec, 201)
	_ = json.Unmarshal(rec.Body.Bytes(), &saved)
	clk.add(29 * 24 * time.Hour)
	wantStatus(t, get(t, s, "/reports/"+saved.ID), 200)
	clk.add(2 * 24 * time.Hour)
	wantStatus(t, get(t, s, "/reports/"+saved.ID), 404)
	wantStatus(t, get(t, s, "/reports/"+saved.ID+".json"), 404)

	// malformed ids never reach the store
	for _, p := range []string{"/reports/short", "/reports/../../etc.json", "/reports/" + strings.Repeat("z", 200)} {
		if rec := get(t, s, p); rec.Code != 404 {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

// TestWizardSaveShareDelete: the Save & share button, the saver's cookie and
// deleting from the page.
func TestWizardSaveShareDelete(t *testing.T) {
	s, _, _ := newDiagServer(t)
	form := url.Values{"step": {"results"}, "paste_name": {"agents.py"}, "paste": {loopScript}}
	rec := postForm(t, s, "/reports", form)
	wantStatus(t, rec, http.StatusSeeOther)
	loc := rec.Header().Get("Location")
	id := strings.TrimPrefix(loc, "/reports/")
	if !store.ValidID(id) {
		t.Fatalf("redirect to %q", loc)
	}
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == deleteCookie(id) {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.Path != loc || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("delete cookie = %+v", cookie)
	}
	doc := parse(t, get(t, s, loc, "Cookie", cookie.Name+"="+cookie.Value))
	if doc.Find(testid("delete-token")).Text() != cookie.Value {
		t.Error("the saver does not see the delete token")
	}
	rec = send(t, s, http.MethodPost, loc+"/delete", "application/x-www-form-urlencoded", []byte("token=wrong"))
	wantStatus(t, rec, 403)
	rec = send(t, s, http.MethodPost, loc+"/delete", "application/x-www-form-urlencoded", nil, "Cookie", cookie.Name+"="+cookie.Value)
	wantStatus(t, rec, 200)
	wantStatus(t, get(t, s, loc), 404)
	wantStatus(t, postForm(t, s, "/reports", url.Values{"step": {"results"}}), 400)
}

func TestVotes(t *testing.T) {
	s, st, _ := newDiagServer(t)
	wantStatus(t, postForm(t, s, "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"yes"}}), 200)
	wantStatus(t, postForm(t, s, "/votes", url.Values{"rule": {"rld1001"}, "fixed": {"yes"}}, fragmentHeader, "1"), 200)
	wantStatus(t, postForm(t, s, "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"no"}}), 200)
	wantStatus(t, postForm(t, s, "/votes", url.Values{"rule": {"RLD0000"}, "fixed": {"yes"}}), 400)
	wantStatus(t, postForm(t, s, "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"maybe"}}), 400)
	stats, err := st.VoteStats(context.Background())
	if err != nil || stats["RLD1001"].Yes != 2 || stats["RLD1001"].No != 1 {
		t.Fatalf("stats %+v %v", stats, err)
	}
	doc := parse(t, get(t, s, "/rules"))
	if got := doc.Find(`[data-rule="RLD1001"] ` + testid("fix-rate")).Text(); strings.TrimSpace(got) != "67% of 3" {
		t.Errorf("fix rate = %q, want 67%% of 3", got)
	}
	// back to a saved report; never to another site
	rec := postForm(t, s, "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"yes"}, "back": {"/reports/abc"}})
	if rec.Code != 303 || rec.Header().Get("Location") != "/reports/abc" {
		t.Errorf("back to report: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	for _, bad := range []string{"https://evil.example/", "//evil.example/x", "/reports/../../x?y", "/articles/x"} {
		rec := postForm(t, s, "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"yes"}, "back": {bad}})
		if rec.Code != 200 {
			t.Errorf("back=%q: %d %q", bad, rec.Code, rec.Header().Get("Location"))
		}
	}
}

// TestEveryRuleHasAPage: each rule of the registry has a page with its doc,
// an example from its own test cases, and a link to its article.
func TestEveryRuleHasAPage(t *testing.T) {
	s, _, _ := newDiagServer(t)
	doc := parse(t, get(t, s, "/rules"))
	if n := doc.Find(testid("rule-row")).Length(); n != len(diagnose.All) {
		t.Errorf("/rules lists %d rules, want %d", n, len(diagnose.All))
	}
	for _, r := range diagnose.All {
		rec := get(t, s, "/rules/"+r.ID)
		if rec.Code != 200 {
			t.Errorf("%s: status %d", r.ID, rec.Code)
			continue
		}
		doc := parse(t, rec)
		if doc.Find(testid("rule-doc")).Text() == "" {
			t.Errorf("%s: no doc", r.ID)
		}
		if href := doc.Find(testid("rule-article")).AttrOr("href", ""); href != "/articles/"+r.Article {
			t.Errorf("%s: article link %q", r.ID, href)
		}
	}
	wantStatus(t, get(t, s, "/rules/RLD0000"), 404)
	rec := get(t, s, "/rules/rld1001")
	if rec.Code != 301 || rec.Header().Get("Location") != "/rules/RLD1001" {
		t.Errorf("lower-case id: %d %q", rec.Code, rec.Header().Get("Location"))
	}
}

// TestEveryRuleHasAnExample fails when a rule has no test case that
// triggers it (its page would have no example): add one under
// diagnose/testdata/<ID>/.
func TestEveryRuleHasAnExample(t *testing.T) {
	s, _, _ := newDiagServer(t)
	for _, r := range diagnose.All {
		ex, _ := s.examples.get(s.lib, r.ID)
		if ex == nil {
			t.Errorf("%s has no example: add a case that triggers it under diagnose/testdata/%s/", r.ID, r.ID)
			continue
		}
		marked := 0
		for _, l := range ex.Code.Lines {
			if l.Marked {
				marked++
			}
		}
		if len(ex.Code.Lines) == 0 || ex.Message == "" || (marked == 0 && ex.Code.Lines[0].N != 0 && ex.Fix == "" && ex.Diff == nil) {
			t.Errorf("%s: example without code, message or fix: %+v", r.ID, ex.Source)
		}
	}
	doc := parse(t, get(t, s, "/rules/RLD1001"))
	ex := doc.Find(testid("rule-example"))
	if ex.Find(testid("marked-line")).Length() == 0 || ex.Find(testid("diff")).Length() == 0 {
		t.Error("RLD1001's example shows no marked line or no fix diff")
	}
}

func TestSymptomLabels(t *testing.T) {
	for _, sym := range diagnose.Symptoms() {
		if symptomLabels[sym] == "" || !slices.Contains(symptomOrder, sym) {
			t.Errorf("symptom %q has no label or is not offered", sym)
		}
	}
	if len(symptomOrder) != len(diagnose.Symptoms()) {
		t.Errorf("symptomOrder has %d, engine knows %d", len(symptomOrder), len(diagnose.Symptoms()))
	}
}

func TestStoreOff(t *testing.T) {
	cfg := DefaultConfig()
	cfg.RateLimit = 0
	s, err := New(cfg, Deps{Library: testLibrary(t), Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, postJSON(t, s, "/api/v1/reports", files("a.py", loopScript)), 503)
	wantStatus(t, postForm(t, s, "/votes", url.Values{"rule": {"RLD1001"}, "fixed": {"yes"}}), 503)
	wantStatus(t, get(t, s, "/rules"), 200)
	wantStatus(t, postJSON(t, s, "/api/v1/diagnose", files("a.py", loopScript)), 200)
}

func TestDiffView(t *testing.T) {
	d := newDiffView("a.py", diagnose.UnifiedDiff("a.py", []byte("a\nb\nc\nd\n"), []byte("a\nB\nc\nd\ne\n")))
	var kinds []string
	for _, r := range d.Rows {
		kinds = append(kinds, r.Kind+":"+r.Old+"/"+r.New+":"+r.Text)
	}
	// The engine may list a changed line's removal and addition either way round.
	want := []string{"hunk::", "ctx:1/1:a", "del:2/:b", "add:/2:B", "ctx:3/3:c", "ctx:4/4:d", "add:/5:e"}
	got := slices.Clone(kinds[1:])
	slices.Sort(got)
	sorted := slices.Clone(want[1:])
	slices.Sort(sorted)
	if d.Added != 2 || d.Removed != 1 || len(kinds) != len(want) || !slices.Equal(got, sorted) {
		t.Errorf("rows %q (+%d -%d), want %q", kinds, d.Added, d.Removed, want)
	}
}

func TestCodeView(t *testing.T) {
	var text strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&text, "x%d = %d\n", i, i)
	}
	v := newCodeView("a.py", text.String(), diagnose.KindPython, 12, 13)
	if len(v.Lines) != 8 || v.Lines[0].N != 9 || v.Lines[7].N != 16 {
		t.Fatalf("window %d lines from %d", len(v.Lines), v.Lines[0].N)
	}
	for _, l := range v.Lines {
		if l.Marked != (l.N == 12 || l.N == 13) {
			t.Errorf("line %d marked=%v", l.N, l.Marked)
		}
		var b strings.Builder
		for _, tok := range l.Tokens {
			b.WriteString(tok.Text)
		}
		if want := fmt.Sprintf("x%d = %d", l.N, l.N); b.String() != want {
			t.Errorf("line %d = %q, want %q", l.N, b.String(), want)
		}
	}
	if v := newCodeView("a.py", "only\n", diagnose.KindPython, 5, 5); len(v.Lines) != 0 {
		t.Errorf("a line past the end gave %d lines", len(v.Lines))
	}
}

// TestResultsTimelineChart: the results page draws the requests timeline
// with web/chart (one chart code path for the site): limit line, 429
// marks on the right minute, a title, a description and the data table.
func TestResultsTimelineChart(t *testing.T) {
	if v := NewEvidenceView(&diagnose.Evidence{}, EvidenceOptions{}); v.Requests != nil {
		t.Fatal("no timeline must give no chart")
	}
	ev := &diagnose.Evidence{LimitRPM: 3, Source: "run.log", Timeline: []diagnose.TimelineMinute{
		{Start: "2026-01-10T12:00:00Z", Requests: 2},
		{Start: "2026-01-10T12:01:00Z", Requests: 6, RateLimited: 3},
	}}
	rv := ResultView{Evidence: NewEvidenceView(ev, EvidenceOptions{CSS: "/static/chart.css"})}
	var buf bytes.Buffer
	if err := resultsSection(rv).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	fig := doc.Find(`[data-testid="ev-requests"]`)
	if fig.Length() != 1 {
		t.Fatalf("results page has %d requests charts", fig.Length())
	}
	if fig.Find("svg title").Length() == 0 || fig.Find("svg desc").Length() != 1 || fig.Find(".chart-limit").Length() != 1 {
		t.Error("chart lacks a title, a description or the limit line")
	}
	desc := fig.Find("svg desc").Text()
	if !strings.Contains(desc, "8 requests") || !strings.Contains(desc, "3 answered 429") || !strings.Contains(desc, "3 per minute") {
		t.Errorf("desc = %q", desc)
	}
	cols := fig.Find("rect.chart-col")
	if cols.Length() != 2 || cols.Eq(0).HasClass("chart-col-429") || !cols.Eq(1).HasClass("chart-col-429") {
		t.Error("429s marked on the wrong minute")
	}
	// the taller column is taller, and the limit line lies between the tops
	y0, _ := cols.Eq(0).Attr("y")
	y1, _ := cols.Eq(1).Attr("y")
	ly, _ := fig.Find(".chart-limit").Attr("y1")
	if !(atof(y1) < atof(ly) && atof(ly) < atof(y0)) {
		t.Errorf("column tops %v %v, limit %v", y0, y1, ly)
	}
	if rows := fig.Find("details tbody tr"); rows.Length() != 2 || !strings.Contains(rows.Eq(1).Text(), "2026-01-10 12:01") {
		t.Errorf("data table rows: %q", rows.Text())
	}
	if strings.Contains(buf.String(), "style=") {
		t.Error("chart uses inline styles (the CSP forbids them)")
	}
}

func atof(s string) float64 {
	var f float64
	fmt.Sscanf(s, "%g", &f)
	return f
}

type goquerySel = goquery.Selection
