package classify_test

import (
	"reflect"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

func TestMemo(t *testing.T) {
	files := synth.Generate(synth.Options{Releases: 50, Orgs: 5, Licenses: []string{"mit"}, Buckets: []string{"upsell"}, Seed: 4})
	files = append(files, synth.File{Path: "content/buckets/upsell.md", Data: []byte("---\ntitle: Upsell\norder: 1\ncolor: \"#000000\"\nquestion: Why?\nsignals:\n  - fact: org.kind\n    in: [lab]\n    weight: 2\n---\n")},
		synth.File{Path: "content/licenses/mit.md", Data: []byte("---\nname: MIT\nclass: open\nurl: https://opensource.org/license/mit\n---\n")})
	c, probs := synth.Parse(files)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var m classify.Memo
	first := classify.ClassifyWith(c, &m)
	if !reflect.DeepEqual(first, classify.Classify(c)) {
		t.Fatal("ClassifyWith differs from Classify")
	}
	second := classify.ClassifyWith(c, &m)
	for i := range second.Releases {
		if second.Releases[i] != first.Releases[i] {
			t.Fatalf("%s classified again, though nothing changed", second.Releases[i].ID)
		}
	}
	// A changed org is a new context: every release is classified again,
	// and those of a lab that became a cloud lose their evidence.
	var lab *load.Org
	for i, o := range c.Orgs {
		if o.Kind == "lab" {
			changed := *o
			changed.Kind = "cloud"
			c.Orgs[i], lab = &changed, o
			break
		}
	}
	if lab == nil {
		t.Fatal("no lab in the corpus")
	}
	third := classify.ClassifyWith(c, &m)
	if !reflect.DeepEqual(third, classify.Classify(c)) {
		t.Fatal("after an org changed, ClassifyWith differs from Classify")
	}
	for _, r := range third.Releases {
		if r.Release.Org == lab.ID && len(r.Evidence) != 0 {
			t.Errorf("%s keeps evidence from when its org was a lab", r.ID)
		}
	}
}
