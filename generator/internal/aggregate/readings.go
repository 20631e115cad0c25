package aggregate

import (
	"slices"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Reading is the counts of one bucket scheme: what Stats holds for the
// primary scheme, for a further one, and how often its inference agrees
// with the editors' buckets in it.
type Reading struct {
	Scheme *classify.Scheme
	// Index is the scheme's position in classify.Catalog.Schemes and in
	// each release's Readings.
	Index   int
	Buckets []string // bucket ids in order, then Unclassified if used
	Quarter []*Period
	Month   []*Period
	All     *Period
	// Judged counts the releases whose bucket in the scheme the editors
	// chose, for the release or through its org; Agree those where
	// inference agrees.
	Judged, Agree int
}

// Periods returns the periods of unit u.
func (g *Reading) Periods(u Unit) []*Period {
	if u == Month {
		return g.Month
	}
	return g.Quarter
}

// Readings counts cat's releases in each of its schemes, the primary one
// first.
func Readings(cat *classify.Catalog) []*Reading {
	out := make([]*Reading, len(cat.Schemes))
	var wg sync.WaitGroup
	for i, sc := range cat.Schemes {
		wg.Go(func() { out[i] = reading(cat, sc, i) })
	}
	wg.Wait()
	return out
}

func reading(cat *classify.Catalog, sc *classify.Scheme, in int) *Reading {
	g := &Reading{Scheme: sc, Index: in, All: newPeriod("all", load.Date{}, load.Date{})}
	for _, b := range sc.Buckets {
		g.Buckets = append(g.Buckets, b.ID)
	}
	rs := cat.Releases
	for _, r := range rs {
		if bucketIn(r, in) == "" {
			g.Buckets = append(g.Buckets, Unclassified)
			break
		}
	}
	for _, r := range rs {
		g.All.addAs(r, bucketIn(r, in))
		if rd := readingOf(r, in); rd != nil && (rd.Source == classify.Editorial || rd.Source == classify.FromOrg) {
			g.Judged++
			if !rd.Disagrees() {
				g.Agree++
			}
		}
	}
	if len(rs) > 0 {
		lo, hi := rs[len(rs)-1].Date, rs[0].Date // newest first
		g.Quarter = tallyRange(rs, Quarter, lo, hi, in)
		g.Month = tallyRange(rs, Month, lo, hi, in)
	}
	return g
}

// Share is the fraction of judged releases where inference agrees.
func (g *Reading) Share() float64 {
	if g.Judged == 0 {
		return 0
	}
	return float64(g.Agree) / float64(g.Judged)
}

// CountIn counts rs by their bucket in the scheme at index in of
// classify.Catalog.Schemes, the unclassified under Unclassified.
func CountIn(rs []*classify.Release, in int) map[string]int {
	n := map[string]int{}
	for _, r := range rs {
		n[orUnclassified(bucketIn(r, in))]++
	}
	return n
}

func readingOf(r *classify.Release, in int) *classify.Reading {
	if in < len(r.Readings) {
		return r.Readings[in]
	}
	return nil
}

// bucketIn is r's bucket in the scheme at index in; the primary scheme's
// is Release.Bucket, which a release built by hand has without Readings.
func bucketIn(r *classify.Release, in int) string {
	if in == 0 {
		return r.Bucket
	}
	if g := readingOf(r, in); g != nil {
		return g.Bucket
	}
	return ""
}

// Crosstab is how the releases fall across the buckets of the primary
// scheme (rows) and of a further one (columns).
type Crosstab struct {
	Primary, Other *Reading
	Rows, Cols     []string // bucket ids, then Unclassified if used
	// N counts releases by row, then column.
	N         map[string]map[string]int
	RowTotals map[string]int
	ColTotals map[string]int
	Total     int
	// On counts the releases in cells the other scheme's declared
	// correspondence maps to each other; Off the rest.
	On, Off int
	// Cells are the cells off the correspondence that hold releases, row
	// by row, each with its releases newest first.
	Cells []*Cell
}

// Cell is one cell of a Crosstab with its releases.
type Cell struct {
	Row, Col string
	// Declared says whether the correspondence maps Col to Row.
	Declared bool
	Releases []*classify.Release
}

// Declared reports whether the other scheme's correspondence maps its
// bucket col to the primary bucket row. An unclassified release is on
// no correspondence.
func (x *Crosstab) Declared(row, col string) bool {
	return row != Unclassified && col != Unclassified && slices.Contains(x.Other.Scheme.Corresponds(col), row)
}

// Cross tabulates cat's releases across the primary reading and other.
func Cross(cat *classify.Catalog, primary, other *Reading) *Crosstab {
	x := &Crosstab{Primary: primary, Other: other, Rows: primary.Buckets, Cols: other.Buckets,
		N: map[string]map[string]int{}, RowTotals: map[string]int{}, ColTotals: map[string]int{}}
	cells := map[[2]string]*Cell{}
	for _, r := range cat.Releases {
		row, col := orUnclassified(bucketIn(r, primary.Index)), orUnclassified(bucketIn(r, other.Index))
		if x.N[row] == nil {
			x.N[row] = map[string]int{}
		}
		x.N[row][col]++
		x.RowTotals[row]++
		x.ColTotals[col]++
		x.Total++
		if x.Declared(row, col) {
			x.On++
			continue
		}
		x.Off++
		k := [2]string{row, col}
		if cells[k] == nil {
			cells[k] = &Cell{Row: row, Col: col}
		}
		cells[k].Releases = append(cells[k].Releases, r) // newest first, as cat's
	}
	for _, row := range x.Rows {
		for _, col := range x.Cols {
			if c := cells[[2]string{row, col}]; c != nil {
				x.Cells = append(x.Cells, c)
			}
		}
	}
	return x
}

// Share is n as a fraction of all releases, or 0.
func (x *Crosstab) Share(n int) float64 {
	if x.Total == 0 {
		return 0
	}
	return float64(n) / float64(x.Total)
}

func orUnclassified(b string) string {
	if b == "" {
		return Unclassified
	}
	return b
}
