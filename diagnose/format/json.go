package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// JSON writes the report in the JSON contract of DESIGN.md: indented, fields in
// struct order, the engine's ranking and finding order kept, lists never null,
// secrets masked.
func JSON(w io.Writer, r *diagnose.Report) error {
	c := maskedReport(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Names such as "<stdin>" and code in evidence stay readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	return writeMasked(w, buf.Bytes())
}
