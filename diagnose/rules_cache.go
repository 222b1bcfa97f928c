package diagnose

import (
	"fmt"
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/pyfacts"
)

var ruleCacheOff = &Rule{
	ID:       "RLD6001",
	Title:    "Caching turned off while developing",
	Cause:    CauseNoCache,
	Severity: SeverityInfo,
	Article:  "cache-during-development",
	Kinds:    []Kind{KindPython},
	Doc: `Looks for ` + "`cache_seed=None`" + ` in an AutoGen 0.2 ` + "`llm_config`" + ` of a script that runs chats.

**Why.** With a cache seed, AutoGen 0.2 answers a repeated request from its disk cache
(` + "`.cache/<seed>`" + `) without calling the API; while you re-run the same script during
development, that saves most calls. ` + "`None`" + ` sends every call to the provider.

**Not flagged.** Code whose every model runs on this machine (a ` + "`base_url`" + ` on localhost), a seed (any integer), or the setting left out (0.2 caches with seed
41 by default), a ` + "`cache=Cache.disk()`" + ` (or redis) object passed to the chat, which wins over
` + "`cache_seed`" + `, and 0.4 code (caching there is a ` + "`ChatCompletionCache`" + `).

**Fix.** Use a seed while developing (` + "`cache_seed=42`" + `); change it when you want fresh answers.

**Suppress** with ` + "`# ratelimit-doctor: ignore[RLD6001]`" + ` on the line.` + example("llm_config = {\"config_list\": config_list, \"cache_seed\": None}", "llm_config = {\"config_list\": config_list, \"cache_seed\": 42}"),
	Run: checkCacheOff,
}

func checkCacheOff(p *Pass) {
	for _, src := range pythonSources(p) {
		f := src.Python
		if f.Generation == "0.4" || len(f.Chats) == 0 {
			continue
		}
		if usesCacheObject(f) {
			continue // a Cache object passed to the chat wins over cache_seed
		}
		if onlyLocalModels(f) {
			continue // a local server has no rate limit to save
		}
		for _, pair := range dictPairs(f, "cache_seed") {
			if !f.IsNone(pair.Child("value"), nil) {
				continue
			}
			msg := fmt.Sprintf("%s turns off AutoGen's response cache: every re-run of this script sends every call to the provider again", f.Text(pair))
			reportPy(p, src, pair, msg, []Edit{replaceEdit(src, pair.Child("value"), "42")}, Diag{})
		}
	}
}

// usesCacheObject: a chat gets cache=<something> or the code opens Cache.disk/redis.
func usesCacheObject(f *pyfacts.File) bool {
	for _, ch := range f.Chats {
		if kw := f.Kwarg(ch.Call, "cache", nil); kw != nil && !f.IsNone(kw.Value, nil) {
			return true
		}
	}
	src := string(f.Src)
	if strings.Contains(src, "Cache.disk(") || strings.Contains(src, "Cache.redis(") || strings.Contains(src, "Cache.cosmos_db(") {
		return true
	}
	for _, n := range f.Keyed["cache"] {
		if v := n.Child("value"); v != nil && !f.IsNone(v, nil) {
			return true
		}
	}
	return false
}

// onlyLocalModels reports whether every base_url the code sets points at
// this machine (Ollama, LM Studio, vLLM, llama.cpp on localhost) and no
// entry goes to a hosted API without one.
func onlyLocalModels(f *pyfacts.File) bool {
	urls := append(append([]*pyfacts.Node{}, f.Keyed["base_url"]...), f.Keyed["api_base"]...)
	if len(urls) == 0 || len(f.Keyed["model"]) > len(urls) {
		return false
	}
	for _, n := range urls {
		u, ok := f.Str(n.Child("value"), nil)
		if !ok || !isLocalURL(u) {
			return false
		}
	}
	return true
}

func isLocalURL(u string) bool {
	u = strings.ToLower(u)
	for _, h := range []string{"://localhost", "://127.0.0.1", "://0.0.0.0", "://host.docker.internal", "://[::1]"} {
		if strings.Contains(u, h) {
			return true
		}
	}
	return false
}
