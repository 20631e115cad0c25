package load_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestSchemes reads a further scheme with its buckets, their maps of
// per-scheme buckets, and refuses a bucket without scheme.md and a file
// nested too deep.
func TestSchemes(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"content/site.yaml":                "title: T\nbase_url: https://example.org/\nscheme: motives\n",
		"content/schemes/groups/scheme.md": "---\ntitle: Groups\ncorresponds:\n  chaser: [maker, upsell]\n---\nText.\n",
		"content/schemes/groups/chaser.md": "---\ntitle: Chasers\norder: 1\ncolor: \"#123456\"\nquestion: Q.\n---\n",
		"content/schemes/orphan/lost.md":   "---\ntitle: Lost\norder: 1\ncolor: \"#123456\"\nquestion: Q.\n---\n",
		"content/schemes/groups/deep/x.md": "---\ntitle: Deep\n---\n",
		"content/orgs/acme.md":             "---\nname: Acme\nbuckets: {groups: chaser}\nbucket_notes:\n  groups: Why.\n---\n",
		"content/releases/acme/one.md":     "---\ntitle: One\nbuckets:\n  groups: chaser\n  groups: twice\n---\n",
		"content/releases/acme/two.md":     "---\ntitle: Two\nbuckets: [chaser]\n---\n",
	}
	for p, s := range files {
		p = filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, probs := load.Dir(root)
	if c.Site.PrimarySchemeID() != "motives" {
		t.Errorf("primary scheme %q, want motives", c.Site.PrimarySchemeID())
	}
	if len(c.Schemes) != 1 || c.Schemes[0].ID != "groups" || c.Schemes[0].Title != "Groups" {
		t.Fatalf("schemes = %+v, want groups", c.Schemes)
	}
	sc := c.Schemes[0]
	if len(sc.Buckets) != 1 || sc.Buckets[0].ID != "chaser" || sc.Buckets[0].Scheme != "groups" {
		t.Errorf("groups' buckets = %+v", sc.Buckets)
	}
	if got := strings.Join(sc.Corresponds["chaser"], ","); got != "maker,upsell" {
		t.Errorf("corresponds chaser = %q", got)
	}
	if len(c.Buckets) != 0 {
		t.Errorf("a scheme's bucket is among the primary buckets: %+v", c.Buckets)
	}
	var acme *load.Org
	for _, o := range c.Orgs {
		acme = o
	}
	if acme == nil || acme.Buckets["groups"] != "chaser" || acme.BucketNotes["groups"] != "Why." {
		t.Errorf("org buckets = %+v", acme)
	} else if p, ok := acme.At.Get("buckets.groups"); !ok || p.Line != 3 {
		t.Errorf("position of buckets.groups = %v, %v; want line 3", p, ok)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"content/schemes/orphan/lost.md: bucket of a scheme without scheme.md",
		"content/schemes/groups/deep/x.md: scheme files live in content/schemes/<scheme-id>/",
		`content/releases/acme/one.md:5:3: duplicate key "groups" in buckets`,
		"content/releases/acme/two.md:3:10: buckets: expected ids and values (id: value), got a list",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no problem %q in:\n%s", want, all)
		}
	}
}
