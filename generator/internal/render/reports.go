package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
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
	Count *figure.Edition
	// Chart is the releases by bucket over the last eight periods, this
	// one marked.
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

// reports lists the published editions, newest first: those whose
// period has ended.
func reports(s *Site) []*Report {
	cat, st := s.Cat, s.Stats
	var out []*Report
	for i, lr := range cat.Reports {
		ed := s.Figs.Editions[i]
		if !ed.Complete {
			continue
		}
		r := &Report{Report: lr, Path: "reports/" + lr.ID + "/", Essay: lr.HTML, Count: ed}
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

// ShareRow is one bucket's or license class's count and share in a
// report's period against the previous one.
type ShareRow struct {
	Key, Name, Path string
	N, PrevN        int
	Share, Prev     float64
	Delta           float64
	// HasPrev is set when the shares can be compared with the previous
	// edition's (figure.Edition.Compare); Small when this period is too
	// small for a share.
	HasPrev bool
	Small   bool
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
		row := ShareRow{Key: k, Name: n, Path: path, N: count(e.Period, k), Share: e.Period.Share(count(e.Period, k)), Delta: delta[k], HasPrev: e.Compare, Small: e.Small}
		if e.Compare {
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
