package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ratelimit-doctor/ratelimit-doctor/content"
	"github.com/ratelimit-doctor/ratelimit-doctor/static"
)

// Chroma styles for code highlighting in light and dark mode.
const (
	chromaLight = "github"
	chromaDark  = "github-dark"
)

// asset is one static file held in memory.
type asset struct {
	body        []byte
	contentType string
	hashedName  string // e.g. app.3f2a1c9d.css
}

// assetSet serves static/ (plus the generated chroma.css) under names that
// carry a hash of the content, so they can be cached forever: a new build
// with changed CSS gets a new URL.
type assetSet struct {
	byName   map[string]*asset // "app.css" → asset
	byHashed map[string]*asset // "app.3f2a1c9d.css" → asset
}

func newAssetSet() (*assetSet, error) {
	set := &assetSet{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	entries, err := fs.ReadDir(static.FS, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(static.FS, e.Name())
		if err != nil {
			return nil, err
		}
		set.add(e.Name(), b)
	}
	css := content.ChromaCSS(chromaLight, chromaDark)
	if strings.TrimSpace(css) == "" {
		return nil, fmt.Errorf("chroma CSS for %s/%s is empty", chromaLight, chromaDark)
	}
	set.add("chroma.css", []byte(css))
	return set, nil
}

func (s *assetSet) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	a := &asset{body: body, contentType: ct, hashedName: hashed}
	s.byName[name] = a
	s.byHashed[hashed] = a
}

// URL is the cache-busting URL of a static file; it panics on a name that is
// not embedded, which the asset tests catch at build time, not a reader.
func (s *assetSet) URL(name string) string {
	a, ok := s.byName[name]
	if !ok {
		panic("web: no static asset " + name)
	}
	return "/static/" + a.hashedName
}

// serveAsset answers /static/:file. Hashed names are immutable and cached for
// a year; plain names still work (for hand-typed URLs) but must revalidate.
func (s *Server) serveAsset(c echo.Context) error {
	name := c.Param("file")
	h := c.Response().Header()
	a, ok := s.assets.byHashed[name]
	if ok {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else if a, ok = s.assets.byName[name]; ok {
		h.Set("Cache-Control", "no-cache")
	} else {
		return errNotFound("There is no such file.")
	}
	return c.Blob(http.StatusOK, a.contentType, a.body)
}

// serveFavicon answers browsers that ask for /favicon.ico regardless of the <link>.
func (s *Server) serveFavicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, s.assets.URL("favicon.svg"))
}
