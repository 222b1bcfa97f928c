package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
)

// The wizard keeps its whole state in the form: every step posts every
// answer back (the current step's as fields, the others as hidden inputs),
// so nothing is stored on the server unless the person presses Save. With
// JavaScript the same POST is sent by fetch and only the wizard fragment is
// swapped in (header X-RLD-Fragment); without it the page reloads.

// Wizard steps, in order.
const (
	stepSeeing   = "seeing"
	stepSetup    = "setup"
	stepHappened = "happened"
	stepResults  = "results"
)

var wizardSteps = []struct{ key, label string }{
	{stepSeeing, "What are you seeing?"},
	{stepSetup, "Your setup"},
	{stepHappened, "What happened"},
	{stepResults, "Results"},
}

// symptomLabels are the wizard's answers in words; every diagnose.Symptoms()
// entry needs one (a test checks).
var symptomLabels = map[string]string{
	"first-call":         "It fails on the very first call",
	"after-turns":        "It works for a few turns, then fails",
	"concurrent":         "Only when several agents or runs go at once",
	"after-retry":        "Right after a retry",
	"insufficient-quota": "The error says insufficient_quota",
	"long-tool-output":   "Tools return long outputs",
}

// symptomOrder is the order answers are offered in.
var symptomOrder = []string{"first-call", "after-turns", "concurrent", "after-retry", "insufficient-quota", "long-tool-output"}

// fragmentHeader marks a fetch from wizard.js that wants only the fragment.
const fragmentHeader = "X-RLD-Fragment"

// wizardState is everything the person has answered so far.
type wizardState struct {
	Step     string
	Error    string
	Symptoms []string
	Pastes   []namedInput
	Log      string
	// Runlog is an uploaded AutoGen runtime-log database (raw SQLite
	// bytes), nil when none. It travels between steps as base64 in a
	// hidden field and is checked again on every read.
	Runlog *namedInput
	// Masked counts keys the browser masked before sending.
	Masked int
}

// answered reports whether anything at all was given.
func (w wizardState) answered() bool {
	return strings.TrimSpace(w.Error) != "" || len(w.Symptoms) > 0 || len(w.Pastes) > 0 || strings.TrimSpace(w.Log) != "" || w.Runlog != nil
}

// inputs are the texts handed to the engine.
func (w wizardState) inputs() []namedInput {
	var ins []namedInput
	if strings.TrimSpace(w.Error) != "" {
		ins = append(ins, namedInput{Name: "error.log", Text: []byte(w.Error)})
	}
	ins = append(ins, w.Pastes...)
	if strings.TrimSpace(w.Log) != "" {
		ins = append(ins, namedInput{Name: "run.log", Text: []byte(w.Log)})
	}
	if w.Runlog != nil {
		// The raw bytes: diagnosis sees the SQLite header and reads the
		// database through a private temporary file.
		ins = append(ins, namedInput{Name: w.Runlog.Name, Text: w.Runlog.Text})
	}
	return uniqueNames(ins)
}

// runlogStandIns replaces each runtime-log database's text in d with a short
// description: a saved report keeps text only, never the binary.
func (w wizardState) runlogStandIns(d *diagnosis) {
	if w.Runlog == nil {
		return
	}
	for _, in := range d.Report.Inputs {
		if in.Kind == diagnose.KindRuntimeDB && d.Texts[in.Name] == "" {
			d.Texts[in.Name] = runlogStandIn(in.Name, len(w.Runlog.Text))
		}
	}
}

func runlogStandIn(name string, n int) string {
	return fmt.Sprintf("%s: AutoGen runtime log (SQLite), %d bytes (not stored)\n", name, n)
}

// Runtime-log databases in the wizard.
const (
	runlogField     = "runlog"      // the file input on "What happened"
	runlogB64Field  = "runlog_b64"  // hidden: the database as base64
	runlogNameField = "runlog_name" // hidden: its file name
	runlogDropField = "drop_runlog" // button: remove it
)

// isDBName reports a runtime-log database by file name.
func isDBName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".db", ".sqlite", ".sqlite3":
		return true
	}
	return false
}

func errRunlogTooLarge(limit int64) error {
	return &PageError{Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("That runtime log is too large for the wizard: the limit is %s. Run the CLI on it (ratelimit-doctor diagnose logs.db), or POST it to /api/v1/diagnose as a multipart upload; both take larger databases.", byteSize(limit))}
}

func errNotRunlog(name string) error {
	return &PageError{Status: http.StatusUnsupportedMediaType,
		Message: fmt.Sprintf("%s is not a SQLite database. Upload the runtime log that autogen.runtime_logging.start() writes (logs.db by default); paste text logs in the box instead.", name)}
}

// checkRunlog validates one runtime-log database: named, SQLite, not too big.
func checkRunlog(name string, b []byte, limit int64) (*namedInput, error) {
	name = cleanName(name)
	if name == "" || !isDBName(name) {
		name = "logs.db"
	}
	if int64(len(b)) > limit {
		return nil, errRunlogTooLarge(limit)
	}
	if !bytes.HasPrefix(b, sqliteMagic) {
		return nil, errNotRunlog(name)
	}
	return &namedInput{Name: name, Text: b}, nil
}

// takeRunlogs removes the runtime-log databases from a wizard upload (the
// runlog field, or a .db file in any other file field) and reads them; what
// is left is text for the paste boxes.
func (s *Server) takeRunlogs(form *multipart.Form) (*namedInput, error) {
	var found *namedInput
	for key, fhs := range form.File {
		var rest []*multipart.FileHeader
		for _, fh := range fhs {
			if key != runlogField && !isDBName(fh.Filename) {
				rest = append(rest, fh)
				continue
			}
			if fh.Filename == "" && fh.Size == 0 {
				continue // an empty file input
			}
			if found != nil {
				return nil, errBadRequest("Upload one runtime log at a time.", nil)
			}
			if fh.Size > s.cfg.MaxTextBytes {
				return nil, errRunlogTooLarge(s.cfg.MaxTextBytes)
			}
			f, err := fh.Open()
			if err != nil {
				return nil, errBadRequest("An uploaded file could not be read.", err)
			}
			b, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxTextBytes+1))
			f.Close()
			if err != nil {
				return nil, errBadRequest("An uploaded file could not be read.", err)
			}
			if found, err = checkRunlog(fh.Filename, b, s.cfg.MaxTextBytes); err != nil {
				return nil, err
			}
		}
		form.File[key] = rest
	}
	return found, nil
}

// runlogFromHidden reads the database carried in the hidden fields.
func (s *Server) runlogFromHidden(vals url.Values) (*namedInput, error) {
	enc := strings.TrimSpace(vals.Get(runlogB64Field))
	if enc == "" {
		return nil, nil
	}
	if int64(len(enc)) > int64(base64.StdEncoding.EncodedLen(int(s.cfg.MaxTextBytes))) {
		return nil, errRunlogTooLarge(s.cfg.MaxTextBytes)
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, errBadRequest("The runtime log carried between steps is damaged: upload it again.", err)
	}
	return checkRunlog(vals.Get(runlogNameField), b, s.cfg.MaxTextBytes)
}

// checkSymptoms keeps known answers and rejects unknown ones.
func checkSymptoms(in []string) ([]string, error) {
	known := diagnose.Symptoms()
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(known, s) {
			return nil, errBadRequest(fmt.Sprintf("Unknown symptom %q; known: %s.", truncate(s, 40), strings.Join(known, ", ")), nil)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func validStep(s string) bool {
	for _, st := range wizardSteps {
		if st.key == s {
			return true
		}
	}
	return false
}

// readWizard reads the wizard's state from a GET query or a POSTed form
// (urlencoded or multipart, with uploads), bounded by the configured limits.
func (s *Server) readWizard(c echo.Context) (wizardState, error) {
	req := c.Request()
	var vals url.Values
	var st wizardState
	if req.Method == http.MethodGet {
		vals = req.URL.Query()
	} else {
		ct := req.Header.Get(echo.HeaderContentType)
		switch {
		case strings.HasPrefix(ct, echo.MIMEMultipartForm):
			form, err := s.readMultipart(c)
			if err != nil {
				return st, err
			}
			vals = url.Values(form.Value)
			if st.Runlog, err = s.takeRunlogs(form); err != nil {
				return st, err
			}
			ups, err := s.filesFromForm(form, false)
			if err != nil {
				return st, err
			}
			st.Pastes = append(st.Pastes, ups...)
		case strings.HasPrefix(ct, echo.MIMEApplicationForm):
			// Text may be percent-encoded to twice its size; a carried
			// runtime log adds its base64 (4/3, a little more encoded).
			req.Body = http.MaxBytesReader(c.Response(), req.Body, 4*s.cfg.MaxTextBytes+64<<10)
			if err := req.ParseForm(); err != nil {
				if strings.Contains(err.Error(), "too large") {
					return st, errTooLarge(s.cfg.MaxTextBytes)
				}
				return st, errBadRequest("The form could not be read.", err)
			}
			vals = req.PostForm
		default:
			return st, errUnsupported("Send the wizard's form (application/x-www-form-urlencoded or multipart/form-data).")
		}
	}
	st.Step = vals.Get("step")
	if !validStep(st.Step) {
		st.Step = stepSeeing
	}
	st.Error = vals.Get("error")
	st.Log = vals.Get("log")
	st.Masked, _ = strconv.Atoi(vals.Get("masked"))
	syms, err := checkSymptoms(vals["symptom"])
	if err != nil {
		return st, err
	}
	st.Symptoms = syms
	// A database comes from a POST only (a link never carries one); a new
	// upload replaces the one carried from earlier steps.
	if st.Runlog == nil && req.Method != http.MethodGet {
		if st.Runlog, err = s.runlogFromHidden(vals); err != nil {
			return st, err
		}
	}
	names, texts := vals["paste_name"], vals["paste"]
	var pastes []namedInput
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			continue
		}
		name := ""
		if i < len(names) {
			name = names[i]
		}
		pastes = append(pastes, namedInput{Name: name, Text: []byte(t)})
	}
	st.Pastes = append(pastes, st.Pastes...)
	if len(st.Pastes) > maxFiles {
		return st, errBadRequest(fmt.Sprintf("Too many inputs: at most %d.", maxFiles), nil)
	}
	total := int64(len(st.Error) + len(st.Log))
	for _, p := range st.Pastes {
		total += int64(len(p.Text))
	}
	if total > s.cfg.MaxTextBytes {
		return st, errTooLarge(s.cfg.MaxTextBytes)
	}
	st.Pastes = uniqueNames(st.Pastes)
	// Mask again on the server: without JavaScript the browser sent the
	// raw text, and the wizard echoes its state back in hidden fields.
	clean := func(s string) string {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		m := redactText([]byte(s))
		if m != s {
			st.Masked += max(1, strings.Count(m, "…")-strings.Count(s, "…"))
		}
		return m
	}
	st.Error, st.Log = clean(st.Error), clean(st.Log)
	for i := range st.Pastes {
		st.Pastes[i].Text = []byte(clean(string(st.Pastes[i].Text)))
	}

	// Navigation: "skip" drops this step's answers, "go" keeps them.
	target := vals.Get("go")
	if sk := vals.Get("skip"); sk != "" {
		switch st.Step {
		case stepSeeing:
			st.Error, st.Symptoms = "", nil
		case stepSetup:
			st.Pastes = nil
		case stepHappened:
			st.Log, st.Runlog = "", nil
		}
		target = sk
	}
	if vals.Get(runlogDropField) != "" {
		st.Runlog = nil
		target = stepHappened
	}
	if validStep(target) {
		st.Step = target
	}
	return st, nil
}

// WizardView is the wizard at one step.
type WizardView struct {
	Layout   LayoutView
	Step     string
	Steps    []WizardStep
	Error    string
	Symptoms []SymptomOption
	Pastes   []PasteView
	Log      string
	Masked   int
	// Runlog is the carried runtime-log database (nil when none).
	Runlog *RunlogView
	// Recognised is what the pasted error says (nil when it says nothing we know).
	Recognised *RecognisedView
	// Setup is how each paste was read (shown from step 3 on).
	Setup []InputView
	// Result is the diagnosis (step 4).
	Result *ResultView
	// NextStep / PrevStep are the neighbours of Step ("" at the ends).
	NextStep, NextLabel, PrevStep string
	MaxTextBytes                  string
	// MaxRunlogBytes is the largest database the wizard takes, in bytes.
	MaxRunlogBytes int64
}

// RunlogView is a runtime-log database carried between steps.
type RunlogView struct {
	Name string
	Size string
	// B64 is the database itself, for the hidden field.
	B64 string
}

// WizardStep is one entry of the step list.
type WizardStep struct {
	Key, Label string
	N          int
	Current    bool
	Done       bool
}

// SymptomOption is one answer checkbox.
type SymptomOption struct {
	Value, Label string
	Checked      bool
}

// PasteView is one setup paste box.
type PasteView struct {
	N    int
	Name string
	Text string
}

// RecognisedView is the pasted error read back: provider, kind, numbers.
type RecognisedView struct {
	Provider string
	Via      string
	Kind     string
	Numbers  []string // "limit 3", "used 3", "requested 1", "retry after 20s"
	Model    string
	Tier     string
	Code     string
	Hint     string
}

// kindWords names each kind of limit.
var kindWords = map[logscan.Kind]string{
	logscan.KindRPM:               "requests per minute",
	logscan.KindTPM:               "tokens per minute",
	logscan.KindRPD:               "requests per day",
	logscan.KindTPD:               "tokens per day",
	logscan.KindInsufficientQuota: "insufficient quota (credit spent)",
	logscan.KindAzureCallRate:     "Azure deployment call rate",
	logscan.KindAzureTokenRate:    "Azure deployment token rate",
	logscan.KindOverloaded:        "provider overloaded (not your limit)",
	logscan.KindGateway:           "gateway limit",
	logscan.KindUnknown:           "rate limit (kind not stated)",
}

// kindHints is the first thing to know about each kind.
var kindHints = map[logscan.Kind]string{
	logscan.KindRPM:               "Too many calls in one minute: slow the calls down or stop the loop that makes them.",
	logscan.KindTPM:               "Too many tokens in one minute: long prompts, tool outputs or history add up.",
	logscan.KindRPD:               "A daily cap is spent: retrying today will not help.",
	logscan.KindTPD:               "A daily token cap is spent: retrying today will not help.",
	logscan.KindInsufficientQuota: "The account has no credit left: retrying will never help. Add billing or credit.",
	logscan.KindAzureCallRate:     "The Azure deployment's quota is exceeded: raise its TPM/RPM or spread the calls.",
	logscan.KindAzureTokenRate:    "The Azure deployment's token quota is exceeded: raise it or send fewer tokens.",
	logscan.KindOverloaded:        "The provider is busy; this is not your limit. Back off and retry later.",
	logscan.KindGateway:           "A gateway in front of the provider answered 429: its own budget is spent.",
}

// newRecognisedView reads one pasted error text.
func newRecognisedView(text string) *RecognisedView {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	rl, ok := logscan.ParseRateLimit(text)
	if !ok {
		return nil
	}
	v := &RecognisedView{Provider: providerName(string(rl.Provider)), Via: rl.Via, Kind: kindWords[rl.Kind],
		Model: rl.Model, Tier: rl.Tier, Code: rl.Code, Hint: kindHints[rl.Kind]}
	if v.Kind == "" {
		v.Kind = string(rl.Kind)
	}
	if rl.Status > 0 {
		v.Numbers = append(v.Numbers, "HTTP "+strconv.Itoa(rl.Status))
	}
	if rl.Limit > 0 {
		v.Numbers = append(v.Numbers, "limit "+strconv.FormatInt(rl.Limit, 10))
	}
	if rl.Used > 0 {
		v.Numbers = append(v.Numbers, "used "+strconv.FormatInt(rl.Used, 10))
	}
	if rl.Requested > 0 {
		v.Numbers = append(v.Numbers, "requested "+strconv.FormatInt(rl.Requested, 10))
	}
	if rl.RetryAfter > 0 {
		v.Numbers = append(v.Numbers, "retry after "+rl.RetryAfter.Round(time.Second).String())
	}
	return v
}

var providerNames = map[string]string{
	"openai": "OpenAI", "azure": "Azure OpenAI", "anthropic": "Anthropic", "gemini": "Google Gemini",
	"groq": "Groq", "litellm": "LiteLLM", "helicone": "Helicone", "other": "another provider",
}

func providerName(p string) string {
	if n, ok := providerNames[p]; ok {
		return n
	}
	return p
}

// newWizardView builds the wizard at st.Step.
func newWizardView(layout LayoutView, st wizardState, setup []InputView, result *ResultView, maxText int64) WizardView {
	v := WizardView{Layout: layout, Step: st.Step, Error: st.Error, Log: st.Log, Masked: st.Masked,
		Setup: setup, Result: result, MaxTextBytes: byteSize(maxText), MaxRunlogBytes: maxText}
	cur := 0
	for i, s := range wizardSteps {
		if s.key == st.Step {
			cur = i
		}
	}
	for i, s := range wizardSteps {
		v.Steps = append(v.Steps, WizardStep{Key: s.key, Label: s.label, N: i + 1, Current: i == cur, Done: i < cur})
	}
	if cur+1 < len(wizardSteps) {
		v.NextStep, v.NextLabel = wizardSteps[cur+1].key, wizardSteps[cur+1].label
	}
	if cur > 0 {
		v.PrevStep = wizardSteps[cur-1].key
	}
	for _, k := range symptomOrder {
		v.Symptoms = append(v.Symptoms, SymptomOption{Value: k, Label: symptomLabels[k], Checked: slices.Contains(st.Symptoms, k)})
	}
	for i, p := range st.Pastes {
		v.Pastes = append(v.Pastes, PasteView{N: i + 1, Name: p.Name, Text: string(p.Text)})
	}
	if st.Runlog != nil {
		v.Runlog = &RunlogView{Name: st.Runlog.Name, Size: byteSize(int64(len(st.Runlog.Text))), B64: base64.StdEncoding.EncodeToString(st.Runlog.Text)}
	}
	v.Recognised = newRecognisedView(st.Error)
	return v
}

// setupSummary classifies the pastes (kind, AutoGen generation, provider)
// with the engine itself, so what the wizard shows is what it will use.
func (s *Server) setupSummary(c echo.Context, pastes []namedInput) ([]InputView, error) {
	if len(pastes) == 0 {
		return nil, nil
	}
	d, err := runDiagnosis(c.Request().Context(), pastes, nil, false)
	if err != nil {
		return nil, err
	}
	out := make([]InputView, 0, len(d.Report.Inputs))
	for _, in := range d.Report.Inputs {
		out = append(out, InputView{Name: in.Name, Kind: string(in.Kind), Generation: in.Generation, Provider: providerName(in.Provider), Lines: in.Lines, Error: in.Error})
	}
	return out, nil
}

// showDiagnose answers GET /diagnose: the first step, prefilled from the
// query (?error=…&symptom=…), so an error handler can link straight in.
func (s *Server) showDiagnose(c echo.Context) error {
	st, err := s.readWizard(c)
	if err != nil {
		return err
	}
	// A link opens the first two steps only: running the engine is for
	// POSTs, which --rate-limit counts (a crawler following links must not
	// run diagnoses).
	if st.Step != stepSeeing && st.Step != stepSetup {
		st.Step = stepSeeing
	}
	return s.renderWizard(c, st)
}

// submitDiagnose answers POST /diagnose: moves to the chosen step and, at
// Results, runs the diagnosis.
func (s *Server) submitDiagnose(c echo.Context) error {
	st, err := s.readWizard(c)
	if err != nil {
		return err
	}
	return s.renderWizard(c, st)
}

func (s *Server) renderWizard(c echo.Context, st wizardState) error {
	var setup []InputView
	var result *ResultView
	var err error
	// Only the steps that run the engine spend the client's rate-limit
	// token: the results, and "what happened" when it reads the pastes.
	if st.Step == stepResults || (st.Step == stepHappened && len(st.Pastes) > 0) {
		if ok, err := s.spendRate(c); !ok {
			return err
		}
	}
	if st.Step == stepHappened || st.Step == stepResults {
		if setup, err = s.setupSummary(c, st.Pastes); err != nil {
			return err
		}
	}
	if st.Step == stepResults {
		d, err := runDiagnosis(c.Request().Context(), st.inputs(), st.Symptoms, true)
		if err != nil {
			return err
		}
		s.ObserveDiagnosis(d.Report) // metrics: diagnoses by cause
		r := newResultView(s.lib, d, "", st.answered(), s.assets.URL("chart.css"))
		result = &r
	}
	v := newWizardView(s.layout("Diagnose a 429", SectionDiagnose), st, setup, result, s.cfg.MaxTextBytes)
	c.Response().Header().Set("Cache-Control", "no-store")
	if c.Request().Header.Get(fragmentHeader) != "" {
		return s.render(c, http.StatusOK, WizardFragment(v))
	}
	return s.render(c, http.StatusOK, DiagnosePage(v))
}

// recognize answers POST /diagnose/recognize (wizard.js, as the person
// types): the pasted error read back, or the pastes classified.
func (s *Server) recognize(c echo.Context) error {
	st, err := s.readWizard(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if c.QueryParam("part") == "setup" {
		// Classifying the pastes reads them with the engine: that is
		// rate-limited; reading back the error text below is not.
		if len(st.Pastes) > 0 {
			if ok, err := s.spendRate(c); !ok {
				return err
			}
		}
		setup, err := s.setupSummary(c, st.Pastes)
		if err != nil {
			return err
		}
		return s.render(c, http.StatusOK, setupSummaryList(setup))
	}
	return s.render(c, http.StatusOK, recognisedBox(newRecognisedView(st.Error)))
}
