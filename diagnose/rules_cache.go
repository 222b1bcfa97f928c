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

**Not flagged.** A seed (any integer), or the setting left out (0.2 caches with seed
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
