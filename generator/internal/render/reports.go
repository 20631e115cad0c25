package render

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Report is one edition as its page shows it: the editors' essay and picks,
// and what the generator composes from the data of its period.
type Report struct {
	*load.Report
	Path  string
	Essay template.HTML
	Picks []ReportPick
	// Releases are the period's releases grouped by bucket, in bucket order.
	Groups []ReleaseGroup
	// Count is what the edition counted: the period against the previous
	// report's period.
	Count *aggregate.Edition
	// Chart is bucket share over the last eight periods, this one marked.
	Chart *Chart
	// NewOrgs are the orgs whose first release falls in the period.
	NewOrgs []*load.Org

	bucketRows, classRows []ShareRow
}

// fingerprint is all that r's page shows besides its releases (the picks
// and the period's) and what every page shares: its counts, chart and new
// orgs (e.NewOrgs), for the Memo.
func (r *Report) fingerprint() string {
	var b strings.Builder
	e := r.Count
	fmt.Fprintf(&b, "%+v\x00%+v\x00%d\x00%v\x00%v\x00%v", r.bucketRows, r.classRows, e.Period.Total, e.BucketDelta, e.ClassDelta, e.NewOrgs)
	if c := r.Chart; c != nil {
		fmt.Fprintf(&b, "\x00%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%s\x00%+v", c.ID, c.Title, c.Caption, c.Option, c.Dark, c.Series, c.Link, c.Table)
	}
	for _, g := range r.Groups {
		fmt.Fprintf(&b, "\x00%+v", g.Bucket)
	}
	return b.String()
}

// ReportPick is one pick with its release.
type ReportPick struct {
	R     *classify.Release
	Blurb string
}

// ReleaseGroup is the releases of one bucket.
type ReleaseGroup struct {
	Bucket   Count
	Releases []*classify.Release
}

// Description is the report's summary, or a sentence made from its period.
func (r *Report) Description() string {
	if r.Summary != "" {
		return r.Summary
	}
	return "Open-weights releases from " + r.From.String() + " to " + r.To.String() + ", and why they were released."
}

func reports(cat *classify.Catalog, st *aggregate.Stats) []*Report {
	eds := aggregate.Editions(cat, st)
	var out []*Report
	for i, lr := range cat.Reports {
		r := &Report{Report: lr, Path: "reports/" + lr.ID + "/", Essay: lr.HTML, Count: eds[i]}
		for _, p := range lr.Picks {
			if rel := cat.ReleaseByID[p.Release]; rel != nil {
				r.Picks = append(r.Picks, ReportPick{R: rel, Blurb: p.Blurb})
			}
		}
		byBucket := group(r.Count.Releases, func(x *classify.Release) string {
			if x.Bucket == "" {
				return aggregate.Unclassified
			}
			return x.Bucket
		})
		for _, b := range st.Buckets {
			if len(byBucket[b]) == 0 {
				continue
			}
			c := Count{Key: b, Name: bucketName(cat, b), N: len(byBucket[b])}
			if cat.BucketByID[b] != nil {
				c.Path = "buckets/" + b + "/"
			}
			r.Groups = append(r.Groups, ReleaseGroup{Bucket: c, Releases: byBucket[b]})
		}
		for _, id := range r.Count.NewOrgs {
			if o := cat.OrgByID[id]; o != nil {
				r.NewOrgs = append(r.NewOrgs, o)
			}
		}
		r.bucketRows = shareRows(r, st.Buckets, func(k string) (string, string) {
			if cat.BucketByID[k] != nil {
				return bucketName(cat, k), "buckets/" + k + "/"
			}
			return bucketName(cat, k), ""
		}, func(p *aggregate.Period, k string) int { return p.Bucket[k] }, r.Count.BucketDelta)
		r.classRows = shareRows(r, st.Classes, func(k string) (string, string) { return k, "" },
			func(p *aggregate.Period, k string) int { return p.Class[k] }, r.Count.ClassDelta)
		out = append(out, r)
	}
	return out
}

// reportChart is bucket share over the eight periods ending with the
// report's, as stacked bars; the report's own period is drawn solid and
// the others faded.
func reportChart(s *Site, r *Report) *Chart {
	u := aggregate.UnitOf(r.From, r.To)
	ps := s.Stats.Window(u, r.To, 8)
	here := aggregate.Key(r.To, u)
	c := &Chart{ID: "report-share", Title: "Bucket share of releases, the last eight " + string(u) + "s", Link: "releases/?bucket={bucket}&period={period}"}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(c.Title),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Max: 100, Name: "% of releases"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}))...)
	bar.SetXAxis(periodKeys(ps))
	var darks []string
	c.Table.Head = []string{"Period"}
	for _, b := range s.Stats.Buckets {
		light, dark := s.bucketColor(b)
		darks = append(darks, dark)
		data := make([]opts.BarData, len(ps))
		for i, p := range ps {
			data[i] = opts.BarData{Value: pct(p.BucketShare(b))}
			if p.Key != here {
				data[i].ItemStyle = &opts.ItemStyle{Opacity: opts.Float(0.4)}
			}
		}
		bar.AddSeries(bucketName(s.Cat, b), data,
			charts.WithBarChartOpts(opts.BarChart{Stack: "share"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = b }))
		c.Table.Head = append(c.Table.Head, bucketName(s.Cat, b))
	}
	shareRowsTable(c, s, ps, here)
	c.Caption = editionFinding(s, r)
	return finish(c, bar, darks)
}

// editionFinding states the biggest move in bucket share against the
// previous report, in words.
func editionFinding(s *Site, r *Report) string {
	e := r.Count
	if e.Period.Total == 0 {
		return "No releases are recorded for this period yet."
	}
	if e.Previous == nil {
		return fmt.Sprintf("%d releases in this first edition's period.", e.Period.Total)
	}
	best, bestD := "", 0.0
	for _, b := range s.Stats.Buckets {
		if d := e.BucketDelta[b]; math.Abs(d) > math.Abs(bestD) {
			best, bestD = b, d
		}
	}
	if best == "" || math.Round(bestD*100) == 0 {
		return fmt.Sprintf("%d releases; bucket shares held steady against the previous report.", e.Period.Total)
	}
	verb := "rose"
	if bestD < 0 {
		verb = "fell"
	}
	return fmt.Sprintf("%s %s from %s to %s of releases against the previous report (%d releases this period, %d before).",
		bucketName(s.Cat, best), verb, Percent(e.Previous.BucketShare(best)), Percent(e.Period.BucketShare(best)), e.Period.Total, e.Previous.Total)
}

// ShareRow is one bucket's or license class's count and share in a
// report's period against the previous one.
type ShareRow struct {
	Key, Name, Path string
	N, PrevN        int
	Share, Prev     float64
	Delta           float64
	HasPrev         bool
}

// BucketRows compares the period's buckets with the previous period's.
func (r *Report) BucketRows() []ShareRow { return r.bucketRows }

// ClassRows compares the period's license classes with the previous one's.
func (r *Report) ClassRows() []ShareRow { return r.classRows }

func shareRows(r *Report, keys []string, name func(string) (string, string), count func(*aggregate.Period, string) int, delta map[string]float64) []ShareRow {
	var rows []ShareRow
	e := r.Count
	for _, k := range keys {
		n, path := name(k)
		row := ShareRow{Key: k, Name: n, Path: path, N: count(e.Period, k), Share: e.Period.Share(count(e.Period, k)), Delta: delta[k], HasPrev: e.Previous != nil}
		if e.Previous != nil {
			row.PrevN = count(e.Previous, k)
			row.Prev = e.Previous.Share(row.PrevN)
		}
		if row.N == 0 && row.PrevN == 0 {
			continue
		}
		rows = append(rows, row)
	}
	return rows
}
