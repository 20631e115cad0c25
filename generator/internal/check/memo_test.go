package check_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

func TestMemo(t *testing.T) {
	c, probs := synth.Parse(synth.Generate(synth.Options{Releases: 40, Orgs: 4, Licenses: []string{"mit", "gone"}, Seed: 2}))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	mit, _ := synth.Parse([]synth.File{{Path: "content/licenses/mit.md", Data: []byte("---\nname: MIT\nclass: open\nurl: https://opensource.org/license/mit\n---\n")}})
	c.Licenses = mit.Licenses
	opt := check.Options{Today: load.NewDate(2026, 10, 1)}
	want := check.Check(c, opt)
	if !strings.Contains(join(want), `unknown license "gone"`) {
		t.Fatalf("the corpus lacks the error this test needs:\n%s", join(want))
	}
	opt.Memo = &check.Memo{}
	for i := 0; i < 2; i++ {
		if got := check.Check(c, opt); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d with a memo:\n%s\nwant:\n%s", i, join(got), join(want))
		}
	}

	// The memo answers for a release it has seen: a change behind its back
	// (which a load.Cache never makes) goes unseen...
	title := c.Releases[0].Title
	c.Releases[0].Title = ""
	if got := check.Check(c, opt); !reflect.DeepEqual(got, want) {
		t.Errorf("the memo did not answer for an unchanged release")
	}
	c.Releases[0].Title = title
	// ...but a new license is a new context, and every release is checked
	// again.
	c.Licenses = append(c.Licenses, &load.License{Doc: load.Doc{ID: "gone"}})
	if got := join(check.Check(c, opt)); strings.Contains(got, `unknown license "gone"`) {
		t.Errorf("the memo kept problems from before the license was added")
	}
}

// TestMemoSources: where an org speaks for itself, and the hosts of
// sources.yaml, decide a release's problems, so a change to either is a
// new context.
func TestMemoSources(t *testing.T) {
	c, probs := synth.Parse(synth.Generate(synth.Options{Releases: 12, Orgs: 2, Seed: 3}))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	for _, r := range c.Releases {
		r.Links.Report = "" // an arXiv paper: primary whatever the org says
	}
	opt := check.Options{Today: load.NewDate(2026, 10, 1), Memo: &check.Memo{}}
	if got := join(check.Check(c, opt)); strings.Contains(got, "no primary source") {
		t.Fatalf("the synthetic corpus should cite its orgs' own accounts:\n%s", got)
	}
	for _, o := range c.Orgs {
		o.HuggingFace = nil
		o.Website = "https://elsewhere.example.net/"
	}
	if got := join(check.Check(c, opt)); !strings.Contains(got, "no primary source") {
		t.Errorf("the memo kept problems from before the orgs lost their accounts:\n%s", got)
	}
	c.Sources.Farms = []load.Farm{{Host: "huggingface.co"}}
	if got := join(check.Check(c, opt)); !strings.Contains(got, "huggingface.co publishes generated or copied text") {
		t.Errorf("the memo kept problems from before sources.yaml changed:\n%s", got)
	}
}

func join(ps []load.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}
