package web

import (
	"io"
	"io/fs"
	"log/slog"
	"os"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
)

// testLibrary loads the small fixture library in testdata/articles: stable
// content the handler tests can make exact claims about, whatever the
// built-in articles say today.
func testLibrary(t testing.TB) *content.Library {
	t.Helper()
	lib, err := content.Load(content.Options{Builtin: os.DirFS("testdata/articles")})
	if err != nil {
		t.Fatalf("load fixture articles: %v", err)
	}
	return lib
}

func osDirFS(dir string) fs.FS { return os.DirFS(dir) }

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// echoContext shortens test handler signatures.
type echoContext = echo.Context
