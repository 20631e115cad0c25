package render

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/whyopen/whyopen/generator/internal/figure"
)

// Chart is one chart: its ECharts option as JSON, a caption that states its
// main finding in words, and the same data as a table for readers without
// JavaScript or sight of the chart.
type Chart struct {
	ID      string
	Title   string
	Caption string
	// Option is the ECharts option, JSON with <, > and & escaped, so it
	// can never end the <script> element that holds it.
	Option template.JS
	// Dark lists the series colours for dark mode, comma-separated.
	Dark   string
	Series int
	// Link is a path pattern for clicking a segment: {bucket} and {period}
	// are filled in by the chart script.
	Link  string
	Table Table
	// Note says what n is and what the chart leaves out; Source is the
	// source line every export carries; Href is the figure's stable
	// address (its page and anchor), Embed its embed page's.
	Note, Source, Href, Embed string
	// meta travels in the option as "whyopen"; site.js takes it out.
	meta *chartMeta
}

// chartMeta is what the chart script needs beyond the ECharts option: the
// counts behind each point, so tooltips show count and share, and the keys
// a click links to.
type chartMeta struct {
	// Counts are per series, then per point; Totals per point. A point's
	// share is its count over its total.
	Counts [][]int `json:"counts,omitempty"`
	Totals []int   `json:"totals,omitempty"`
	// X and Y are the keys of a heatmap's columns and rows.
	X []string `json:"x,omitempty"`
	Y []string `json:"y,omitempty"`
	// Paths are a scatter chart's release pages, per series, per point.
	Paths [][]string `json:"paths,omitempty"`
	// Keys are a chart over time's period keys, which a click links to;
	// its axis labels add each period's n.
	Keys []string `json:"keys,omitempty"`
	// Min is the fewest releases a period needs for a share; Partial
	// indexes the period that has not ended.
	Min     int   `json:"min,omitempty"`
	Partial []int `json:"partial,omitempty"`
}

// Table is a chart's data as rows.
type Table struct {
	Head []string
	Rows [][]string
	// Links, when set, parallel Rows: a cell's link (a path under the
	// base path) or "".
	Links [][]string
}

// Link returns the link of row r's cell c, or "".
func (t Table) Link(r, c int) string {
	if r < len(t.Links) && c < len(t.Links[r]) {
		return t.Links[r][c]
	}
	return ""
}

// explorerLink is the path of the explorer filtered by the given key,
// value pairs.
func explorerLink(s *Site, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	if s.scheme != "" { // a further scheme's view: its bucket ids
		q.Set("scheme", s.scheme)
	}
	return s.BasePath + "releases/?" + q.Encode()
}

var classColors = map[string][2]string{
	"open":           {"#1b7f4d", "#5fd39a"},
	"conditional":    {"#b36b00", "#f2b457"},
	"non-commercial": {"#b3261e", "#f28b82"},
	"custom":         {"#6a4c93", "#b9a3d9"},
	"unknown":        {"#5f6368", "#b0b3b8"},
	"":               {"#6b6b6b", "#a8a8a8"},
}

func (s *Site) bucketColor(id string) (light, dark string) {
	if b := s.Cat.BucketByID[id]; b != nil {
		dark = b.ColorDark
		if dark == "" {
			dark = b.Color
		}
		return b.Color, dark
	}
	return "#6b6b6b", "#a8a8a8"
}

// option is what every go-echarts chart type has.
type option interface {
	Validate()
	JSON() map[string]interface{}
}

func finish(c *Chart, ch option, darks []string) *Chart {
	ch.Validate()
	obj := ch.JSON()
	delete(obj, "toolbox")
	if c.meta != nil {
		obj["whyopen"] = c.meta
	}
	b, err := json.Marshal(obj)
	if err != nil {
		b = []byte("{}")
	}
	c.Option = template.JS(b)
	c.Dark = strings.Join(darks, ",")
	if series, ok := obj["series"].(charts.MultiSeries); ok {
		c.Series = len(series)
	}
	return c
}

func pct(f float64) float64 { return math.Round(f*1000) / 10 }

// Percent formats a share as "12.5%".
func Percent(f float64) string {
	return fmt.Sprintf("%.0f%%", math.Round(f*100))
}

func common(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: title}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "8%", Bottom: "18%", ContainLabel: opts.Bool(true)}),
		charts.WithAnimation(false),
	}
}

// matrixChart formats a Matrix figure as a heatmap: rows are its series,
// columns its grid's.
func matrixChart(s *Site, f *figure.Figure) *Chart {
	c := &Chart{ID: f.ID, Title: f.Title, Caption: f.Caption, Note: f.Note, Link: "releases/?bucket={bucket}&class={class}"}
	hm := charts.NewHeatMap()
	maxN := 0
	var data []opts.HeatMapData
	var names, rows, cols []string
	for _, sr := range f.Series {
		names = append(names, sr.Name)
		rows = append(rows, sr.Key)
	}
	for _, cl := range f.Grid.Cols {
		cols = append(cols, cl.Key)
	}
	c.Table.Head = append([]string{"Bucket"}, cols...)
	for yi, sr := range f.Series {
		row, links := []string{sr.Name}, []string{""}
		for xi, cl := range f.Grid.Cols {
			n := f.Grid.Cells[yi][xi]
			maxN = max(maxN, n)
			data = append(data, opts.HeatMapData{Value: [3]int{xi, yi, n}})
			row = append(row, fmt.Sprint(n))
			link := ""
			if n > 0 {
				link = explorerLink(s, "bucket", sr.Key, "class", cl.Key)
			}
			links = append(links, link)
		}
		c.Table.Rows = append(c.Table.Rows, row)
		c.Table.Links = append(c.Table.Links, links)
	}
	c.meta = &chartMeta{X: cols, Y: rows, Totals: []int{f.Total}}
	heatmap(hm, c.Title, cols, names, maxN, data)
	return finish(c, hm, nil)
}

// scatterChart formats a Scatter figure: release date against total
// parameters, log scale, one series per bucket, each dot linking to its
// release.
func scatterChart(s *Site, f *figure.Figure) *Chart {
	c := &Chart{ID: f.ID, Title: f.Title, Caption: f.Caption, Note: f.Note}
	sc := charts.NewScatter()
	sc.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: c.Title}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "8%", Bottom: "18%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "log", Name: "Total parameters (billions)"}),
		charts.WithAnimation(false),
	)
	var darks []string
	c.Table.Head = []string{"Bucket", "Releases with a size", "Smallest", "Median", "Largest"}
	c.meta = &chartMeta{}
	for i, sr := range f.Series {
		light, dark := s.bucketColor(sr.Key)
		darks = append(darks, dark)
		data := []opts.ScatterData{}
		paths := []string{}
		for _, d := range f.Dots.Dots[i] {
			data = append(data, opts.ScatterData{Name: d.Name, Value: []any{d.Date, d.Billions}})
			paths = append(paths, d.Path)
		}
		if len(data) == 0 {
			data = nil
		}
		c.meta.Paths = append(c.meta.Paths, paths)
		id := sr.Key
		sc.AddSeries(sr.Name, data,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = id }))
		sz := f.Dots.Sizes[i]
		c.Table.Rows = append(c.Table.Rows, []string{sr.Name, fmt.Sprint(sz.N), sz.Smallest, sz.Median, sz.Largest})
	}
	return finish(c, sc, darks)
}

// heatmap sets a count heatmap's options: its columns and rows, a colour
// scale up to maxN, and each cell labelled with its count.
func heatmap(hm *charts.HeatMap, title string, cols, rows []string, maxN int, data []opts.HeatMapData) {
	hm.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "4%", Bottom: "18%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rows}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(false), Min: 0, Max: float32(max(maxN, 1)), Orient: "horizontal", Left: "center", Bottom: "0"}),
		charts.WithAnimation(false),
	)
	hm.AddSeries("Releases", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
}
