package render

import (
	"html/template"

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
		r := &Report{Report: lr, Path: "reports/" + lr.ID + "/", Essay: html(lr.Body), Count: eds[i]}
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
		out = append(out, r)
	}
	return out
}
