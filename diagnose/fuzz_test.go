package diagnose

import (
	"context"
	"encoding/json"
	"testing"
)

// FuzzRun: whatever is pasted, under whatever name, the engine returns a
// report (never a panic) that marshals to JSON.
func FuzzRun(f *testing.F) {
	f.Add("agents.py", []byte("import autogen\nu = autogen.UserProxyAgent('u', human_input_mode='NEVER')\nu.initiate_chat(a)\n"))
	f.Add("OAI_CONFIG_LIST", []byte(`[{"model": "gpt-4", "api_key": "sk-abcdefghijklmnopqrstuvwxyz123456", "api_rate_limit": 60}]`))
	f.Add("paste", []byte("```python\nteam = RoundRobinGroupChat([a, b])\n```\nTraceback (most recent call last):\nopenai.RateLimitError: Error code: 429\n"))
	f.Add("cfg.yaml", []byte("config_list:\n  - model: x\napi_rate_limit: 2\n"))
	f.Fuzz(func(t *testing.T, name string, text []byte) {
		rep, err := Run(context.Background(), []Input{{Name: name, Text: text}}, Options{Symptoms: []string{"after-turns"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
		for _, fd := range rep.Findings {
			if len(fd.Edits) > 0 {
				if _, err := ApplyEdits(text, fd.Edits); err != nil {
					t.Fatalf("%s: edits do not apply: %v", fd.Rule, err)
				}
			}
		}
	})
}
