// Package budget predicts, before a run, how many model calls an AutoGen setup
// can make and whether they fit a provider's limits, and computes how many HTTP
// requests one logical call can become when retry layers stack.
//
// The arithmetic follows the AutoGen source (see shared/reference,
// autogen-ratelimits.md §1.2, §1.3, §1.7, §2.1, §2.2 and §3); every formula
// carries a comment with the fact it rests on. The package is pure: it takes
// plain values and returns plain values, so the engine, the CLI and the web
// wizard all share it and the tests can check each number by hand.
package budget
