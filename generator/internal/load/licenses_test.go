package load_test

import (
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestLicenseIndex(t *testing.T) {
	lic := func(id, name string, aliases ...string) *load.License {
		return &load.License{Doc: load.Doc{ID: id}, Name: name, Aliases: aliases}
	}
	llama := lic("llama2", "Llama 2 Community License Agreement", "llama-2")
	nc := lic("cc-by-nc-4.0", "Creative Commons Attribution-NonCommercial 4.0 International", "CC BY-NC 4.0")
	rail := lic("creativeml-openrail-m", "CreativeML Open RAIL-M", "openrail++")
	open := lic("openrail", "OpenRAIL license family")
	clash := lic("other", "Other", "LLAMA_2")
	x := load.NewLicenseIndex([]*load.License{llama, nc, rail, open, clash})
	for _, tc := range []struct {
		in   string
		want *load.License
	}{
		{"llama2", llama}, {"LLaMA 2", llama}, {"llama-2", llama}, {"Llama 2 Community License Agreement", llama},
		{"CC BY NC 4.0", nc}, {"cc-by-nc-4.0", nc}, {"CC-BY-NC-4.0", nc},
		{"openrail++", rail}, {"OpenRAIL", open}, {"OpenRail++", rail},
		{"llama 3", nil}, {"", nil}, {"---", nil}, {"cc-by-4.0", nil},
	} {
		if got := x.Lookup(tc.in); got != tc.want {
			t.Errorf("Lookup(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if len(x.Clashes) != 1 || x.Clashes[0].License != clash || x.Clashes[0].Other != llama || x.Clashes[0].Field != "aliases.0" {
		t.Errorf("clashes = %+v, want other's alias LLAMA_2 against llama2", x.Clashes)
	}
}
