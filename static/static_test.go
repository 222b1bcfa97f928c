package static

import (
	"io/fs"
	"strings"
	"testing"
)

// TestRequiredFilesExist opens the assets the layout links to: a missing or
// empty file would give every page a broken stylesheet or script.
func TestRequiredFilesExist(t *testing.T) {
	for _, name := range []string{"app.css", "app.js", "theme.js", "favicon.svg"} {
		b, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Errorf("open %s: %v", name, err)
			continue
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}

// TestNoRemoteReferences keeps the promise that nothing loads from another host.
func TestNoRemoteReferences(t *testing.T) {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, bad := range []string{"http://", "https://", "@import", "//cdn"} {
			if e.Name() == "favicon.svg" && bad == "http://" {
				// the SVG namespace URI is an identifier, not a request
				s = strings.ReplaceAll(s, "http://www.w3.org/2000/svg", "")
			}
			if strings.Contains(s, bad) {
				t.Errorf("%s contains %q: assets must not reference other hosts", e.Name(), bad)
			}
		}
	}
}
