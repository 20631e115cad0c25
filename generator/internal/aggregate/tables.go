package aggregate

import (
	"strconv"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Extent is how many releases something has, and the dates of its first
// and latest.
type Extent struct {
	Releases      int
	First, Latest load.Date
}

func (s *Extent) add(d load.Date) {
	if s.Releases == 0 || d.Before(s.First) {
		s.First = d
	}
	if s.Releases == 0 || d.After(s.Latest) {
		s.Latest = d
	}
	s.Releases++
}

// Tables are the counts behind the data package's tables (see render):
// one Extent per org and per license, and per bucket how many releases got
// it from each classify.Source.
type Tables struct {
	// AsOf is the date the data is as of: the newest release's date,
	// zero for an empty catalog. It depends on the content alone, never
	// on the clock.
	AsOf     load.Date
	Orgs     map[string]Extent                  // by org id
	Licenses map[string]Extent                  // by license id
	Sources  map[string]map[classify.Source]int // bucket (or Unclassified) → source → count
	Agree    map[string]int                     // bucket → releases whose editors' bucket the signals infer too
}

// tables counts cat's releases for the data package.
func tables(cat *classify.Catalog) Tables {
	t := Tables{Orgs: map[string]Extent{}, Licenses: map[string]Extent{}, Sources: map[string]map[classify.Source]int{}, Agree: map[string]int{}}
	for _, r := range cat.Releases {
		if r.Date.After(t.AsOf) {
			t.AsOf = r.Date
		}
		o := t.Orgs[r.Release.Org]
		o.add(r.Date)
		t.Orgs[r.Release.Org] = o
		if r.License != nil {
			l := t.Licenses[r.License.ID]
			l.add(r.Date)
			t.Licenses[r.License.ID] = l
		}
		b := r.Bucket
		if b == "" {
			b = Unclassified
		}
		if t.Sources[b] == nil {
			t.Sources[b] = map[classify.Source]int{}
		}
		t.Sources[b][r.Source]++
		if (r.Source == classify.Editorial || r.Source == classify.FromOrg) && !r.Disagrees() {
			t.Agree[b]++
		}
	}
	return t
}

// Citation is one URL a release cites, and the field that cites it.
type Citation struct {
	Field string // "sources.0", "links.weights", "benchmarks.2.source"
	URL   string
}

// Citations lists every URL r cites, in the order of its fields: its
// sources, its links, then its benchmarks' sources. A release's count of
// cited URLs is the length of the list.
func Citations(r *load.Release) []Citation {
	var cs []Citation
	for i, u := range r.Sources {
		cs = append(cs, Citation{"sources." + strconv.Itoa(i), u})
	}
	for _, l := range []struct{ f, u string }{{"weights", r.Links.Weights}, {"report", r.Links.Report}, {"announcement", r.Links.Announcement}, {"code", r.Links.Code}} {
		if l.u != "" {
			cs = append(cs, Citation{"links." + l.f, l.u})
		}
	}
	for i, b := range r.Benchmarks {
		if b.Source != "" {
			cs = append(cs, Citation{"benchmarks." + strconv.Itoa(i) + ".source", b.Source})
		}
	}
	return cs
}
