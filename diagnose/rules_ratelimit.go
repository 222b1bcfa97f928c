package diagnose

import (
	"fmt"
	"strconv"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/configfacts"
	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

// perSecondSuspicious is the api_rate_limit from which a value looks like a
// per-minute number written into a per-second setting.
const perSecondSuspicious = 10

var ruleRateLimitUnits = &Rule{
	ID:       "RLD5001",
	Title:    "api_rate_limit looks like requests per minute but is requests per second",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "client-side-throttling",
	Kinds:    []Kind{KindPython, KindConfig},
	Doc: `Looks for an AutoGen 0.2 ` + "`api_rate_limit`" + ` of 10 or more in a config_list entry.

**Why.** ` + "`api_rate_limit`" + ` is the number of requests **per second** each agent's client may
send (it sleeps 1/rate seconds between calls). A value such as 60, written with a
60 RPM tier in mind, allows 3,600 requests a minute: no throttling at all.

**Not flagged.** Values under 10 per second.

**Fix.** Divide by 60: for 60 requests a minute use ` + "`1.0`" + `; for the 3 RPM free tier use ` + "`0.05`" + `.
Remember it is per agent, so divide again by the number of agents that share the key.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5001]`" + ` on the line.` + example("config_list = [{\"model\": \"gpt-4o-mini\", \"api_rate_limit\": 60}]  # meant: 60 a minute", "config_list = [{\"model\": \"gpt-4o-mini\", \"api_rate_limit\": 1.0}]  # 1 request a second = 60 a minute"),
	Run: checkRateLimitUnits,
}

func perMinute(v float64) string {
	return strconv.FormatFloat(v/60, 'f', -1, 64)
}

func checkRateLimitUnits(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, pair := range dictPairs(f, "api_rate_limit") {
			v, ok := f.Number(pair.Child("value"), nil)
			if !ok || v < perSecondSuspicious {
				continue
			}
			val := pair.Child("value")
			msg := fmt.Sprintf("api_rate_limit=%g is requests per second (%g a minute) per agent; if you meant %g per minute, use %s", v, v*60, v, perMinute(v))
			reportPy(p, src, pair, msg, []Edit{replaceEdit(src, val, perMinute(v))}, Diag{})
		}
	}
	for _, src := range configSources(p) {
		cf := src.Config
		for _, e := range cf.Entries {
			val, ok := scalar(e.Node, "api_rate_limit")
			if !ok {
				continue
			}
			v, err := strconv.ParseFloat(val.Value, 64)
			if err != nil || v < perSecondSuspicious {
				continue
			}
			s, en := cf.Span(val)
			p.Report(Diag{Source: src, Line: val.Line, Column: val.Column,
				Message:  fmt.Sprintf("api_rate_limit: %g is requests per second (%g a minute) per agent; if you meant %g per minute, use %s", v, v*60, v, perMinute(v)),
				Evidence: cf.LineText(val.Line),
				Edits:    []Edit{{File: src.Name, Start: s, End: en, New: perMinute(v)}},
				Fix:      configFixLine(cf, s, en, perMinute(v))})
		}
	}
}

// configFixLine is the source line holding [s,e) with that range replaced.
func configFixLine(cf *configfacts.File, s, e int, repl string) string {
	ls := s
	for ls > 0 && cf.Src[ls-1] != '\n' {
		ls--
	}
	le := e
	for le < len(cf.Src) && cf.Src[le] != '\n' {
		le++
	}
	return string(cf.Src[ls:s]) + repl + string(cf.Src[e:le])
}

// dictPairs returns every dict entry and keyword argument with the given key.
func dictPairs(f *pyfacts.File, key string) []*pyfacts.Node { return f.Keyed[key] }

var ruleRateLimitIgnored = &Rule{
	ID:       "RLD5002",
	Title:    "api_rate_limit outside config_list is ignored",
	Cause:    CauseLowQuota,
	Severity: SeverityWarning,
	Article:  "client-side-throttling",
	Kinds:    []Kind{KindPython, KindConfig},
	Doc: `Looks for ` + "`api_rate_limit`" + ` set at the top level of an AutoGen 0.2 ` + "`llm_config`" + `
(next to ` + "`config_list`" + `) instead of inside each config_list entry.

**Why.** AutoGen builds its rate limiters from the config_list entries only; a
top-level ` + "`api_rate_limit`" + ` throttles nothing, so the calls go out at full speed.

**Not flagged.** ` + "`api_rate_limit`" + ` inside entries.

**Fix.** Move it into every entry of ` + "`config_list`" + `.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD5002]`" + ` on the line.`,
	Run: checkRateLimitIgnored,
}

func checkRateLimitIgnored(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		for _, pair := range dictPairs(f, "api_rate_limit") {
			d := pair.Parent
			if d == nil || (d.Kind != "dictionary" && d.Kind != "argument_list") {
				continue
			}
			hasList := false
			for _, c := range d.NamedChildren() {
				if c.Kind == "pair" || c.Kind == "keyword_argument" {
					name := f.Text(c.Child("name"))
					if c.Kind == "pair" {
						name, _ = f.Str(c.Child("key"), nil)
					}
					if name == "config_list" {
						hasList = true
					}
				}
			}
			if !hasList {
				continue
			}
			msg := fmt.Sprintf("%s sits next to config_list, where AutoGen never reads it: no throttling happens; put it inside each config_list entry", f.Text(pair))
			reportPy(p, src, pair, msg, nil, Diag{Fix: `config_list = [{**entry, "` + "api_rate_limit" + `": ` + f.Text(pair.Child("value")) + `} for entry in config_list]`})
		}
	}
	for _, src := range configSources(p) {
		cf := src.Config
		if cf.LLMConfig == nil {
			continue
		}
		val, ok := scalar(cf.LLMConfig, "api_rate_limit")
		if !ok {
			continue
		}
		p.Report(Diag{Source: src, Line: val.Line, Column: val.Column,
			Message:  fmt.Sprintf("api_rate_limit: %s sits next to config_list, where AutoGen never reads it: put it inside each config_list entry", val.Value),
			Evidence: cf.LineText(val.Line),
			Fix:      `"config_list": [{"model": ..., "api_rate_limit": ` + val.Value + `}]`})
	}
}
