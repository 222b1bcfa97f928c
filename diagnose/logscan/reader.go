package logscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"runtime"
)

// The scan runs as a two-stage pipeline so that a large log uses both cores of
// a small machine: a reader goroutine splits the input into lines and computes
// what about a line does not depend on the scanner's state (whether it is an
// httpx line or looks like a log line, its content hash); the
// scanner's state machine then consumes batches of lines in order. Memory stays
// bounded: at most blockCount batches of about blockSize bytes are in flight.
const (
	blockSize  = 256 << 10
	blockCount = 4
)

// lineInfo is the state-free part of a line's analysis.
type lineInfo struct {
	hash    uint64 // lineHash contribution, when hashed
	kw      int32  // keywordFlags, when kwDone
	http    bool   // contains "HTTP Re"
	logLike bool   // looksLogLine
	term    bool   // contains "TERMINATE"
	hashed  bool
	kwDone  bool
	done    bool // set by the reader stage; else the scanner looks itself
}

// lineRef is kept small (40 bytes): one is written per line of the input.
type lineRef struct {
	start, end int32 // in block.buf, trailing blanks trimmed
	full       int   // the line's true length (a cut line counts what was skipped)
	info       lineInfo
}

type block struct {
	buf   []byte
	lines []lineRef
	long  int // lines cut at maxLine in this block
	err   error
}

// readBlocks feeds out with batches of lines until EOF or an error; it stops
// early when done is closed. It reads straight into the block's buffer and
// cuts lines in place (no per-line copy): a line that does not end in the
// chunk is carried to the next block, and a line longer than maxLine keeps its
// head and is counted to its end, then added to the block where it ends.
func readBlocks(r io.Reader, seed maphash.Seed, out chan<- *block, free chan *block, done <-chan struct{}) {
	defer close(out)
	made := 0
	next := func() *block {
		if made < blockCount { // blocks are made on demand, then reused
			select {
			case b := <-free:
				b.buf, b.lines, b.long, b.err = b.buf[:0], b.lines[:0], 0, nil
				return b
			default:
				made++
				return &block{buf: make([]byte, 0, blockSize+2*maxLine)}
			}
		}
		select {
		case b := <-free:
			b.buf, b.lines, b.long, b.err = b.buf[:0], b.lines[:0], 0, nil
			return b
		case <-done:
			return nil
		}
	}
	var (
		carry    = make([]byte, 0, maxLine) // the unfinished line at the end of the last chunk
		longHead = make([]byte, 0, maxLine) // the kept head of an over-long line
		longFull int                        // its length so far (-1: not in one)
	)
	longFull = -1
	for {
		cur := next()
		if cur == nil {
			return
		}
		cur.buf = append(cur.buf[:0], carry...)
		carry = carry[:0]
		n, err := io.ReadFull(r, cur.buf[len(cur.buf):len(cur.buf)+blockSize])
		cur.buf = cur.buf[:len(cur.buf)+n]
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			cur.err = fmt.Errorf("read log: %w", err)
		}
		data := len(cur.buf)
		pos := 0
		if longFull >= 0 { // inside an over-long line: skip to its end
			i := bytes.IndexByte(cur.buf[:data], '\n')
			if i < 0 && !eof {
				longFull += data
				cur.buf = cur.buf[:0]
				if !sendBlock(out, done, cur) {
					return
				}
				continue
			}
			end := data
			if i >= 0 {
				end = i + 1
			}
			longFull += end
			cur.addLong(longHead, longFull, seed)
			longFull = -1
			pos = end
		}
		for pos < data {
			i := bytes.IndexByte(cur.buf[pos:data], '\n')
			if i < 0 {
				rest := cur.buf[pos:data]
				switch {
				case eof && len(rest) < maxLine:
					cur.addAt(pos, data, len(rest), seed)
				case eof:
					cur.addLong(rest[:maxLine], len(rest), seed)
				case len(rest) >= maxLine:
					longHead = append(longHead[:0], rest[:maxLine]...)
					longFull = len(rest)
				default:
					carry = append(carry, rest...)
				}
				break
			}
			end := pos + i + 1
			if end-pos > maxLine { // a long line that ends in this chunk
				cur.addLong(cur.buf[pos:pos+maxLine], end-pos, seed)
			} else {
				cur.addAt(pos, end, end-pos, seed)
			}
			pos = end
		}
		if eof && longFull >= 0 {
			cur.addLong(longHead, longFull, seed)
			longFull = -1
		}
		if !sendBlock(out, done, cur) {
			return
		}
		if eof || cur.err != nil {
			return
		}
	}
}

func sendBlock(out chan<- *block, done <-chan struct{}, b *block) bool {
	select {
	case out <- b:
		return true
	case <-done:
		return false
	}
}

// trimLine drops trailing blanks and says how long the line really was (a cut
// line counts what was skipped, less its newline).
func trimLine(b []byte, full int, cut bool) ([]byte, int) {
	raw := len(b)
	for len(b) > 0 { // pasted logs carry trailing blanks
		c := b[len(b)-1]
		if c != '\n' && c != '\r' && c != ' ' && c != '\t' {
			break
		}
		b = b[:len(b)-1]
	}
	if cut || full > raw {
		return b, full - 1
	}
	return b, len(b)
}

// analyse is the state-free analysis of a line. With hash set it also hashes
// lines that are not log lines (the likely message lines; a log line inside a
// message is hashed later, when the scanner knows it needs it).
func analyse(line []byte, seed maphash.Seed, hash bool) lineInfo {
	info := lineInfo{done: true}
	if len(line) > 0 {
		http, term := httpOrTerm(line)
		info = lineInfo{http: http, logLike: looksLogLine(line), term: term, done: true}
	}
	if hash && !info.logLike {
		info.hash, info.hashed = lineHash(seed, line), true
	}
	if hash && info.logLike && !info.http {
		// Log lines are what the scanner examines for keywords: do it here,
		// on the reader's core (httpx lines are settled without keywords).
		info.kw, info.kwDone = int32(keywordFlags(line)), true
	}
	return info
}

// httpOrTerm reports whether a line contains "HTTP Re" and "TERMINATE" in one
// pass: both hold a capital T, which prose has few of, so a SIMD search for
// 'T' visits only a handful of places per line.
func httpOrTerm(b []byte) (http, term bool) {
	for off := 0; off < len(b); {
		i := bytes.IndexByte(b[off:], 'T')
		if i < 0 {
			break
		}
		i += off
		if !http && i >= 1 && bytes.HasPrefix(b[i-1:], kwHTTP) {
			http = true
		}
		if !term && bytes.HasPrefix(b[i:], kwTERMINATE) {
			term = true
		}
		if http && term {
			break
		}
		off = i + 1
	}
	return http, term
}

var kwTERMINATE = []byte("TERMINATE")

// addAt adds the line buf[start:end] (its newline included) that is already in
// the block's buffer, and analyses it.
func (bl *block) addAt(start, end, full int, seed maphash.Seed) {
	line, n := trimLine(bl.buf[start:end], full, false)
	bl.lines = append(bl.lines, lineRef{start: int32(start), end: int32(start + len(line)), full: n, info: analyse(line, seed, true)})
}

// addLong adds the kept head of a line cut at maxLine; full is the line's true
// length with its newline. The head is copied to the end of the buffer (which
// has room for it: lines refer to the buffer by offset).
func (bl *block) addLong(head []byte, full int, seed maphash.Seed) {
	start := len(bl.buf)
	bl.buf = append(bl.buf, head...)
	line, n := trimLine(bl.buf[start:], full, true)
	bl.long++
	bl.lines = append(bl.lines, lineRef{start: int32(start), end: int32(start + len(line)), full: n, info: analyse(line, seed, true)})
}

// Scan reads a log, traceback or console transcript and returns its facts.
// It reads the input once, as a stream, with memory bounded by the caps above.
func Scan(r io.Reader) (*Facts, error) {
	if os.Getenv("RLD_SCAN_SERIAL") != "" || runtime.GOMAXPROCS(0) < 2 || isSmall(r) {
		return scanSerial(r)
	}
	return scanPipelined(r)
}

// isSmall: an in-memory input (a paste) is scanned on one goroutine; the
// pipeline only pays off on large files.
func isSmall(r io.Reader) bool {
	const small = 4 << 20
	switch v := r.(type) {
	case interface{ Len() int }:
		return v.Len() < small
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size() < small
		}
	}
	return false
}

// scanSerial is Scan on one goroutine: the same line analysis, in line.
func scanSerial(r io.Reader) (*Facts, error) {
	s := newScanner()
	br := bufio.NewReaderSize(r, maxLine)
	long := make([]byte, 0, maxLine)
	for {
		b, err := br.ReadSlice('\n')
		full := len(b)
		cut := false
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				var more []byte
				more, err = br.ReadSlice('\n')
				full += len(more)
			}
			b, cut = long, true
			s.f.LongLines++
		}
		if len(b) > 0 {
			line, n := trimLine(b, full, cut)
			s.info = lineInfo{} // the scanner analyses what it needs
			s.line(line, n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read log: %w", err)
		}
	}
	s.finish()
	return s.f, nil
}

// scanPipelined is Scan with the reader stage on its own goroutine.
func scanPipelined(r io.Reader) (*Facts, error) {
	s := newScanner()
	out := make(chan *block, blockCount)
	free := make(chan *block, blockCount)
	done := make(chan struct{})
	defer close(done)
	go readBlocks(r, s.seed, out, free, done)
	for bl := range out {
		if bl.err != nil {
			return nil, bl.err
		}
		s.f.LongLines += bl.long
		for i := range bl.lines {
			ref := &bl.lines[i]
			s.info = ref.info
			s.line(bl.buf[ref.start:ref.end], ref.full)
		}
		free <- bl
	}
	s.finish()
	return s.f, nil
}
