package configfacts

import (
	"testing"
)

func TestShapes(t *testing.T) {
	cases := []struct {
		src     string
		shape   Shape
		entries int
		comps   int
	}{
		{`[{"model": "gpt-4", "api_key": "k"}, {"model": "gpt-4o", "api_key": "k", "api_rate_limit": 1},]`, ShapeConfigList, 2, 0},
		{"{'config_list': [{'model': 'gpt-4'}], 'cache_seed': None, 'temperature': 0}", ShapeLLMConfig, 1, 0},
		{"llm_config:\n  config_list:\n    - model: gpt-4o\n  cache_seed: 42\n", ShapeLLMConfig, 1, 0},
		{`{"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "config": {"participants": [{"provider": "autogen_agentchat.agents.AssistantAgent", "config": {"model_client": {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "config": {"model": "gpt-4o"}}}}]}}`, ShapeComponent, 0, 3},
		{`{"model": "gpt-4", "api_key": "k"}`, ShapeConfigList, 1, 0},
		{`{"name": "x"}`, ShapeOther, 0, 0},
	}
	for _, c := range cases {
		f, err := Parse([]byte(c.src))
		if err != nil {
			t.Errorf("%.40q: %v", c.src, err)
			continue
		}
		if f.Shape != c.shape || len(f.Entries) != c.entries || len(f.Components) != c.comps {
			t.Errorf("%.40q: shape %s entries %d comps %d", c.src, f.Shape, len(f.Entries), len(f.Components))
		}
	}
	for _, bad := range []string{"", "just words", "[1, 2", "key: [unclosed"} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestSpansPointAtValues(t *testing.T) {
	src := []byte("[\n  {\"model\": \"gpt-4\", \"api_rate_limit\": 60, 'api_key': 'abc'}\n]\n")
	f, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	e := f.Entries[0].Node
	_, v := Get(e, "api_rate_limit")
	s, en := f.Span(v)
	if string(src[s:en]) != "60" || v.Line != 2 {
		t.Errorf("span %q line %d", src[s:en], v.Line)
	}
	_, k := Get(e, "api_key")
	s, en = f.Span(k)
	if string(src[s:en]) != "'abc'" {
		t.Errorf("quoted span %q", src[s:en])
	}
}

// FuzzConfig: no input may panic the config reader, and spans stay inside the input.
func FuzzConfig(f *testing.F) {
	f.Add([]byte(`[{"model": "gpt-4", "api_key": "sk-x", "api_rate_limit": 60}]`))
	f.Add([]byte("config_list:\n  - model: gpt-4o\n    api_rate_limit: 0.5\n"))
	f.Add([]byte(`{"provider": "a.b.C", "config": {"max_turns": null}}`))
	f.Add([]byte("{'config_list': [{'model': 'x'}], 'cache_seed': None,}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cf, err := Parse(src)
		if err != nil {
			return
		}
		for _, e := range cf.Entries {
			for i := 1; i < len(e.Node.Content); i += 2 {
				s, en := cf.Span(e.Node.Content[i])
				if s < 0 || en > len(src) || s > en {
					t.Fatalf("span [%d,%d) outside %d bytes", s, en, len(src))
				}
			}
		}
		_ = cf.IsJSON()
	})
}
