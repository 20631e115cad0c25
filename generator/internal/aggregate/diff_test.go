package aggregate_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func rel(slug, org string, d load.Date, license string) *load.Release {
	return &load.Release{Doc: load.Doc{ID: slug, File: "content/releases/" + org + "/" + slug + ".md"}, Title: slug, Org: org, Date: d, License: license}
}

func catalog(orgBucket string, rs ...*load.Release) *classify.Catalog {
	return classify.Classify(&load.Content{
		Buckets: []*load.Bucket{{Doc: load.Doc{ID: "maker"}, Order: 1}, {Doc: load.Doc{ID: "upsell"}, Order: 2}},
		Licenses: []*load.License{
			{Doc: load.Doc{ID: "open"}, Class: "open"},
			{Doc: load.Doc{ID: "nc"}, Class: "non-commercial"},
		},
		Orgs: []*load.Org{
			{Doc: load.Doc{ID: "a"}, Bucket: orgBucket},
			{Doc: load.Doc{ID: "b"}, Bucket: "upsell"},
		},
		Releases: rs,
	})
}

// TestCompareMoved: an org's default bucket changes, so its releases move
// without their files changing; a license change moves one's class.
func TestCompareMoved(t *testing.T) {
	jan, apr := load.NewDate(2026, 1, 10), load.NewDate(2026, 4, 2)
	base := catalog("maker", rel("a1", "a", jan, "open"), rel("b1", "b", apr, "open"))
	b1 := rel("b1", "b", apr, "nc")
	b1.HTML = "<p>New text.</p>\n"
	head := catalog("upsell", rel("a1", "a", jan, "open"), b1)
	d := aggregate.Compare(base, head)
	if len(d.Added)+len(d.Removed) != 0 {
		t.Errorf("added %d, removed %d, want none", len(d.Added), len(d.Removed))
	}
	if len(d.Changed) != 1 || d.Changed[0].After.ID != "b1" || !reflect.DeepEqual(d.Changed[0].Fields, []string{"license", "body"}) {
		t.Errorf("changed = %+v, want b1: license, body", d.Changed)
	}
	if len(d.Moved) != 2 {
		t.Fatalf("moved %d releases, want 2", len(d.Moved))
	}
	var keys []string
	for _, p := range d.Periods {
		keys = append(keys, p.Key)
	}
	if !reflect.DeepEqual(keys, []string{"2026-Q1", "2026-Q2"}) {
		t.Errorf("periods = %q", keys)
	}
	md := d.Markdown()
	for _, want := range []string{
		"0 releases added, 0 releases removed, 1 release changed; 2 releases moved to another bucket or license class.",
		"| a1 (`a1`) | maker (org) → upsell (org) | open (open) |",
		"| b1 (`b1`) | upsell (org) | open (open) → nc (non-commercial) |",
		"| maker | 100.0% (1) | 0.0% (0) | -100.0 pp |",
		"| upsell | 100.0% (1) | 100.0% (1) | 0.0 pp |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestCompareSame(t *testing.T) {
	d := load.NewDate(2026, 1, 10)
	a := catalog("maker", rel("a1", "a", d, "open"))
	b := catalog("maker", rel("a1", "a", d, "open"))
	diff := aggregate.Compare(a, b)
	if !diff.Empty() || len(diff.Periods) != 0 {
		t.Errorf("a catalog against itself: %+v", diff)
	}
	if got := diff.Markdown(); got != "## Content changes\n\nNo release was added, removed or changed.\n" {
		t.Errorf("Markdown = %q", got)
	}
}

// TestCompareEscapes: a contributed title cannot break the table or
// become markup or HTML.
func TestCompareEscapes(t *testing.T) {
	d := load.NewDate(2026, 1, 10)
	r := rel("x", "a", d, "open")
	r.Title = "<img src=x onerror=alert(1)> | *bold* [link](javascript:x)\nnext"
	md := aggregate.Compare(catalog("maker"), catalog("maker", r)).Markdown()
	want := "| \\<img src=x onerror=alert\\(1\\)\\> \\| \\*bold\\* \\[link\\]\\(javascript:x\\) next (`x`) | a | 2026-01-10 | maker (org) | open (open) |"
	if !strings.Contains(md, want) {
		t.Errorf("Markdown lacks %q:\n%s", want, md)
	}
}

// TestCompareEscapesControls: control characters in a title or id are
// written as escapes, so the Markdown has no line that a CI log could
// read as a workflow command, and no terminal escape.
func TestCompareEscapesControls(t *testing.T) {
	d := load.NewDate(2026, 1, 10)
	r := rel("x\n::error ::id", "a", d, "open")
	r.Title = "T\x1b[31m\u202e\x00::warning ::title"
	md := aggregate.Compare(catalog("maker"), catalog("maker", r)).Markdown()
	want := "| T\\\\x1b\\[31m\\\\u202e\\\\x00::warning ::title (`x\\n::error ::id`) |"
	if !strings.Contains(md, want) {
		t.Errorf("Markdown lacks %q:\n%s", want, md)
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "::") || strings.ContainsAny(line, "\x1b\x00\r\u202e") {
			t.Errorf("unescaped line %q", line)
		}
	}
}

// TestCompareSchemes: an org's default in a further scheme changes, so
// its release moves there while its primary bucket stays.
func TestCompareSchemes(t *testing.T) {
	jan := load.NewDate(2026, 1, 10)
	cat := func(groupsDefault string, withScheme bool) *classify.Catalog {
		c := &load.Content{
			Buckets:  []*load.Bucket{{Doc: load.Doc{ID: "maker"}, Order: 1}},
			Licenses: []*load.License{{Doc: load.Doc{ID: "open"}, Class: "open"}},
			Orgs:     []*load.Org{{Doc: load.Doc{ID: "a"}, Bucket: "maker", Buckets: map[string]string{"groups": groupsDefault}}},
			Releases: []*load.Release{rel("a1", "a", jan, "open")},
		}
		if withScheme {
			c.Schemes = []*load.Scheme{{Doc: load.Doc{ID: "groups"}, Title: "Groups", Buckets: []*load.Bucket{
				{Doc: load.Doc{ID: "chaser"}, Order: 1, Scheme: "groups"}, {Doc: load.Doc{ID: "seller"}, Order: 2, Scheme: "groups"}}}}
		}
		return classify.Classify(c)
	}
	d := aggregate.Compare(cat("chaser", true), cat("seller", true))
	if len(d.Moved) != 0 {
		t.Errorf("moved %d in the primary scheme, want none", len(d.Moved))
	}
	if len(d.SchemeMoved) != 1 || d.SchemeMoved[0].R.ID != "a1" || d.SchemeMoved[0].Before.Bucket != "chaser" || d.SchemeMoved[0].After.Bucket != "seller" {
		t.Fatalf("scheme moves = %+v, want a1 chaser → seller", d.SchemeMoved)
	}
	md := d.Markdown()
	if !strings.Contains(md, "| a1 (`a1`) | groups | chaser (org) → seller (org) |") {
		t.Errorf("markdown lacks the move:\n%s", md)
	}
	if d.Empty() {
		t.Error("a diff with a scheme move is Empty")
	}
	d = aggregate.Compare(cat("chaser", false), cat("chaser", true))
	if !reflect.DeepEqual(d.SchemesAdded, []string{"groups"}) || len(d.SchemeMoved) != 0 || !strings.Contains(d.Markdown(), "Scheme `groups` added.") {
		t.Errorf("adding a scheme: added %v, moved %d", d.SchemesAdded, len(d.SchemeMoved))
	}
}
