package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
)

// namedInput is one pasted or uploaded text as the web layer receives it,
// before the engine sees it. Text is the raw bytes (the browser has usually
// masked keys already; the server masks again before showing or storing).
type namedInput struct {
	Name string
	Text []byte
}

// diagnosis is one engine run as the pages need it: the report, each input's
// text redacted (for code views and saving) and, per finding, the fix as a
// unified diff of the person's own text (computed from the raw text, then
// redacted, so edit offsets stay right).
type diagnosis struct {
	Report *diagnose.Report
	// Texts maps input name → redacted text ("" for binary inputs).
	Texts map[string]string
	// Order is the input names in the order given.
	Order []string
	// Diffs[i] is the redacted unified diff of Report.Findings[i]'s edits ("" when none).
	Diffs []string
	// Masked names the inputs whose text changed when masked: edit offsets
	// into them do not fit the redacted text.
	Masked []string
}

// savedEnvelope is what a saved report stores as ReportJSON: the DESIGN.md
// report with one extra field (extra fields are allowed by the contract), the
// per-finding diffs, so a permalink shows the same fixes without the raw text.
type savedEnvelope struct {
	*diagnose.Report
	Diffs  []string `json:"web_diffs,omitempty"`
	Masked []string `json:"web_masked,omitempty"`
}

// sqliteMagic starts every SQLite database file (AutoGen's runtime log).
var sqliteMagic = []byte("SQLite format 3\x00")

// runDiagnosis runs the engine over the inputs with the wizard's symptoms.
// full also prepares what pages show (the masked texts and the fix diffs);
// the JSON API needs only the report. A SQLite runtime log cannot be read
// from memory (the engine opens it by path), so it goes through a private
// temporary file removed on return.
func runDiagnosis(ctx context.Context, inputs []namedInput, symptoms []string, full bool) (*diagnosis, error) {
	ins := make([]diagnose.Input, 0, len(inputs))
	d := &diagnosis{Texts: map[string]string{}}
	for _, in := range inputs {
		di := diagnose.Input{Name: in.Name, Text: in.Text, Size: int64(len(in.Text))}
		if bytes.HasPrefix(in.Text, sqliteMagic) {
			path, cleanup, err := writeTemp(in.Text)
			if err != nil {
				return nil, fmt.Errorf("store runtime log for reading: %w", err)
			}
			defer cleanup()
			// Text too: the engine sniffs the kind from the bytes, then opens the path.
			di = diagnose.Input{Name: in.Name, Text: in.Text, Path: path, Size: int64(len(in.Text))}
			d.Texts[in.Name] = ""
		} else if full {
			d.Texts[in.Name] = redactText(in.Text)
			if d.Texts[in.Name] != string(in.Text) {
				d.Masked = append(d.Masked, in.Name)
			}
		}
		d.Order = append(d.Order, in.Name)
		ins = append(ins, di)
	}
	rep, err := diagnose.Run(ctx, ins, diagnose.Options{Symptoms: symptoms})
	if err != nil {
		return nil, err
	}
	d.Report = rep
	d.Diffs = make([]string, len(rep.Findings))
	if !full {
		return d, nil
	}
	raw := map[string][]byte{}
	for _, in := range inputs {
		raw[in.Name] = in.Text
	}
	for i, f := range rep.Findings {
		d.Diffs[i] = fixDiff(f, raw)
	}
	return d, nil
}

// fixDiff applies a finding's edits to the raw text of its file and returns
// the redacted unified diff, or "" when the finding has no applicable edits.
func fixDiff(f diagnose.Finding, raw map[string][]byte) string {
	if len(f.Edits) == 0 {
		return ""
	}
	text, ok := raw[f.File]
	if !ok {
		return ""
	}
	var edits []diagnose.Edit
	for _, e := range f.Edits {
		if e.File == "" || e.File == f.File {
			edits = append(edits, e)
		}
	}
	if len(edits) == 0 {
		return ""
	}
	fixed, err := diagnose.ApplyEdits(text, edits)
	if err != nil {
		return ""
	}
	return redact.String(diagnose.UnifiedDiff(f.File, text, fixed))
}

// redactText masks secrets and makes the text valid UTF-8, so it can be shown
// and stored; line structure is unchanged (masks never contain newlines).
func redactText(b []byte) string {
	s := string(redact.Bytes(b))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

func writeTemp(b []byte) (string, func(), error) {
	f, err := os.CreateTemp("", "rld-upload-*.db")
	if err != nil {
		return "", nil, err
	}
	name := f.Name()
	cleanup := func() { os.Remove(name) }
	if _, err := f.Write(b); err != nil {
		f.Close()
		cleanup()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, err
	}
	return name, cleanup, nil
}

// envelopeJSON encodes a diagnosis for the store.
func (d *diagnosis) envelopeJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(savedEnvelope{Report: d.Report, Diffs: d.Diffs, Masked: d.Masked}); err != nil {
		return nil, err
	}
	return redact.Bytes(buf.Bytes()), nil
}

// diagnosisFromSaved rebuilds a diagnosis from a stored report: its redacted
// inputs and the envelope.
func diagnosisFromSaved(inputs []savedText, reportJSON []byte) (*diagnosis, error) {
	var env savedEnvelope
	env.Report = &diagnose.Report{}
	if err := json.Unmarshal(reportJSON, &env); err != nil {
		return nil, &PageError{Status: http.StatusInternalServerError, Message: "This saved report cannot be read.", Err: err}
	}
	d := &diagnosis{Report: env.Report, Texts: map[string]string{}, Diffs: env.Diffs, Masked: env.Masked}
	for _, in := range inputs {
		d.Texts[in.Name] = in.Text
		d.Order = append(d.Order, in.Name)
	}
	if len(d.Diffs) != len(d.Report.Findings) {
		d.Diffs = make([]string, len(d.Report.Findings))
	}
	return d, nil
}

// savedText is one stored input (the store's SavedInput without its package).
type savedText struct{ Name, Kind, Text string }

// cleanName keeps an input name short and path-free: it names a file in
// findings and diffs, never a place on disk.
func cleanName(name string) string {
	name = strings.TrimSpace(strings.ReplaceAll(name, "\\", "/"))
	name = filepath.Base(name)
	if name == "." || name == "/" || name == ".." {
		name = ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 100 {
		name = name[:100]
	}
	return redact.String(name)
}

// uniqueNames gives every input a distinct, non-empty name: the engine and
// the code views key texts by name.
func uniqueNames(ins []namedInput) []namedInput {
	seen := map[string]int{}
	for i := range ins {
		n := cleanName(ins[i].Name)
		if n == "" {
			n = defaultName(ins[i].Text, i+1)
		}
		base := n
		for seen[n] > 0 {
			seen[base]++
			ext := filepath.Ext(base)
			n = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(base, ext), seen[base], ext)
		}
		seen[n]++
		ins[i].Name = n
	}
	return ins
}

// defaultName names an unnamed paste after what it looks like.
func defaultName(text []byte, n int) string {
	prefix := text
	if len(prefix) > 4096 {
		prefix = prefix[:4096]
	}
	kind, _ := diagnose.Sniff("", prefix)
	ext := ".txt"
	switch kind {
	case diagnose.KindPython:
		ext = ".py"
	case diagnose.KindConfig:
		ext = ".json"
		if t := bytes.TrimSpace(prefix); len(t) > 0 && t[0] != '{' && t[0] != '[' {
			ext = ".yaml"
		}
	case diagnose.KindLog:
		ext = ".log"
	case diagnose.KindRuntimeDB:
		ext = ".db"
	}
	return fmt.Sprintf("paste-%d%s", n, ext)
}
