package format

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// checkSARIF validates a log against the parts of the SARIF 2.1.0 schema (and
// GitHub code scanning's upload rules) that this tool's output touches:
// required properties, enums, value ranges, and cross references.
func checkSARIF(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	fail := func(format string, args ...any) { t.Helper(); t.Errorf("SARIF: "+format, args...) }
	if log["version"] != "2.1.0" {
		fail("version = %v", log["version"])
	}
	if s, _ := log["$schema"].(string); !strings.Contains(s, "sarif") || !strings.Contains(s, "2.1.0") {
		fail("$schema = %v", log["$schema"])
	}
	runs, _ := log["runs"].([]any)
	if len(runs) != 1 {
		fail("want exactly one run, got %d", len(runs))
		return log
	}
	run := runs[0].(map[string]any)
	driver, _ := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver == nil {
		fail("runs[0].tool.driver missing")
		return log
	}
	if driver["name"] != "ratelimit-doctor" {
		fail("driver.name = %v", driver["name"])
	}
	if u, _ := driver["informationUri"].(string); !isAbsURL(u) {
		fail("driver.informationUri %q is not an absolute URI", u)
	}
	semver := regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	if v, _ := driver["semanticVersion"].(string); !semver.MatchString(v) {
		fail("semanticVersion %q is not semver", v)
	}
	levels := map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	rules, _ := driver["rules"].([]any)
	ids := map[string]int{}
	for i, ri := range rules {
		r := ri.(map[string]any)
		id, _ := r["id"].(string)
		if id == "" {
			fail("rules[%d].id empty", i)
		}
		if _, dup := ids[id]; dup {
			fail("rule id %s twice", id)
		}
		ids[id] = i
		for _, k := range []string{"shortDescription", "fullDescription", "help"} {
			m, _ := r[k].(map[string]any)
			if s, _ := m["text"].(string); s == "" {
				fail("rule %s: %s.text empty", id, k)
			}
		}
		if md, _ := r["help"].(map[string]any)["markdown"].(string); md == "" {
			fail("rule %s: help.markdown empty", id)
		}
		if u, _ := r["helpUri"].(string); !isAbsURL(u) || !strings.HasSuffix(u, "/rules/"+id) {
			fail("rule %s: helpUri %q", id, u)
		}
		if name, _ := r["name"].(string); name == "" || strings.ContainsAny(name, " /") {
			fail("rule %s: name %q", id, name)
		}
		lvl, _ := r["defaultConfiguration"].(map[string]any)["level"].(string)
		if !levels[lvl] {
			fail("rule %s: level %q", id, lvl)
		}
		props, _ := r["properties"].(map[string]any)
		tags, _ := props["tags"].([]any)
		if len(tags) == 0 {
			fail("rule %s: no tags", id)
		}
		if ss, ok := props["security-severity"]; ok {
			v, err := strconv.ParseFloat(ss.(string), 64)
			if err != nil || v < 0 || v > 10 {
				fail("rule %s: security-severity %v", id, ss)
			}
		}
	}
	if ck := run["columnKind"]; ck != nil && ck != "unicodeCodePoints" && ck != "utf16CodeUnits" {
		fail("columnKind %v", ck)
	}
	results, ok := run["results"].([]any)
	if !ok {
		fail("results must be an array (empty when clean)")
	}
	for i, resi := range results {
		res := resi.(map[string]any)
		id, _ := res["ruleId"].(string)
		idx, ok := res["ruleIndex"].(float64)
		if !ok || int(idx) < 0 || int(idx) >= len(rules) || rules[int(idx)].(map[string]any)["id"] != id {
			fail("results[%d]: ruleIndex %v does not point at %s", i, res["ruleIndex"], id)
		}
		if !levels[res["level"].(string)] {
			fail("results[%d]: level %v", i, res["level"])
		}
		if s, _ := res["message"].(map[string]any)["text"].(string); s == "" {
			fail("results[%d]: message.text empty", i)
		}
		fp, _ := res["partialFingerprints"].(map[string]any)
		if len(fp) == 0 {
			fail("results[%d]: no partialFingerprints", i)
		}
		locs, _ := res["locations"].([]any)
		if len(locs) == 0 {
			fail("results[%d]: no locations", i)
		}
		for _, li := range locs {
			pl := li.(map[string]any)["physicalLocation"].(map[string]any)
			checkArtifact(t, pl["artifactLocation"])
			if reg, ok := pl["region"].(map[string]any); ok {
				checkRegion(t, reg)
			}
		}
		fixes, _ := res["fixes"].([]any)
		for _, fi := range fixes {
			changes, _ := fi.(map[string]any)["artifactChanges"].([]any)
			if len(changes) == 0 {
				fail("results[%d]: fix without artifactChanges", i)
			}
			for _, ci := range changes {
				ch := ci.(map[string]any)
				checkArtifact(t, ch["artifactLocation"])
				reps, _ := ch["replacements"].([]any)
				if len(reps) == 0 {
					fail("results[%d]: change without replacements", i)
				}
				for _, rp := range reps {
					reg, ok := rp.(map[string]any)["deletedRegion"].(map[string]any)
					if !ok {
						fail("results[%d]: replacement without deletedRegion", i)
						continue
					}
					checkRegion(t, reg)
				}
			}
		}
	}
	return log
}

func isAbsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

func checkArtifact(t *testing.T, v any) {
	t.Helper()
	a, _ := v.(map[string]any)
	uri, _ := a["uri"].(string)
	if uri == "" {
		t.Errorf("SARIF: artifactLocation without uri: %v", v)
		return
	}
	if strings.Contains(uri, `\`) {
		t.Errorf("SARIF: uri %q has backslashes", uri)
	}
	if _, err := url.Parse(uri); err != nil {
		t.Errorf("SARIF: uri %q: %v", uri, err)
	}
	if base, ok := a["uriBaseId"]; ok {
		if base != "%SRCROOT%" || strings.HasPrefix(uri, "/") || strings.Contains(uri, "://") {
			t.Errorf("SARIF: relative uri %q on base %v", uri, base)
		}
	} else if !strings.HasPrefix(uri, "file:///") {
		t.Errorf("SARIF: uri %q is neither relative to %%SRCROOT%% nor absolute", uri)
	}
}

func checkRegion(t *testing.T, reg map[string]any) {
	t.Helper()
	num := func(k string) (int, bool) {
		v, ok := reg[k].(float64)
		return int(v), ok
	}
	sl, ok := num("startLine")
	if !ok || sl < 1 {
		t.Errorf("SARIF: region startLine %v", reg["startLine"])
	}
	if el, ok := num("endLine"); ok && el < sl {
		t.Errorf("SARIF: endLine %d < startLine %d", el, sl)
	}
	for _, k := range []string{"startColumn", "endColumn"} {
		if c, ok := num(k); ok && c < 1 {
			t.Errorf("SARIF: %s %d < 1", k, c)
		}
	}
}

func TestSARIFStructure(t *testing.T) {
	r := sampleReport()
	r.Findings = append(r.Findings, diagnose.Finding{Rule: "RLD9001", Cause: diagnose.CauseSecret, Severity: diagnose.SeverityError,
		File: "app/keys.py", Line: 2, EndLine: 2, Message: "hard-coded key", Evidence: `api_key="sk-…abcd"`, Security: true},
		diagnose.Finding{Rule: "RLD7777", Title: "Engine-only rule", Cause: diagnose.CauseNoCache, Severity: diagnose.SeverityInfo,
			File: "/abs/dir/x y.py", Line: 1, Message: "cache off"})
	var out bytes.Buffer
	if err := SARIF(&out, r, sampleOptions()); err != nil {
		t.Fatal(err)
	}
	log := checkSARIF(t, out.Bytes())
	run := log["runs"].([]any)[0].(map[string]any)
	rules := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)
	// Registry rules and the unknown rule a finding names, sorted by ID.
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.(map[string]any)["id"].(string))
	}
	if strings.Join(ids, ",") != "RLD1001,RLD4001,RLD7777,RLD9001" {
		t.Errorf("rule ids %v", ids)
	}
	secret := rules[3].(map[string]any)
	props := secret["properties"].(map[string]any)
	if props["security-severity"] == nil || !strings.Contains(strings.Join(anyStrings(props["tags"]), ","), "security") {
		t.Errorf("secret rule not marked security: %v", props)
	}
	if !strings.Contains(secret["help"].(map[string]any)["markdown"].(string), "https://rld.example.org/articles/api-keys") {
		t.Errorf("help lacks article link")
	}
	results := run["results"].([]any)
	if len(results) != 5 {
		t.Fatalf("want 5 results, got %d", len(results))
	}
	first := results[0].(map[string]any)
	loc := first["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	if loc["artifactLocation"].(map[string]any)["uri"] != "agents.py" {
		t.Errorf("uri %v", loc["artifactLocation"])
	}
	reg := loc["region"].(map[string]any)
	if reg["startLine"] != float64(5) || reg["endLine"] != float64(5) || reg["startColumn"] != float64(39) {
		t.Errorf("region %v", reg)
	}
	// The edit becomes a replacement of exactly `human_input_mode="NEVER"` on line 5.
	rep := first["fixes"].([]any)[0].(map[string]any)["artifactChanges"].([]any)[0].(map[string]any)["replacements"].([]any)[0].(map[string]any)
	del := rep["deletedRegion"].(map[string]any)
	if del["startLine"] != float64(5) || del["startColumn"] != float64(39) || del["endLine"] != float64(5) || del["endColumn"] != float64(39+len(`human_input_mode="NEVER"`)) {
		t.Errorf("deletedRegion %v", del)
	}
	if rep["insertedContent"].(map[string]any)["text"] != `human_input_mode="NEVER", max_consecutive_auto_reply=5` {
		t.Errorf("insertedContent %v", rep["insertedContent"])
	}
	// Line 0: no region, the file itself.
	third := results[2].(map[string]any)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
	if _, has := third["region"]; has {
		t.Errorf("line-0 finding has a region: %v", third)
	}
	// No edits or no source: no fixes.
	if _, has := results[1].(map[string]any)["fixes"]; has {
		t.Error("finding without edits has fixes")
	}
	// Absolute paths become file URIs, spaces encoded.
	abs := results[4].(map[string]any)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)
	if abs["uri"] != "file:///abs/dir/x%20y.py" || abs["uriBaseId"] != nil {
		t.Errorf("absolute artifact %v", abs)
	}
	if results[4].(map[string]any)["level"] != "note" {
		t.Error("info must map to note")
	}
}

func TestSARIFEmpty(t *testing.T) {
	var out bytes.Buffer
	if err := SARIF(&out, &diagnose.Report{}, Options{Rules: sampleRules()}); err != nil {
		t.Fatal(err)
	}
	log := checkSARIF(t, out.Bytes())
	if n := len(log["runs"].([]any)[0].(map[string]any)["results"].([]any)); n != 0 {
		t.Errorf("%d results", n)
	}
}

func TestFingerprintStable(t *testing.T) {
	a := diagnose.Finding{Rule: "RLD1001", File: "a.py", Line: 3, Evidence: "x =  1\n  y"}
	b := a
	b.Line, b.Evidence = 40, "x = 1 y" // moved and reformatted: same finding
	c := a
	c.File = "b.py"
	if fingerprint(a) != fingerprint(b) {
		t.Error("fingerprint changes with line or whitespace")
	}
	if fingerprint(a) == fingerprint(c) {
		t.Error("fingerprint ignores the file")
	}
}

func TestArtifactURI(t *testing.T) {
	for _, tc := range []struct{ in, root, uri, base string }{
		{"agents.py", "", "agents.py", "%SRCROOT%"},
		{"./src/a b.py", "", "src/a%20b.py", "%SRCROOT%"},
		{"<stdin>", "", "%3Cstdin%3E", "%SRCROOT%"},
		{"/tmp/x.log", "", "file:///tmp/x.log", ""},
		{"/work/repo/app/x.py", "/work/repo", "app/x.py", "%SRCROOT%"},
		{"/work/other/x.py", "/work/repo", "file:///work/other/x.py", ""},
		{"/work/repo2/x.py", "/work/repo", "file:///work/repo2/x.py", ""},
	} {
		got := artifactURI(tc.in, tc.root)
		if got.URI != tc.uri || got.URIBaseID != tc.base {
			t.Errorf("artifactURI(%q) = %+v", tc.in, got)
		}
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
