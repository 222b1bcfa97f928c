package web

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/textproto"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Access-control modes (Config.Auth).
const (
	AuthNone        = "none"
	AuthToken       = "token"
	AuthBasic       = "basic"
	AuthProxyHeader = "proxy-header"
)

// minTokenLen keeps a shared token out of guessing range.
const minTokenLen = 16

func stringSetter(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = strings.TrimSpace(v)
		return nil
	}
}

// setBaseURL accepts an absolute http(s) URL with no query or fragment; a
// trailing slash is dropped so permalinks join with one "/".
func setBaseURL(c *Config, v string) error {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an absolute http:// or https:// URL, got %q", v)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("want a URL without user, query or fragment, got %q", v)
	}
	c.BaseURL = strings.TrimRight(u.String(), "/")
	return nil
}

// setTrustedProxies parses comma-separated CIDRs; a bare address means /32 or /128.
func setTrustedProxies(c *Config, v string) error {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return fmt.Errorf("want CIDRs such as 10.0.0.0/8,::1/128, got %q", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	c.TrustedProxies = out
	return nil
}

func setAuthMode(c *Config, v string) error {
	switch v {
	case AuthNone, AuthToken, AuthBasic, AuthProxyHeader:
		c.Auth = v
		return nil
	}
	return fmt.Errorf("want none, token, basic or proxy-header, got %q", v)
}

func setAuthHeader(c *Config, v string) error {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, " :\t\r\n") {
		return fmt.Errorf("want a header name such as X-Forwarded-User, got %q", v)
	}
	c.AuthHeader = textproto.CanonicalMIMEHeaderKey(v)
	return nil
}

func setRateLimit(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("want a number of diagnoses per minute (0 turns the limit off), got %q", v)
	}
	c.RateLimit = n
	return nil
}

func setLogLevel(c *Config, v string) error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		return fmt.Errorf("want debug, info, warn or error, got %q", v)
	}
	c.LogLevel = strings.ToLower(v)
	return nil
}

func setLogFormat(c *Config, v string) error {
	if v != "text" && v != "json" {
		return fmt.Errorf("want text or json, got %q", v)
	}
	c.LogFormat = v
	return nil
}

// Validate checks the settings against each other; LoadConfig calls it so a
// bad combination stops start-up with a message naming the settings.
func (c Config) Validate() error {
	var errs []error
	switch c.Auth {
	case "", AuthNone:
	case AuthToken:
		if len(c.AuthToken) < minTokenLen {
			errs = append(errs, fmt.Errorf("--auth token needs --auth-token (or %s) of at least %d characters", EnvName("auth-token"), minTokenLen))
		}
	case AuthBasic:
		if c.AuthFile == "" {
			errs = append(errs, errors.New("--auth basic needs --auth-file, a file of user:bcrypt-hash lines"))
		} else if _, err := loadHtpasswd(c.AuthFile); err != nil {
			errs = append(errs, fmt.Errorf("--auth-file: %w", err))
		}
	case AuthProxyHeader:
		if len(c.TrustedProxies) == 0 {
			errs = append(errs, errors.New("--auth proxy-header needs --trusted-proxies: the user header is only believed from those addresses"))
		}
	default:
		errs = append(errs, fmt.Errorf("--auth: unknown mode %q", c.Auth))
	}
	if c.ContentReload && c.ContentDir == "" {
		errs = append(errs, errors.New("--content-reload needs --content-dir"))
	}
	if c.AuthToken != "" && c.Auth != AuthToken {
		errs = append(errs, errors.New("--auth-token is set but --auth is not token"))
	}
	return errors.Join(errs...)
}

// NewLogger builds the slog logger the settings ask for.
func NewLogger(c Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// settingFlag adapts a settings row to flag.Value so --help shows defaults.
type settingFlag struct {
	cfg *Config
	s   setting
	def string
}

func (f *settingFlag) String() string {
	if f == nil {
		return ""
	}
	return f.def
}

func (f *settingFlag) Set(v string) error { return f.s.set(f.cfg, v) }

// configField finds the Config field of a flag: "read-header-timeout" ↔
// ReadHeaderTimeout, "base-url" ↔ BaseURL (matched without dashes or case).
func configField(name string) (reflect.StructField, bool) {
	want := strings.ReplaceAll(name, "-", "")
	return reflect.TypeFor[Config]().FieldByNameFunc(func(f string) bool { return strings.EqualFold(f, want) })
}

// settingDefault is the default of a flag as --help prints it ("" for none).
func settingDefault(name string) string {
	f, ok := configField(name)
	if !ok {
		return ""
	}
	return formatSetting(reflect.ValueOf(DefaultConfig()).FieldByIndex(f.Index))
}

func formatSetting(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case time.Duration:
		return x.String()
	case []netip.Prefix:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = p.String()
		}
		return strings.Join(parts, ",")
	case bool:
		if !x {
			return ""
		}
		return "true"
	case string:
		return x
	default:
		if v.IsZero() {
			return ""
		}
		return fmt.Sprint(x)
	}
}
