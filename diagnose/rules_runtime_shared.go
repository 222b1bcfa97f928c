package diagnose

import (
	"fmt"
	"strings"
)

// runtimeSharedOverlaps is how many overlapping calls of different agents
// make a shared bucket worth reporting: a few overlaps happen in any
// concurrent run without pressure.
const runtimeSharedOverlaps = 5

var ruleRuntimeConcurrentAgents = &Rule{
	ID:       "RLD2201",
	Title:    "Several agents called the model at the same time on one budget",
	Cause:    CauseSharedKey,
	Severity: SeverityWarning,
	Article:  "shared-api-key",
	Kinds:    runtimeKinds,
	Doc: `Replays the start and end times of the calls in a runtime log and counts calls that started while
another agent's call was still in flight. OpenAI limits are per organisation and model, and Azure
limits per deployment, so agents that each have their own wrapper still draw on one bucket: their
calls add up, and one agent's burst makes the others fail. When the wrappers' recorded init args
hold an API key (the logger usually leaves it out), the finding also says which agents used the
same key — masked.

**Fix.** Give the agents one shared budget: split the tier's RPM between them with
` + "`api_rate_limit`" + `, run them one after another, or put a proxy with one ` + "`rpm`" + ` limit in front.`,
	Run: func(p *Pass) {
		for _, src := range runtimeSources(p) {
			f := src.Runtime
			s := f.Shared
			keyShared := s.KeyMask != "" && len(s.KeyAgents) > 1
			// one agent at a time, and no key seen in several wrappers.
			if (len(s.Agents) < 2 || s.Overlaps < runtimeSharedOverlaps) && !keyShared {
				continue
			}
			var msg string
			if len(s.Agents) >= 2 && s.Overlaps >= runtimeSharedOverlaps {
				msg = fmt.Sprintf("%d agents (%s) called the model at the same time: %s started while another agent's call was in flight (up to %d at once)",
					len(s.Agents), strings.Join(s.Agents, ", "), plural(s.Overlaps, "call"), s.MaxInFight)
				if len(s.Models) > 0 {
					msg += ", all on " + strings.Join(s.Models, ", ")
				}
			} else {
				msg = fmt.Sprintf("%d agents (%s) were built with the same API key", len(s.KeyAgents), strings.Join(s.KeyAgents, ", "))
			}
			if keyShared {
				msg += fmt.Sprintf("; the wrappers of %s share the key %s", strings.Join(s.KeyAgents, ", "), s.KeyMask)
			}
			n := max(2, len(s.Agents), len(s.KeyAgents))
			p.Report(Diag{
				Source:   src,
				Message:  msg,
				Evidence: evidenceRows("overlapping calls:", s.Rows),
				Fix: fmt.Sprintf(`TIER_RPM = 500  # your tier's requests per minute for this model
AGENTS = %d

config_list = [
    {
        "model": "gpt-4o",
        "api_key": os.environ["OPENAI_API_KEY"],
        # one budget shared by all agents: each gets its part, in requests per second
        "api_rate_limit": TIER_RPM / 60 / AGENTS,
    },
]`, n),
			})
		}
	},
}
