package diagnose

import "fmt"

// minRepeatedUncached: a couple of identical calls happen in any run; three
// or more that a cache would have answered are worth turning a cache on.
const minRepeatedUncached = 3

var ruleRuntimeNoCache = &Rule{
	ID:       "RLD6201",
	Title:    "Identical requests were sent again without a cache",
	Cause:    CauseNoCache,
	Severity: SeverityInfo,
	Article:  "cache-during-development",
	Kinds:    runtimeKinds,
	Doc: `Counts calls in a runtime log whose request was identical to an earlier one (same messages, same
model) and that were not answered from the cache (` + "`is_cached`" + ` is 0), in a log with no cache hit
at all. During development the same script runs again and again; with a cache each repeated
request is answered locally and costs no request and no tokens. AutoGen 0.2 cached by default
(` + "`cache_seed`" + ` 41); ` + "`cache_seed=None`" + ` turns it off, and current AG2 no longer caches unless asked.

**Exceptions.** Runs that must see fresh answers (evaluations with temperature above 0) should not
cache; suppress the finding for them.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			// a cache is in use, or too few repeats to matter.
			if f.Cached > 0 || f.Repeated < minRepeatedUncached {
				continue
			}
			fix := `llm_config = {
    "config_list": config_list,
    "cache_seed": 42,  # repeated requests are answered from .cache, not the API
}`
			if f.Generation == "0.4" {
				fix = `import diskcache
from autogen_ext.cache_store.diskcache import DiskCacheStore
from autogen_ext.models.cache import ChatCompletionCache, CHAT_CACHE_VALUE_TYPE

cached_client = ChatCompletionCache(
    model_client,
    DiskCacheStore[CHAT_CACHE_VALUE_TYPE](diskcache.Cache(".cache")),
)`
			}
			r := f.RepeatedRows[0]
			p.Report(Diag{
				Source: src,
				Line:   rowLine(r),
				Message: fmt.Sprintf("%d of %d calls repeated an earlier identical request with no cache hit (first at %s by %s%s): a cache would have saved them on a rerun",
					f.Repeated, f.Calls, r.Call(), r.Agent, when(r)),
				Evidence: evidenceRows("", f.RepeatedRows),
				Fix:      fix,
			})
		}
	},
}
