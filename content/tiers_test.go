package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadTiersBuiltin(t *testing.T) {
	tab, err := LoadTiers("")
	if err != nil {
		t.Fatal(err)
	}
	p, tr, ok := tab.Tier("openai-free")
	if !ok || p.ID != "openai" || tr.RPM != 3 {
		t.Fatalf("openai-free = %+v %+v %v", p, tr, ok)
	}
	for _, p := range tab.Providers {
		for _, tr := range p.Tiers {
			if tr.Source == "" {
				t.Errorf("tier %s has no source", tr.ID)
			}
		}
	}
}

func TestLoadTiersTeamOverride(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "tiers.yaml"), []byte("updated: 2026-01-01\nproviders:\n  - id: acme\n    name: Acme gateway\n    tiers:\n      - id: acme-dev\n        name: Dev key\n        rpm: 20\n        source: our dashboard\n        verified: true\n"), 0o644)
	tab, err := LoadTiers(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, tr, ok := tab.Tier("acme-dev"); !ok || tr.RPM != 20 || !tr.Verified {
		t.Fatalf("team tier not loaded: %+v", tab)
	}
	if _, _, ok := tab.Tier("openai-free"); ok {
		t.Error("a team table replaces the built-in one")
	}
}

func TestParseTiersErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"providers:\n  - id: a\n    name: A\n    tiers:\n      - id: x\n        name: X\n        rpm: 1\n        bogus: 2\n", "field bogus not found"},
		{"providers:\n  - id: a\n    name: A\n    tiers:\n      - id: x\n        name: X\n        rpm: 1\n      - id: x\n        name: Y\n        rpm: 2\n", "duplicate tier id"},
		{"providers:\n  - id: a\n    name: A\n    tiers:\n      - id: x\n        name: X\n        rpm: -1\n", "negative"},
		{"providers:\n  - id: a\n    name: A\n    tiers:\n      - id: x\n        name: X\n", "at least one of"},
		{"providers: []\n", "no tiers"},
	} {
		_, err := parseTiers("t.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "t.yaml") {
			t.Errorf("parseTiers(%q) = %v, want error containing %q", tc.src, err, tc.want)
		}
	}
}
