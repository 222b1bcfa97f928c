// Package static holds the site's CSS, JavaScript and icons, embedded in the
// binary so the site never loads anything from another host. The web package
// serves these files under content-hashed names (see web/assets.go).
package static

import "embed"

// FS holds every asset file of this folder (the Go sources excluded).
//
//go:embed *.css *.js *.svg
var FS embed.FS
