// Package aggregate counts classified releases by period.
//
// For each period (month or quarter) it gives the count and share of each
// bucket and each license class, a bucket × license-class matrix, and the
// count per org, and it names the countries of the orgs (Countries).
// For the data package it counts each org's and license's releases
// with their first and latest dates, and each bucket's releases by
// where the bucket came from (Tables); Citations lists the URLs a
// release cites. The data is as of the newest release's date
// (Tables.AsOf), never the clock's. Periods run without gaps from the
// period of the oldest release to that of the newest, so an empty quarter
// shows as empty rather than vanishing from a chart. Unclassified releases are counted under the
// key Unclassified, which appears in Stats.Buckets only when used.
//
// It also counts how the releases are sourced (Sourcing): the share that
// cite a primary source, the share of primary URLs per release, the hosts
// cited and the facts that rest on secondary sources only.
//
// A site with further bucket schemes also gets each scheme's counts
// (Readings), with how often inference agrees with the editors in it, and
// the primary scheme crossed with each further one (Crosstab): how many
// releases fall in each pair of buckets, and which fall off the
// correspondence the further scheme declares.
//
// Everything here is linear in the number of releases plus the number of
// periods: Editions finds each report's releases by binary search in the
// sorted catalog, and Stats.Window picks a report's chart periods from the
// aggregates rather than counting the releases again.
package aggregate

import (
	"fmt"
	"sync"
	"time"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Unclassified is the bucket key for releases without a bucket.
const Unclassified = "unclassified"

// Classes are the license classes, from most to least permissive.
var Classes = []string{"open", "conditional", "non-commercial"}

// OtherClasses mark licenses not placed in one of Classes: custom (bespoke
// terms not yet classified) and unknown (no license found). They follow
// Classes in Stats.Classes, each only when a license in the catalog has
// it, so that charts show no series that is always empty.
var OtherClasses = []string{"custom", "unknown"}

// ClassesOf returns Classes, then those of OtherClasses some license or
// release in cat has.
func ClassesOf(cat *classify.Catalog) []string {
	used := map[string]bool{}
	for _, l := range cat.Licenses {
		used[l.Class] = true
	}
	for _, r := range cat.Releases {
		used[r.Class] = true
	}
	out := append([]string(nil), Classes...)
	for _, c := range OtherClasses {
		if used[c] {
			out = append(out, c)
		}
	}
	return out
}

// Unit is the length of a period.
type Unit string

const (
	Month   Unit = "month"
	Quarter Unit = "quarter"
)

// Period is one month or quarter and what was released in it.
type Period struct {
	Key      string // "2026-Q2" or "2026-05"
	From, To load.Date
	Total    int
	Bucket   map[string]int
	Class    map[string]int
	Matrix   map[string]map[string]int // bucket → class → count
	Org      map[string]int
	Releases []*classify.Release // newest first
}

// Share returns n as a fraction of the period's total, or 0.
func (p *Period) Share(n int) float64 {
	if p.Total == 0 {
		return 0
	}
	return float64(n) / float64(p.Total)
}

// BucketShare is the share of bucket b.
func (p *Period) BucketShare(b string) float64 { return p.Share(p.Bucket[b]) }

// ClassShare is the share of license class c.
func (p *Period) ClassShare(c string) float64 { return p.Share(p.Class[c]) }

// Stats are the counts for a whole catalog.
type Stats struct {
	Buckets []string // bucket ids in order, then Unclassified if used
	Classes []string // Classes, then the OtherClasses in use
	Quarter []*Period
	Month   []*Period
	All     *Period
	// Sourcing is how the releases are sourced, for /methodology/.
	Sourcing *Sourcing
	// Countries are the countries of the catalog's orgs, named.
	Countries []Country
	// Tables are the whole catalog's counts by org, license and bucket
	// source, and the date the data is as of.
	Tables Tables
	// Readings and Crosstabs are set only for a site with further bucket
	// schemes: each scheme's counts, the primary's first, and the primary
	// scheme crossed with each further one.
	Readings  []*Reading
	Crosstabs []*Crosstab
}

// Aggregate counts cat's releases by quarter and by month.
func Aggregate(cat *classify.Catalog) *Stats {
	s := &Stats{Classes: ClassesOf(cat)}
	for _, b := range cat.Buckets {
		s.Buckets = append(s.Buckets, b.ID)
	}
	for _, r := range cat.Releases {
		if r.Bucket == "" {
			s.Buckets = append(s.Buckets, Unclassified)
			break
		}
	}
	// The three tallies are independent: count them side by side.
	var wg sync.WaitGroup
	wg.Go(func() { s.Quarter = Tally(cat.Releases, Quarter) })
	wg.Go(func() { s.Month = Tally(cat.Releases, Month) })
	wg.Go(func() { s.Sourcing = Sources(cat.Releases) })
	s.Countries = Countries(cat)
	wg.Go(func() { s.Tables = tables(cat) })
	if cat.Further() {
		wg.Go(func() {
			s.Readings = Readings(cat)
			for _, g := range s.Readings[1:] {
				s.Crosstabs = append(s.Crosstabs, Cross(cat, s.Readings[0], g))
			}
		})
	}
	s.All = newPeriod("all", load.Date{}, load.Date{})
	for _, r := range cat.Releases {
		s.All.add(r)
	}
	wg.Wait()
	return s
}

// Periods returns the periods of unit u.
func (s *Stats) Periods(u Unit) []*Period {
	if u == Month {
		return s.Month
	}
	return s.Quarter
}

// Key returns the key of the period of unit u holding d.
func Key(d load.Date, u Unit) string {
	t := d.Time()
	if u == Month {
		return t.Format("2006-01")
	}
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// ordinal numbers the periods of unit u: consecutive periods, consecutive
// numbers.
func ordinal(d load.Date, u Unit) int {
	t := d.Time()
	m := int(t.Month()) - 1
	if u == Quarter {
		return t.Year()*4 + m/3
	}
	return t.Year()*12 + m
}

// Bounds returns the first and last day of the period of unit u holding d.
func Bounds(d load.Date, u Unit) (load.Date, load.Date) {
	t := d.Time()
	m := t.Month()
	n := 1
	if u == Quarter {
		m = time.Month((int(m)-1)/3*3 + 1)
		n = 3
	}
	from := time.Date(t.Year(), m, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, n, -1)
	return load.NewDate(from.Year(), from.Month(), from.Day()), load.NewDate(to.Year(), to.Month(), to.Day())
}

// Tally counts releases (in any order) into consecutive periods of unit u,
// from the oldest release's period to the newest's.
func Tally(releases []*classify.Release, u Unit) []*Period {
	if len(releases) == 0 {
		return nil
	}
	lo, hi := releases[0].Date, releases[0].Date
	for _, r := range releases {
		if r.Date.Before(lo) {
			lo = r.Date
		}
		if r.Date.After(hi) {
			hi = r.Date
		}
	}
	return TallyRange(releases, u, lo, hi)
}

// TallyRange is Tally over the periods from the one holding lo to the one
// holding hi; releases outside them are left out.
func TallyRange(releases []*classify.Release, u Unit, lo, hi load.Date) []*Period {
	return tallyRange(releases, u, lo, hi, 0)
}

// tallyRange is TallyRange counting each release under its bucket in the
// scheme at index in of classify.Catalog.Schemes (0, the primary, is
// Release.Bucket).
func tallyRange(releases []*classify.Release, u Unit, lo, hi load.Date, in int) []*Period {
	var ps []*Period
	from, _ := Bounds(lo, u)
	for !from.After(hi) {
		f, t := Bounds(from, u)
		p := newPeriod(Key(f, u), f, t)
		ps = append(ps, p)
		next := t.Time().AddDate(0, 0, 1)
		from = load.NewDate(next.Year(), next.Month(), next.Day())
	}
	first := ordinal(lo, u)
	for _, r := range releases {
		if i := ordinal(r.Date, u) - first; i >= 0 && i < len(ps) {
			ps[i].addAs(r, bucketIn(r, in))
		}
	}
	for _, p := range ps {
		classify.SortReleases(p.Releases)
	}
	return ps
}

func newPeriod(key string, from, to load.Date) *Period {
	return &Period{Key: key, From: from, To: to, Bucket: map[string]int{}, Class: map[string]int{}, Matrix: map[string]map[string]int{}, Org: map[string]int{}}
}

func (p *Period) add(r *classify.Release) { p.addAs(r, r.Bucket) }

// addAs counts r under bucket b.
func (p *Period) addAs(r *classify.Release, b string) {
	if b == "" {
		b = Unclassified
	}
	p.Total++
	p.Bucket[b]++
	p.Class[r.Class]++
	if p.Matrix[b] == nil {
		p.Matrix[b] = map[string]int{}
	}
	p.Matrix[b][r.Class]++
	p.Org[r.Release.Org]++
	p.Releases = append(p.Releases, r)
}
