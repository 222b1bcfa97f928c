package format

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
)

// RulesTable writes one row per rule: ID, severity, cause and title.
func RulesTable(w io.Writer, rules []*diagnose.Rule) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tCAUSE\tTITLE")
	for _, r := range rules {
		if r == nil {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Cause, oneLine(r.Title))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeMasked(w, b.Bytes())
}

// RuleDoc writes one rule's documentation for a terminal: its title and
// metadata, its Doc with the Markdown markers turned into plain layout
// (headings underlined, code indented), and an example when one is given.
func RuleDoc(w io.Writer, r *diagnose.Rule, example string, o Options) error {
	p := painter{on: o.Color, links: o.Hyperlinks}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %s\n\n", p.paint(ansiBold, r.ID), p.paint(ansiBold, oneLine(r.Title)))
	fmt.Fprintf(&b, "  severity: %s\n", p.paint(severityStyle(r.Severity), string(r.Severity)))
	fmt.Fprintf(&b, "  cause:    %s\n", r.Cause)
	if len(r.Kinds) > 0 {
		kinds := make([]string, len(r.Kinds))
		for i, k := range r.Kinds {
			kinds[i] = string(k)
		}
		fmt.Fprintf(&b, "  reads:    %s\n", strings.Join(kinds, ", "))
	}
	if r.Article != "" {
		fmt.Fprintf(&b, "  article:  %s\n", p.hyperlink(o.link(r.ArticleURL())))
	}
	fmt.Fprintf(&b, "  page:     %s\n", p.hyperlink(o.ruleURL(r.ID)))
	if doc := strings.TrimSpace(r.Doc); doc != "" {
		b.WriteString("\n")
		b.WriteString(terminalMarkdown(doc, p))
	}
	if ex := strings.TrimRight(example, "\n"); strings.TrimSpace(ex) != "" {
		b.WriteString("\n" + p.paint(ansiBold, "Example") + "\n\n")
		for _, l := range strings.Split(ex, "\n") {
			b.WriteString("    " + expandLine(l) + "\n")
		}
	}
	return writeMasked(w, b.Bytes())
}

// terminalMarkdown lays out a rule's Markdown doc as plain text: headings bold
// (underlined with "=" when colour is off), fenced code indented four spaces,
// emphasis markers dropped, everything else kept as written.
func terminalMarkdown(md string, p painter) string {
	var b strings.Builder
	inCode := false
	fence := ""
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		trim := strings.TrimSpace(line)
		if inCode {
			if strings.HasPrefix(trim, fence) && strings.Trim(trim, "`~") == "" {
				inCode = false
				continue
			}
			b.WriteString("    " + expandLine(line) + "\n")
			continue
		}
		if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			inCode = true
			fence = trim[:3]
			for _, c := range trim[3:] {
				if string(c) != fence[:1] {
					break
				}
				fence += string(c)
			}
			continue
		}
		if strings.HasPrefix(trim, "#") {
			title := strings.TrimSpace(strings.TrimLeft(trim, "#"))
			if p.on {
				b.WriteString(p.paint(ansiBold, title) + "\n")
			} else {
				b.WriteString(title + "\n" + strings.Repeat("=", len([]rune(title))) + "\n")
			}
			continue
		}
		b.WriteString(inlineCode(expandLine(strings.NewReplacer("**", "", "__", "").Replace(line)), p) + "\n")
	}
	return b.String()
}

// inlineCode shows `code` spans in cyan, without the backticks, when colour is
// on; without colour the backticks stay as the only marker.
func inlineCode(line string, p painter) string {
	if !p.on || strings.Count(line, "`") < 2 {
		return line
	}
	parts := strings.Split(line, "`")
	if len(parts)%2 == 0 {
		return line // an unpaired backtick: leave the line alone
	}
	var b strings.Builder
	for i, part := range parts {
		if i%2 == 1 {
			b.WriteString(p.paint(ansiCyan, part))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}
