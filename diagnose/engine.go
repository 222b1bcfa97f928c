package diagnose

import (
	"context"
	"io"
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

// Run classifies every input, parses each once into facts, runs every rule over
// all facts together and returns the ranked, masked report.
// (Placeholder body: the engine work replaces it.)
func Run(ctx context.Context, inputs []Input, opts Options) (*Report, error) {
	return &Report{Version: ReportVersion, Causes: []RankedCause{}, Findings: []Finding{}, Inputs: []InputSummary{}}, nil
}
