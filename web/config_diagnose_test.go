package web

import (
	"io"
	"testing"
	"time"
)

// TestDiagnosisSettings: the report store and input limits are settings
// like any other (flag and RLD_ variable, flags win), with safe defaults.
func TestDiagnosisSettings(t *testing.T) {
	d := DefaultConfig()
	if d.DataDir != "data" || d.Retention != 720*time.Hour || d.MaxTextBytes != 5<<20 || d.MaxUploadBytes != 50<<20 || d.DatabaseURL != "" {
		t.Errorf("defaults = dir %q retention %s text %d upload %d db %q", d.DataDir, d.Retention, d.MaxTextBytes, d.MaxUploadBytes, d.DatabaseURL)
	}
	env := map[string]string{"RLD_DATA_DIR": "/env/dir", "RLD_MAX_TEXT_BYTES": "1000", "RLD_RETENTION": "24h"}
	cfg, err := LoadConfig([]string{"--data-dir", "/flag/dir", "--max-upload-bytes", "2000"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != "/flag/dir" || cfg.MaxTextBytes != 1000 || cfg.MaxUploadBytes != 2000 || cfg.Retention != 24*time.Hour {
		t.Errorf("loaded %+v", cfg)
	}
	for _, args := range [][]string{{"--data-dir", " "}, {"--retention", "0s"}, {"--max-text-bytes", "-1"}, {"--max-upload-bytes", "lots"}, {"--database-url", "mysql://x"}} {
		if _, err := LoadConfig(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
