package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/format"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/redact"
)

// streamThreshold is the size above which a file is streamed to the engine
// (Open + Path) instead of read into memory: logs can be gigabytes.
const streamThreshold = 4 << 20

// diagnoseUsage is printed by `diagnose --help`.
const diagnoseUsage = `Usage: ratelimit-doctor diagnose [flags] PATH...

Diagnose "rate limit exceeded" (429) causes in AutoGen code, configs and logs.
PATH is a file, a directory (walked for .py .json .yaml .yml .log .txt,
OAI_CONFIG_LIST* and .db/.sqlite runtime logs) or "-" for standard input.

Flags (before or after the paths):
  --format text|json|sarif|markdown   output format (default text)
  --fail-on error|warning|never       exit 1 when a finding is at or above this (default error)
  --color auto|always|never           colour the text output (default auto: only on a terminal, NO_COLOR off)
  --base-url URL                      site for article and rule links (default $RLD_BASE_URL or http://localhost:8080)

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 usage error or unreadable input.
`

// diagnoseConfig is the parsed command line of `diagnose`.
type diagnoseConfig struct {
	format, failOn, color, baseURL string
	paths                          []string
}

// errHelp is returned by parseDiagnoseArgs when --help was asked for.
var errHelp = errors.New("help requested")

// parseDiagnoseArgs parses flags anywhere among the paths ("diagnose a.py
// --format json" works like a compiler's command line); "--" ends the flags.
func parseDiagnoseArgs(args []string, getenv func(string) string) (diagnoseConfig, error) {
	c := diagnoseConfig{}
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.format, "format", "text", "")
	fs.StringVar(&c.failOn, "fail-on", "error", "")
	fs.StringVar(&c.color, "color", "auto", "")
	fs.StringVar(&c.baseURL, "base-url", "", "")
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return c, errHelp
			}
			return c, err
		}
		left := fs.Args()
		consumed := len(rest) - len(left)
		if len(left) == 0 {
			break
		}
		if consumed > 0 && rest[consumed-1] == "--" {
			c.paths = append(c.paths, left...)
			break
		}
		c.paths = append(c.paths, left[0])
		rest = left[1:]
	}
	switch c.format {
	case "text", "json", "sarif", "markdown":
	default:
		return c, fmt.Errorf("--format %q: want text, json, sarif or markdown", c.format)
	}
	switch c.failOn {
	case "error", "warning", "never":
	default:
		return c, fmt.Errorf("--fail-on %q: want error, warning or never", c.failOn)
	}
	switch c.color {
	case "auto", "always", "never":
	default:
		return c, fmt.Errorf("--color %q: want auto, always or never", c.color)
	}
	if c.baseURL == "" {
		c.baseURL = getenv("RLD_BASE_URL")
	}
	if c.baseURL == "" {
		c.baseURL = format.DefaultBaseURL
	}
	if len(c.paths) == 0 {
		return c, errors.New("no PATH given (use - for standard input)")
	}
	return c, nil
}

// runDiagnose is `ratelimit-doctor diagnose`: read the inputs, run the engine,
// render the report and turn its findings into the exit status.
func runDiagnose(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseDiagnoseArgs(args, os.Getenv)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, diagnoseUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: diagnose: %v (see ratelimit-doctor diagnose --help)\n", err)
		return 2
	}

	set, err := loadInputs(cfg.paths, stdin)
	defer set.cleanup()
	if err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: %v\n", err)
		return 2
	}
	for _, s := range set.skipped {
		fmt.Fprintf(stderr, "ratelimit-doctor: skip %s\n", s)
	}
	if len(set.inputs) == 0 {
		fmt.Fprintf(stderr, "ratelimit-doctor: no code, config or log files in %s\n", strings.Join(cfg.paths, ", "))
		return 2
	}

	// No cancellable context: Ctrl-C ends the process as it should, and a
	// context cancelled at exit would race go-tree-sitter's ParseCtx watcher.
	report, err := diagnose.Run(context.Background(), set.inputs, diagnose.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: diagnose: %s\n", oneLineErr(err))
		return 2
	}

	color := useColor(cfg.color, stdout, os.Getenv)
	opts := format.Options{
		BaseURL:     cfg.baseURL,
		Color:       color,
		Hyperlinks:  color && supportsHyperlinks(os.Getenv),
		Sources:     set.sources,
		Rules:       diagnose.All,
		ToolVersion: toolVersion(),
	}
	if wd, err := os.Getwd(); err == nil {
		opts.SourceRoot = wd
	}
	var out bytes.Buffer
	switch cfg.format {
	case "json":
		err = format.JSON(&out, report)
	case "sarif":
		err = format.SARIF(&out, report, opts)
	case "markdown":
		err = format.Markdown(&out, report, opts)
	default:
		err = format.Text(&out, report, opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: render %s: %s\n", cfg.format, oneLineErr(err))
		return 2
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: write output: %s\n", oneLineErr(err))
		return 2
	}

	// An input the engine could not read is a usage problem, not a clean bill.
	for _, in := range report.Inputs {
		if in.Error != "" {
			fmt.Fprintf(stderr, "ratelimit-doctor: read %s: %s\n", in.Name, oneLineErr(errors.New(in.Error)))
			return 2
		}
	}
	return exitFor(report, cfg.failOn)
}

// exitFor is 1 when any finding is at or above the --fail-on level, else 0.
func exitFor(r *diagnose.Report, failOn string) int {
	threshold := 0
	switch failOn {
	case "error":
		threshold = diagnose.SeverityError.Rank()
	case "warning":
		threshold = diagnose.SeverityWarning.Rank()
	default:
		return 0
	}
	for _, f := range r.Findings {
		if f.Severity.Rank() >= threshold {
			return 1
		}
	}
	return 0
}

// oneLineErr keeps error output to the single line the contract promises.
func oneLineErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// useColor decides colour: always/never as asked; auto only when stdout is a
// terminal, NO_COLOR (https://no-color.org) is unset or empty and TERM is not dumb.
func useColor(mode string, stdout io.Writer, getenv func(string) string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := stdout.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// supportsHyperlinks guesses whether the terminal understands OSC 8 links; a
// terminal that does not would print the escape's bytes. FORCE_HYPERLINK=1/0
// overrides the guess.
func supportsHyperlinks(getenv func(string) string) bool {
	switch getenv("FORCE_HYPERLINK") {
	case "1", "true":
		return true
	case "0", "false":
		return false
	}
	term := getenv("TERM")
	if term == "dumb" || term == "linux" {
		return false
	}
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm", "vscode", "Hyper", "ghostty", "Tabby":
		return true
	}
	if getenv("WT_SESSION") != "" || getenv("KITTY_WINDOW_ID") != "" || getenv("KONSOLE_VERSION") != "" || getenv("DOMTERM") != "" {
		return true
	}
	// VTE (GNOME Terminal, Tilix) has OSC 8 from 0.50, VTE_VERSION 5000.
	if v, err := strconv.Atoi(getenv("VTE_VERSION")); err == nil && v >= 5000 {
		return true
	}
	for _, t := range []string{"kitty", "alacritty", "foot", "ghostty", "wezterm"} {
		if strings.Contains(term, t) {
			return true
		}
	}
	return false
}

// toolVersion is the module version when built from a tagged module, else a
// development semver (SARIF wants a semantic version).
func toolVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		if strings.HasPrefix(v, "v") && strings.Count(v, ".") >= 2 {
			return strings.TrimPrefix(v, "v")
		}
	}
	return "0.0.0-dev"
}

// inputSet is what the command hands the engine, plus what the renderers need
// to show source lines and diffs.
type inputSet struct {
	inputs  []diagnose.Input
	sources *cliSources
	skipped []string // walked files left out, with why
	temp    []string // spooled stdin, removed after the run
}

func (s *inputSet) cleanup() {
	for _, t := range s.temp {
		os.Remove(t)
	}
}

// cliSources serves source lines: from memory for ordinary files, by re-reading
// (one line at a time) for the large files that were streamed.
type cliSources struct {
	mem   format.MemSources
	paths map[string]string // input name -> file on disk (streamed inputs)
}

func (s *cliSources) Text(name string) ([]byte, bool) { return s.mem.Text(name) }

func (s *cliSources) Line(name string, n int) (string, bool) {
	if _, ok := s.mem[name]; ok {
		return s.mem.Line(name, n)
	}
	p, ok := s.paths[name]
	if !ok {
		return "", false
	}
	f, err := os.Open(p)
	if err != nil {
		return "", false
	}
	defer f.Close()
	return format.LineOf(f, n)
}

// skipDirs are never walked: VCS data, dependencies, virtualenvs, caches.
var skipDirs = map[string]bool{".git": true, "node_modules": true, ".venv": true, "venv": true, "__pycache__": true}

// wanted reports whether a walked file is one the engine reads.
func wanted(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, "OAI_CONFIG_LIST") {
		return true
	}
	switch strings.ToLower(filepath.Ext(base)) {
	case ".py", ".json", ".yaml", ".yml", ".log", ".txt", ".db", ".sqlite", ".sqlite3":
		return true
	}
	return false
}

// loadInputs turns the command's paths into engine inputs. An explicit path that
// cannot be read is an error; a walked file that turns out binary is skipped
// with a note, since a directory may hold anything.
func loadInputs(paths []string, stdin io.Reader) (*inputSet, error) {
	set := &inputSet{sources: &cliSources{mem: format.MemSources{}, paths: map[string]string{}}}
	seen := map[string]bool{}
	for _, p := range paths {
		if p == "-" {
			if seen["-"] {
				continue
			}
			seen["-"] = true
			if err := set.addStdin(stdin); err != nil {
				return set, err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			return set, fmt.Errorf("read %s: %s", p, pathErr(err))
		}
		if !info.IsDir() {
			name := filepath.Clean(p)
			if seen[name] {
				continue
			}
			seen[name] = true
			if err := set.addFile(name, name, info.Size()); err != nil {
				return set, err
			}
			continue
		}
		root := filepath.Clean(p)
		var files []string
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("read %s: %s", path, pathErr(err))
			}
			base := d.Name()
			if d.IsDir() {
				if path != root && (skipDirs[base] || strings.HasPrefix(base, ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(base, ".") || !wanted(base) {
				return nil
			}
			files = append(files, path)
			return nil
		})
		if err != nil {
			return set, err
		}
		sort.Strings(files)
		for _, f := range files {
			if seen[f] {
				continue
			}
			seen[f] = true
			fi, err := os.Stat(f)
			if err != nil {
				return set, fmt.Errorf("read %s: %s", f, pathErr(err))
			}
			if !fi.Mode().IsRegular() {
				continue
			}
			if err := set.addFile(f, f, fi.Size()); err != nil {
				var nt notText
				if errors.As(err, &nt) {
					set.skipped = append(set.skipped, f+": "+nt.why)
					continue
				}
				return set, err
			}
		}
	}
	return set, nil
}

// notText is the error for a file that is not text the engine reads.
type notText struct{ name, why string }

func (e notText) Error() string { return "read " + e.name + ": " + e.why }

// pathErr is the reason of a file error without Go's "open NAME:" wrapping.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return oneLineErr(pe.Err)
	}
	return oneLineErr(err)
}

var sqliteMagic = []byte("SQLite format 3\x00")

// sniffBinary says why head (a file's first bytes) is not text, or "".
func sniffBinary(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip-compressed file; decompress it first"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "zip archive; extract it first"
	case bytes.IndexByte(head, 0) >= 0:
		return "binary file, not a log, config or Python source"
	}
	return ""
}

// isUTF16 reports a UTF-16 byte order mark (PowerShell's "> file" writes UTF-16).
func isUTF16(head []byte) bool {
	return bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff})
}

func decodeUTF16(b []byte) ([]byte, error) {
	out, _, err := transform.Bytes(unicode.BOMOverride(unicode.UTF8.NewDecoder()), b)
	return out, err
}

// addFile adds one file as an input: SQLite runtime logs by path, large files
// streamed, everything else read into memory after a binary check.
func (s *inputSet) addFile(name, path string, size int64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %s", name, pathErr(err))
	}
	head := make([]byte, 8192)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read %s: %s", name, pathErr(err))
	}
	head = head[:n]
	open := func() (io.ReadCloser, error) { return os.Open(path) }

	if bytes.HasPrefix(head, sqliteMagic) {
		s.inputs = append(s.inputs, diagnose.Input{Name: name, Path: path, Size: size, Open: open})
		return nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".db" || ext == ".sqlite" || ext == ".sqlite3" {
		return notText{name, "not an SQLite database (AutoGen runtime logs are SQLite files)"}
	}
	if isUTF16(head) {
		// Transcoded in full: UTF-16 logs come from Windows consoles and are small.
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read %s: %s", name, pathErr(err))
		}
		text, err := decodeUTF16(b)
		if err != nil {
			return notText{name, "invalid UTF-16 text"}
		}
		s.addText(name, text)
		return nil
	}
	if why := sniffBinary(head); why != "" {
		return notText{name, why}
	}
	if size > streamThreshold {
		s.inputs = append(s.inputs, diagnose.Input{Name: name, Path: path, Size: size, Open: open})
		s.sources.paths[name] = path
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %s", name, pathErr(err))
	}
	s.addText(name, b)
	return nil
}

func (s *inputSet) addText(name string, b []byte) {
	s.inputs = append(s.inputs, diagnose.Input{Name: name, Text: b, Size: int64(len(b))})
	s.sources.mem[name] = b
}

// stdinName is the name standard input goes by in findings.
const stdinName = "<stdin>"

// addStdin reads standard input: into memory up to the stream threshold, then
// spooled to a temporary file so a piped multi-gigabyte log is still streamed.
func (s *inputSet) addStdin(stdin io.Reader) error {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	br := bufio.NewReaderSize(stdin, 64<<10)
	var mem bytes.Buffer
	n, err := io.CopyN(&mem, br, streamThreshold+1)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %s", stdinName, oneLineErr(err))
	}
	head := mem.Bytes()
	if len(head) > 8192 {
		head = head[:8192]
	}
	if isUTF16(head) && n <= streamThreshold {
		text, err := decodeUTF16(mem.Bytes())
		if err != nil {
			return notText{stdinName, "invalid UTF-16 text"}
		}
		s.addText(stdinName, text)
		return nil
	}
	if bytes.HasPrefix(head, sqliteMagic) {
		return notText{stdinName, "an SQLite runtime log cannot be read from standard input; pass its path"}
	}
	if why := sniffBinary(head); why != "" {
		return notText{stdinName, why}
	}
	if n <= streamThreshold {
		s.addText(stdinName, mem.Bytes())
		return nil
	}
	tmp, err := os.CreateTemp("", "ratelimit-doctor-stdin-*.log")
	if err != nil {
		return fmt.Errorf("read %s: spool to a temporary file: %s", stdinName, pathErr(err))
	}
	s.temp = append(s.temp, tmp.Name())
	size, err := io.Copy(tmp, io.MultiReader(&mem, br))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("read %s: %s", stdinName, pathErr(err))
	}
	path := tmp.Name()
	s.inputs = append(s.inputs, diagnose.Input{Name: stdinName, Path: path, Size: size,
		Open: func() (io.ReadCloser, error) { return os.Open(path) }})
	s.sources.paths[stdinName] = path
	return nil
}

// runRules is `ratelimit-doctor rules [ID]`: the table of rules, or one rule's
// documentation.
func runRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	color := fs.String("color", "auto", "")
	baseURL := fs.String("base-url", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, "Usage: ratelimit-doctor rules [--color auto|always|never] [--base-url URL] [ID]\n\nWithout ID, list every diagnosis rule; with an ID, show its documentation.\n")
			return 0
		}
		fmt.Fprintf(stderr, "ratelimit-doctor: rules: %v\n", err)
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "ratelimit-doctor: rules: want at most one rule ID, got %d\n", fs.NArg())
		return 2
	}
	if *color != "auto" && *color != "always" && *color != "never" {
		fmt.Fprintf(stderr, "ratelimit-doctor: rules: --color %q: want auto, always or never\n", *color)
		return 2
	}
	base := *baseURL
	if base == "" {
		base = os.Getenv("RLD_BASE_URL")
	}
	on := useColor(*color, stdout, os.Getenv)
	opts := format.Options{BaseURL: base, Color: on, Hyperlinks: on && supportsHyperlinks(os.Getenv)}
	var out bytes.Buffer
	var err error
	if fs.NArg() == 0 {
		err = format.RulesTable(&out, diagnose.All)
	} else {
		id := strings.TrimSpace(fs.Arg(0))
		r, ok := diagnose.Lookup(id)
		if !ok {
			msg := fmt.Sprintf("ratelimit-doctor: rules: no rule %q", fs.Arg(0))
			if close := closeIDs(id, diagnose.All); len(close) > 0 {
				msg += "; did you mean " + strings.Join(close, ", ") + "?"
			} else {
				msg += " (run ratelimit-doctor rules for the list)"
			}
			fmt.Fprintln(stderr, msg)
			return 2
		}
		err = format.RuleDoc(&out, r, ruleExample(r.ID), opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: rules: %s\n", oneLineErr(err))
		return 2
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "ratelimit-doctor: write output: %s\n", oneLineErr(err))
		return 2
	}
	return 0
}

// ruleExample is the rule's first positive test case (an input that the
// rule's own test expects it to flag), cut to a screenful, for `rules ID`.
// Rules whose cases are built in code (runtime logs) have none.
func ruleExample(id string) string {
	const maxLines = 40
	for _, c := range diagnose.ExampleCases() {
		if c.Dir != id || !slices.Contains(c.Wants, id) {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(c.Text), "\n"), "\n")
		more := ""
		if len(lines) > maxLines {
			more = fmt.Sprintf("\n… (%d more lines)", len(lines)-maxLines)
			lines = lines[:maxLines]
		}
		return "# " + c.Name + "\n" + redact.String(strings.Join(lines, "\n")) + more
	}
	return ""
}

// closeIDs suggests rule IDs within two edits of id (typos such as RLD1100
// for RLD1001), nearest first, at most three.
func closeIDs(id string, rules []*diagnose.Rule) []string {
	type cand struct {
		id string
		d  int
	}
	var cs []cand
	for _, r := range rules {
		if r == nil {
			continue
		}
		if d := editDistance(strings.ToUpper(id), r.ID); d <= 2 {
			cs = append(cs, cand{r.ID, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].id < cs[j].id
	})
	var out []string
	for i, c := range cs {
		if i == 3 {
			break
		}
		out = append(out, c.id)
	}
	return out
}

// editDistance is the Damerau (optimal string alignment) distance, so a
// swapped pair of digits counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
