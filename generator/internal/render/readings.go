package render

import (
	"fmt"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"html/template"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// This file renders what a site with further bucket schemes adds: the
// /readings/ page, where the primary scheme and each further one are
// crossed; each further scheme's index at /schemes/<id>/ and its buckets'
// pages at /schemes/<id>/<bucket>/. A one-scheme site has none of them.

// Readings is the data of /readings/.
type Readings struct {
	Schemes []*SchemeView // the primary first
	Crosses []*CrossView
}

// SchemeView is one scheme with its counts and its share-over-time chart.
type SchemeView struct {
	Scheme *classify.Scheme
	G      *aggregate.Reading
	Path   string // its bucket index: buckets/ or schemes/<id>/
	Body   template.HTML
	Share  *Chart
	Counts []Count
}

// CrossView is the primary scheme crossed with a further one.
type CrossView struct {
	X       *aggregate.Crosstab
	Chart   *Chart
	Rows    []CrossRow
	Cols    []Count // the column heads, with totals
	Cells   []*CellView
	Other   *classify.Scheme
	Primary *classify.Scheme
}

// CrossRow is one row of the cross-tabulation table.
type CrossRow struct {
	Head  Count
	Cells []CrossCell
}

// CrossCell is one cell of the table: its count, share of all releases,
// whether the correspondence declares it, and its anchor.
type CrossCell struct {
	N        int
	Share    float64
	Declared bool
	Anchor   string // "cell-<row>--<col>" for an off cell with releases
	ID       string // "x-<row>--<col>"
}

// CellView is one cell off the correspondence with its releases.
type CellView struct {
	Anchor           string
	RowName, ColName string
	Row, Col         *load.Bucket // nil when unclassified
	Releases         []ReleaseReadings
}

// ReleaseReadings is a release with its reading in two schemes.
type ReleaseReadings struct {
	R              *classify.Release
	Primary, Other *classify.Reading
}

// inScheme returns s as the chart builders see a further scheme: its
// buckets and its counts in place of the primary scheme's. Explorer links
// from its charts carry the scheme.
func (s *Site) inScheme(g *aggregate.Reading) *Site {
	if g.Scheme.Primary {
		return s
	}
	v := *s
	cat := *s.Cat
	cat.Buckets, cat.BucketByID = g.Scheme.Buckets, g.Scheme.BucketByID
	st := *s.Stats
	st.Buckets, st.Quarter, st.Month, st.All = g.Buckets, g.Quarter, g.Month, g.All
	v.Cat, v.Stats, v.scheme = &cat, &st, g.Scheme.ID
	// The scheme's figures, made as the primary scheme's are.
	v.Figs = figure.Build(&cat, &st, s.Figs.Opt)
	return &v
}

// placeOnly places a figure of a further scheme's view on its page, with
// its source line and address but no embed page: the toolbar then offers
// no embed.
func (s *Site) placeOnly(c *Chart, path string) *Chart {
	s.place(c, path)
	c.Embed = ""
	return c
}

// schemePath is the path of a scheme's bucket index.
func schemePath(sc *classify.Scheme) string {
	if sc.Primary {
		return "buckets/"
	}
	return "schemes/" + sc.ID + "/"
}

// bucketTitle is a scheme's bucket's title, "Unclassified" for
// aggregate.Unclassified.
func bucketTitle(sc *classify.Scheme, id string) string {
	if b := sc.BucketByID[id]; b != nil {
		return b.Title
	}
	return "Unclassified"
}

// schemeCounts counts the releases per bucket of a scheme's reading.
func schemeCounts(g *aggregate.Reading) []Count {
	var out []Count
	for _, id := range g.Buckets {
		c := Count{Key: id, Name: bucketTitle(g.Scheme, id), N: g.All.Bucket[id]}
		if g.Scheme.BucketByID[id] != nil {
			c.Path = schemePath(g.Scheme) + id + "/"
		}
		c.Share = g.All.Share(c.N)
		out = append(out, c)
	}
	return out
}

func readingsPage(s *Site) *Readings {
	st := s.Stats
	rd := &Readings{}
	for _, g := range st.Readings {
		sv := &SchemeView{Scheme: g.Scheme, G: g, Path: schemePath(g.Scheme), Counts: schemeCounts(g)}
		if g.Scheme.Doc != nil {
			sv.Body = g.Scheme.Doc.HTML
		}
		rd.Schemes = append(rd.Schemes, sv)
	}
	for _, x := range st.Crosstabs {
		rd.Crosses = append(rd.Crosses, crossView(s, x))
	}
	return rd
}

// fillReadings makes the page's charts, in a worker.
func fillReadings(s *Site, rd *Readings, fill bool) {
	for _, sv := range rd.Schemes {
		sv.Share = nil
		if fill {
			v := s.inScheme(sv.G)
			sv.Share = periodChart(v, v.Figs.ShareOverTime)
			sv.Share.ID = "share-over-time-" + sv.Scheme.ID
			sv.Share.Title = sv.Scheme.Title + ": " + sv.Share.Title
			s.placeOnly(sv.Share, "readings/")
			if !sv.Scheme.Primary {
				sv.Share.Link = "releases/?scheme=" + sv.Scheme.ID + "&bucket={bucket}&period={period}"
			}
		}
	}
	for _, cv := range rd.Crosses {
		cv.Chart = nil
		if fill {
			cv.Chart = crossChart(s, cv.X)
		}
	}
}

func crossView(s *Site, x *aggregate.Crosstab) *CrossView {
	ps, os := x.Primary.Scheme, x.Other.Scheme
	cv := &CrossView{X: x, Other: os, Primary: ps}
	for _, col := range x.Cols {
		cv.Cols = append(cv.Cols, Count{Key: col, Name: bucketTitle(os, col), N: x.ColTotals[col], Share: x.Share(x.ColTotals[col])})
	}
	off := map[string]bool{}
	for _, c := range x.Cells {
		off[c.Row+"--"+c.Col] = true
	}
	for _, row := range x.Rows {
		cr := CrossRow{Head: Count{Key: row, Name: bucketTitle(ps, row), N: x.RowTotals[row], Share: x.Share(x.RowTotals[row])}}
		for _, col := range x.Cols {
			n := x.N[row][col]
			cc := CrossCell{N: n, Share: x.Share(n), Declared: x.Declared(row, col), ID: "x-" + row + "--" + col}
			if off[row+"--"+col] {
				cc.Anchor = "cell-" + row + "--" + col
			}
			cr.Cells = append(cr.Cells, cc)
		}
		cv.Rows = append(cv.Rows, cr)
	}
	for _, c := range x.Cells {
		v := &CellView{Anchor: "cell-" + c.Row + "--" + c.Col, RowName: bucketTitle(ps, c.Row), ColName: bucketTitle(os, c.Col),
			Row: ps.BucketByID[c.Row], Col: os.BucketByID[c.Col]}
		for _, r := range c.Releases {
			v.Releases = append(v.Releases, ReleaseReadings{R: r, Primary: r.Readings[x.Primary.Index], Other: r.Readings[x.Other.Index]})
		}
		cv.Cells = append(cv.Cells, v)
	}
	return cv
}

// crossChart is a heatmap of the releases by their bucket in the primary
// scheme (rows) and in another (columns). A click on a cell goes to its
// row of the table on /readings/.
func crossChart(s *Site, x *aggregate.Crosstab) *Chart {
	ps, os := x.Primary.Scheme, x.Other.Scheme
	c := &Chart{ID: "cross-" + os.ID, Title: ps.Title + " by " + os.Title, Link: "readings/#x-{bucket}--{class}"}
	hm := charts.NewHeatMap()
	var rows, cols []string
	for _, r := range x.Rows {
		rows = append(rows, bucketTitle(ps, r))
	}
	for _, col := range x.Cols {
		cols = append(cols, bucketTitle(os, col))
	}
	c.Table.Head = append([]string{ps.Title + " \\ " + os.Title}, cols...)
	c.Table.Head = append(c.Table.Head, "Releases")
	maxN := 0
	var data []opts.HeatMapData
	for yi, r := range x.Rows {
		row, links := []string{bucketTitle(ps, r)}, []string{""}
		for xi, col := range x.Cols {
			n := x.N[r][col]
			maxN = max(maxN, n)
			data = append(data, opts.HeatMapData{Value: [3]int{xi, yi, n}})
			row = append(row, fmt.Sprintf("%d (%s)", n, Percent(x.Share(n))))
			link := ""
			if n > 0 {
				link = s.BasePath + "readings/#x-" + r + "--" + col
			}
			links = append(links, link)
		}
		c.Table.Rows = append(c.Table.Rows, append(row, fmt.Sprint(x.RowTotals[r])))
		c.Table.Links = append(c.Table.Links, append(links, ""))
	}
	c.meta = &chartMeta{X: x.Cols, Y: x.Rows, Totals: []int{x.Total}}
	heatmap(hm, c.Title, cols, rows, maxN, data)
	if x.Total == 0 {
		c.Caption = "No releases yet."
	} else {
		c.Caption = fmt.Sprintf("%d of %d releases (%s) fall where the declared correspondence puts them; %d (%s) fall off it.",
			x.On, x.Total, Percent(x.Share(x.On)), x.Off, Percent(x.Share(x.Off)))
	}
	return finish(c, hm, nil)
}

// schemePages adds /readings/, and each further scheme's bucket index
// and bucket pages.
func schemePages(s *Site, page func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page) {
	if len(s.Stats.Readings) < 2 {
		return
	}
	home := Crumb{"Home", ""}
	rd := readingsPage(s)
	page("readings", "readings/", "Readings side by side", "The same releases sorted by each bucket scheme, and the releases where the readings part.", rd, home).lazy = func(fill bool) {
		fillReadings(s, rd, fill)
	}
	byBucket := map[int]map[string][]*classify.Release{}
	for _, g := range s.Stats.Readings[1:] {
		byBucket[g.Index] = group(s.Cat.Releases, func(r *classify.Release) string { return r.Readings[g.Index].Bucket })
	}
	for _, g := range s.Stats.Readings[1:] {
		sc, v := g.Scheme, s.inScheme(g)
		crumb := Crumb{sc.Title, schemePath(sc)}
		var terms []*Term
		for _, b := range sc.Buckets {
			t := &Term{ID: sc.ID + "--" + b.ID, Name: b.Title, Path: schemePath(sc) + b.ID + "/", Releases: byBucket[g.Index][b.ID], Bucket: b}
			terms = append(terms, t)
			termPages(schemed(page, v), "bucket", t, func(t *Term) {
				t.Body, t.Chart = b.HTML, v.placeOnly(periodChart(v, v.Figs.BucketShare[b.ID]), t.Path)
				t.Chart.Link = "releases/?scheme=" + sc.ID + "&bucket={bucket}&period={period}"
			}, true, b.Title, b.Question, home, Crumb{"Buckets", "buckets/"}, crumb)
		}
		idx := &TermIndex{Terms: terms}
		schemed(page, v)("buckets", schemePath(sc), sc.Title+": the buckets", "The buckets of "+sc.Title+", another reading of why makers release weights.", idx, home, Crumb{"Buckets", "buckets/"}).lazy = func(fill bool) {
			idx.Chart = nil
			if fill {
				idx.Chart = v.placeOnly(totalsChart(v, v.Figs.ByBucket), schemePath(sc))
			}
		}
	}
}

// schemed wraps page so that the pages it makes see the site as v does.
func schemed(page func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page, v *Site) func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page {
	return func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page {
		pg := page(kind, p, title, desc, data, crumbs...)
		pg.Site = v
		return pg
	}
}

// SchemeSwitch lists the schemes for a switcher, marking the one a page
// shows.
type SchemeSwitch struct {
	ID, Title, Path  string
	Current, Primary bool
}

func init() {
	// schemes returns the switcher of a page showing scheme current ("" is
	// the primary); nil for a one-scheme site.
	funcs["schemeSwitch"] = func(p *Page) []SchemeSwitch {
		if !p.Cat.Further() {
			return nil
		}
		var out []SchemeSwitch
		for _, sc := range p.Cat.Schemes {
			out = append(out, SchemeSwitch{ID: sc.ID, Title: sc.Title, Path: schemePath(sc), Primary: sc.Primary, Current: sc.Primary && p.scheme == "" || sc.ID == p.scheme})
		}
		return out
	}
	// readingChip is the chip of bucket id in the reading's scheme.
	funcs["readingChip"] = func(p *Page, g *classify.Reading) (template.HTML, error) {
		if g.Scheme.Primary {
			return p.Site.rows.fragment("bucket-chip", p, g.Scheme.BucketByID[g.Bucket])
		}
		return p.Site.rows.fragment("scheme-chip", p, g.Scheme.BucketByID[g.Bucket])
	}
	funcs["schemeChip"] = func(p *Page, sc *classify.Scheme, id string) (template.HTML, error) {
		if sc.Primary {
			return p.Site.rows.fragment("bucket-chip", p, sc.BucketByID[id])
		}
		return p.Site.rows.fragment("scheme-chip", p, sc.BucketByID[id])
	}
	funcs["schemeIndex"] = schemePath
	funcs["fragmentOf"] = func(p *Page, v any) Fragment { return Fragment{p, v} }
	funcs["list"] = func(gs ...*classify.Reading) []*classify.Reading { return gs }
	// evidenceFor lists a reading's evidence for one bucket.
	funcs["evidenceFor"] = func(g *classify.Reading, bucket string) []classify.Evidence {
		var out []classify.Evidence
		for _, e := range g.Evidence {
			if e.Bucket == bucket {
				out = append(out, e)
			}
		}
		return out
	}
}

// OrgReading is an org's releases in one scheme: the editors' default for
// the org, with its note, and how many releases fall in each bucket.
type OrgReading struct {
	Scheme        *classify.Scheme
	Default, Note string
	Counts        []Count // buckets with releases, in bucket order
}

func init() {
	// orgReadings is an org's releases in every scheme; nil for a
	// one-scheme site.
	funcs["orgReadings"] = func(p *Page, o *load.Org, rs []*classify.Release) []OrgReading {
		if !p.Cat.Further() {
			return nil
		}
		var out []OrgReading
		for i, sc := range p.Cat.Schemes {
			or := OrgReading{Scheme: sc}
			if sc.Primary {
				or.Default, or.Note = o.Bucket, o.BucketNote
			} else {
				or.Default, or.Note = o.Buckets[sc.ID], o.BucketNotes[sc.ID]
			}
			n := aggregate.CountIn(rs, i)
			ids := []string{}
			for _, b := range sc.Buckets {
				ids = append(ids, b.ID)
			}
			ids = append(ids, aggregate.Unclassified)
			for _, id := range ids {
				if n[id] > 0 {
					or.Counts = append(or.Counts, Count{Key: id, Name: bucketTitle(sc, id), N: n[id], Share: float64(n[id]) / float64(len(rs))})
				}
			}
			out = append(out, or)
		}
		return out
	}
}
