package diagnose

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// genScript builds a realistic AutoGen 0.2 script of about n lines: agents
// built directly and through helpers, tools, retry loops and chats.
func genScript(n int) []byte {
	var b strings.Builder
	b.WriteString("import os\nimport time\n\nimport autogen\nfrom openai import RateLimitError\n\n")
	b.WriteString("MAX = 12\nconfig_list = autogen.config_list_from_json(\"OAI_CONFIG_LIST\")\n")
	b.WriteString("llm_config = {\"config_list\": config_list, \"cache_seed\": 42, \"temperature\": 0}\n\n")
	for i := 0; strings.Count(b.String(), "\n") < n; i++ {
		fmt.Fprintf(&b, `

def tool_%[1]d(path: str) -> str:
    """Read part of a file."""
    with open(path) as fh:
        data = fh.read(%[1]d + 100)
    return data[:2000]


def make_pair_%[1]d(name, cap=MAX):
    a = autogen.AssistantAgent(name + "_a", llm_config={**llm_config, "seed": %[1]d})
    u = autogen.UserProxyAgent(
        name + "_u",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=cap,
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
        code_execution_config=False,
    )
    autogen.register_function(tool_%[1]d, caller=a, executor=u, description="read")
    return a, u


assistant_%[1]d, user_%[1]d = make_pair_%[1]d("pair%[1]d")
for attempt in range(3):
    try:
        user_%[1]d.initiate_chat(assistant_%[1]d, message="task %[1]d", max_turns=4)
        break
    except RateLimitError:
        time.sleep(2 ** attempt)
`, i)
	}
	return []byte(b.String())
}

// BenchmarkPython5000Lines: a 5,000-line script diagnosed end to end (Run).
// The target is under 100 ms per run.
func BenchmarkPython5000Lines(b *testing.B) {
	src := genScript(5000)
	b.SetBytes(int64(len(src)))
	before := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), []Input{{Name: "big.py", Text: src}}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// CPU time per run, which a busy machine does not inflate the way it
	// does wall time.
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestGeneratedScriptIsAnalysed keeps the benchmark honest: the generated
// script is read as Python and its agents and chats are all found.
func TestGeneratedScriptIsAnalysed(t *testing.T) {
	src := genScript(5000)
	rep, err := Run(context.Background(), []Input{{Name: "big.py", Text: src}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Inputs[0].Kind != KindPython || rep.Inputs[0].Lines < 5000 {
		t.Fatalf("inputs = %+v", rep.Inputs)
	}
}
