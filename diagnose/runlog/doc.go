// Package runlog reads the records an AutoGen run leaves behind and turns them
// into Facts the diagnosis rules read:
//
//   - the 0.2/AG2 runtime-log SQLite database written by
//     autogen.runtime_logging.start() (OpenDB),
//   - the 0.2 FileLogger's JSON-lines file, 0.4 LLMCall event lines from the
//     autogen_core.events logger, and openai/httpx INFO lines interleaved with
//     them (ReadJSONLines),
//   - and a content sniffer so the engine can classify an input (Sniff).
//
// Everything is computed while streaming: no reader keeps all rows or lines
// in memory. Per-call records survive only as bounded evidence (the first
// calls, the calls before the first failure, the rows where a loop began),
// and every map is capped by Limits so a hostile or enormous log cannot
// exhaust memory. Long request and response columns are measured and
// inspected inside SQLite (octet_length, json_extract, substr) so a 20 MB row
// is never copied into Go.
//
// What the records cannot show is said so in Facts.Notes: retries inside the
// openai SDK leave no row (only the final failure of each config is logged),
// and 0.4 writes no event for a failed call.
package runlog
