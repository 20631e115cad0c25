package scaffold_test

import (
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/scaffold"
)

// site is the content a catalogue is imported into: one org, one
// license, one release.
func site() *load.Content {
	return &load.Content{
		Site:     load.Site{Title: "T", BaseURL: "https://example.org/"},
		Orgs:     []*load.Org{{Doc: load.Doc{ID: "acme", File: "content/orgs/acme.md"}, Name: "Acme", Kind: "lab", Country: "FR", HuggingFace: load.Names{"acme"}}},
		Licenses: []*load.License{{Doc: load.Doc{ID: "apache-2.0", File: "content/licenses/apache-2.0.md"}, Name: "Apache", Class: "open", URL: "https://www.apache.org/licenses/LICENSE-2.0"}},
		Releases: []*load.Release{{Doc: load.Doc{ID: "acme-7b", File: "content/releases/acme/acme-7b.md"}, Title: "Acme 7B", Org: "acme", Date: load.NewDate(2026, 1, 2), License: "apache-2.0", Sources: []string{"https://huggingface.co/acme/Acme-7B"}}},
	}
}

// TestCSVRowsCollide: two rows with one slug name each other by row, and
// neither is written.
func TestCSVRowsCollide(t *testing.T) {
	data := "title,org,date,license,url,summary\n" +
		"Acme 9B,acme,2026-10-02,apache-2.0,https://huggingface.co/acme/Acme-9B,A model.\n" +
		"Acme 9B,acme,2026-10-03,apache-2.0,https://huggingface.co/acme/Acme-9B-v2,Again.\n"
	entries, probs := scaffold.CSV("c.csv", []byte(data), site(), opt)
	if len(entries) != 0 {
		t.Errorf("wrote %d entries despite an error", len(entries))
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	want := []string{
		`c.csv:3:1: duplicate release id "acme-9b": row 2 of c.csv has it too`,
		`c.csv:3:1: warning: title "Acme 9B" is also that of acme-9b (row 2 of c.csv): the same model twice?`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCSVValues: the row's values land in the entry, and load reads them
// back as written.
func TestCSVValues(t *testing.T) {
	data := "slug,title,org,date,license,params_total,url,sources,languages,tags\n" +
		"acme-9b-it,\"'=Acme 9B: \"\"it\"\"\",acme,2026-10-02,apache-2.0,9.4B,https://huggingface.co/acme/Acme-9B,https://acme.example.com/9b;https://arxiv.org/abs/2601.00001,en fr,chat\n"
	entries, probs := scaffold.CSV("c.csv", []byte(data), site(), opt)
	for _, p := range probs {
		if p.Severity == load.Error {
			t.Fatalf("problem: %v", p)
		}
	}
	if len(entries) != 1 || entries[0].Path != "content/releases/acme/acme-9b-it.md" {
		t.Fatalf("entries %+v", entries)
	}
	var r load.Release
	if probs := load.Parse(entries[0].Path, entries[0].Data, &r); len(probs) > 0 {
		t.Fatal(probs)
	}
	if r.Title != `=Acme 9B: "it"` || r.Date.String() != "2026-10-02" || r.ParamsTotal.String() != "9.4B" {
		t.Errorf("title %q, date %s, params %s", r.Title, r.Date, r.ParamsTotal)
	}
	if strings.Join(r.Sources, " ") != "https://huggingface.co/acme/Acme-9B https://acme.example.com/9b https://arxiv.org/abs/2601.00001" {
		t.Errorf("sources %q", r.Sources)
	}
	if strings.Join(r.Languages, " ") != "en fr" || strings.Join(r.Tags, " ") != "chat" {
		t.Errorf("languages %q, tags %q", r.Languages, r.Tags)
	}
}

// FuzzCSV: no catalogue makes CSV panic, and an entry is written only
// when no row has an error, as a file load reads without a problem.
func FuzzCSV(f *testing.F) {
	f.Add("title,org,date,license,url\nAcme 9B,acme,2026-10-02,apache-2.0,https://huggingface.co/acme/Acme-9B\n")
	f.Add("slug,title,org,date,license,license_class,bucket,bucket_source,inferred_bucket,params_total,params_active,url\n,,acme,2026-13-01,,,,,,1e400,,ftp://x\n")
	f.Add("title,org,date,license,url\n\"A\nB\",acme,2026-10-02,apache-2.0,https://x.org/\n")
	f.Add("title,org,date,license,url\nA,../../etc,2026-10-02,apache-2.0,https://x.org/\n")
	f.Add("title\n\"unterminated")
	f.Fuzz(func(t *testing.T, data string) {
		entries, probs := scaffold.CSV("f.csv", []byte(data), site(), opt)
		for _, p := range probs {
			if p.Pos.File != "f.csv" {
				t.Errorf("problem outside the catalogue: %v", p)
			}
			if p.Severity == load.Error && len(entries) > 0 {
				t.Errorf("entries written despite %v", p)
			}
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Path, "content/releases/") || strings.Contains(e.Path, "..") {
				t.Errorf("entry at %q", e.Path)
			}
			var r load.Release
			if probs := load.Parse(e.Path, e.Data, &r); len(probs) > 0 {
				t.Errorf("entry %s: %v", e.Path, probs)
			}
		}
	})
}
