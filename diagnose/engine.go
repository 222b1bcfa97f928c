package diagnose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/logscan"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/runlog"
)

// Input is one named text given to the engine: a file, a paste or stdin.
// Either Text is set, or Open streams it (large logs, runtime databases).
type Input struct {
	Name string
	Text []byte
	// Open, when set, streams the input instead of Text (it may be called more than once).
	Open func() (io.ReadCloser, error)
	// Path is the file on disk, when there is one (SQLite runtime logs are opened by path).
	Path string
	Size int64
}

// Options tune a run.
type Options struct {
	// Symptoms are answers from the wizard (no pasted text needed), e.g. "first-call".
	Symptoms []string
}

// maxInMemory is the largest Python or config input read into memory; logs
// of any size are streamed.
const maxInMemory = 16 << 20

// sniffSize is how much of an input the classifier looks at.
const sniffSize = 64 << 10

// Run classifies every input, parses each once into facts, runs every rule over
// all facts together and returns the ranked, masked report.
func Run(ctx context.Context, inputs []Input, opts Options) (*Report, error) {
	rep := &Report{Version: ReportVersion, Causes: []RankedCause{}, Findings: []Finding{}, Inputs: []InputSummary{}}
	var sources []*Source
	notebooks := map[string]bool{}
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in = in.withPathOpener()
		if nb := loadNotebook(ctx, in); nb != nil {
			sources = append(sources, nb.sources...)
			rep.Inputs = append(rep.Inputs, nb.sum)
			notebooks[in.Name] = true
			continue
		}
		src, sum, err := load(ctx, in)
		if err != nil {
			sum.Error = redact.String(err.Error())
			rep.Notes = append(rep.Notes, Note{File: in.Name, Message: sum.Error})
		}
		if src != nil {
			sources = append(sources, src)
			// What a runtime log cannot show (SDK retries leave no row, an
			// unread -wal file, a row cap reached) is part of the answer.
			if src.Runtime != nil {
				for _, n := range src.Runtime.Notes {
					rep.Notes = append(rep.Notes, Note{File: in.Name, Message: redact.String(n)})
				}
			}
			if extra := secondView(ctx, src); extra != nil {
				sources = append(sources, extra)
				if extra.Python != nil && sum.Generation == "" {
					sum.Generation = generationOf(extra)
				}
			}
		}
		rep.Inputs = append(rep.Inputs, sum)
	}
	findings, failed := runRules(ctx, All, sources)
	rep.Notes = append(rep.Notes, failed...)
	for i := range findings {
		if notebooks[findings[i].File] {
			findings[i].Edits = nil // offsets are into the extracted script, not the JSON
		}
	}
	findings, notes := applySuppressions(sources, findings)
	rep.Notes = append(rep.Notes, notes...)
	for i := range findings {
		maskFinding(&findings[i])
	}
	rep.Findings = sortFindings(findings)
	for _, sym := range opts.Symptoms {
		if _, ok := symptomWeights[strings.ToLower(strings.TrimSpace(sym))]; !ok {
			rep.Notes = append(rep.Notes, Note{Message: fmt.Sprintf("unknown symptom %q ignored; known: %s", sym, strings.Join(Symptoms(), ", "))})
		}
	}
	rep.Causes, rep.Next = rank(rep.Findings, sources, opts.Symptoms)
	if rep.Causes == nil {
		rep.Causes = []RankedCause{}
	}
	rep.Evidence = buildEvidence(sources)
	return rep, nil
}

// load classifies and parses one input.
func load(ctx context.Context, in Input) (*Source, InputSummary, error) {
	sum := InputSummary{Name: in.Name, Kind: KindUnknown}
	prefix, err := readPrefix(in)
	if err != nil {
		return nil, sum, fmt.Errorf("read %s: %w", in.Name, err)
	}
	kind, why := Sniff(in.Name, prefix)
	sum.Kind = kind
	if why != "" {
		return nil, sum, errors.New(why)
	}
	src := &Source{Name: in.Name, Kind: kind}
	switch kind {
	case KindRuntimeDB:
		if in.Path == "" {
			return nil, sum, errors.New("runtime log database recognised, but it can only be read from a file path")
		}
		facts, err := runlog.OpenDB(ctx, in.Path, runlog.DefaultLimits())
		if err != nil {
			return nil, sum, fmt.Errorf("read runtime log: %w", err)
		}
		src.Runtime, sum.Generation = facts, facts.Generation
		return src, sum, nil
	case KindLog:
		facts, err := scanLog(in)
		if err != nil {
			return nil, sum, fmt.Errorf("scan log: %w", err)
		}
		src.Log = facts
		// FileLogger JSON lines and 0.4 LLMCall events also carry per-call facts.
		if format, ok := runlog.Sniff(prefix); ok && format != runlog.FormatSQLite {
			if rt, err := readRuntimeLines(in); err == nil {
				src.Runtime, sum.Generation = rt, rt.Generation
			}
		}
		if in.Text != nil && len(in.Text) <= maxInMemory {
			src.Text = in.Text
			sum.Lines = bytes.Count(in.Text, []byte("\n")) + 1
		}
		return src, sum, nil
	}
	text, err := readAll(in)
	if err != nil {
		return nil, sum, err
	}
	src.Text = text
	sum.Lines = bytes.Count(text, []byte("\n")) + 1
	switch kind {
	case KindPython:
		f, err := pyfacts.Parse(ctx, text)
		if err != nil {
			return nil, sum, fmt.Errorf("parse python: %w", err)
		}
		src.Python = f
		sum.Generation = generationOf(src)
		sum.Provider = pythonProvider(f)
	case KindConfig:
		c, err := parseConfig(text)
		if err != nil {
			return nil, sum, err
		}
		src.Config = c
		sum.Provider = configProvider(c)
	}
	return src, sum, nil
}

// withPathOpener returns in with Open reading Path when the input was given
// by path alone, so every reader below streams the file instead of seeing an
// empty input.
func (in Input) withPathOpener() Input {
	if in.Text == nil && in.Open == nil && in.Path != "" {
		path := in.Path
		in.Open = func() (io.ReadCloser, error) { return os.Open(path) }
	}
	return in
}

func readPrefix(in Input) ([]byte, error) {
	in = in.withPathOpener()
	if in.Text != nil || in.Open == nil {
		if len(in.Text) > sniffSize {
			return in.Text[:sniffSize], nil
		}
		return in.Text, nil
	}
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, sniffSize)
	n, err := io.ReadFull(rc, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

func readAll(in Input) ([]byte, error) {
	in = in.withPathOpener()
	if in.Text != nil || in.Open == nil {
		if len(in.Text) > maxInMemory {
			return nil, fmt.Errorf("input is %d MB; code and config inputs are read up to %d MB", len(in.Text)>>20, maxInMemory>>20)
		}
		return in.Text, nil
	}
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", in.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxInMemory+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", in.Name, err)
	}
	if len(b) > maxInMemory {
		return nil, fmt.Errorf("input is larger than %d MB; code and config inputs are read up to that size", maxInMemory>>20)
	}
	return b, nil
}

// runRules runs every rule whose kinds match an input. A panicking rule
// must not take the whole report down, but it must not vanish silently
// either: its findings are dropped (they may be half-made) and a note says
// which rule failed, so a person (and the tests, which fail on such a note)
// can see it.
func runRules(ctx context.Context, rules []*Rule, sources []*Source) (out []Finding, failed []Note) {
	for _, r := range rules {
		if ctx.Err() != nil || r.Run == nil {
			break
		}
		var srcs []*Source
		for _, s := range sources {
			if slices.Contains(r.Kinds, s.Kind) || len(r.Kinds) == 0 {
				srcs = append(srcs, s)
			}
		}
		if len(srcs) == 0 {
			continue
		}
		before := len(out)
		pass := &Pass{Rule: r, Sources: srcs, report: func(f Finding) { out = append(out, f) }}
		func() {
			defer func() {
				if recover() != nil {
					out = out[:before]
					failed = append(failed, Note{Message: fmt.Sprintf("%s%s stopped on an internal error, so its findings are missing; please report this input", internalErrorNote, r.ID)})
				}
			}()
			r.Run(pass)
		}()
	}
	return out, failed
}

// internalErrorNote starts the note of a rule that panicked.
const internalErrorNote = "internal error: rule "

// maskFinding removes secrets from everything a finding shows. Edits keep
// their text but are masked too: a fix never needs to repeat a key.
func maskFinding(f *Finding) {
	f.Message = redact.String(f.Message)
	f.Evidence = redact.String(f.Evidence)
	f.Fix = redact.String(f.Fix)
	f.File = redact.String(f.File)
	for i := range f.Edits {
		f.Edits[i].New = redact.String(f.Edits[i].New)
	}
}

// sortFindings orders by file, line, rule and drops exact duplicates.
func sortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := out[len(out)-1]
			if p.File == f.File && p.Line == f.Line && p.Rule == f.Rule && p.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	if out == nil {
		return []Finding{}
	}
	return out
}

// scanLog reads a log input through the log scanner.
func scanLog(in Input) (*logscan.Facts, error) {
	in = in.withPathOpener()
	if in.Text != nil || in.Open == nil {
		return logscan.Scan(bytes.NewReader(in.Text))
	}
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return logscan.Scan(rc)
}

func generationOf(src *Source) string {
	if src.Python != nil && (src.Python.Generation == "0.2" || src.Python.Generation == "0.4") {
		return src.Python.Generation
	}
	return ""
}

// secondView reads a mixed paste the other way too: the traceback inside a
// Python input, the code inside a log or transcript. Nil when there is none.
func secondView(ctx context.Context, src *Source) *Source {
	if src.Text == nil || len(src.Text) > maxInMemory {
		return nil
	}
	switch src.Kind {
	case KindPython:
		// The cheap test first: most scripts never say "Error".
		if !bytes.Contains(src.Text, []byte("Error")) {
			return nil
		}
		if logs, _ := scoreLines(uncommented(src.Text)); logs < 3 {
			return nil
		}
		facts, err := logscan.Scan(bytes.NewReader(src.Text))
		if err != nil {
			return nil
		}
		return &Source{Name: src.Name, Kind: KindLog, Text: src.Text, Log: facts}
	case KindLog:
		view := codeView(src.Text)
		if view == nil {
			return nil
		}
		if _, py := scoreLines(view); py < 2 {
			return nil
		}
		f, err := pyfacts.Parse(ctx, view)
		if err != nil || len(f.Constructs)+len(f.Chats)+len(f.Tools) == 0 {
			return nil
		}
		return &Source{Name: src.Name, Kind: KindPython, Text: view, Python: f}
	}
	return nil
}

// uncommented drops comment lines, so a script with its traceback pasted as
// comments is not read as a log.
func uncommented(text []byte) []byte {
	var out []byte
	for _, l := range bytes.SplitAfter(text, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l...)
		}
	}
	return out
}

type notebookSources struct {
	sources []*Source
	sum     InputSummary
}

// loadNotebook reads a Jupyter notebook as its code and its outputs; nil
// when the input is not one.
func loadNotebook(ctx context.Context, in Input) *notebookSources {
	prefix, err := readPrefix(in)
	if err != nil || !isNotebook(in.Name, prefix) {
		return nil
	}
	text, err := readAll(in)
	if err != nil {
		return nil
	}
	script, outputs, ok := splitNotebook(text)
	if !ok {
		return nil
	}
	nb := &notebookSources{sum: InputSummary{Name: in.Name, Kind: KindPython, Lines: bytes.Count(script, []byte("\n"))}}
	if f, err := pyfacts.Parse(ctx, script); err == nil {
		src := &Source{Name: in.Name, Kind: KindPython, Text: script, Python: f}
		nb.sources = append(nb.sources, src)
		nb.sum.Generation = generationOf(src)
	}
	if len(bytes.TrimSpace(outputs)) > 0 {
		if facts, err := logscan.Scan(bytes.NewReader(outputs)); err == nil {
			nb.sources = append(nb.sources, &Source{Name: in.Name, Kind: KindLog, Text: outputs, Log: facts})
		}
	}
	return nb
}

// pythonProvider names the provider the code talks to, from its model client
// classes or the api_type / base_url of its config entries ("" when unsure).
func pythonProvider(f *pyfacts.File) string {
	for _, c := range f.Constructs {
		switch {
		case strings.HasPrefix(c.Class, "AzureOpenAI") || c.Class == "AsyncAzureOpenAI" || c.Class == "AzureChatOpenAI":
			return "azure"
		case strings.Contains(c.Class, "Anthropic"):
			return "anthropic"
		case strings.HasPrefix(c.Class, "Ollama"):
			return "local"
		}
	}
	text := string(f.Src)
	switch {
	case strings.Contains(text, `"api_type": "azure"`) || strings.Contains(text, `'api_type': 'azure'`) || strings.Contains(text, "azure_endpoint"):
		return "azure"
	case strings.Contains(text, `api_type": "google"`) || strings.Contains(text, "gemini-"):
		return "gemini"
	case strings.Contains(text, `api_type": "anthropic"`) || strings.Contains(text, "claude-"):
		return "anthropic"
	case strings.Contains(text, "api.groq.com") || strings.Contains(text, `api_type": "groq"`):
		return "groq"
	}
	for _, c := range f.Constructs {
		if strings.Contains(c.Class, "OpenAI") {
			return "openai"
		}
	}
	return ""
}
