package aggregate_test

import (
	"reflect"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

func synthCatalog(tb testing.TB, n int) *classify.Catalog {
	tb.Helper()
	lic := []synth.File{{Path: "content/licenses/mit.md", Data: []byte("---\nname: MIT\nclass: open\nurl: https://opensource.org/license/mit\n---\n")}}
	c, probs := synth.Parse(append(lic, synth.Generate(synth.Options{Releases: n, Licenses: []string{"mit"}, Seed: 1})...))
	if len(probs) > 0 {
		tb.Fatal(probs[0])
	}
	return classify.Classify(c)
}

// BenchmarkAggregate counts 10,000 releases by quarter and by month.
func BenchmarkAggregate(b *testing.B) {
	cat := synthCatalog(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		aggregate.Aggregate(cat)
	}
}

// BenchmarkEditions counts every quarterly report of 10,000 releases.
func BenchmarkEditions(b *testing.B) {
	cat := synthCatalog(b, 10000)
	st := aggregate.Aggregate(cat)
	b.ReportAllocs()
	for b.Loop() {
		aggregate.Editions(cat, st)
	}
}

// TestWindow checks that Stats.Window, which picks periods from the
// aggregates, gives what counting the releases again gives, for windows
// inside, across and outside the span of the releases.
func TestWindow(t *testing.T) {
	cat := synthCatalog(t, 600)
	st := aggregate.Aggregate(cat)
	for _, u := range []aggregate.Unit{aggregate.Quarter, aggregate.Month} {
		for _, end := range []load.Date{
			load.NewDate(2022, 6, 30), load.NewDate(2023, 2, 14), load.NewDate(2024, 12, 31),
			load.NewDate(2026, 9, 30), load.NewDate(2027, 3, 1),
		} {
			for _, n := range []int{1, 8} {
				want := aggregate.Window(cat.Releases, u, end, n)
				got := st.Window(u, end, n)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %s, %d periods: Stats.Window differs from Window", u, end, n)
				}
				if len(got) != n {
					t.Errorf("%s, %s: %d periods, want %d", u, end, len(got), n)
				}
			}
		}
	}
	// Editions, which looks reports' periods up by binary search, counts
	// what Span over every release counts.
	cat.Reports = []*load.Report{
		{From: load.NewDate(2024, 4, 1), To: load.NewDate(2024, 6, 30)},
		{From: load.NewDate(2023, 1, 1), To: load.NewDate(2023, 1, 1)},
		{From: load.NewDate(2020, 1, 1), To: load.NewDate(2020, 12, 31)},
	}
	for i, e := range aggregate.Editions(cat, st) {
		rep := cat.Reports[i]
		if want := aggregate.Span(cat.Releases, rep.From, rep.To); !reflect.DeepEqual(e.Period, want) {
			t.Errorf("report %d: edition period differs from Span", i)
		}
	}
}
