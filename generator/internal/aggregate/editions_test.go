package aggregate_test

import (
	"testing"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in, from, to string
		u            aggregate.Unit
	}{
		{"2026-11", "2026-11-01", "2026-11-30", aggregate.Month},
		{"2024-02", "2024-02-01", "2024-02-29", aggregate.Month},
		{"2026-Q4", "2026-10-01", "2026-12-31", aggregate.Quarter},
		{"2026-q1", "2026-01-01", "2026-03-31", aggregate.Quarter},
	} {
		from, to, u, err := aggregate.ParsePeriod(tc.in)
		if err != nil || from.String() != tc.from || to.String() != tc.to || u != tc.u {
			t.Errorf("%s: %s to %s, %s, %v; want %s to %s, %s", tc.in, from, to, u, err, tc.from, tc.to, tc.u)
		}
	}
	for _, bad := range []string{"", "2026", "2026-13", "2026-Q5", "2026-Q0", "2026-11-01", "26-11", "2026-Q4x", "Q4-2026"} {
		if _, _, _, err := aggregate.ParsePeriod(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

// TestNext: a draft edition is counted against the latest report that
// ends before it starts, not an overlapping or later one, with the shares'
// change and the orgs new in the period.
func TestNext(t *testing.T) {
	cat := catalog("maker",
		rel("a1", "a", load.NewDate(2026, 5, 3), "open"),
		rel("a2", "a", load.NewDate(2026, 8, 1), "open"),
		rel("b1", "b", load.NewDate(2026, 9, 10), "nc"),
	)
	q2 := &load.Report{Number: 1, From: load.NewDate(2026, 4, 1), To: load.NewDate(2026, 6, 30)}
	q1 := &load.Report{Number: 9, From: load.NewDate(2026, 1, 1), To: load.NewDate(2026, 3, 31)}
	later := &load.Report{Number: 3, From: load.NewDate(2026, 10, 1), To: load.NewDate(2026, 12, 31)}
	cat.Reports = []*load.Report{later, q2, q1}
	st := aggregate.Aggregate(cat)
	ed := aggregate.Next(cat, st, &load.Report{Number: 2, From: load.NewDate(2026, 7, 1), To: load.NewDate(2026, 9, 30)})
	if ed.PreviousReport != q2 {
		t.Fatalf("previous = %+v, want the Q2 report", ed.PreviousReport)
	}
	if ed.Period.Total != 2 || ed.Previous.Total != 1 || len(ed.Releases) != 2 || ed.Releases[0].ID != "b1" {
		t.Errorf("n = %d against %d, releases %v", ed.Period.Total, ed.Previous.Total, ed.Releases)
	}
	if d := ed.BucketDelta["maker"]; d != -0.5 {
		t.Errorf("maker's change = %v, want -0.5 (1 of 2 against 1 of 1)", d)
	}
	if d := ed.ClassDelta["non-commercial"]; d != 0.5 {
		t.Errorf("non-commercial's change = %v, want +0.5", d)
	}
	if len(ed.NewOrgs) != 1 || ed.NewOrgs[0] != "b" {
		t.Errorf("new orgs %v, want [b]", ed.NewOrgs)
	}
	first := aggregate.Next(cat, st, &load.Report{From: load.NewDate(2025, 1, 1), To: load.NewDate(2025, 3, 31)})
	if first.PreviousReport != nil || first.Period.Total != 0 {
		t.Errorf("an edition before every report: previous %v, n = %d", first.PreviousReport, first.Period.Total)
	}
}
