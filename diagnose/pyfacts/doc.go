// Package pyfacts extracts AutoGen facts from Python source through tree-sitter.
package pyfacts

// File holds the facts of one Python input.
type File struct{}
