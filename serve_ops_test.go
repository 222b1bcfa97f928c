package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunServeBadTeamContent: a team article with bad front matter, or a bad
// tiers.yaml, stops start-up (exit 1) with file:line: reason, before the
// server listens or opens its store.
func TestRunServeBadTeamContent(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"article": {"runbook.md": "---\ntitle: Our runbook\nslug: our-runbook\ncause: not-a-cause\n---\nText.\n"},
		"tiers":   {"tiers.yaml": "providers:\n  - id: x\n    bogus_key: 1\n"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			for f, body := range files {
				if err := os.WriteFile(filepath.Join(dir, f), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var out, errb bytes.Buffer
			code := runServe([]string{"--content-dir", dir, "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0"}, &out, &errb)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", code, errb.String())
			}
			for f := range files {
				if !strings.Contains(errb.String(), filepath.Join(dir, f)+":") {
					t.Errorf("stderr %q does not name %s with a line", errb.String(), f)
				}
			}
		})
	}
}

// TestRunServeAuthNeedsCredentials: an access-control mode without its
// credentials is a usage error, not a silently open site.
func TestRunServeAuthNeedsCredentials(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runServe([]string{"--auth", "token"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "auth-token") {
		t.Errorf("--auth token without a token: exit %d, stderr %q", code, errb.String())
	}
}
