package render

import (
	"html/template"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Methodology is the data of /methodology/: the bucket definitions and
// their signals, the license classes, and how often inference agrees with
// the editors.
type Methodology struct {
	Buckets   []MethodBucket
	Classes   []MethodClass
	Agreement Agreement
	// Schemes are every bucket scheme, the primary first, for a site with
	// further ones; nil otherwise.
	Schemes []MethodScheme
}

// MethodScheme is one bucket scheme: its seed, its buckets, the
// correspondence it declares to the primary scheme and how often its
// inference agrees with the editors.
type MethodScheme struct {
	Scheme      *classify.Scheme
	G           *aggregate.Reading
	Buckets     []MethodBucket
	Corresponds []Correspondence
}

// Correspondence is one bucket of a further scheme and the primary
// scheme's buckets it is declared to map to.
type Correspondence struct {
	Bucket *load.Bucket
	To     []*load.Bucket
}

// MethodBucket is one bucket with its definition.
type MethodBucket struct {
	Bucket *load.Bucket
	Body   template.HTML
	N      int // releases filed under it
}

// MethodClass is one license class and the licenses in it.
type MethodClass struct {
	Class    string
	Licenses []Count // Key is the license id, N its releases
	N        int     // releases under the class
}

// Agreement compares inference with the editors' buckets: a release is
// judged when its bucket came from the editors, for the release itself
// (editorial) or through its org's default (org). It agrees when the
// inferred bucket is the same.
type Agreement struct {
	AgreeRow
	// PerBucket is one row per bucket the editors chose, in bucket order.
	PerBucket []AgreeRow
	// PerSource is one row for editorial choices and one for org defaults.
	PerSource []AgreeRow
	// Disagreed counts the judged releases where inference points
	// elsewhere; Disagreements lists the newest MaxDisagreements of them,
	// so that the page stays small however big the site grows.
	Disagreed     int
	Disagreements []*classify.Release // newest first
}

// MaxDisagreements is how many disagreements /methodology/ lists. The rest
// are in /data/releases.csv, which has every release's bucket, its source
// and the inferred bucket.
const MaxDisagreements = 100

// AgreeRow counts judged releases and those where inference agrees.
type AgreeRow struct {
	Key, Name, Path string
	Judged, Agree   int
}

// Share is the fraction of judged releases where inference agrees.
func (a AgreeRow) Share() float64 {
	if a.Judged == 0 {
		return 0
	}
	return float64(a.Agree) / float64(a.Judged)
}

func methodology(s *Site) *Methodology {
	cat := s.Cat
	m := &Methodology{}
	n := map[string]int{}
	for _, r := range cat.Releases {
		n[r.Bucket]++
	}
	for _, b := range cat.Buckets {
		m.Buckets = append(m.Buckets, MethodBucket{Bucket: b, Body: b.HTML, N: n[b.ID]})
	}

	perLicense := map[string]int{}
	for _, r := range cat.Releases {
		if r.License != nil {
			perLicense[r.License.ID]++
		}
	}
	for _, c := range s.Stats.Classes {
		mc := MethodClass{Class: c}
		for _, l := range cat.Licenses {
			if l.Class == c {
				mc.Licenses = append(mc.Licenses, Count{Key: l.ID, Name: l.Name, Path: "licenses/" + l.ID + "/", N: perLicense[l.ID]})
				mc.N += perLicense[l.ID]
			}
		}
		m.Classes = append(m.Classes, mc)
	}

	a := &m.Agreement
	a.Key, a.Name = "all", "All"
	per := map[string]*AgreeRow{}
	for _, b := range cat.Buckets {
		per[b.ID] = &AgreeRow{Key: b.ID, Name: b.Title, Path: "buckets/" + b.ID + "/"}
	}
	src := map[classify.Source]*AgreeRow{
		classify.Editorial: {Key: string(classify.Editorial), Name: "Chosen for the release"},
		classify.FromOrg:   {Key: string(classify.FromOrg), Name: "The org's default"},
	}
	for _, r := range cat.Releases {
		if r.Source != classify.Editorial && r.Source != classify.FromOrg {
			continue
		}
		agree := !r.Disagrees()
		rows := []*AgreeRow{&a.AgreeRow, src[r.Source]}
		if p := per[r.Bucket]; p != nil {
			rows = append(rows, p)
		}
		for _, row := range rows {
			row.Judged++
			if agree {
				row.Agree++
			}
		}
		if !agree {
			a.Disagreed++
			if len(a.Disagreements) < MaxDisagreements {
				a.Disagreements = append(a.Disagreements, r)
			}
		}
	}
	for _, b := range cat.Buckets {
		if p := per[b.ID]; p.Judged > 0 {
			a.PerBucket = append(a.PerBucket, *p)
		}
	}
	a.PerSource = []AgreeRow{*src[classify.Editorial], *src[classify.FromOrg]}
	for _, g := range s.Stats.Readings {
		ms := MethodScheme{Scheme: g.Scheme, G: g}
		for _, b := range g.Scheme.Buckets {
			ms.Buckets = append(ms.Buckets, MethodBucket{Bucket: b, Body: b.HTML, N: g.All.Bucket[b.ID]})
			if !g.Scheme.Primary {
				c := Correspondence{Bucket: b}
				for _, id := range g.Scheme.Corresponds(b.ID) {
					if pb := cat.BucketByID[id]; pb != nil {
						c.To = append(c.To, pb)
					}
				}
				ms.Corresponds = append(ms.Corresponds, c)
			}
		}
		m.Schemes = append(m.Schemes, ms)
	}
	return m
}
