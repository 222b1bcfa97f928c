package budget

import (
	"fmt"
	"strconv"
	"strings"
)

// ThrottleInput is what the throttling snippets need: the person's own model
// and tier, and how many clients share it.
type ThrottleInput struct {
	Model   string // e.g. "gpt-4o-mini"; empty: a placeholder name
	Limits  Limits
	Sharers int    // agents or runs that call the model at the same time (≥1)
	KeyEnv  string // environment variable holding the key; default OPENAI_API_KEY
}

// Snippet is one piece of configuration or code to paste.
type Snippet struct {
	Title string
	Lang  string // "python", "yaml", "json"
	Code  string
	Note  string
}

// headroom keeps throttled clients at 80% of the limit, leaving room for
// other users of the key and for clock skew between the provider's window and ours.
const headroom = 0.8

func (in ThrottleInput) norm() ThrottleInput {
	if in.Sharers < 1 {
		in.Sharers = 1
	}
	if in.Model == "" {
		in.Model = "gpt-4o-mini"
	}
	if in.KeyEnv == "" {
		in.KeyEnv = "OPENAI_API_KEY"
	}
	return in
}

// perClientRPM is each sharer's share of the limit, with headroom.
func (in ThrottleInput) perClientRPM() float64 {
	return float64(in.Limits.RPM) * headroom / float64(in.Sharers)
}

// fmtRate prints a rate with enough digits to be non-zero and no trailing noise.
func fmtRate(v float64) string {
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if strings.ContainsAny(s, "e") {
		s = strconv.FormatFloat(v, 'f', 6, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Throttle writes the configuration that keeps calls under the tier's
// requests-per-minute limit, in the three forms a person can paste: an
// api_rate_limit entry for a 0.2 config_list (requests per SECOND, per
// agent's client; reference §1.6), a limiter around a 0.4 model client, and a
// LiteLLM proxy model entry with rpm/tpm. It returns nothing when the tier has
// no RPM limit to respect.
func Throttle(in ThrottleInput) []Snippet {
	in = in.norm()
	if in.Limits.RPM <= 0 {
		return nil
	}
	rpm := in.perClientRPM()
	perSecond := rpm / 60
	src := in.Limits.Source
	if src == "" {
		src = fmt.Sprintf("%d RPM", in.Limits.RPM)
	}
	var out []Snippet

	out = append(out, Snippet{
		Title: "AutoGen 0.2: api_rate_limit in the config_list entry",
		Lang:  "python",
		Code: fmt.Sprintf(`config_list = [
    {
        "model": %q,
        "api_key": os.environ[%q],
        # requests per SECOND for this agent's client: %s RPM × %.0f%% / %d sharer(s) / 60 s
        "api_rate_limit": %s,
    }
]
llm_config = {"config_list": config_list}
`, in.Model, in.KeyEnv, strconv.Itoa(in.Limits.RPM), headroom*100, in.Sharers, fmtRate(perSecond)),
		Note: "api_rate_limit exists from autogen 0.2.36 (use 0.2.38 or later, which fixed a crash without config_list); it throttles each agent's client separately and only synchronous calls, so divide the limit by the number of agents that call at the same time. Its support in current AG2 is unverified.",
	})

	interval := 60 / rpm
	out = append(out, Snippet{
		Title: "AutoGen 0.4+: a limiter around the model client",
		Lang:  "python",
		Code: fmt.Sprintf(`import asyncio
import os
import time

from autogen_ext.models.openai import OpenAIChatCompletionClient


class MinuteLimiter:
    """Spaces calls at least one interval apart across every task that shares it."""

    def __init__(self, requests_per_minute: float) -> None:
        self._interval = 60.0 / requests_per_minute
        self._lock = asyncio.Lock()
        self._next = 0.0

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = time.monotonic()
            self._next = now + self._interval


# %s: %.3g RPM for this process (%.0f%% headroom, %d sharer(s)) -> one call every %.2f s
LIMITER = MinuteLimiter(%s)


class ThrottledClient(OpenAIChatCompletionClient):
    async def create(self, *args, **kwargs):
        await LIMITER.wait()
        return await super().create(*args, **kwargs)


model_client = ThrottledClient(model=%q, api_key=os.environ[%q])
`, src, rpm, headroom*100, in.Sharers, interval, fmtRate(rpm), in.Model, in.KeyEnv),
		Note: "Share one ThrottledClient (or one MinuteLimiter) between all agents and teams in the process; streaming calls (create_stream) need the same wait if you use them.",
	})

	tpmLine := ""
	if in.Limits.TPM > 0 {
		tpmLine = fmt.Sprintf("\n      tpm: %d", int(float64(in.Limits.TPM)*headroom))
	}
	out = append(out, Snippet{
		Title: "A LiteLLM proxy in front of every client",
		Lang:  "yaml",
		Code: fmt.Sprintf(`model_list:
  - model_name: %s
    litellm_params:
      model: openai/%s
      api_key: os.environ/%s
      rpm: %d%s
`, in.Model, in.Model, in.KeyEnv, int(float64(in.Limits.RPM)*headroom), tpmLine),
		Note: "The proxy counts every client that goes through it, so the limit is shared correctly however many agents or runs you start. Point base_url at the proxy and set max_retries=0 on the clients if the proxy retries.",
	})
	return out
}
