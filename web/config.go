package web

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the server, loaded once by LoadConfig and passed
// explicitly. Each field is one flag of `serve` and one RLD_<FLAG> environment
// variable (see settings below); flags win over the environment.
type Config struct {
	// Addr is the listen address. Loopback by default: exposing the site is a choice.
	Addr string
	// LogRequests logs one line per request (off by default: it costs throughput
	// and most deployments log at the proxy).
	LogRequests bool

	// Timeouts of the http.Server; they bound slow or stuck clients.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout is how long in-flight requests get after SIGINT/SIGTERM.
	ShutdownTimeout time.Duration
}

// DefaultConfig returns safe defaults: loopback address, short timeouts.
func DefaultConfig() Config {
	return Config{
		Addr:              "localhost:8080",
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ShutdownTimeout:   10 * time.Second,
	}
}

// setting is one row of the configuration table: a flag name, its help text
// and how to store a string value into Config (which also validates it).
type setting struct {
	name  string
	usage string
	set   func(c *Config, v string) error
}

// settings is the one table of configuration. To add a setting: add a Config
// field, its default in DefaultConfig and a row here; the flag and the
// RLD_<NAME> variable come from the row.
var settings = []setting{
	{"addr", "listen address HOST:PORT", func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("want HOST:PORT: %w", err)
		}
		c.Addr = v
		return nil
	}},
	{"log-requests", "log one line per request (true|false)", boolSetter(func(c *Config) *bool { return &c.LogRequests })},
	{"read-header-timeout", "time allowed to read request headers", durationSetter(func(c *Config) *time.Duration { return &c.ReadHeaderTimeout })},
	{"read-timeout", "time allowed to read a whole request", durationSetter(func(c *Config) *time.Duration { return &c.ReadTimeout })},
	{"write-timeout", "time allowed to write a response", durationSetter(func(c *Config) *time.Duration { return &c.WriteTimeout })},
	{"idle-timeout", "how long an idle keep-alive connection stays open", durationSetter(func(c *Config) *time.Duration { return &c.IdleTimeout })},
	{"shutdown-timeout", "grace period for in-flight requests on SIGINT/SIGTERM", durationSetter(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
}

func boolSetter(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", v)
		}
		*field(c) = b
		return nil
	}
}

func durationSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 10s, got %q", v)
		}
		*field(c) = d
		return nil
	}
}

// EnvName is the environment variable of a flag: --data-dir ↔ RLD_DATA_DIR.
func EnvName(flagName string) string {
	return "RLD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// ErrHelp is returned by LoadConfig when the user asked for --help (usage was printed).
var ErrHelp = flag.ErrHelp

// LoadConfig builds the Config from defaults, then the environment (getenv),
// then the command-line flags in args, so flags win. It is a pure function of
// its arguments; usage and flag errors are written to output.
func LoadConfig(args []string, getenv func(string) string, output io.Writer) (Config, error) {
	cfg := DefaultConfig()
	for _, s := range settings {
		if v := getenv(EnvName(s.name)); v != "" {
			if err := s.set(&cfg, v); err != nil {
				return Config{}, fmt.Errorf("%s: %w", EnvName(s.name), err)
			}
		}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(output)
	for _, s := range settings {
		fs.Func(s.name, s.usage+" (env "+EnvName(s.name)+")", func(v string) error { return s.set(&cfg, v) })
	}
	fs.Usage = func() {
		fmt.Fprintln(output, "Usage: ratelimit-doctor serve [flags]\n\nServes the fix articles. Defaults:", defaultsLine())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, ErrHelp
		}
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return cfg, nil
}

func defaultsLine() string {
	d := DefaultConfig()
	return fmt.Sprintf("--addr %s, timeouts read-header %s, read %s, write %s, idle %s.",
		d.Addr, d.ReadHeaderTimeout, d.ReadTimeout, d.WriteTimeout, d.IdleTimeout)
}
