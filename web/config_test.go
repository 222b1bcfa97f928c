package web

import (
	"errors"
	"io"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantAddr string
		wantRead time.Duration
		wantErr  bool
	}{
		{name: "defaults", wantAddr: "localhost:8080", wantRead: 30 * time.Second},
		{name: "env", env: map[string]string{"RLD_ADDR": "127.0.0.1:9000", "RLD_READ_TIMEOUT": "5s"}, wantAddr: "127.0.0.1:9000", wantRead: 5 * time.Second},
		{name: "flag wins over env", args: []string{"--addr", ":7000"}, env: map[string]string{"RLD_ADDR": "127.0.0.1:9000"}, wantAddr: ":7000", wantRead: 30 * time.Second},
		{name: "bad addr", args: []string{"--addr", "nonsense"}, wantErr: true},
		{name: "bad env duration", env: map[string]string{"RLD_IDLE_TIMEOUT": "soon"}, wantErr: true},
		{name: "negative duration", args: []string{"--write-timeout", "-1s"}, wantErr: true},
		{name: "stray argument", args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(tt.args, env(tt.env), io.Discard)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got %+v, want an error", cfg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Addr != tt.wantAddr || cfg.ReadTimeout != tt.wantRead {
				t.Errorf("addr %q read %s, want %q %s", cfg.Addr, cfg.ReadTimeout, tt.wantAddr, tt.wantRead)
			}
		})
	}
	if _, err := LoadConfig([]string{"--help"}, env(nil), io.Discard); !errors.Is(err, ErrHelp) {
		t.Errorf("--help: err = %v, want ErrHelp", err)
	}
}

func TestEnvName(t *testing.T) {
	if got := EnvName("data-dir"); got != "RLD_DATA_DIR" {
		t.Errorf("EnvName = %q", got)
	}
}
