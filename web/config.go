package web

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
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

	// DataDir holds the SQLite report store, created on first use.
	DataDir string
	// DatabaseURL, when set (postgres://…), keeps reports in PostgreSQL instead.
	DatabaseURL string
	// Retention is how long a saved report lives (and the most a save may ask for).
	Retention time.Duration
	// MaxTextBytes bounds the pasted text of one diagnosis (JSON or form).
	MaxTextBytes int64
	// MaxUploadBytes bounds one multipart upload request.
	MaxUploadBytes int64

	// Team hosting (config_ops.go validates these; README "Self-hosting" documents them).
	// BaseURL is the public URL behind a proxy (permalinks, trusted origin for CSRF).
	BaseURL string
	// ContentDir holds the team's articles and tiers.yaml; ContentReload
	// watches it and swaps the library in when it changes.
	ContentDir    string
	ContentReload bool
	// TrustedProxies are the peers whose X-Forwarded-For and user header count.
	TrustedProxies []netip.Prefix
	// Auth is the access-control mode: none, token, basic or proxy-header.
	Auth       string
	AuthToken  string // shared token (mode token); prefer the env variable
	AuthFile   string // htpasswd-style user:bcrypt-hash file (mode basic)
	AuthHeader string // user header set by the proxy (mode proxy-header)
	// PublicArticles keeps articles, search and static files open when auth is on.
	PublicArticles bool
	// MetricsPublic opens /metrics when auth is on.
	MetricsPublic bool
	// DiagnosisCache keeps API diagnoses in memory for a few minutes and
	// answers repeated identical requests from it. Off by default: nothing
	// a person sends is kept unless they press Save.
	DiagnosisCache bool
	// GCPercent is the Go garbage collector's target (as GOGC) while
	// serving. Each diagnosis allocates a few hundred KB that die at once, so
	// the default 100 collects many times a second under load; 400 trades
	// some tens of MB of memory for about a third more diagnoses per second.
	// A GOGC environment variable, when set, wins.
	GCPercent int
	// RateLimit is diagnoses (POSTs) per minute per client; 0 turns it off.
	RateLimit int
	// LogLevel (debug|info|warn|error) and LogFormat (text|json) shape the logs.
	LogLevel  string
	LogFormat string
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
		DataDir:           "data",
		Retention:         720 * time.Hour,
		MaxTextBytes:      5 << 20,
		MaxUploadBytes:    50 << 20,
		Auth:              AuthNone,
		AuthHeader:        "X-Forwarded-User",
		PublicArticles:    true,
		RateLimit:         30,
		LogLevel:          "info",
		LogFormat:         "text",
		GCPercent:         400,
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
	{"base-url", "public URL of the site behind a proxy, e.g. https://rld.example.com", setBaseURL},
	{"content-dir", "directory of team articles (*.md) and tiers.yaml", stringSetter(func(c *Config) *string { return &c.ContentDir })},
	{"content-reload", "reload --content-dir when it changes (true|false)", boolSetter(func(c *Config) *bool { return &c.ContentReload })},
	{"trusted-proxies", "comma-separated CIDRs of proxies whose X-Forwarded-For and user header are trusted", setTrustedProxies},
	{"auth", "access control: none, token, basic or proxy-header", setAuthMode},
	{"auth-token", "shared token for --auth token (prefer the environment variable)", stringSetter(func(c *Config) *string { return &c.AuthToken })},
	{"auth-file", "htpasswd-style file of user:bcrypt-hash lines for --auth basic", stringSetter(func(c *Config) *string { return &c.AuthFile })},
	{"auth-header", "header holding the user name set by the proxy for --auth proxy-header", setAuthHeader},
	{"public-articles", "keep articles, search and static files public when auth is on (true|false)", boolSetter(func(c *Config) *bool { return &c.PublicArticles })},
	{"metrics-public", "serve /metrics without auth (true|false)", boolSetter(func(c *Config) *bool { return &c.MetricsPublic })},
	{"gc-percent", "garbage collector target while serving, as GOGC (10-1000; a GOGC variable wins)", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 || n > 1000 {
			return fmt.Errorf("want a percentage from 10 to 1000, got %q", v)
		}
		c.GCPercent = n
		return nil
	}},
	{"diagnosis-cache", "answer repeated identical API diagnoses from memory for 5 minutes (true|false; off: nothing is kept)", boolSetter(func(c *Config) *bool { return &c.DiagnosisCache })},
	{"rate-limit", "diagnoses and API posts per minute per client; 0 turns it off", setRateLimit},
	{"log-level", "log level: debug, info, warn or error", setLogLevel},
	{"log-format", "log format: text or json", setLogFormat},
	{"data-dir", "folder for the saved-report database (created on first use)", func(c *Config, v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("want a folder")
		}
		c.DataDir = v
		return nil
	}},
	{"database-url", "postgres://… to keep saved reports in PostgreSQL instead of --data-dir", func(c *Config, v string) error {
		if !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
			return fmt.Errorf("want a postgres:// URL")
		}
		c.DatabaseURL = v
		return nil
	}},
	{"retention", "how long saved reports are kept", durationSetter(func(c *Config) *time.Duration { return &c.Retention })},
	{"max-text-bytes", "largest pasted text of one diagnosis, in bytes", bytesSetter(func(c *Config) *int64 { return &c.MaxTextBytes })},
	{"max-upload-bytes", "largest multipart upload, in bytes", bytesSetter(func(c *Config) *int64 { return &c.MaxUploadBytes })},
}

func bytesSetter(field func(*Config) *int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("want a positive number of bytes, got %q", v)
		}
		*field(c) = n
		return nil
	}
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
		fs.Var(&settingFlag{cfg: &cfg, s: s, def: settingDefault(s.name)}, s.name, s.usage+" (env "+EnvName(s.name)+")")
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
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func defaultsLine() string {
	d := DefaultConfig()
	return fmt.Sprintf("--addr %s, timeouts read-header %s, read %s, write %s, idle %s.",
		d.Addr, d.ReadHeaderTimeout, d.ReadTimeout, d.WriteTimeout, d.IdleTimeout)
}
