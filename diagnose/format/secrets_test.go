package format

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// fakeKeys look like real provider keys; none is real.
var fakeKeys = []string{
	"sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f",
	"sk-ant-api03-Zy9xWv8uTs7rQp6oNm5lKj4iHg3fEd2cBa1-AAAA",
	"AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
	"0123456789abcdef0123456789abcdef",
	"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl",
	"gsk_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz",
	"plainBearerToken0987654321zyx",
}

// leakyReport puts a key into every free-text field, in the shapes people paste.
func leakyReport() (*diagnose.Report, MemSources) {
	src := "import autogen\n" +
		"config_list = [{\"model\": \"gpt-4o\", \"api_key\": \"" + fakeKeys[0] + "\"}]\n" +
		"claude = {\"api_key\": \"" + fakeKeys[1] + "\"}\n" +
		"gemini_key = '" + fakeKeys[2] + "'\n" +
		"azure = {\"api_type\": \"azure\", \"api_key\": \"" + fakeKeys[3] + "\"}\n" +
		"headers = {\"Authorization\": \"Bearer " + fakeKeys[4] + "\"}\n" +
		"groq = \"" + fakeKeys[5] + "\"\n" +
		"auth = \"Bearer " + fakeKeys[6] + "\"\n"
	var fs []diagnose.Finding
	lines := strings.Split(src, "\n")
	for i, l := range lines[1 : len(lines)-1] {
		start := strings.Index(src, l)
		fs = append(fs, diagnose.Finding{
			Rule: "RLD9001", Cause: diagnose.CauseSecret, Severity: diagnose.SeverityError, Security: true,
			File: "keys.py", Line: i + 2, EndLine: i + 2, Column: 1,
			Message:  "key in source: " + l,
			Evidence: l,
			Fix:      "api_key=os.environ[\"OPENAI_API_KEY\"]  # was " + l,
			Article:  "/articles/api-keys",
			Edits:    []diagnose.Edit{{File: "keys.py", Start: start, End: start + len(l), New: "# removed: " + l}},
		})
	}
	r := &diagnose.Report{
		Version:  1,
		Causes:   []diagnose.RankedCause{{Cause: diagnose.CauseSecret, Score: 1, Reason: "found " + fakeKeys[0]}},
		Findings: fs,
		Inputs:   []diagnose.InputSummary{{Name: "keys.py", Kind: diagnose.KindPython, Error: "api_key=" + fakeKeys[2]}},
		Next:     []string{"rotate " + fakeKeys[1]},
		Notes:    []diagnose.Note{{File: "keys.py", Message: "Authorization: Bearer " + fakeKeys[6]}},
	}
	return r, MemSources{"keys.py": []byte(src)}
}

func TestNoSecretInAnyFormat(t *testing.T) {
	r, src := leakyReport()
	o := Options{Sources: src, Rules: []*diagnose.Rule{{ID: "RLD9001", Title: "Hard-coded API key", Cause: diagnose.CauseSecret,
		Severity: diagnose.SeverityError, Article: "api-keys", Doc: "Like `api_key=\"" + fakeKeys[0] + "\"`."}}}
	renderers := map[string]func(*bytes.Buffer) error{
		"text":        func(b *bytes.Buffer) error { return Text(b, r, o) },
		"text-colour": func(b *bytes.Buffer) error { oc := o; oc.Color, oc.Hyperlinks = true, true; return Text(b, r, oc) },
		"json":        func(b *bytes.Buffer) error { return JSON(b, r) },
		"sarif":       func(b *bytes.Buffer) error { return SARIF(b, r, o) },
		"markdown":    func(b *bytes.Buffer) error { return Markdown(b, r, o) },
		"rule-doc":    func(b *bytes.Buffer) error { return RuleDoc(b, o.Rules[0], string(src["keys.py"]), o) },
	}
	for name, render := range renderers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, k := range fakeKeys {
				// Also look for a long piece of the key, in case a renderer cut it.
				if strings.Contains(out, k) || strings.Contains(out, k[4:20]) {
					t.Errorf("%s output leaks %q", name, k)
				}
			}
			if !strings.Contains(out, "…") {
				t.Errorf("%s output shows no masked key at all", name)
			}
			if name == "json" || name == "sarif" {
				if !json.Valid(b.Bytes()) {
					t.Errorf("%s output is not valid JSON after masking", name)
				}
			}
		})
	}
}
