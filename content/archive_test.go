package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// archive is a test case file made of "-- name --" sections (like txtar):
// the text before the first section is a comment.
type archive map[string]string

func readArchive(t *testing.T, path string) archive {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return readArchiveF(path)
}

// readArchiveF reads an archive; an unreadable file is an empty archive.
func readArchiveF(path string) archive {
	data, _ := os.ReadFile(path)
	a := archive{}
	name := ""
	var b strings.Builder
	flush := func() {
		if name != "" {
			a[name] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			flush()
			name = strings.TrimSpace(trimmed[3 : len(trimmed)-3])
			continue
		}
		b.WriteString(line)
	}
	flush()
	return a
}

// lines returns the non-empty lines of a section.
func (a archive) lines(name string) []string {
	var out []string
	for _, l := range strings.Split(a[name], "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func caseFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata/%s (%v)", dir, err)
	}
	return files
}
