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
	http    bool   // contains "HTTP Re"
	logLike bool   // looksLogLine
	term    bool   // contains "TERMINATE"
	hash    uint64 // lineHash contribution, when hashed
	hashed  bool
	kw      int // keywordFlags, when kwDone
	kwDone  bool
	done    bool // set by the reader stage; else the scanner looks itself
}

type lineRef struct {
	start, end int // in block.buf, trailing blanks trimmed
	full       int // the line's true length (a cut line counts what was skipped)
	info       lineInfo
}

type block struct {
	buf   []byte
	lines []lineRef
	long  int // lines cut at maxLine in this block
	err   error
}

// readBlocks feeds out with batches of lines until EOF or an error; it stops
// early when done is closed.
func readBlocks(r io.Reader, seed maphash.Seed, out chan<- *block, free chan *block, done <-chan struct{}) {
	defer close(out)
	br := bufio.NewReaderSize(r, maxLine)
	made := 0
	next := func() *block {
		if made < blockCount { // blocks are made on demand, then reused
			select {
			case b := <-free:
				b.buf, b.lines, b.long, b.err = b.buf[:0], b.lines[:0], 0, nil
				return b
			default:
				made++
				return &block{buf: make([]byte, 0, 64<<10)}
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
	send := func(b *block) bool {
		select {
		case out <- b:
			return true
		case <-done:
			return false
		}
	}
	cur := next()
	if cur == nil {
		return
	}
	for {
		b, err := br.ReadSlice('\n')
		full := len(b)
		cut := false
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: keep its head, count and skip the rest.
			start := len(cur.buf)
			cur.buf = append(cur.buf, b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				var more []byte
				more, err = br.ReadSlice('\n')
				full += len(more)
			}
			b = cur.buf[start:]
			cur.buf = cur.buf[:start]
			cut = true
			cur.long++
		}
		if len(b) > 0 {
			cur.add(b, full, cut, seed)
		}
		if err != nil && err != io.EOF {
			cur.err = fmt.Errorf("read log: %w", err)
		}
		if err != nil || len(cur.buf) >= blockSize {
			if !send(cur) {
				return
			}
			if err != nil {
				return
			}
			if cur = next(); cur == nil {
				return
			}
		}
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
		info = lineInfo{
			http:    bytes.Contains(line, kwHTTP),
			logLike: looksLogLine(line),
			term:    bytes.Contains(line, []byte("TERMINATE")),
			done:    true,
		}
	}
	if hash && !info.logLike {
		info.hash, info.hashed = lineHash(seed, line), true
	}
	if hash && info.logLike && !info.http {
		// Log lines are what the scanner examines for keywords: do it here,
		// on the reader's core (httpx lines are settled without keywords).
		info.kw, info.kwDone = keywordFlags(line), true
	}
	return info
}

// add copies one line into the block and analyses it.
func (bl *block) add(b []byte, full int, cut bool, seed maphash.Seed) {
	b, full = trimLine(b, full, cut)
	start := len(bl.buf)
	bl.buf = append(bl.buf, b...)
	line := bl.buf[start:]
	bl.lines = append(bl.lines, lineRef{start: start, end: len(bl.buf), full: full, info: analyse(line, seed, true)})
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
