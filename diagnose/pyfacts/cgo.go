package pyfacts

/*
#include <stdlib.h>

// Defined by the tree-sitter core compiled into go-tree-sitter.
extern void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
	void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

static void use_libc_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }
*/
import "C"

import "sync"

// useLibcAllocator points tree-sitter's allocations straight at libc.
// go-tree-sitter routes every C malloc/free through a Go callback (a cgo
// round trip each, a fifth of the parse time on a big file); its own Go side
// frees with C.free by default, so libc on both sides stays consistent.
var useLibcAllocator = sync.OnceFunc(func() { C.use_libc_allocator() })
