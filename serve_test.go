package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunServeRejectsBadSettings: a bad flag or environment value stops the
// server before it listens, with exit code 2 and a one-line reason.
func TestRunServeRejectsBadSettings(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runServe([]string{"--addr", "no-port"}, &out, &errb); code != 2 {
		t.Errorf("bad --addr: exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), "addr") {
		t.Errorf("stderr %q does not name the flag", errb.String())
	}
	t.Setenv("RLD_READ_TIMEOUT", "forever")
	errb.Reset()
	if code := runServe(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "RLD_READ_TIMEOUT") {
		t.Errorf("bad RLD_READ_TIMEOUT: exit %d, stderr %q", code, errb.String())
	}
}

func TestRunServeHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runServe([]string{"--help"}, &out, &errb); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
	if !strings.Contains(errb.String(), "-addr") || !strings.Contains(errb.String(), "RLD_ADDR") {
		t.Errorf("help does not list --addr and RLD_ADDR:\n%s", errb.String())
	}
}
