package render

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/whyopen/whyopen/generator/internal/figure"
)

// seriesColor is the light and dark colour of a bucket's or license
// class's series.
func (s *Site) seriesColor(key string) (light, dark string) {
	if c, ok := classColors[key]; ok && key != "" {
		return c[0], c[1]
	}
	return s.bucketColor(key)
}

// isBucket reports whether key is one of the site's bucket keys.
func (s *Site) isBucket(key string) bool {
	for _, b := range s.Stats.Buckets {
		if b == key {
			return true
		}
	}
	return false
}

// columnLabel is a period's axis label: its key, its n, and whether it
// is partial.
func columnLabel(c figure.Column) string {
	l := fmt.Sprintf("%s\nn=%d", c.Key, c.N)
	if c.Partial {
		l += ", partial"
	}
	if c.Mark {
		l += ", this report"
	}
	return l
}

// rowLabel is a period's label in a table.
func rowLabel(c figure.Column) string {
	k := c.Key
	if c.Partial {
		k += " (partial)"
	}
	if c.Mark {
		k += " (this report)"
	}
	return k
}

// periodChart formats a chart over time: shares as stacked areas (Share)
// or bars (One), counts as stacked bars (Volume). A share is never
// plotted for a small period: its point is "-", which ECharts leaves as a
// gap. A partial period, and every period but a report's own, is faded.
func periodChart(s *Site, f *figure.Figure) *Chart {
	c := &Chart{ID: f.ID, Title: f.Title, Caption: f.Caption, Note: f.Note}
	share := f.Kind != figure.Volume
	bucketSeries := len(f.Series) > 0 && s.isBucket(f.Series[0].Key)
	if bucketSeries {
		c.Link = "releases/?bucket={bucket}&period={period}"
	}
	labels := make([]string, len(f.Columns))
	keys := make([]string, len(f.Columns))
	// A report's own period stands out by fading the others, unless it
	// is empty: then fading would highlight nothing.
	marked := false
	for j, col := range f.Columns {
		labels[j], keys[j] = columnLabel(col), col.Key
		marked = marked || (col.Mark && col.N > 0)
	}
	y := opts.YAxis{Type: "value", Name: "Releases", MinInterval: 1}
	if share {
		y = opts.YAxis{Type: "value", Max: 100, Name: "% of releases"}
	}
	global := append(common(c.Title), charts.WithYAxisOpts(y), charts.WithXAxisOpts(opts.XAxis{Type: "category"}))
	var line *charts.Line
	var bar *charts.Bar
	if f.Kind == figure.Share {
		line = charts.NewLine()
		line.SetGlobalOptions(global...)
		line.SetXAxis(labels)
	} else {
		bar = charts.NewBar()
		bar.SetGlobalOptions(global...)
		bar.SetXAxis(labels)
	}
	var darks []string
	meta := &chartMeta{Counts: make([][]int, len(f.Series)), Totals: make([]int, len(f.Columns)), Keys: keys, Min: f.MinShareN}
	for j, col := range f.Columns {
		meta.Totals[j] = col.N
		if col.Partial {
			meta.Partial = append(meta.Partial, j)
		}
	}
	for i, sr := range f.Series {
		light, dark := s.seriesColor(sr.Key)
		darks = append(darks, dark)
		meta.Counts[i] = make([]int, len(f.Columns))
		id := sr.Key
		if line != nil {
			data := make([]opts.LineData, len(f.Columns))
			for j, col := range f.Columns {
				meta.Counts[i][j] = col.Counts[i]
				data[j] = opts.LineData{Value: shareValue(col, i)}
			}
			line.AddSeries(sr.Name, data,
				charts.WithLineChartOpts(opts.LineChart{Stack: "share", Symbol: "none"}),
				charts.WithAreaStyleOpts(opts.AreaStyle{Color: light, Opacity: opts.Float(0.85)}),
				charts.WithLineStyleOpts(opts.LineStyle{Color: light, Width: 1}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
				charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = id }))
			continue
		}
		data := make([]opts.BarData, len(f.Columns))
		for j, col := range f.Columns {
			meta.Counts[i][j] = col.Counts[i]
			if share {
				data[j] = opts.BarData{Value: shareValue(col, i)}
			} else {
				data[j] = opts.BarData{Value: col.Counts[i]}
			}
			if col.Partial || (marked && !col.Mark) {
				data[j].ItemStyle = &opts.ItemStyle{Opacity: opts.Float(0.4)}
			}
		}
		stack := "n"
		if share {
			stack = "share"
		}
		bar.AddSeries(sr.Name, data,
			charts.WithBarChartOpts(opts.BarChart{Stack: stack}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = id }))
	}
	c.meta = meta
	c.Table = periodTable(s, f)
	if line != nil {
		return finish(c, line, darks)
	}
	return finish(c, bar, darks)
}

// shareValue is series i's share of col in percent, or "-" when col is
// too small for a share.
func shareValue(col figure.Column, i int) any {
	if col.Small {
		return "-"
	}
	return pct(col.Share(i))
}

// periodTable is a chart over time's data: per period, each series'
// count and, where the period is large enough, its share, then the n.
func periodTable(s *Site, f *figure.Figure) Table {
	var t Table
	if f.Kind == figure.One && len(f.Series) == 1 {
		t.Head = []string{"Period", f.Series[0].Name, "All releases", "Share"}
	} else {
		t.Head = []string{"Period"}
		for _, sr := range f.Series {
			t.Head = append(t.Head, sr.Name)
		}
		t.Head = append(t.Head, "Releases")
	}
	for _, col := range f.Columns {
		row, links := []string{rowLabel(col)}, []string{""}
		for i, sr := range f.Series {
			cell := fmt.Sprint(col.Counts[i])
			if f.Kind == figure.Share {
				cell += " (" + shareCell(col, i) + ")"
			}
			row = append(row, cell)
			link := ""
			if col.Counts[i] > 0 && s.isBucket(sr.Key) {
				link = explorerLink(s, "bucket", sr.Key, "period", col.Key)
			}
			links = append(links, link)
		}
		row = append(row, fmt.Sprint(col.N))
		if f.Kind == figure.One && len(f.Series) == 1 {
			row = append(row, shareCell(col, 0))
		}
		t.Rows = append(t.Rows, row)
		t.Links = append(t.Links, links)
	}
	return t
}

// shareCell is a share for a table, or "–" for a period too small for one.
func shareCell(col figure.Column, i int) string {
	if col.Small {
		return "–"
	}
	return Percent(col.Share(i))
}

// totalsChart formats a Totals figure as horizontal bars, top-down like
// its table; shares are of the figure's total, all releases.
func totalsChart(s *Site, f *figure.Figure) *Chart {
	c := &Chart{ID: f.ID, Title: f.Title, Caption: f.Caption, Note: f.Note}
	bar := charts.NewBar()
	n := len(f.Series)
	names := make([]string, n)
	data := make([]opts.BarData, n)
	c.Table.Head = []string{"Name", "Releases", "Share"}
	c.meta = &chartMeta{Counts: [][]int{make([]int, n)}, Totals: make([]int, n)}
	var darks []string
	// ECharts draws the first category at the bottom: reverse.
	for i := range f.Series {
		sr := f.Series[n-1-i]
		names[i] = sr.Name
		data[i] = opts.BarData{Value: sr.N}
		c.meta.Counts[0][i] = sr.N
		c.meta.Totals[i] = f.Total
		if f.ID != "releases-by-org" {
			l, d := s.seriesColor(sr.Key)
			data[i].ItemStyle = &opts.ItemStyle{Color: l}
			darks = append(darks, d)
		}
	}
	for _, sr := range f.Series {
		share := 0.0
		if f.Total > 0 {
			share = float64(sr.N) / float64(f.Total)
		}
		c.Table.Rows = append(c.Table.Rows, []string{sr.Name, fmt.Sprint(sr.N), Percent(share)})
	}
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: f.Title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "6%", Top: "2%", Bottom: "2%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names}),
		charts.WithAnimation(false),
	)
	bar.AddSeries("Releases", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#4a5d7e"}))
	return finish(c, bar, darks)
}

// sourceLine is what every export of a figure carries: "Source: <site
// title>, <base_url>, data as of <date>, <data license>".
func sourceLine(s *Site) string {
	parts := []string{"Source: " + s.Title, s.BaseURL}
	if d := s.Figs.AsOf; !d.IsZero() {
		parts = append(parts, "data as of "+d.String())
	}
	if l := s.Cat.Site.DataLicense; l != "" {
		parts = append(parts, l)
	}
	return strings.Join(parts, ", ")
}

// embedID is a figure's id across the site: its page's path, then its id
// on the page.
func embedID(page, id string) string {
	p := strings.Trim(strings.ReplaceAll(page, "/", "-"), "-")
	if p == "" {
		return id
	}
	return p + "-" + id
}

// place gives chart c, shown on the page at path, its source line, its
// stable address and its embed page's, and returns it.
func (s *Site) place(c *Chart, path string) *Chart {
	c.Source = s.source
	c.Href = absURL(s, path) + "#" + c.ID
	c.Embed = absURL(s, "embed/"+embedID(path, c.ID)+"/")
	return c
}

// Embed is the data of a figure's embed page: the figure alone, with its
// caption and source line, and a link to the page it belongs to.
type Embed struct {
	Chart *Chart
	Page  Link
}

// embedPage adds the embed page of the chart that mk makes for the page
// at path titled title; mk runs only while the embed page renders.
// With ownCard, the embed page gets a card of its own (the front page's,
// the buckets' and the reports' figures); else it shows the site's.
func embedPage(page func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page, s *Site, path, title, id string, mk func() *Chart, ownCard bool) {
	e := &Embed{Page: Link{title, path}}
	pg := page("embed", "embed/"+embedID(path, id)+"/", "Figure: "+title, "A figure from "+s.Title+".", e)
	if ownCard {
		pg.withCard(func() card {
			c := mk()
			return card{Kicker: s.Title + " · " + title, Title: c.Title, Figure: c.Caption, Footer: s.cardFooter()}
		})
	}
	pg.lazy = func(fill bool) {
		e.Chart = nil
		if fill {
			e.Chart = s.place(mk(), path)
		}
	}
}
