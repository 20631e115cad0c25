package aggregate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Edition is what one report counted: its period's releases and shares,
// and the change from the previous report's period.
type Edition struct {
	Report   *load.Report
	Period   *Period // From..To of the report
	Previous *Period // the previous report's period; nil for the first
	// PreviousReport is the report before this one; nil for the first.
	PreviousReport *load.Report
	// BucketDelta and ClassDelta are the change in share, as a fraction
	// (0.05 is 5 percentage points), against the previous period.
	BucketDelta map[string]float64
	ClassDelta  map[string]float64
	// NewOrgs are the ids of orgs whose first release falls in the period.
	NewOrgs  []string
	Releases []*classify.Release
}

// Span counts the releases dated from from to to, inclusive.
func Span(releases []*classify.Release, from, to load.Date) *Period {
	p := newPeriod(from.String()+"/"+to.String(), from, to)
	for _, r := range releases {
		if !r.Date.Before(from) && !r.Date.After(to) {
			p.add(r)
		}
	}
	classify.SortReleases(p.Releases)
	return p
}

// Editions counts every report of cat. The result is parallel to
// cat.Reports, which is newest first.
func Editions(cat *classify.Catalog, st *Stats) []*Edition {
	first := firstReleases(cat)
	eds := make([]*Edition, len(cat.Reports))
	for i, rep := range cat.Reports {
		var prev *load.Report
		if i+1 < len(cat.Reports) {
			prev = cat.Reports[i+1]
		}
		eds[i] = edition(cat, st, rep, prev, first)
	}
	return eds
}

// Next counts an edition that is not in cat yet, such as the draft that
// `whyopen new report` writes: rep's period, against the latest report of
// cat that ends before rep starts.
func Next(cat *classify.Catalog, st *Stats, rep *load.Report) *Edition {
	var prev *load.Report
	for _, r := range cat.Reports {
		if r.To.Before(rep.From) && (prev == nil || r.To.After(prev.To)) {
			prev = r
		}
	}
	return edition(cat, st, rep, prev, firstReleases(cat))
}

// firstReleases maps each org to the date of its first release.
func firstReleases(cat *classify.Catalog) map[string]load.Date {
	first := map[string]load.Date{}
	for _, r := range cat.Releases {
		if d, ok := first[r.Release.Org]; !ok || r.Date.Before(d) {
			first[r.Release.Org] = r.Date
		}
	}
	return first
}

// edition counts rep, and its change from prev when prev is not nil.
func edition(cat *classify.Catalog, st *Stats, rep, prev *load.Report, first map[string]load.Date) *Edition {
	e := &Edition{Report: rep, Period: Span(dated(cat.Releases, rep.From, rep.To), rep.From, rep.To), BucketDelta: map[string]float64{}, ClassDelta: map[string]float64{}}
	e.Releases = e.Period.Releases
	if prev != nil {
		e.PreviousReport = prev
		e.Previous = Span(dated(cat.Releases, prev.From, prev.To), prev.From, prev.To)
		for _, b := range st.Buckets {
			e.BucketDelta[b] = e.Period.BucketShare(b) - e.Previous.BucketShare(b)
		}
		for _, c := range st.Classes {
			e.ClassDelta[c] = e.Period.ClassShare(c) - e.Previous.ClassShare(c)
		}
	}
	for org, d := range first {
		if !d.Before(rep.From) && !d.After(rep.To) {
			e.NewOrgs = append(e.NewOrgs, org)
		}
	}
	sort.Strings(e.NewOrgs)
	return e
}

// dated returns the releases of rs, which are newest first as in a
// classify.Catalog, dated from from to to: a binary search, so that
// counting every report is not quadratic.
func dated(rs []*classify.Release, from, to load.Date) []*classify.Release {
	lo := sort.Search(len(rs), func(i int) bool { return !rs[i].Date.After(to) })
	hi := sort.Search(len(rs), func(i int) bool { return rs[i].Date.Before(from) })
	if lo > hi {
		return nil
	}
	return rs[lo:hi]
}

// Window returns the n consecutive periods of unit u that end with the
// period holding end, from s where it has them, so that it costs nothing
// in the number of releases; periods before the first release or after
// the last are empty.
func (s *Stats) Window(u Unit, end load.Date, n int) []*Period {
	have := s.Periods(u) // consecutive, from the oldest release's period
	step := 1
	if u == Quarter {
		step = 3
	}
	index := func(d load.Date) int { // of the period starting on d in have
		if len(have) == 0 {
			return -1
		}
		a, b := have[0].From.Time(), d.Time()
		m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
		if m < 0 {
			return -1
		}
		return m / step
	}
	from, _ := Bounds(end, u)
	months := n - 1
	if u == Quarter {
		months *= 3
	}
	start := from.Time().AddDate(0, -months, 0)
	var ps []*Period
	for d := load.NewDate(start.Year(), start.Month(), 1); !d.After(end); {
		f, t := Bounds(d, u)
		var p *Period
		if i := index(f); i >= 0 && i < len(have) {
			p = have[i]
		} else {
			p = newPeriod(Key(f, u), f, t)
		}
		ps = append(ps, p)
		next := t.Time().AddDate(0, 0, 1)
		d = load.NewDate(next.Year(), next.Month(), next.Day())
	}
	return ps
}

// Window counts releases into the n consecutive periods of unit u that
// end with the period holding end.
func Window(releases []*classify.Release, u Unit, end load.Date, n int) []*Period {
	from, _ := Bounds(end, u)
	months := n - 1
	if u == Quarter {
		months *= 3
	}
	start := from.Time().AddDate(0, -months, 0)
	return TallyRange(releases, u, load.NewDate(start.Year(), start.Month(), start.Day()), end)
}

// UnitOf is the period unit a report of the given span reads best in:
// months for a report of a month or less, quarters otherwise.
func UnitOf(from, to load.Date) Unit {
	if to.Time().Sub(from.Time()).Hours() <= 31*24 {
		return Month
	}
	return Quarter
}

// ParsePeriod reads a period as a key names it: "2026-11" for a month,
// "2026-Q4" (or "2026-q4") for a quarter.
func ParsePeriod(s string) (from, to load.Date, u Unit, err error) {
	var y, n int
	if _, e := fmt.Sscanf(strings.ToUpper(s), "%4d-Q%1d", &y, &n); e == nil && len(s) == 7 && n >= 1 && n <= 4 {
		from, to = Bounds(load.NewDate(y, time.Month(3*n-2), 1), Quarter)
		return from, to, Quarter, nil
	}
	if d, e := load.ParseDate(s + "-01"); e == nil && len(s) == 7 {
		from, to = Bounds(d, Month)
		return from, to, Month, nil
	}
	return load.Date{}, load.Date{}, "", fmt.Errorf("%q is not a period: write a month as 2026-11 or a quarter as 2026-Q4", s)
}

// After returns the period of unit u that starts the day after d.
func After(d load.Date, u Unit) (from, to load.Date) {
	next := d.Time().AddDate(0, 0, 1)
	return Bounds(load.NewDate(next.Year(), next.Month(), next.Day()), u)
}
