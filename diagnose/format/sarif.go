package format

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// SARIF 2.1.0 constants.
const (
	SARIFSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	SARIFVersion   = "2.1.0"
	sarifToolName  = "ratelimit-doctor"
	sarifSrcRoot   = "%SRCROOT%"
	fingerprintKey = "ratelimitDoctorFinding/v1"
)

// The SARIF types below hold only the properties this tool emits; the names
// and nesting follow the SARIF 2.1.0 schema.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		InformationURI  string      `json:"informationUri"`
		SemanticVersion string      `json:"semanticVersion,omitempty"`
		Version         string      `json:"version,omitempty"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		HelpURI              string         `json:"helpUri"`
		Help                 sarifText      `json:"help"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           sarifRuleProps `json:"properties"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProps struct {
		Tags             []string `json:"tags"`
		Precision        string   `json:"precision,omitempty"`
		SecuritySeverity string   `json:"security-severity,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Fixes               []sarifFix        `json:"fixes,omitempty"`
		Properties          map[string]string `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifFix struct {
		Description     sarifText             `json:"description"`
		ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	}
	sarifArtifactChange struct {
		ArtifactLocation sarifArtifact      `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion `json:"deletedRegion"`
		InsertedContent *sarifText  `json:"insertedContent,omitempty"`
	}
)

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s diagnose.Severity) string {
	switch s {
	case diagnose.SeverityError:
		return "error"
	case diagnose.SeverityWarning:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub uses to rank security alerts:
// a hard-coded provider key is high.
func securitySeverity(s diagnose.Severity) string {
	switch s {
	case diagnose.SeverityError:
		return "8.0"
	case diagnose.SeverityWarning:
		return "6.0"
	}
	return "3.0"
}

// SARIF writes the report as a SARIF 2.1.0 log with one run, ready for GitHub
// code scanning: every rule of the registry as a descriptor with help and a
// link to its page, one result per finding with a stable fingerprint, and
// fixes computed from the finding's edits when the source is at hand.
func SARIF(w io.Writer, r *diagnose.Report, o Options) error {
	c := maskedReport(r)
	rules, index := sarifRules(c.Findings, o)
	results := make([]sarifResult, 0, len(c.Findings))
	for _, f := range c.Findings {
		results = append(results, sarifResultOf(f, index[f.Rule], o))
	}
	version := o.ToolVersion
	if version == "" {
		version = "0.0.0-dev"
	}
	log := sarifLog{
		Schema:  SARIFSchema,
		Version: SARIFVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:            sarifToolName,
				InformationURI:  o.link("/rules"),
				SemanticVersion: version,
				Version:         version,
				Rules:           rules,
			}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("encode sarif: %w", err)
	}
	return writeMasked(w, buf.Bytes())
}

// sarifRules lists every registry rule plus any rule a finding names that the
// registry lacks, sorted by ID, and the index of each ID in that list.
func sarifRules(findings []diagnose.Finding, o Options) ([]sarifRule, map[string]int) {
	byID := map[string]sarifRule{}
	for _, r := range o.Rules {
		if r != nil {
			byID[r.ID] = sarifRuleOf(r, o)
		}
	}
	for _, f := range findings {
		if _, ok := byID[f.Rule]; ok {
			continue
		}
		title := f.Title
		if title == "" {
			title = oneLine(f.Message)
		}
		byID[f.Rule] = sarifRuleOf(&diagnose.Rule{
			ID: f.Rule, Title: title, Cause: f.Cause, Severity: f.Severity,
			Article: strings.TrimPrefix(f.Article, "/articles/"),
		}, o)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rules := make([]sarifRule, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		rules[i] = byID[id]
		index[id] = i
	}
	// A finding's security flag makes its rule a security rule even when the
	// registry's cause does not say so.
	for _, f := range findings {
		if f.Security {
			markSecurity(&rules[index[f.Rule]])
		}
	}
	return rules, index
}

func markSecurity(r *sarifRule) {
	for _, t := range r.Properties.Tags {
		if t == "security" {
			return
		}
	}
	r.Properties.Tags = append(r.Properties.Tags, "security")
	r.Properties.SecuritySeverity = securitySeverity(severityOfLevel(r.DefaultConfiguration.Level))
}

func severityOfLevel(level string) diagnose.Severity {
	switch level {
	case "error":
		return diagnose.SeverityError
	case "warning":
		return diagnose.SeverityWarning
	}
	return diagnose.SeverityInfo
}

func sarifRuleOf(r *diagnose.Rule, o Options) sarifRule {
	doc := strings.TrimSpace(mask(r.Doc))
	full := firstParagraph(doc)
	if full == "" {
		full = r.Title
	}
	article := ""
	if r.Article != "" {
		article = o.link(r.ArticleURL())
	}
	helpMD := doc
	if helpMD == "" {
		helpMD = r.Title
	}
	helpText := plainText(helpMD)
	if article != "" {
		helpMD += "\n\nRead more: [" + mdEscape(article) + "](" + article + ")"
		helpText += "\n\nRead more: " + article
	}
	sr := sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.Title),
		ShortDescription:     sarifText{Text: r.Title},
		FullDescription:      sarifText{Text: plainText(full)},
		HelpURI:              o.ruleURL(r.ID),
		Help:                 sarifText{Text: helpText, Markdown: helpMD},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		Properties:           sarifRuleProps{Tags: []string{string(r.Cause)}, Precision: "high"},
	}
	if r.Cause == diagnose.CauseSecret {
		markSecurity(&sr)
	}
	return sr
}

// ruleName turns a title into the PascalCase name SARIF viewers show
// ("No termination condition" -> "NoTerminationCondition").
func ruleName(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

func firstParagraph(md string) string {
	for _, p := range strings.Split(md, "\n\n") {
		p = strings.TrimSpace(p)
		if p != "" && !strings.HasPrefix(p, "#") && !strings.HasPrefix(p, "```") {
			return strings.Join(strings.Fields(p), " ")
		}
	}
	return ""
}

// plainText drops the Markdown markers that read badly as plain text.
func plainText(md string) string {
	r := strings.NewReplacer("**", "", "`", "")
	var out []string
	for _, l := range strings.Split(md, "\n") {
		out = append(out, strings.TrimLeft(r.Replace(l), "#"))
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// artifactURI makes a file name into a SARIF artifact location: relative names
// (forward slashes, percent-encoded) on %SRCROOT%, absolute ones as file URIs
// unless they lie under root (the checkout the scan ran in).
func artifactURI(name, root string) sarifArtifact {
	if root != "" && filepath.IsAbs(name) {
		if rel, err := filepath.Rel(root, name); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			name = rel
		}
	}
	slashed := filepath.ToSlash(name)
	if filepath.IsAbs(name) || strings.HasPrefix(slashed, "/") {
		u := url.URL{Scheme: "file", Path: slashed}
		if !strings.HasPrefix(u.Path, "/") {
			u.Path = "/" + u.Path // Windows drive letters
		}
		return sarifArtifact{URI: u.String()}
	}
	slashed = strings.TrimPrefix(slashed, "./")
	parts := strings.Split(slashed, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return sarifArtifact{URI: strings.Join(parts, "/"), URIBaseID: sarifSrcRoot}
}

// fingerprint is stable across runs and line moves: the rule, the file and the
// evidence with whitespace collapsed.
func fingerprint(f diagnose.Finding) string {
	ev := strings.Join(strings.Fields(f.Evidence), " ")
	if ev == "" {
		ev = strings.Join(strings.Fields(f.Message), " ")
	}
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + filepath.ToSlash(f.File) + "\x00" + ev))
	return hex.EncodeToString(sum[:16])
}

func sarifResultOf(f diagnose.Finding, ruleIndex int, o Options) sarifResult {
	msg := oneLine(f.Message)
	if msg == "" {
		msg = f.Title
	}
	loc := sarifPhysical{ArtifactLocation: artifactURI(f.File, o.SourceRoot)}
	if f.Line > 0 {
		reg := &sarifRegion{StartLine: f.Line, EndLine: max(f.EndLine, f.Line)}
		if f.Column > 0 {
			reg.StartColumn = f.Column
			// Columns are bytes in the engine; SARIF here counts code points.
			if o.Sources != nil {
				if line, ok := o.Sources.Line(f.File, f.Line); ok && f.Column-1 <= len(line) {
					reg.StartColumn = len([]rune(line[:f.Column-1])) + 1
				}
			}
		}
		loc.Region = reg
	}
	res := sarifResult{
		RuleID:              f.Rule,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: msg},
		Locations:           []sarifLocation{{PhysicalLocation: loc}},
		PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
		Properties:          map[string]string{"cause": string(f.Cause)},
	}
	if f.Article != "" {
		res.Properties["article"] = o.link(f.Article)
	}
	if fix, ok := sarifFixOf(f, o.Sources, o.SourceRoot); ok {
		res.Fixes = []sarifFix{fix}
	}
	return res
}

// sarifFixOf turns the finding's edits into SARIF replacements; it gives up
// (no fix, the message still stands) when any file's text is missing or an
// edit does not fit it.
func sarifFixOf(f diagnose.Finding, src Sources, root string) (sarifFix, bool) {
	if len(f.Edits) == 0 || src == nil {
		return sarifFix{}, false
	}
	desc := "Apply the suggested change for " + f.Rule
	if f.Title != "" {
		desc += ": " + oneLine(f.Title)
	}
	fix := sarifFix{Description: sarifText{Text: desc}}
	files, byFile := editsByFile(f)
	for _, name := range files {
		text, ok := src.Text(name)
		if !ok {
			return sarifFix{}, false
		}
		es, ok := validEdits(text, byFile[name])
		if !ok {
			return sarifFix{}, false
		}
		ch := sarifArtifactChange{ArtifactLocation: artifactURI(name, root)}
		for _, e := range es {
			sl, sc := position(text, e.Start)
			el, ec := position(text, e.End)
			rep := sarifReplacement{DeletedRegion: sarifRegion{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec}}
			if e.New != "" {
				rep.InsertedContent = &sarifText{Text: e.New}
			}
			ch.Replacements = append(ch.Replacements, rep)
		}
		fix.ArtifactChanges = append(fix.ArtifactChanges, ch)
	}
	return fix, true
}
