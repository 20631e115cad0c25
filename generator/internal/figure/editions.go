package figure

import (
	"fmt"
	"math"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
)

// Edition is one report's counts with what an honest page needs to know
// about them.
type Edition struct {
	*aggregate.Edition
	// Complete is set once the edition's period has ended by
	// Options.Today: only a complete edition is published.
	Complete bool
	// Early is set for an edition published before its period ended: it
	// is shown, marked, but never leads the front page.
	Early bool
	// Small is set when the period has fewer than MinShareN releases.
	Small bool
	// Compare is set when this edition and the previous one both have
	// enough releases for their shares to be compared.
	Compare bool
	// Chart is the releases per period by bucket over the eight periods
	// ending with the edition's, its own marked.
	Chart *Figure
	// Key names the edition's period, as "2026-06".
	Key string
	// MinShareN is the fewest releases a share needs.
	MinShareN int
	Caption   string
}

func (s *Set) editions(cat *classify.Catalog, st *aggregate.Stats) {
	eds := aggregate.Editions(cat, st)
	s.Editions = make([]*Edition, len(eds))
	for i, e := range eds {
		r := e.Report
		u := aggregate.UnitOf(r.From, r.To)
		ed := &Edition{Edition: e, Key: aggregate.Key(r.From, u), MinShareN: s.Opt.MinShareN,
			Complete: s.Opt.Today.IsZero() || r.To.Before(s.Opt.Today),
			Early:    !r.Published.IsZero() && !r.To.Before(r.Published),
			Small:    e.Period.Total < s.Opt.MinShareN}
		ed.Compare = e.Previous != nil && !ed.Small && e.Previous.Total >= s.Opt.MinShareN
		ps := st.Window(u, r.To, 8)
		ed.Chart = s.build("report-share", "Releases by bucket, the last eight "+string(u)+"s", Volume, u, ps, s.bucketSeries,
			func(p *aggregate.Period, k string) int { return p.Bucket[k] }, aggregate.Key(r.To, u))
		ed.Caption = s.editionCaption(ed, i, eds)
		ed.Chart.Caption = ed.Caption
		s.Editions[i] = ed
	}
	for _, ed := range s.Editions {
		if ed.Complete && !ed.Early {
			s.Lead = ed
			break
		}
	}
}

// editionCaption states the edition's n and, when its shares can be
// compared with the previous edition's, the biggest move.
func (s *Set) editionCaption(ed *Edition, i int, eds []*aggregate.Edition) string {
	e := ed.Edition
	n := e.Period.Total
	switch {
	case n == 0:
		return "No releases are recorded for this period."
	case ed.Small:
		return fmt.Sprintf("Only %s: fewer than %d, too few for shares to mean much, so this edition compares counts only.", Plural(n, "release"), s.Opt.MinShareN)
	case e.Previous == nil:
		return fmt.Sprintf("%s in this first edition's period.", Capital(Plural(n, "release")))
	case !ed.Compare:
		return fmt.Sprintf("%s; the previous edition's %s are too few to compare shares with.", Capital(Plural(n, "release")), Plural(e.Previous.Total, "release"))
	}
	best, bestD := "", 0.0
	for _, b := range s.Stats.Buckets {
		if d := e.BucketDelta[b]; math.Abs(d) > math.Abs(bestD) {
			best, bestD = b, d
		}
	}
	if best == "" || math.Round(bestD*100) == 0 {
		return fmt.Sprintf("%s; bucket shares held steady against the previous edition.", Capital(Plural(n, "release")))
	}
	prev := eds[i+1].Report
	pk := aggregate.Key(prev.From, aggregate.UnitOf(prev.From, prev.To))
	return Change(BucketName(s.cat, best), Point{pk, e.Previous.Bucket[best], e.Previous.Total}, Point{ed.Key, e.Period.Bucket[best], n})
}
