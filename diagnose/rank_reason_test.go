package diagnose

import "testing"

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{
		"Two agents can auto-reply":              "two agents can auto-reply",
		"The 429 is insufficient_quota":          "the 429 is insufficient_quota",
		"SelectorGroupChat asks the model":       "SelectorGroupChat asks the model",
		"api_rate_limit outside config_list":     "api_rate_limit outside config_list",
		"RPM limit":                              "RPM limit",
		"A tool returned a very large result":    "a tool returned a very large result",
		"Azure OpenAI deployment quota exceeded": "Azure OpenAI deployment quota exceeded",
	} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
