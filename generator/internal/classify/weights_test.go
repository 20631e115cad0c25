package classify_test

import (
	"math"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestWeightsCannotOverflow checks that weights check would refuse count as
// the nearer bound: two of 2^63-1 once summed to -2 and sent releases to
// other buckets.
func TestWeightsCannotOverflow(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name      string
		weights   []int // of two signals of bucket "upsell" that both hold
		score     int
		evidence  []int
		wantInfer string
	}{
		{"huge", []int{math.MaxInt64, math.MaxInt64}, 2 * load.MaxWeight, []int{load.MaxWeight, load.MaxWeight}, "upsell"},
		{"huge and hugely negative", []int{math.MaxInt64, math.MinInt64}, 0, []int{load.MaxWeight, load.MinWeight}, "maker"},
		{"hugely negative", []int{math.MinInt64, math.MinInt64}, 2 * load.MinWeight, []int{load.MinWeight, load.MinWeight}, "maker"},
		{"in range", []int{load.MaxWeight, -3}, load.MaxWeight - 3, []int{load.MaxWeight, -3}, "upsell"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &load.Content{
				Orgs: []*load.Org{{Doc: load.Doc{ID: "acme"}, Name: "Acme", Kind: "lab"}},
				Buckets: []*load.Bucket{
					{Doc: load.Doc{ID: "maker"}, Order: 1, Signals: []load.Signal{{Fact: "org.kind", In: []string{"lab"}, Weight: 1}}},
					{Doc: load.Doc{ID: "upsell"}, Order: 2, Signals: []load.Signal{
						{Fact: "org.kind", In: []string{"lab"}, Weight: tc.weights[0]},
						{Fact: "product", Present: &yes, Weight: tc.weights[1]},
					}},
				},
				Releases: []*load.Release{{Doc: load.Doc{ID: "acme-7b"}, Org: "acme", Product: "Acme Chat", Date: load.NewDate(2026, 3, 2)}},
			}
			r := classify.Classify(c).Releases[0]
			if r.Inferred != tc.wantInfer {
				t.Errorf("inferred %q, want %q (scores %v)", r.Inferred, tc.wantInfer, r.Scores)
			}
			if got := r.Scores[1]; got.Bucket != "upsell" || got.Score != tc.score {
				t.Errorf("upsell scores %v, want %d", got, tc.score)
			}
			var ev []int
			for _, e := range r.Evidence {
				if e.Bucket == "upsell" {
					ev = append(ev, e.Weight)
				}
			}
			if len(ev) != 2 || ev[0] != tc.evidence[0] || ev[1] != tc.evidence[1] {
				t.Errorf("upsell evidence weights %v, want %v", ev, tc.evidence)
			}
		})
	}
}
