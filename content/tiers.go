package content

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// TierTable is the provider rate-limit tiers the call-budget simulator
// compares a setup with (content/data/tiers.yaml, or a team's tiers.yaml).
type TierTable struct {
	Updated   string     `yaml:"updated"`
	Providers []Provider `yaml:"providers"`
	// Source is the file the table came from, for the page that shows it.
	Source string `yaml:"-"`
}

// Provider is one provider's tiers.
type Provider struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Note  string `yaml:"note"`
	Tiers []Tier `yaml:"tiers"`
}

// Tier is one published set of limits. Zero means "not published".
type Tier struct {
	ID       string `yaml:"id"`
	Name     string `yaml:"name"`
	Model    string `yaml:"model"`
	RPM      int    `yaml:"rpm"`
	TPM      int    `yaml:"tpm"`
	RPD      int    `yaml:"rpd"`
	Source   string `yaml:"source"`
	Verified bool   `yaml:"verified"`
}

// Tier finds a tier by id across providers.
func (t *TierTable) Tier(id string) (Provider, Tier, bool) {
	for _, p := range t.Providers {
		for _, tr := range p.Tiers {
			if tr.ID == id {
				return p, tr, true
			}
		}
	}
	return Provider{}, Tier{}, false
}

// LoadTiers reads the built-in tier table, or teamDir/tiers.yaml when the team
// keeps its own (their dashboard's figures beat any published ones).
// Unknown keys, duplicate ids and negative limits are errors naming the file.
func LoadTiers(teamDir string) (*TierTable, error) {
	name, src := "content/data/tiers.yaml", []byte(nil)
	if teamDir != "" {
		p := filepath.Join(teamDir, "tiers.yaml")
		b, err := os.ReadFile(p)
		switch {
		case err == nil:
			name, src = p, b
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("read tiers: %w", err)
		}
	}
	if src == nil {
		b, err := fs.ReadFile(Builtin, "data/tiers.yaml")
		if err != nil {
			return nil, fmt.Errorf("read built-in tiers: %w", err)
		}
		src = b
	}
	return parseTiers(name, src)
}

func parseTiers(name string, src []byte) (*TierTable, error) {
	var t TierTable
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	t.Source = name
	seen := map[string]bool{}
	for _, p := range t.Providers {
		if p.ID == "" || p.Name == "" {
			return nil, fmt.Errorf("%s: every provider needs an id and a name", name)
		}
		for _, tr := range p.Tiers {
			switch {
			case tr.ID == "" || tr.Name == "":
				return nil, fmt.Errorf("%s: provider %s: every tier needs an id and a name", name, p.ID)
			case seen[tr.ID]:
				return nil, fmt.Errorf("%s: duplicate tier id %q", name, tr.ID)
			case tr.RPM < 0 || tr.TPM < 0 || tr.RPD < 0:
				return nil, fmt.Errorf("%s: tier %s: limits cannot be negative", name, tr.ID)
			case tr.RPM == 0 && tr.TPM == 0 && tr.RPD == 0:
				return nil, fmt.Errorf("%s: tier %s: give at least one of rpm, tpm, rpd", name, tr.ID)
			}
			seen[tr.ID] = true
		}
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("%s: no tiers", name)
	}
	return &t, nil
}
