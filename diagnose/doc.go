// Package diagnose is the diagnosis engine: it reads what a person pastes —
// Python, an OAI_CONFIG_LIST or llm_config, a 0.4 component config, a
// traceback, console output, a runtime log — and says which cause of their
// 429s it is, on which line, with the change that fixes it.
//
// The pipeline (DESIGN.md):
//
//	inputs -> Sniff (python | config | log | runtime-db | unknown; content first, name as a hint)
//	       -> facts, parsed once per input: pyfacts (tree-sitter), configfacts (yaml.v3),
//	          logscan (streaming), runlog (SQLite / JSON lines)
//	       -> rules (All, sorted by ID), each reporting through a Pass
//	       -> suppressions (# ratelimit-doctor: ignore[ID] / ignore-file[ID])
//	       -> masking (redact) -> ranking (rank.go) -> Report
//
// A pasted block that holds both code and its traceback (Markdown fences,
// code followed by the error) is read both ways, as two sources with one
// name; the code view keeps every byte offset, so edits still apply to the
// original text.
//
// Public API:
//
//   - Run(ctx, inputs, opts) (*Report, error): the whole pipeline.
//   - Sniff(name, prefix) (Kind, reason): classification alone.
//   - All, Lookup(id): the rule registry; each Rule carries its ID, title,
//     cause, severity, article slug and Markdown Doc.
//   - ApplyEdits(text, edits) and UnifiedDiff(name, a, b): turn a finding's
//     Edits into fixed text and a diff of the person's own input.
//   - Symptoms(): the wizard answers Options.Symptoms understands.
//
// Rule IDs are RLD + 4 digits: the first digit is the cause family (1 loop,
// 2 shared-key, 3 double-retry, 4 noisy-tool, 5 low-quota, 6 no-cache,
// 7 context-growth/speaker-selection, 9 secret); the hundreds digit is what a
// rule reads (0 code/config, 1 logs, 2 runtime logs). Test cases live in
// testdata/<ID>/ with inline `# want ID "regex"` markers (harness_test.go).
package diagnose
