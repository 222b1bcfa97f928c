package diagnose

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
	"gopkg.in/yaml.v3"
)

var ruleHardcodedKey = &Rule{
	ID:       "RLD9001",
	Title:    "API key written into the code",
	Cause:    CauseSecret,
	Severity: SeverityError,
	Article:  "hard-coded-api-keys",
	Kinds:    []Kind{KindPython, KindConfig},
	Doc: `Looks for a real-looking API key (OpenAI ` + "`sk-…`" + `, Anthropic ` + "`sk-ant-…`" + `, Google
` + "`AIza…`" + `, Groq ` + "`gsk_…`" + `, Hugging Face ` + "`hf_…`" + `, an Azure 32-hex key) written as a string
literal in Python — in ` + "`api_key=`" + `, an ` + "`\"api_key\"`" + ` entry, a ` + "`*_KEY`" + ` variable or
` + "`os.environ[...] = \"…\"`" + ` — or in a config file.

**Why.** A key in code ends up in git history, screenshots and issue threads; anyone
who copies it spends your quota, and their traffic counts against the same
rate limits as yours (a shared-key cause of 429s). It is also a security finding.

**Not flagged.** Placeholders ("sk-...", "YOUR_API_KEY", "EMPTY", "not-needed",
"ollama"), keys read from the environment, and short dummy values for local servers.
In an ` + "`OAI_CONFIG_LIST`" + ` file a key is expected, so it is a warning there: keep that
file out of version control.

**Fix.** Read it from the environment: ` + "`api_key=os.environ[\"OPENAI_API_KEY\"]`" + `, and
revoke the exposed key.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD9001]`" + ` on the line.` + example("config_list = [{\"model\": \"gpt-4o\", \"api_key\": \"sk-proj-...\"}]", "import os\n\nconfig_list = [{\"model\": \"gpt-4o\", \"api_key\": os.environ[\"OPENAI_API_KEY\"]}]"),
	Run: checkHardcodedKey,
}

var strongKey = regexp.MustCompile(`^(sk-ant-|sk-proj-|sk-or-v1-|sk-|gsk_|hf_|AIza|xai-|pplx-)[A-Za-z0-9_\-]{16,}$`)
var azureHex = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// realKey reports whether a literal looks like a real key rather than a placeholder.
func realKey(v string, keyContext bool) bool {
	l := strings.ToLower(v)
	for _, w := range []string{"xxx", "your", "...", "…", "<", "placeholder", "changeme", "****", "insert", "here", "redacted", "hidden"} {
		if strings.Contains(l, w) {
			return false
		}
	}
	// "sk-dummy", "sk-fake-key": placeholders, unless the value still has a
	// real key's full length (people paste real keys with FAKE edits, and a
	// masked-looking key in a public thread is still worth flagging).
	if len(v) < 40 {
		for _, w := range []string{"example", "dummy", "fake", "test-key", "sample"} {
			if strings.Contains(l, w) {
				return false
			}
		}
	}
	distinct := map[rune]bool{}
	for _, r := range v {
		distinct[r] = true
	}
	if len(distinct) < 8 {
		return false
	}
	if strongKey.MatchString(v) {
		return true
	}
	if !keyContext {
		return false
	}
	if azureHex.MatchString(v) {
		return true
	}
	// A long random-looking token in an api_key slot.
	if len(v) < 24 || strings.ContainsAny(v, " /:.") {
		return false
	}
	digits, letters := 0, 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
		}
	}
	return digits >= 4 && letters >= 8
}

func envNameFor(v string) string {
	switch {
	case strings.HasPrefix(v, "sk-ant-"):
		return "ANTHROPIC_API_KEY"
	case strings.HasPrefix(v, "AIza"):
		return "GOOGLE_API_KEY"
	case strings.HasPrefix(v, "gsk_"):
		return "GROQ_API_KEY"
	case strings.HasPrefix(v, "hf_"):
		return "HF_TOKEN"
	case strings.HasPrefix(v, "sk-or-"):
		return "OPENROUTER_API_KEY"
	case azureHex.MatchString(v):
		return "AZURE_OPENAI_API_KEY"
	}
	return "OPENAI_API_KEY"
}

func isKeyName(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "api_key") || strings.Contains(l, "apikey") || strings.HasSuffix(l, "_key") || l == "key" ||
		strings.Contains(l, "token") || strings.Contains(l, "secret") || strings.Contains(l, "api-key")
}

func checkHardcodedKey(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, n := range f.Strings {
			v, ok := f.Str(n, nil)
			if !ok {
				continue
			}
			ctxName := keyContextOf(f, n)
			if realKey(v, ctxName != "") {
				reportPyKey(p, src, n, v, ctxName)
			}
		}
	}
	for _, src := range configSources(p) {
		cf := src.Config
		var visit func(n *yaml.Node, key string, depth int)
		visit = func(n *yaml.Node, key string, depth int) {
			if n == nil || depth > 64 {
				return
			}
			switch n.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					visit(n.Content[i+1], n.Content[i].Value, depth+1)
				}
			case yaml.SequenceNode:
				for _, c := range n.Content {
					visit(c, key, depth+1)
				}
			case yaml.ScalarNode:
				if realKey(n.Value, isKeyName(key)) {
					s, e := cf.Span(n)
					env := envNameFor(n.Value)
					p.Report(Diag{Source: src, Line: n.Line, Column: n.Column, Severity: SeverityWarning, Security: true,
						Message:  fmt.Sprintf("%q holds a real-looking key (%s) in the config file: keep this file out of git and share it only masked, or read the key from the environment", key, redact.Mask(n.Value)),
						Evidence: cf.LineText(n.Line),
						Edits:    []Edit{{File: src.Name, Start: s, End: e, New: `"${` + env + `}"`}},
						Fix:      fmt.Sprintf(`load the key from the environment instead, e.g. in Python: config_list = [{"model": ..., "api_key": os.environ["%s"]}]`, env)})
				}
			}
		}
		visit(cf.Root, "", 0)
	}
}

// keyContextOf names the argument, dict key or variable a string literal is
// assigned to when that name is key-like ("" otherwise).
func keyContextOf(f *pyfacts.File, n *pyfacts.Node) string {
	p := n.Parent
	for p != nil && p.Kind == "parenthesized_expression" {
		p = p.Parent
	}
	if p == nil {
		return ""
	}
	var name string
	switch p.Kind {
	case "keyword_argument":
		name = f.Text(p.Child("name"))
	case "pair":
		name, _ = f.Str(p.Child("key"), nil)
	case "assignment":
		left := p.Child("left")
		name = f.Text(left)
		if left != nil && left.Kind == "subscript" {
			name, _ = f.Str(left.Child("subscript"), nil)
		}
	case "argument_list":
		// os.environ.setdefault("OPENAI_API_KEY", "sk-...")
		if call := p.Parent; call != nil && call.Kind == "call" {
			if first := f.Positional(call, 0); first != nil && first != n {
				name, _ = f.Str(first, nil)
			}
		}
	}
	if isKeyName(name) {
		return name
	}
	return ""
}

func reportPyKey(p *Pass, src *Source, n *pyfacts.Node, v, ctxName string) {
	f := src.Python
	env := envNameFor(v)
	where := "a string literal"
	if ctxName != "" {
		where = ctxName
	}
	msg := fmt.Sprintf("%s is a hard-coded key (%s): anyone who sees this file can spend your quota and share your rate limit; read it from the environment and revoke this key", where, redact.Mask(v))
	var edits []Edit
	stmt := n.Parent
	if stmt != nil && stmt.Kind == "assignment" && stmt.Child("left").Kind == "subscript" && strings.Contains(f.Text(stmt.Child("left")), "environ") {
		// os.environ["OPENAI_API_KEY"] = "sk-...": set it outside the program.
		edits = append(edits, Edit{File: src.Name, Start: stmt.Start, End: stmt.End,
			New: fmt.Sprintf("# %s comes from the environment (export %s=... before running)", env, env)})
	} else if stmt != nil && stmt.Kind == "argument_list" {
		edits = nil // setdefault(...): no safe automatic edit
	} else {
		edits = append(edits, replaceEdit(src, n, fmt.Sprintf(`os.environ["%s"]`, env)))
		if e, ok := addImport(src, "os", "import os"); ok {
			edits = append(edits, e)
		}
	}
	reportPy(p, src, n, msg, edits, Diag{Security: true})
}
