package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"
)

// Reading what people send: JSON, urlencoded forms and multipart uploads,
// each bounded before it is read, so a huge body costs us nothing and gets a
// clear 413. Every failure is a *PageError with a message safe to show.

// maxFiles bounds the inputs of one diagnosis.
const maxFiles = 50

// uploadExts are the text file types the wizard and the API accept by name.
// Runtime-log databases (.db/.sqlite/.sqlite3) are taken apart: the API reads
// them here (allowDB), the wizard in takeRunlogs, which checks the SQLite
// header and carries the file between steps.
var uploadExts = map[string]bool{".py": true, ".json": true, ".yaml": true, ".yml": true, ".log": true, ".txt": true, ".jsonl": true, ".ipynb": false}

func errBadRequest(msg string, err error) error {
	return &PageError{Status: http.StatusBadRequest, Message: msg, Err: err}
}

func errTooLarge(limit int64) error {
	return &PageError{Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("That is too much text: the limit is %s. Paste the part around the error, the script and its config.", byteSize(limit))}
}

func errUnsupported(msg string) error {
	return &PageError{Status: http.StatusUnsupportedMediaType, Message: msg}
}

// byteSize writes a limit the way people read it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// apiRequest is the body of POST /api/v1/diagnose and /api/v1/reports.
type apiRequest struct {
	Files []struct {
		Name    string `json:"name"`
		Content string `json:"content"`
	} `json:"files"`
	Symptoms []string `json:"symptoms"`
	Title    string   `json:"title"`
}

// readAPIInputs reads a JSON or multipart body into inputs and symptoms.
func (s *Server) readAPIInputs(c echo.Context) ([]namedInput, []string, string, error) {
	req := c.Request()
	ct := req.Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		return nil, nil, "", errUnsupported(`Send JSON ({"files":[{"name":"…","content":"…"}]}) with Content-Type: application/json, or a multipart/form-data upload.`)
	}
	switch mt {
	case echo.MIMEApplicationJSON:
		// JSON escapes newlines and quotes, so allow twice the text limit on the wire.
		body := http.MaxBytesReader(c.Response(), req.Body, 2*s.cfg.MaxTextBytes+64<<10)
		var ar apiRequest
		dec := json.NewDecoder(body)
		if err := dec.Decode(&ar); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, nil, "", errTooLarge(s.cfg.MaxTextBytes)
			}
			return nil, nil, "", errBadRequest("The JSON body could not be read: "+jsonProblem(err)+`. Expected {"files":[{"name":"agents.py","content":"…"}]}.`, err)
		}
		if dec.More() {
			return nil, nil, "", errBadRequest("The body has more than one JSON value.", nil)
		}
		var ins []namedInput
		var total int64
		for _, f := range ar.Files {
			total += int64(len(f.Content))
			if strings.TrimSpace(f.Content) == "" {
				continue
			}
			ins = append(ins, namedInput{Name: f.Name, Text: []byte(f.Content)})
		}
		if total > s.cfg.MaxTextBytes {
			return nil, nil, "", errTooLarge(s.cfg.MaxTextBytes)
		}
		if len(ar.Files) > maxFiles {
			return nil, nil, "", errBadRequest(fmt.Sprintf("Too many files: at most %d.", maxFiles), nil)
		}
		if len(ins) == 0 && len(ar.Symptoms) == 0 {
			return nil, nil, "", errBadRequest(`No input: "files" is empty or every file is blank.`, nil)
		}
		syms, err := checkSymptoms(ar.Symptoms)
		if err != nil {
			return nil, nil, "", err
		}
		return uniqueNames(ins), syms, ar.Title, nil
	case echo.MIMEMultipartForm:
		form, err := s.readMultipart(c)
		if err != nil {
			return nil, nil, "", err
		}
		ins, err := s.filesFromForm(form, true)
		if err != nil {
			return nil, nil, "", err
		}
		syms, err := checkSymptoms(form.Value["symptoms"])
		if err != nil {
			return nil, nil, "", err
		}
		if len(ins) == 0 && len(syms) == 0 {
			return nil, nil, "", errBadRequest("No input: the upload holds no non-empty file.", nil)
		}
		title := ""
		if t := form.Value["title"]; len(t) > 0 {
			title = t[0]
		}
		return uniqueNames(ins), syms, title, nil
	default:
		return nil, nil, "", errUnsupported(fmt.Sprintf("Content-Type %s is not accepted: send application/json or multipart/form-data.", mt))
	}
}

// jsonProblem describes a JSON decoding error without echoing the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q has the wrong type (want %s)", te.Field, te.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the body is empty or cut short"
	default:
		return "it is not valid JSON"
	}
}

// readMultipart parses a multipart body bounded by MaxUploadBytes.
func (s *Server) readMultipart(c echo.Context) (*multipart.Form, error) {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, s.cfg.MaxUploadBytes)
	if err := req.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge(s.cfg.MaxUploadBytes)
		}
		return nil, errBadRequest("The upload could not be read as multipart/form-data.", err)
	}
	return req.MultipartForm, nil
}

// filesFromForm reads every uploaded file of a multipart form. allowDB lets
// runtime-log databases through (the API); the wizard has taken its database
// out of the form before and reads only text here.
func (s *Server) filesFromForm(form *multipart.Form, allowDB bool) ([]namedInput, error) {
	var ins []namedInput
	for _, fhs := range form.File {
		for _, fh := range fhs {
			if len(ins) >= maxFiles {
				return nil, errBadRequest(fmt.Sprintf("Too many files: at most %d.", maxFiles), nil)
			}
			in, err := readUpload(fh, allowDB)
			if err != nil {
				return nil, err
			}
			if len(in.Text) > 0 {
				ins = append(ins, in)
			}
		}
	}
	return ins, nil
}

func readUpload(fh *multipart.FileHeader, allowDB bool) (namedInput, error) {
	name := cleanName(fh.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	isDB := ext == ".db" || ext == ".sqlite" || ext == ".sqlite3"
	if !uploadExts[ext] && !(allowDB && isDB) && ext != "" {
		return namedInput{}, errUnsupported(fmt.Sprintf("%s: this file type is not read. Upload .py, .json, .yaml, .log or .txt files.", name))
	}
	f, err := fh.Open()
	if err != nil {
		return namedInput{}, errBadRequest("An uploaded file could not be read.", err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return namedInput{}, errBadRequest("An uploaded file could not be read.", err)
	}
	if !isDB && isBinary(b) {
		return namedInput{}, errUnsupported(fmt.Sprintf("%s is not a text file.", name))
	}
	return namedInput{Name: name, Text: b}, nil
}

// isBinary reports a NUL byte in the first 8 KB: text files never have one.
func isBinary(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	for _, c := range b {
		if c == 0 {
			return true
		}
	}
	return false
}
