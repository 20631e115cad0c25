package aggregate_test

import (
	"reflect"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

func cited(field, url, host string, k provenance.Kind) provenance.URL {
	return provenance.URL{Field: field, URL: url, Host: host, Kind: k}
}

// TestSources counts how four releases are sourced.
func TestSources(t *testing.T) {
	p, s, f := provenance.Primary, provenance.Secondary, provenance.Farm
	rel := func(bench []load.Benchmark, us ...provenance.URL) *classify.Release {
		return &classify.Release{Release: &load.Release{Benchmarks: bench}, Cited: us}
	}
	rs := []*classify.Release{
		// All primary; the same URL as source and weights counts once.
		rel(nil,
			cited("sources.0", "https://huggingface.co/a/x", "huggingface.co", p),
			cited("links.weights", "https://huggingface.co/a/x", "huggingface.co", p)),
		// Two of three primary; one score from a primary source, one from
		// a farm, one unsourced.
		rel([]load.Benchmark{{Name: "A", Source: "https://a.example/x"}, {Name: "B", Source: "https://aiwiki.ai/x"}, {Name: "C"}},
			cited("sources.0", "https://a.example/x", "a.example", p),
			cited("sources.1", "https://arxiv.org/abs/1", "arxiv.org", p),
			cited("benchmarks.0.source", "https://a.example/x", "a.example", p),
			cited("benchmarks.1.source", "https://aiwiki.ai/x", "aiwiki.ai", f)),
		// One of three primary.
		rel(nil,
			cited("sources.0", "https://huggingface.co/c/x", "huggingface.co", p),
			cited("sources.1", "https://news.example/c", "news.example", s),
			cited("sources.2", "https://aiwiki.ai/c", "aiwiki.ai", f)),
		// None primary.
		rel(nil,
			cited("sources.0", "https://huggingface.co/other/x", "huggingface.co", s)),
	}
	got := aggregate.Sources(rs)
	if got.Releases != 4 || got.WithPrimary != 3 || got.URLs != 8 || got.SecondaryOnly != 1 || got.HostsTotal != 5 {
		t.Errorf("releases %d, with primary %d, URLs %d, secondary only %d, hosts %d; want 4, 3, 8, 1, 5",
			got.Releases, got.WithPrimary, got.URLs, got.SecondaryOnly, got.HostsTotal)
	}
	if got.PrimaryShare() != 0.75 {
		t.Errorf("primary share %v, want 0.75", got.PrimaryShare())
	}
	wantKinds := []aggregate.KindCount{{Kind: p, N: 4}, {Kind: s, N: 2}, {Kind: f, N: 2}, {Kind: provenance.Mirror, N: 0}}
	if !reflect.DeepEqual(got.Kinds, wantKinds) {
		t.Errorf("kinds %+v, want %+v", got.Kinds, wantKinds)
	}
	// Shares 1, 2/3, 1/3, 0: the median is the mean of 1/3 and 2/3.
	if got.MedianPrimary != 0.5 {
		t.Errorf("median primary share %v, want 0.5", got.MedianPrimary)
	}
	var bands []int
	for _, b := range got.Bands {
		bands = append(bands, b.N)
	}
	if !reflect.DeepEqual(bands, []int{1, 1, 1, 1}) || got.Bands[3].Key != "none" || got.Bands[0].Share != 0.25 {
		t.Errorf("bands %+v", got.Bands)
	}
	if got.Scores != 3 || got.ScoresPrimary != 1 || got.ScoresSecondary != 1 || got.ScoresUnsourced != 1 {
		t.Errorf("scores %d: %d primary, %d secondary, %d unsourced; want 3: 1, 1, 1", got.Scores, got.ScoresPrimary, got.ScoresSecondary, got.ScoresUnsourced)
	}
	hf := got.Hosts[0]
	wantHF := aggregate.HostCount{Host: "huggingface.co", URLs: 3, Releases: 3, Kinds: []aggregate.KindCount{{Kind: p, N: 2}, {Kind: s, N: 1}}}
	if !reflect.DeepEqual(hf, wantHF) {
		t.Errorf("first host %+v, want %+v", hf, wantHF)
	}
	if got.Hosts[1].Host != "aiwiki.ai" || got.Hosts[1].URLs != 2 {
		t.Errorf("second host %+v, want aiwiki.ai with 2 URLs", got.Hosts[1])
	}

	if empty := aggregate.Sources(nil); empty.MedianPrimary != 0 || empty.PrimaryShare() != 0 {
		t.Errorf("no releases: %+v", empty)
	}
}
