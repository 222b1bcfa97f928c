package diagnose

import (
	"strings"

	"github.com/ratelimit-doctor/ratelimit-doctor/diagnose/configfacts"
	"gopkg.in/yaml.v3"
)

func parseConfig(text []byte) (*ConfigFacts, error) { return configfacts.Parse(text) }

// configProvider names the provider of a config's first entry.
func configProvider(c *ConfigFacts) string {
	for _, e := range c.Entries {
		_, t := configfacts.Get(e.Node, "api_type")
		_, base := configfacts.Get(e.Node, "base_url")
		_, model := configfacts.Get(e.Node, "model")
		switch {
		case t != nil && strings.HasPrefix(t.Value, "azure"):
			return "azure"
		case t != nil && t.Value != "" && t.Value != "openai":
			return t.Value
		case base != nil && strings.Contains(base.Value, "azure"):
			return "azure"
		case base != nil && (strings.Contains(base.Value, "localhost") || strings.Contains(base.Value, "127.0.0.1")):
			return "local"
		case model != nil && strings.HasPrefix(model.Value, "claude"):
			return "anthropic"
		case model != nil && strings.HasPrefix(model.Value, "gemini"):
			return "gemini"
		}
		return "openai"
	}
	for _, c := range c.Components {
		switch {
		case strings.Contains(c.Provider, "AzureOpenAI"):
			return "azure"
		case strings.Contains(c.Provider, "OpenAIChatCompletionClient"):
			return "openai"
		case strings.Contains(c.Provider, "Anthropic"):
			return "anthropic"
		case strings.Contains(c.Provider, "Ollama"):
			return "local"
		}
	}
	return ""
}

// scalar returns a mapping's scalar value for key.
func scalar(m *yaml.Node, key string) (*yaml.Node, bool) {
	_, v := configfacts.Get(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil, false
	}
	return v, true
}

// scalarOrAny returns a mapping's key and value nodes of any kind.
func scalarOrAny(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) { return configfacts.Get(m, key) }

// configInsert adds key: value as the first entry of a mapping, in the
// mapping's own style (JSON/flow or block YAML).
func configInsert(cf *ConfigFacts, file string, m *yaml.Node, key, value string) (Edit, bool) {
	if m == nil || m.Kind != yaml.MappingNode || len(m.Content) == 0 {
		return Edit{}, false
	}
	if m.Style&yaml.FlowStyle != 0 {
		off := cf.Offset(m)
		if off >= len(cf.Src) || cf.Src[off] != '{' {
			return Edit{}, false
		}
		return Edit{File: file, Start: off + 1, End: off + 1, New: `"` + key + `": ` + value + `, `}, true
	}
	firstKey := m.Content[0]
	off := cf.Offset(firstKey)
	indent := strings.Repeat(" ", firstKey.Column-1)
	return Edit{File: file, Start: off, End: off, New: key + ": " + value + "\n" + indent}, true
}

// configFixText shows the lines a config edit changes.
func configFixText(cf *ConfigFacts, edits []Edit) string {
	if len(edits) == 0 {
		return ""
	}
	src := &Source{Text: cf.Src}
	return fixText(src, edits)
}
