// Package format renders a diagnose.Report for people and machines: compiler-style
// text for terminals, the JSON report contract, SARIF 2.1.0 for code scanning and
// Markdown to paste into an issue.
//
// The engine knows nothing of these renderers; the CLI and the web layer (saved
// reports, their .json and .md exports) both call them. Every renderer builds its
// output in a buffer, passes the whole of it through the secret redactor as the
// last step (the engine masks evidence already; this is the second line of
// defence for source lines, fixes and diffs taken from the person's own text)
// and only then writes it.
package format
