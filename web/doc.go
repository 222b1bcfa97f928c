// Package web is the site: an echo server whose handlers turn the content
// library (and later the diagnosis engine and report store) into pages.
//
// How it is put together, so a new page is easy to add:
//
//   - routes.go lists every route in one place.
//   - One file per page or action (home.go, article.go, search.go, …) holds
//     its handler (a method on *Server that returns an error), its typed view
//     model and the pure function that builds it. The matching .templ file
//     holds the component; components only loop and print.
//   - Handlers never write half a page: s.render renders into a buffer first.
//   - Handlers return errors; errors.go turns every error (a *PageError with a
//     status and a message safe to show, or anything else as a 500) into one
//     consistent page, or JSON under /api/.
//   - middleware.go sets the security headers on every response and recovers
//     from panics.
//   - assets.go serves static/ under content-hashed names.
package web
