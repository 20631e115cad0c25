package aggregate_test

import (
	"reflect"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestTables counts a small catalog for the data package: spans per org
// and license, bucket sources, and the as-of date, which is the newest
// release's whatever order the releases come in.
func TestTables(t *testing.T) {
	jan, feb, may := load.NewDate(2026, 1, 10), load.NewDate(2026, 2, 1), load.NewDate(2026, 5, 20)
	b2 := rel("b2", "b", jan, "nc")
	b2.Bucket = "maker" // editorial, against its org's upsell
	cat := catalog("", rel("a1", "a", feb, "open"), rel("b1", "b", may, "open"), b2)
	tb := aggregate.Aggregate(cat).Tables
	if tb.AsOf != may {
		t.Errorf("AsOf = %s, want %s", tb.AsOf, may)
	}
	if got, want := tb.Orgs["b"], (aggregate.Extent{Releases: 2, First: jan, Latest: may}); got != want {
		t.Errorf("org b = %+v, want %+v", got, want)
	}
	if got, want := tb.Licenses["open"], (aggregate.Extent{Releases: 2, First: feb, Latest: may}); got != want {
		t.Errorf("license open = %+v, want %+v", got, want)
	}
	if _, ok := tb.Licenses["unused"]; ok {
		t.Error("a license without releases has a span")
	}
	// a1 has no bucket (its org has none, no signal holds); b1 takes its
	// org's upsell; b2 is the editors' maker.
	want := map[string]map[classify.Source]int{
		aggregate.Unclassified: {classify.Unclassified: 1},
		"upsell":               {classify.FromOrg: 1},
		"maker":                {classify.Editorial: 1},
	}
	if !reflect.DeepEqual(tb.Sources, want) {
		t.Errorf("sources = %v, want %v", tb.Sources, want)
	}
	if empty := aggregate.Aggregate(catalog("")).Tables; !empty.AsOf.IsZero() || len(empty.Orgs) != 0 {
		t.Errorf("an empty catalog's tables = %+v", empty)
	}
}

// TestCitations lists a release's URLs in field order, skipping empty
// links and benchmarks without a source.
func TestCitations(t *testing.T) {
	r := &load.Release{Sources: []string{"https://a.example/1", "https://a.example/2"},
		Links:      load.Links{Weights: "https://hf.example/w", Code: "https://git.example/c"},
		Benchmarks: []load.Benchmark{{Name: "x"}, {Name: "y", Source: "https://b.example/y"}}}
	got := aggregate.Citations(r)
	want := []aggregate.Citation{
		{"sources.0", "https://a.example/1"}, {"sources.1", "https://a.example/2"},
		{"links.weights", "https://hf.example/w"}, {"links.code", "https://git.example/c"},
		{"benchmarks.1.source", "https://b.example/y"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("citations = %v\nwant %v", got, want)
	}
	if n := len(aggregate.Citations(&load.Release{})); n != 0 {
		t.Errorf("a release without URLs cites %d", n)
	}
}
