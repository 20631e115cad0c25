package load_test

import (
	"reflect"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestOrgAccounts reads an org's Hugging Face names as one name or a
// list, and its domains and GitHub names as lists, each with a position.
func TestOrgAccounts(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		hf         load.Names
		at         string // the position of huggingface.0
	}{
		{"one name", "huggingface: mistralai\n", load.Names{"mistralai"}, "o.md:7:14"},
		{"a list", "huggingface: [mistralai, mistral-community]\n", load.Names{"mistralai", "mistral-community"}, "o.md:7:15"},
		{"a block list", "huggingface:\n  - mistralai\n", load.Names{"mistralai"}, "o.md:8:5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "---\nname: Mistral AI\nkind: lab\ncountry: FR\ndomains: [mistral.ai, mistral.ai]\ngithub: [mistralai]\n" + tc.yaml + "---\n"
			var o load.Org
			if probs := load.Parse("o.md", []byte(src), &o); len(probs) > 0 {
				t.Fatalf("problems: %v", probs)
			}
			if !reflect.DeepEqual(o.HuggingFace, tc.hf) {
				t.Errorf("huggingface = %q, want %q", o.HuggingFace, tc.hf)
			}
			if want := []string{"mistral.ai", "mistral.ai"}; !reflect.DeepEqual(o.Domains, want) {
				t.Errorf("domains = %q, want %q", o.Domains, want)
			}
			if want := []string{"mistralai"}; !reflect.DeepEqual(o.GitHub, want) {
				t.Errorf("github = %q, want %q", o.GitHub, want)
			}
			if p := o.Pos("huggingface.0"); p.String() != tc.at {
				t.Errorf("huggingface.0 at %s, want %s", p, tc.at)
			}
		})
	}
	var o load.Org
	probs := load.Parse("o.md", []byte("---\nname: X\nhuggingface: {a: b}\n---\n"), &o)
	if len(probs) != 1 || probs[0].String() != "o.md:3:14: huggingface: expected a name or a list of names, got a map" {
		t.Errorf("problems = %v", probs)
	}
}

// TestVariants reads a family's variants.
func TestVariants(t *testing.T) {
	src := "---\ntitle: Qwen2.5\nlicense: qwen\nvariants:\n  - name: Qwen2.5-72B\n    params_total: 72.7B\n  - name: Qwen2.5-7B\n    license: apache-2.0\n    params_total: 7.61B\n    params_active: 7B\n---\n"
	var r load.Release
	if probs := load.Parse("r.md", []byte(src), &r); len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	want := []load.Variant{
		{Name: "Qwen2.5-72B", ParamsTotal: 72.7e9},
		{Name: "Qwen2.5-7B", License: "apache-2.0", ParamsTotal: 7.61e9, ParamsActive: 7e9},
	}
	if !reflect.DeepEqual(r.Variants, want) {
		t.Errorf("variants = %+v, want %+v", r.Variants, want)
	}
	if p := r.Pos("variants.1.license"); p.String() != "r.md:8:14" {
		t.Errorf("variants.1.license at %s, want r.md:8:14", p)
	}
}

// TestSourcesFile reads content/sources.yaml.
func TestSourcesFile(t *testing.T) {
	src := "mirrors:\n  - host: hf-mirror.com\n    original: huggingface.co\n  - host: \"*.workers.dev\"\nfarms:\n  - host: aiwiki.ai\n    note: AI-written wiki\n"
	var s load.Sources
	if probs := load.ParseYAML("content/sources.yaml", []byte(src), &s); len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	want := load.Sources{
		Mirrors: []load.Mirror{{Host: "hf-mirror.com", Original: "huggingface.co"}, {Host: "*.workers.dev"}},
		Farms:   []load.Farm{{Host: "aiwiki.ai", Note: "AI-written wiki"}},
	}
	s.Doc = load.Doc{}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("sources = %+v, want %+v", s, want)
	}
	var bad load.Sources
	probs := load.ParseYAML("content/sources.yaml", []byte("mirrors:\n  - hots: x.com\n"), &bad)
	if len(probs) != 1 || probs[0].String() != `content/sources.yaml:2:5: unknown field "mirrors.0.hots" (did you mean "host"?)` {
		t.Errorf("problems = %v", probs)
	}
}
