// Package figure is the stage between aggregate and render: it turns the
// aggregates into every figure the site shows, as values, so that render
// only formats them (an ECharts option, a table, a caption).
//
// A Figure is a title, its series and, for a chart over time, one Column
// per period with the period's total (its n), the count of each series,
// and two flags: Partial, for the period that has not ended by
// Options.Today, and Small, for a period with fewer than Options.MinShareN
// releases. Every chart over time is made by one series builder (build).
//
// Honest statistics. No share is plotted for a Small period: its point is
// left out, so the chart shows a gap, the axis shows every period's n, and
// the caption says how many periods were left out and why (Gaps). The
// partial period is marked on every chart and table, and no caption draws
// a finding from it: a change in share compares the first and last
// complete calendar years with enough releases, or else the first and
// last such periods, and names both counts. Leaders are counted against
// every release, and ties are named (Leader). An edition is complete once
// its period has ended, and only then published; the front page leads with
// the newest complete one not published early, and an edition with fewer than MinShareN releases, or one whose previous
// edition has fewer, shows no change in share.
//
// Nothing here reads the clock: Today comes in Options, so the same
// content and the same Today give the same figures.
package figure

import (
	"fmt"
	"math"
	"sort"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// DefaultMinShareN is the fewest releases a period needs for its shares
// to be plotted, when site.yaml does not say.
const DefaultMinShareN = 8

// Options says when "now" is and how small a period may be.
type Options struct {
	// Today is the day of the build: a period that ends on or after it
	// is partial. The zero Date makes no period partial.
	Today load.Date
	// MinShareN is the fewest releases a period needs for its shares to
	// be plotted; 0 means DefaultMinShareN.
	MinShareN int
}

// Kind is how a figure is drawn.
type Kind string

const (
	// Share is each series' share of each period, stacked to 100%.
	Share Kind = "share"
	// Volume is each series' count in each period, stacked.
	Volume Kind = "volume"
	// One is a single series' share of each period.
	One Kind = "one"
	// Totals is one count per series, as horizontal bars.
	Totals Kind = "totals"
)

// Series is one series: a bucket, a license class or an org.
type Series struct {
	Key, Name string
	Path      string // its page, site-relative, or ""
	N         int    // its count over the whole figure
}

// Column is one period of a chart over time.
type Column struct {
	Key      string
	From, To load.Date
	N        int   // releases in the period: the denominator of its shares
	Counts   []int // per series
	// Partial is set for the period that has not ended yet.
	Partial bool
	// Small is set when N is below the minimum: no share is plotted.
	Small bool
	// Mark is set for the period a report is about.
	Mark bool
}

// Share is series i's share of the period, or 0 when it is empty.
func (c *Column) Share(i int) float64 {
	if c.N == 0 {
		return 0
	}
	return float64(c.Counts[i]) / float64(c.N)
}

// Figure is one chart with its data and the sentence that states its
// main finding.
type Figure struct {
	ID, Title string
	Kind      Kind
	Unit      string // "quarter" or "month", for a chart over time
	Series    []Series
	Columns   []Column
	MinShareN int
	// Total is what every share of a Totals figure is a share of: all
	// releases, even when Series shows only some.
	Total int
	// Leaders name the series tied for the largest count, of LeadN.
	Leaders []string
	LeadN   int
	// Gaps counts the periods whose shares are not plotted.
	Gaps    int
	Caption string
	// Note says what n is and what the figure leaves out, for exports.
	Note string
	// Grid is a Matrix figure's counts; Dots a Scatter figure's dots.
	Grid *Grid
	Dots *Dots
}

// Partial returns the key of the figure's partial period, or "".
func (f *Figure) Partial() string {
	for _, c := range f.Columns {
		if c.Partial {
			return c.Key
		}
	}
	return ""
}

// Set is every figure of a site.
type Set struct {
	Opt   Options
	Stats *aggregate.Stats
	Unit  aggregate.Unit
	// The front page's charts over time, its matrix and its size chart.
	ShareOverTime, PerPeriod, ClassShare *Figure
	Matrix, Size                         *Figure
	// The index pages' totals.
	ByBucket, ByClass, ByOrg *Figure
	// BucketShare is each bucket's share per period, by bucket id.
	BucketShare map[string]*Figure
	// Editions parallel cat.Reports, newest first.
	Editions []*Edition
	// Lead is the newest complete edition, or nil.
	Lead *Edition
	// AsOf is the date of the newest release: the data is as of it.
	AsOf load.Date

	cat              *classify.Catalog
	byLicense, byOrg map[string][]*classify.Release
	bucketSeries     []Series
	classSeries      []Series
}

// Build makes every figure of cat's site from its aggregates.
func Build(cat *classify.Catalog, st *aggregate.Stats, opt Options) *Set {
	if opt.MinShareN <= 0 {
		opt.MinShareN = DefaultMinShareN
	}
	s := &Set{Opt: opt, Stats: st, Unit: aggregate.Quarter, cat: cat, BucketShare: map[string]*Figure{},
		byLicense: map[string][]*classify.Release{}, byOrg: map[string][]*classify.Release{}}
	if cat.Site.Period == "month" {
		s.Unit = aggregate.Month
	}
	for _, b := range st.Buckets {
		sr := Series{Key: b, Name: BucketName(cat, b)}
		if cat.BucketByID[b] != nil {
			sr.Path = "buckets/" + b + "/"
		}
		s.bucketSeries = append(s.bucketSeries, sr)
	}
	for _, c := range st.Classes {
		s.classSeries = append(s.classSeries, Series{Key: c, Name: c})
	}
	for _, r := range cat.Releases {
		if r.License != nil {
			s.byLicense[r.License.ID] = append(s.byLicense[r.License.ID], r)
		}
		s.byOrg[r.Release.Org] = append(s.byOrg[r.Release.Org], r)
	}
	if len(cat.Releases) > 0 {
		s.AsOf = cat.Releases[0].Date // newest first
		for _, r := range cat.Releases {
			if r.Date.After(s.AsOf) {
				s.AsOf = r.Date
			}
		}
	}
	ps := st.Periods(s.Unit)
	bucketN := func(p *aggregate.Period, k string) int { return p.Bucket[k] }
	classN := func(p *aggregate.Period, k string) int { return p.Class[k] }
	unit := string(s.Unit)

	s.ShareOverTime = s.build("share-over-time", "Bucket share of releases per "+unit, Share, s.Unit, ps, s.bucketSeries, bucketN, "")
	s.ShareOverTime.Caption = s.shareCaption(s.ShareOverTime, -1)
	s.PerPeriod = s.build("releases-per-period", "Releases per "+unit+" by bucket", Volume, s.Unit, ps, s.bucketSeries, bucketN, "")
	s.PerPeriod.Caption = volumeCaption(s.PerPeriod)
	s.ClassShare = s.build("license-class-share", "License-class share of releases per "+unit, Share, s.Unit, ps, s.classSeries, classN, "")
	s.ClassShare.Caption = s.shareCaption(s.ClassShare, 0)
	for _, b := range cat.Buckets {
		var one []Series
		for _, sr := range s.bucketSeries {
			if sr.Key == b.ID {
				one = append(one, sr)
			}
		}
		f := s.build("bucket-share", b.Title+": share of releases per "+unit, One, s.Unit, ps, one, bucketN, "")
		f.Caption = s.shareCaption(f, 0)
		s.BucketShare[b.ID] = f
	}

	s.ByBucket = totals("releases-by-bucket", "Releases by bucket", st.All.Total, count(s.bucketSeries, st.All.Bucket), "release")
	s.ByClass = totals("releases-by-class", "Releases by license class", st.All.Total, count(s.classSeries, st.All.Class), "release")
	var orgs []Series
	for _, o := range cat.Orgs {
		orgs = append(orgs, Series{Key: o.ID, Name: o.Name, Path: "orgs/" + o.ID + "/", N: st.All.Org[o.ID]})
	}
	sort.SliceStable(orgs, func(i, j int) bool { return orgs[i].N > orgs[j].N })
	s.ByOrg = totals("releases-by-org", "Releases by organisation", st.All.Total, orgs, "release")
	if len(orgs) > 20 {
		s.ByOrg.Series = orgs[:20]
		s.ByOrg.Title = "Releases by organisation (top 20)"
	}
	s.Matrix = s.matrix(st)
	s.Size = Size(cat, st)
	s.editions(cat, st)
	return s
}

// count fills each series' N from a count by key.
func count(ss []Series, n map[string]int) []Series {
	out := make([]Series, len(ss))
	for i, sr := range ss {
		sr.N = n[sr.Key]
		out[i] = sr
	}
	return out
}

// totals is a Totals figure: every series' count against total, with
// the leaders (all of them, when tied) named.
func totals(id, title string, total int, ss []Series, noun string) *Figure {
	f := &Figure{ID: id, Title: title, Kind: Totals, Series: ss, Total: total,
		Note: fmt.Sprintf("Shares are of all %s.", Plural(total, noun))}
	for _, sr := range ss {
		switch {
		case sr.N > f.LeadN:
			f.Leaders, f.LeadN = []string{sr.Name}, sr.N
		case sr.N == f.LeadN && sr.N > 0:
			f.Leaders = append(f.Leaders, sr.Name)
		}
	}
	f.Caption = Leader(f.Leaders, f.LeadN, total, noun)
	return f
}

// build is the one series builder: it makes a figure of the given kind
// from periods ps, one series per key counted by n. Series with no
// release in any period are left out, except in a One figure. The
// period whose key is mark is marked.
func (s *Set) build(id, title string, kind Kind, u aggregate.Unit, ps []*aggregate.Period, ss []Series, n func(*aggregate.Period, string) int, mark string) *Figure {
	f := &Figure{ID: id, Title: title, Kind: kind, Unit: string(u), MinShareN: s.Opt.MinShareN}
	ss = append([]Series(nil), ss...)
	counts := make([][]int, len(ss))
	for i, sr := range ss {
		counts[i] = make([]int, len(ps))
		for j, p := range ps {
			counts[i][j] = n(p, sr.Key)
			ss[i].N += counts[i][j]
		}
	}
	var keep []int
	for i, sr := range ss {
		if sr.N > 0 || kind == One {
			keep = append(keep, i)
			f.Series = append(f.Series, sr)
		}
	}
	for j, p := range ps {
		c := Column{Key: p.Key, From: p.From, To: p.To, N: p.Total, Mark: p.Key == mark,
			Partial: !s.Opt.Today.IsZero() && !p.To.Before(s.Opt.Today), Small: p.Total < s.Opt.MinShareN}
		for _, i := range keep {
			c.Counts = append(c.Counts, counts[i][j])
		}
		if c.Small && kind != Volume {
			f.Gaps++
		}
		f.Columns = append(f.Columns, c)
	}
	f.Note = fmt.Sprintf("n is the number of releases in each %s.", u)
	if kind != Volume {
		f.Note += fmt.Sprintf(" No share is plotted for a %s with fewer than %d.", u, f.MinShareN)
	}
	if p := f.Partial(); p != "" {
		f.Note += fmt.Sprintf(" %s is partial: it has not ended.", p)
	}
	return f
}

// volumeCaption states the total and the busiest complete periods.
func volumeCaption(f *Figure) string {
	total, best := 0, -1
	var keys []string
	for _, c := range f.Columns {
		total += c.N
	}
	for pass := 0; pass < 2 && len(keys) == 0; pass++ {
		for _, c := range f.Columns {
			if c.N == 0 || (c.Partial && pass == 0) {
				continue
			}
			switch {
			case c.N > best:
				best, keys = c.N, []string{c.Key}
			case c.N == best:
				keys = append(keys, c.Key)
			}
		}
	}
	return Join(Busiest(total, f.Unit, keys, best), Partial(f.Partial()))
}

// span is a sum of columns: a calendar year, or one period.
type span struct {
	key     string
	n       int
	counts  []int
	partial bool
}

// years sums columns into calendar years.
func years(cs []Column) []span {
	var out []span
	for _, c := range cs {
		y := c.Key
		if len(y) > 4 {
			y = y[:4]
		}
		if len(out) == 0 || out[len(out)-1].key != y {
			out = append(out, span{key: y, counts: make([]int, len(c.Counts))})
		}
		sp := &out[len(out)-1]
		sp.n += c.N
		sp.partial = sp.partial || c.Partial
		for i, k := range c.Counts {
			sp.counts[i] += k
		}
	}
	return out
}

// ends returns the first and last of sps that are complete and hold at
// least min releases, or false when fewer than two do.
func ends(sps []span, min int) (a, b span, ok bool) {
	var good []span
	for _, sp := range sps {
		if !sp.partial && sp.n >= min {
			good = append(good, sp)
		}
	}
	if len(good) < 2 {
		return span{}, span{}, false
	}
	return good[0], good[len(good)-1], true
}

// shareCaption states the change in share between the first and last
// complete calendar years with enough releases (or periods, within one
// year) of series only, or of whichever series moved most when only is
// negative; then the gaps and the partial period.
func (s *Set) shareCaption(f *Figure, only int) string {
	var sps []span
	for _, c := range f.Columns {
		sps = append(sps, span{key: c.Key, n: c.N, counts: c.Counts, partial: c.Partial})
	}
	a, b, ok := ends(years(f.Columns), f.MinShareN)
	if !ok {
		a, b, ok = ends(sps, f.MinShareN)
	}
	var finding string
	switch {
	case len(f.Columns) == 0 || len(f.Series) == 0:
		return "No releases yet."
	case !ok:
		finding = "Too few releases per " + f.Unit + " to compare shares over time; the table gives every count."
	default:
		best, bestD := only, -1.0
		if only < 0 {
			for i := range f.Series {
				d := math.Abs(frac(b.counts[i], b.n) - frac(a.counts[i], a.n))
				if d > bestD {
					best, bestD = i, d
				}
			}
		}
		name := f.Series[best].Name
		if f.Series[best].Key == "open" {
			name = "open licenses"
		}
		finding = Change(name, Point{a.key, a.counts[best], a.n}, Point{b.key, b.counts[best], b.n})
	}
	return Join(finding, Gaps(f.Gaps, f.Unit, f.MinShareN), Partial(f.Partial()))
}

func frac(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// Term is the releases per period of one license's or org's releases,
// by bucket; it counts them when called, for the page that shows it.
func (s *Set) Term(kind, id string) *Figure {
	var rs []*classify.Release
	switch kind {
	case "license":
		rs = s.byLicense[id]
	case "org":
		rs = s.byOrg[id]
	}
	ps := aggregate.Tally(rs, s.Unit)
	f := s.build(kind+"-releases", "Releases per "+string(s.Unit)+" by bucket", Volume, s.Unit, ps,
		s.bucketSeries, func(p *aggregate.Period, k string) int { return p.Bucket[k] }, "")
	f.Caption = volumeCaption(f)
	return f
}

// BucketName is a bucket's title, or "Unclassified".
func BucketName(cat *classify.Catalog, id string) string {
	if b := cat.BucketByID[id]; b != nil {
		return b.Title
	}
	return "Unclassified"
}
