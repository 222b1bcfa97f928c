package web

import (
	"os"
	"testing"

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
