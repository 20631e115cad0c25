package scaffold_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/scaffold"
)

// FuzzImportHub feeds the importer a model card, config.json and API
// record as the Hub might send them, seeded with the recorded ones: it
// must never panic, and an entry it writes must be content load reads
// without a problem, but for a field it left TODO for the contributor.
func FuzzImportHub(f *testing.F) {
	dirs, _ := filepath.Glob(filepath.Join("..", "hub", "testdata", "hub", "*", "*"))
	for _, d := range dirs {
		card, _ := os.ReadFile(filepath.Join(d, "README.md"))
		cfg, _ := os.ReadFile(filepath.Join(d, "config.json"))
		api, _ := os.ReadFile(filepath.Join(d, "api.json"))
		if len(api) > 0 {
			f.Add(card, cfg, api)
		}
	}
	f.Add([]byte("---\nmodel-index: [{results: [{metrics: [{value: .inf}]}]}]\n---\nRelease date: July 32, 2024. 0B parameters, 0K context length"), []byte(`{"max_position_embeddings":-1,"num_local_experts":1e300}`), []byte(`{"id":"a/b","safetensors":{"total":-5}}`))
	f.Fuzz(func(t *testing.T, card, cfg, api []byte) {
		var m hub.Model
		if json.Unmarshal(api, &m) != nil {
			return
		}
		b := &hub.Bundle{Repo: "acme/Acme-7B", Model: &m, Config: cfg, Card: card}
		if len(card) == 0 {
			b.Card = nil
		}
		e, _, err := scaffold.ImportHF(nil, scaffold.Import{
			Options: scaffold.Options{Today: load.NewDate(2026, 11, 23)},
			Org:     "acme",
			Orgs:    []string{"acme"},
			Hub:     b,
		})
		if err != nil {
			return
		}
		var r load.Release
		for _, p := range load.Parse(e.Path, e.Data, &r) {
			if p.Severity == load.Error && !strings.Contains(p.Msg, `"`+check.Placeholder+`"`) {
				t.Fatalf("the entry does not load: %v\n%s", p, e.Data)
			}
		}
	})
}
