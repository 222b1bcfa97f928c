package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog/runlogtest"
)

// TestRuntimeDBUpload uploads an AutoGen runtime-log database to the API:
// it must be read as a runtime log (through a private temporary file that
// is gone afterwards) and its evidence must reach the report.
func TestRuntimeDBUpload(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "logs.db")
	if err := runlogtest.WriteDB(dbPath, runlogtest.RetryStorm()); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "rld-upload-*"))

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "logs.db")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(db)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/diagnose", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	newTestServer(t).Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	var rep diagnose.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs) != 1 || rep.Inputs[0].Kind != diagnose.KindRuntimeDB || rep.Inputs[0].Error != "" {
		t.Fatalf("inputs %+v notes %+v", rep.Inputs, rep.Notes)
	}
	ev := rep.Evidence
	if ev == nil || len(ev.Timeline) != 2 || ev.Timeline[0].Requests != 45 || len(ev.CallsPerAgent) != 3 {
		t.Fatalf("evidence %+v", ev)
	}
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "rld-upload-*"))
	if len(after) > len(before) {
		t.Errorf("temporary upload files left behind: %v", after)
	}
}
