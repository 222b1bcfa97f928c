package pyfacts

/*
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

// Declarations matching tree-sitter's api.h as vendored by go-tree-sitter
// v0.25.0 (pinned in go.mod); the functions are defined by the tree-sitter
// core compiled into that module. A test checks this flattener against the
// binding's own cursor walk, so an ABI change fails loudly.
typedef struct { uint32_t context[4]; const void *id; const void *tree; } rld_node;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } rld_cursor;

extern void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
	void *(*new_realloc)(void *, size_t), void (*new_free)(void *));
extern rld_cursor ts_tree_cursor_new(rld_node node);
extern void ts_tree_cursor_delete(rld_cursor *self);
extern bool ts_tree_cursor_goto_first_child(rld_cursor *self);
extern bool ts_tree_cursor_goto_next_sibling(rld_cursor *self);
extern bool ts_tree_cursor_goto_parent(rld_cursor *self);
extern rld_node ts_tree_cursor_current_node(const rld_cursor *self);
extern uint16_t ts_tree_cursor_current_field_id(const rld_cursor *self);
extern uint16_t ts_node_symbol(rld_node self);
extern uint32_t ts_node_start_byte(rld_node self);
extern uint32_t ts_node_end_byte(rld_node self);
extern bool ts_node_is_named(rld_node self);

static void use_libc_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }

typedef struct {
	uint32_t start, end;
	int32_t parent;
	uint16_t sym, field;
	uint8_t named;
} rld_flat;

// rld_flatten writes the tree in pre-order into out (cap entries) and
// returns how many nodes there are; when that is more than cap, the caller
// retries with a bigger buffer. Children of anonymous nodes and of the
// symbols in leaf[] are not visited; depth is capped at max_depth.
static size_t rld_flatten(const void *root, rld_flat *out, size_t cap, const uint16_t *leaf, int nleaf, int max_depth) {
	rld_cursor cur = ts_tree_cursor_new(*(const rld_node *)root);
	int32_t stack[1024];
	int depth = 0;
	size_t n = 0;
	int32_t parent = -1;
	for (;;) {
		rld_node node = ts_tree_cursor_current_node(&cur);
		uint16_t sym = ts_node_symbol(node);
		bool named = ts_node_is_named(node);
		if (n < cap) {
			out[n].start = ts_node_start_byte(node);
			out[n].end = ts_node_end_byte(node);
			out[n].parent = parent;
			out[n].sym = sym;
			out[n].field = ts_tree_cursor_current_field_id(&cur);
			out[n].named = named;
		}
		int32_t self = (int32_t)n;
		n++;
		bool descend = named && depth < max_depth && depth < 1023;
		for (int i = 0; descend && i < nleaf; i++) {
			if (leaf[i] == sym) descend = false;
		}
		if (descend && ts_tree_cursor_goto_first_child(&cur)) {
			stack[depth++] = parent;
			parent = self;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&cur)) {
				ts_tree_cursor_delete(&cur);
				return n;
			}
			parent = stack[--depth];
		}
	}
}
*/
import "C"

import (
	"sync"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// useLibcAllocator points tree-sitter's allocations straight at libc.
// go-tree-sitter routes every C malloc/free through a Go callback (a cgo
// round trip each, a fifth of the parse time on a big file); its own Go side
// frees with C.free by default, so libc on both sides stays consistent.
var useLibcAllocator = sync.OnceFunc(func() { C.use_libc_allocator() })

// leafSymbols are the kinds whose children the flattener skips (strings are
// read from their text; comments have none worth keeping).
var leafSymbols = sync.OnceValue(func() []C.uint16_t {
	var out []C.uint16_t
	for i, k := range kindCache() {
		if k.named && (k.name == "string" || k.name == "comment") {
			out = append(out, C.uint16_t(i))
		}
	}
	return out
})

type flatNode struct {
	start, end uint32
	parent     int32
	sym, field uint16
	named      bool
}

// flatten walks the whole tree in one cgo call (instead of several per
// node) and returns its nodes in pre-order.
func flatten(root *sitter.Node, sizeHint int) []flatNode {
	leaf := leafSymbols()
	var leafPtr *C.uint16_t
	if len(leaf) > 0 {
		leafPtr = &leaf[0]
	}
	bp := flatBufs.Get().(*[]C.rld_flat)
	defer func() {
		if len(*bp) <= maxPooledFlat { // a huge file's buffer is not kept
			flatBufs.Put(bp)
		}
	}()
	if len(*bp) < max(1024, sizeHint) {
		*bp = make([]C.rld_flat, max(1024, sizeHint))
	}
	for {
		buf := *bp
		n := int(C.rld_flatten(unsafe.Pointer(root), &buf[0], C.size_t(len(buf)), leafPtr, C.int(len(leaf)), C.int(maxDepth)))
		if n <= len(buf) {
			out := make([]flatNode, n)
			for i := range out {
				b := &buf[i]
				out[i] = flatNode{start: uint32(b.start), end: uint32(b.end), parent: int32(b.parent),
					sym: uint16(b.sym), field: uint16(b.field), named: b.named != 0}
			}
			return out
		}
		*bp = make([]C.rld_flat, n)
	}
}

// flatBufs are the flattener's scratch buffers (plain Go memory the C side
// writes into during one call), reused so each parse does not allocate and
// zero a fresh one; everything is copied out before a buffer goes back.
var flatBufs = sync.Pool{New: func() any { return new([]C.rld_flat) }}

const maxPooledFlat = 64 << 10
