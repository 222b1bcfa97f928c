package diagnose

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Jupyter notebooks are JSON, but what matters in them is the code in their
// cells and the errors in their outputs (AutoGen's own examples are
// notebooks, and people run their agents in them). A notebook is read as
// the script its code cells make, plus a log of its outputs. Findings point
// at lines of that script (cells joined in order, "# %% cell N" between
// them); edits cannot be applied to the notebook's JSON, so they are dropped
// and the fix is shown as text.

type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   json.RawMessage `json:"source"`
		Outputs  []struct {
			OutputType string          `json:"output_type"`
			Text       json.RawMessage `json:"text"`
			Ename      string          `json:"ename"`
			Evalue     string          `json:"evalue"`
			Traceback  []string        `json:"traceback"`
		} `json:"outputs"`
	} `json:"cells"`
}

// isNotebook is a cheap look at the first bytes.
func isNotebook(name string, prefix []byte) bool {
	if strings.HasSuffix(strings.ToLower(name), ".ipynb") {
		return true
	}
	t := bytes.TrimSpace(prefix)
	return len(t) > 0 && t[0] == '{' && bytes.Contains(prefix, []byte(`"cells"`)) && bytes.Contains(prefix, []byte(`"cell_type"`))
}

// joinSource reads a cell's source, a string or a list of strings.
func joinSource(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []string
	if json.Unmarshal(raw, &parts) == nil {
		return strings.Join(parts, "")
	}
	return ""
}

// ansi strips terminal colour codes from notebook tracebacks.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// splitNotebook returns the script of the code cells and the text of the
// outputs; ok is false when the input is not a notebook.
func splitNotebook(text []byte) (script, outputs []byte, ok bool) {
	var nb notebook
	if err := json.Unmarshal(text, &nb); err != nil || len(nb.Cells) == 0 {
		return nil, nil, false
	}
	var code, out strings.Builder
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		src := joinSource(c.Source)
		// IPython magics and shell lines are not Python.
		var lines []string
		for _, l := range strings.Split(src, "\n") {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!") {
				l = "# " + l
			}
			lines = append(lines, l)
		}
		code.WriteString("# %% cell " + itoa(i+1) + "\n")
		code.WriteString(strings.Join(lines, "\n"))
		code.WriteString("\n")
		for _, o := range c.Outputs {
			if t := joinSource(o.Text); t != "" {
				out.WriteString(t)
				if !strings.HasSuffix(t, "\n") {
					out.WriteString("\n")
				}
			}
			if o.OutputType == "error" {
				for _, l := range o.Traceback {
					out.WriteString(stripANSI(l) + "\n")
				}
				out.WriteString(o.Ename + ": " + o.Evalue + "\n")
			}
		}
	}
	return []byte(code.String()), []byte(out.String()), true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
