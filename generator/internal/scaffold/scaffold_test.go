package scaffold_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/scaffold"
)

var opt = scaffold.Options{Today: load.NewDate(2026, 11, 23), SchemaBase: "https://example.org/schema/"}

func TestSlug(t *testing.T) {
	for title, want := range map[string]string{
		"Acme 7B":                   "acme-7b",
		"Qwen3.5 27B":               "qwen3-5-27b",
		"  DeepSeek-V4.1 (Flash) ":  "deepseek-v4-1-flash",
		"FLUX.1 [dev]":              "flux-1-dev",
		"Ünïcode model":             "n-code-model",
		"漢字":                        "",
		"a--b__c":                   "a-b-c",
		"Nemotron Nano VL 12B v2.0": "nemotron-nano-vl-12b-v2-0",
	} {
		got := scaffold.Slug(title)
		if got != want {
			t.Errorf("Slug(%q) = %q, want %q", title, got, want)
		}
		if got != "" && !check.SlugPattern.MatchString(got) {
			t.Errorf("Slug(%q) = %q, which check refuses", title, got)
		}
	}
}

func TestReleaseRefusals(t *testing.T) {
	orgs := []string{"acme", "acme-research", "chipco", "zyphra"}
	for _, tc := range []struct {
		title, org, slug, want string
	}{
		{"Acme 7B", "acne", "", `unknown org "acne" (closest: acme); if it is new, add it first: whyopen new org acne`},
		{"Acme 7B", "zyfra", "", `unknown org "zyfra" (closest: zyphra); if it is new, add it first: whyopen new org zyfra`},
		{"Acme 7B", "Big Lab", "", `unknown org "Big Lab"`},
		{"Acme 7B", "", "", "which org released it? pass its id with -org, such as -org acme"},
		{"  ", "acme", "", "the release needs a title"},
		{"漢字", "acme", "", "pass one with -slug"},
		{"Acme 7B", "acme", "Acme_7B", `bad slug "Acme_7B": use lowercase letters, digits and single hyphens, such as "acme-7b"`},
	} {
		_, err := scaffold.Release(tc.title, tc.org, tc.slug, orgs, opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Release(%q, %q, %q) error = %v, want it to contain %q", tc.title, tc.org, tc.slug, err, tc.want)
		}
	}
	if _, err := scaffold.Org("Acme AI", opt); err == nil || !strings.Contains(err.Error(), `such as "acme-ai"`) {
		t.Errorf("Org(\"Acme AI\") error = %v, want a suggestion", err)
	}
}

// TestEntriesListEveryField guards against drift: every field of the
// type is in the entry, in order, and load reads the entry without a
// problem, with the placeholders where check will find them.
func TestEntriesListEveryField(t *testing.T) {
	rel, err := scaffold.Release("Acme 7B: the \"sequel\" # 2", "acme", "", []string{"acme"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Path != "content/releases/acme/acme-7b-the-sequel-2.md" {
		t.Errorf("Path = %q", rel.Path)
	}
	org, err := scaffold.Org("acme", opt)
	if err != nil {
		t.Fatal(err)
	}
	if org.Path != "content/orgs/acme.md" {
		t.Errorf("Path = %q", org.Path)
	}
	for _, tc := range []struct {
		e    scaffold.Entry
		v    any
		kind string
	}{{rel, &load.Release{}, "release"}, {org, &load.Org{}, "org"}} {
		text := string(tc.e.Data)
		if !strings.HasPrefix(text, "---\n# yaml-language-server: $schema=https://example.org/schema/"+tc.kind+".json\n") {
			t.Errorf("%s: no modeline first in the front matter:\n%s", tc.kind, text)
		}
		last := 0
		typ := reflect.TypeOf(tc.v).Elem()
		for i := 0; i < typ.NumField(); i++ {
			name := typ.Field(i).Tag.Get("yaml")
			if name == "" || name == "-" {
				continue
			}
			if typ.Field(i).Type.Kind() == reflect.Map {
				// Buckets in further schemes are left out of a new file.
				if strings.Contains(text, "\n"+name+":") {
					t.Errorf("%s: field %q, a further scheme's, is in a new file", tc.kind, name)
				}
				continue
			}
			if typ.Field(i).Tag.Get("scaffold") == "set" {
				if strings.Contains(text, "\n"+name+":") {
					t.Errorf("%s: field %q written though not set", tc.kind, name)
				}
				continue
			}
			at := strings.Index(text, "\n"+name+":")
			if at < last {
				t.Errorf("%s: field %q missing or out of order", tc.kind, name)
				continue
			}
			last = at
		}
		if probs := load.Parse(tc.e.Path, tc.e.Data, tc.v); len(probs) > 0 {
			t.Errorf("%s: load finds problems: %v", tc.kind, probs)
		}
	}
	var r load.Release
	load.Parse(rel.Path, rel.Data, &r)
	if r.Title != `Acme 7B: the "sequel" # 2` || r.Org != "acme" || r.Date.String() != "2026-11-23" {
		t.Errorf("read back title %q, org %q, date %s", r.Title, r.Org, r.Date)
	}
	if r.License != check.Placeholder || !reflect.DeepEqual(r.Sources, []string{check.Placeholder}) {
		t.Errorf("license %q, sources %q: want placeholders", r.License, r.Sources)
	}
	for _, f := range []string{"summary", "params_total", "modality_in", "modality_out", "links.weights", "benchmarks"} {
		if r.Has(f) {
			t.Errorf("optional field %s is given; an empty one reads as absent", f)
		}
	}
	if (scaffold.Options{}).SchemaBase == "" {
		e, _ := scaffold.Org("acme", scaffold.Options{})
		if strings.Contains(string(e.Data), "yaml-language-server") {
			t.Error("modeline written without a schema URL")
		}
	}
}

var licenses = []*load.License{
	{Doc: load.Doc{ID: "apache-2.0"}, Aliases: []string{"apache2", "Apache-2.0"}, URL: "https://www.apache.org/licenses/LICENSE-2.0"},
	{Doc: load.Doc{ID: "llama3.1"}, Aliases: []string{"llama-3.1"}, URL: "https://www.llama.com/llama3_1/license/"},
	{Doc: load.Doc{ID: "nvidia-open-model-license"}, URL: "https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license/"},
	{Doc: load.Doc{ID: "llama2"}, Name: "Llama 2 Community License Agreement", URL: "https://github.com/facebookresearch/llama/blob/main/LICENSE"},
	{Doc: load.Doc{ID: "cc-by-nc-4.0"}, Name: "Creative Commons Attribution-NonCommercial 4.0 International", URL: "https://creativecommons.org/licenses/by-nc/4.0/"},
}

func importCard(t *testing.T, fm string, im scaffold.Import) (*load.Release, []string) {
	t.Helper()
	im.Options, im.Org, im.Orgs, im.Licenses = opt, "acme", []string{"acme"}, licenses
	e, un, err := scaffold.ImportHF([]byte("---\n"+fm+"---\n# Acme 7B\n"), im)
	if err != nil {
		t.Fatal(err)
	}
	var r load.Release
	if probs := load.Parse(e.Path, e.Data, &r); len(probs) > 0 {
		t.Fatalf("load finds problems in\n%s\n%v", e.Data, probs)
	}
	var got []string
	for _, u := range un {
		got = append(got, u.String())
	}
	return &r, got
}

func TestImportLicense(t *testing.T) {
	for _, tc := range []struct {
		fm, want, unmapped string
	}{
		{"license: apache-2.0\n", "apache-2.0", ""},
		{"license: APACHE2\n", "apache-2.0", ""},
		{"license: llama-3.1\n", "llama3.1", ""},
		{"license: other\nlicense_name: nvidia-open-model-license\n", "nvidia-open-model-license", ""},
		{"license: other\nlicense_name: nv-oml\nlicense_link: http://nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license\n", "nvidia-open-model-license", ""},
		{"license: other\nlicense_name: acme-license\n", "TODO", `license: "other" (license_name "acme-license"): no license in content/licenses/ has this id, alias or url`},
		{"license: apache-3.0\n", "TODO", `(closest: apache-2.0)`},
		// As check finds them: case, punctuation and the license's name aside.
		{"license: other\nlicense_name: LLaMA 2\n", "llama2", ""},
		{"license: CC BY NC 4.0\n", "cc-by-nc-4.0", ""},
		{"license: other\nlicense_name: Llama 2 Community License Agreement\n", "llama2", ""},
		{"pipeline_tag: text-generation\n", "TODO", "license: the card gives none"},
		{"license: [mit]\n", "TODO", "license: a list: expected text"},
	} {
		r, un := importCard(t, tc.fm, scaffold.Import{})
		if r.License != tc.want {
			t.Errorf("%q: license = %q, want %q", tc.fm, r.License, tc.want)
		}
		if got := strings.Join(un, "\n"); (tc.unmapped == "") != (got == "") || !strings.Contains(got, tc.unmapped) {
			t.Errorf("%q: unmapped = %q, want %q", tc.fm, got, tc.unmapped)
		}
	}
}

// TestImportModality checks that a card's pipeline_tag says what the model
// takes and what it makes, each side only where the tag says it.
func TestImportModality(t *testing.T) {
	for _, tc := range []struct{ fm, in, out string }{
		{"pipeline_tag: image-text-to-text\n", "text image", "text"},
		{"pipeline_tag: automatic-speech-recognition\n", "speech", "text"},
		{"pipeline_tag: text-to-speech\n", "text", "speech"},
		{"pipeline_tag: text-to-image\n", "text", "image"},
		{"pipeline_tag: image-classification\n", "image", "labels"},
		{"pipeline_tag: unconditional-image-generation\n", "", "image"},
		{"pipeline_tag: robotics\n", "", "action"},
		{"library_name: timm\n", "image", ""},
		// The tag outranks the library.
		{"pipeline_tag: text-to-video\nlibrary_name: diffusers\n", "text", "video"},
	} {
		r, _ := importCard(t, "license: mit\n"+tc.fm, scaffold.Import{})
		if in, out := strings.Join(r.ModalityIn, " "), strings.Join(r.ModalityOut, " "); in != tc.in || out != tc.out {
			t.Errorf("%q: modality_in %q, modality_out %q; want %q, %q", tc.fm, in, out, tc.in, tc.out)
		}
	}
}

func TestImportFields(t *testing.T) {
	r, un := importCard(t, `license: apache-2.0
pipeline_tag: feature-extraction
library_name: sentence-transformers
language: [EN, fr, multilingual, eng]
base_model: [Acme/Acme-7B-Base, "not a repo"]
tags: [arxiv:2405.16712, arxiv:2401.00001v2, transformers, "region:us", Retrieval, long_context, en, "C++", feature-extraction]
`, scaffold.Import{Repo: "Acme/Acme-Embed"})
	// feature-extraction takes text and makes embeddings.
	if !reflect.DeepEqual(r.ModalityIn, []string{"text"}) || !reflect.DeepEqual(r.ModalityOut, []string{"embedding"}) {
		t.Errorf("modality_in = %q, modality_out = %q, want [text] and [embedding]", r.ModalityIn, r.ModalityOut)
	}
	if want := []string{"en", "fr", "multilingual"}; !reflect.DeepEqual(r.Languages, want) {
		t.Errorf("languages = %q, want %q", r.Languages, want)
	}
	if want := []string{"retrieval", "long-context"}; !reflect.DeepEqual(r.Tags, want) {
		t.Errorf("tags = %q, want %q", r.Tags, want)
	}
	if r.Links.Report != "https://arxiv.org/abs/2405.16712" {
		t.Errorf("links.report = %q", r.Links.Report)
	}
	if want := []string{"https://huggingface.co/Acme/Acme-Embed"}; !reflect.DeepEqual(r.Sources, want) || r.Links.Weights != want[0] {
		t.Errorf("sources = %q, links.weights = %q", r.Sources, r.Links.Weights)
	}
	if !strings.Contains(string(r.HTML), `Built on <a href="https://huggingface.co/Acme/Acme-7B-Base">Acme/Acme-7B-Base</a>.`) {
		t.Errorf("body does not name the base model:\n%s", r.HTML)
	}
	want := []string{
		`language: "eng": not an ISO 639-1 code: add its two-letter code by hand`,
		`tags: "C++": not a word of lowercase letters, digits and hyphens: add it by hand if it matters`,
		`base_model: "not a repo": not a Hugging Face repository (owner/name)`,
	}
	if !reflect.DeepEqual(un, want) {
		t.Errorf("unmapped:\n%s\nwant:\n%s", strings.Join(un, "\n"), strings.Join(want, "\n"))
	}

	// A pipeline with no modality is reported; a library that implies
	// one fills in for it.
	r, un = importCard(t, "license: mit\npipeline_tag: any-to-any\nlibrary_name: diffusers\n", scaffold.Import{})
	if len(r.ModalityIn) > 0 || !reflect.DeepEqual(r.ModalityOut, []string{"image"}) {
		t.Errorf("modality_in = %q, modality_out = %q, want none and [image] from diffusers", r.ModalityIn, r.ModalityOut)
	}
	if len(un) != 2 || !strings.HasPrefix(un[1], `pipeline_tag: "any-to-any": no modality is known`) {
		t.Errorf("unmapped = %q", un)
	}
}

func TestImportTitle(t *testing.T) {
	for _, tc := range []struct {
		card  string
		im    scaffold.Import
		title string
		err   string
	}{
		{"---\nlicense: mit\n---\n\n```\n# not this\n```\n# Model Card for **Acme 7B**\n", scaffold.Import{}, "Acme 7B", ""},
		{"---\nlicense: mit\n---\n# [Acme 7B](https://acme.example.com) ![logo](x.png)\n", scaffold.Import{}, "Acme 7B", ""},
		{"---\nlicense: mit\n---\n# Acme 7B\n", scaffold.Import{Title: "Acme Seven"}, "Acme Seven", ""},
		{"---\nlicense: mit\n---\nNo heading.\n", scaffold.Import{Repo: "Acme/Acme-7B"}, "Acme-7B", ""},
		{"---\nlicense: mit\n---\nNo heading.\n", scaffold.Import{}, "", "pass one with -title"},
		{"# Acme 7B\n", scaffold.Import{}, "", "not a model card"},
		{"---\nlicense: mit\n# Acme 7B\n", scaffold.Import{}, "", "never closed"},
		{"---\nlicense: [mit\n---\n# Acme\n", scaffold.Import{}, "", "model card front matter:"},
		{"---\nlicense: mit\n---\n# Acme\n", scaffold.Import{Repo: "acme"}, "", "bad -repo"},
	} {
		tc.im.Options, tc.im.Org, tc.im.Orgs, tc.im.Licenses = opt, "acme", []string{"acme"}, licenses
		e, _, err := scaffold.ImportHF([]byte(tc.card), tc.im)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error = %v, want %q", tc.card, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.card, err)
			continue
		}
		var r load.Release
		load.Parse(e.Path, e.Data, &r)
		if r.Title != tc.title {
			t.Errorf("%q: title = %q, want %q", tc.card, r.Title, tc.title)
		}
	}
}

// TestScaffoldMarksWhatIsUnfinished checks that what a new entry leaves
// to the contributor is marked the way load and check find it: the date
// set to today, and the placeholder body comment.
func TestScaffoldMarksWhatIsUnfinished(t *testing.T) {
	for _, today := range []bool{true, false} {
		e, err := scaffold.Release("Acme 7B", "acme", "", []string{"acme"}, opt)
		if err != nil {
			t.Fatal(err)
		}
		data := e.Data
		if !today { // an editor confirmed the date and wrote the body
			s := string(data)
			s = s[:strings.Index(s, "date:")] + "date: 2026-11-23\n" + s[strings.Index(s, "license:"):]
			s = s[:strings.LastIndex(s, "---\n")+4] + "Written.\n"
			data = []byte(s)
		}
		var r load.Release
		load.Parse(e.Path, data, &r)
		gotDate := len(r.Unconfirmed) == 1 && r.Unconfirmed[0] == "date"
		gotComment := len(r.Comments) == 1 && strings.Contains(strings.ToLower(r.Comments[0].Text), strings.ToLower(check.PlaceholderComment))
		if gotDate != today || gotComment != today {
			t.Errorf("fresh entry %v: unconfirmed %v, comments %+v", today, r.Unconfirmed, r.Comments)
		}
	}
}
