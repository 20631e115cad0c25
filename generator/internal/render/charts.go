package render

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
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
	return s.BasePath + "releases/?" + q.Encode()
}

var classColors = map[string][2]string{
	"open":           {"#1b7f4d", "#5fd39a"},
	"conditional":    {"#b36b00", "#f2b457"},
	"non-commercial": {"#b3261e", "#f28b82"},
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

// matrixChart is a bucket × license-class heatmap of all releases.
func matrixChart(id string, s *Site, all *aggregate.Period) *Chart {
	c := &Chart{ID: id, Title: "Buckets by license class", Link: "releases/?bucket={bucket}&class={class}"}
	hm := charts.NewHeatMap()
	maxN := 0
	var data []opts.HeatMapData
	var names []string
	for _, b := range s.Stats.Buckets {
		names = append(names, bucketName(s.Cat, b))
	}
	c.Table.Head = append([]string{"Bucket"}, s.Stats.Classes...)
	bestB, bestC, bestN := "", "", -1
	for yi, b := range s.Stats.Buckets {
		row, links := []string{bucketName(s.Cat, b)}, []string{""}
		for xi, cl := range s.Stats.Classes {
			n := all.Matrix[b][cl]
			maxN = max(maxN, n)
			data = append(data, opts.HeatMapData{Value: [3]int{xi, yi, n}})
			row = append(row, fmt.Sprint(n))
			link := ""
			if n > 0 {
				link = explorerLink(s, "bucket", b, "class", cl)
			}
			links = append(links, link)
			if n > bestN {
				bestB, bestC, bestN = b, cl, n
			}
		}
		c.Table.Rows = append(c.Table.Rows, row)
		c.Table.Links = append(c.Table.Links, links)
	}
	c.meta = &chartMeta{X: s.Stats.Classes, Y: s.Stats.Buckets, Totals: []int{all.Total}}
	hm.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: c.Title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Top: "4%", Bottom: "18%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: s.Stats.Classes}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(false), Min: 0, Max: float32(max(maxN, 1)), Orient: "horizontal", Left: "center", Bottom: "0"}),
		charts.WithAnimation(false),
	)
	hm.AddSeries("Releases", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true)}))
	if bestN <= 0 {
		c.Caption = "No releases yet."
	} else {
		c.Caption = fmt.Sprintf("The most common combination is %s under %s licenses: %d of %d releases (%s).",
			bucketName(s.Cat, bestB), bestC, bestN, all.Total, Percent(all.Share(bestN)))
	}
	return finish(c, hm, nil)
}

// MaxScatterPoints is about how many releases the front page's scatter
// chart plots at most.
const MaxScatterPoints = 2000

// ordinal spells n as "2nd", "3rd", "11th" and so on.
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprint(n) + suffix
}

// scatterChart plots release date against total parameters, log scale,
// one series per bucket.
func scatterChart(id string, s *Site, rs []*classify.Release) *Chart {
	c := &Chart{ID: id, Title: "Release date against total parameters"}
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
	var largest *classify.Release
	sized := 0
	for _, r := range rs {
		if r.ParamsTotal > 0 {
			sized++
		}
	}
	// Beyond MaxScatterPoints, every step-th sized release of a bucket is
	// plotted: the page stays small, and the spread over time keeps its shape.
	step := max(1, (sized+MaxScatterPoints-1)/MaxScatterPoints)
	plotted := 0
	c.meta = &chartMeta{}
	for _, b := range s.Stats.Buckets {
		light, dark := s.bucketColor(b)
		darks = append(darks, dark)
		var data []opts.ScatterData
		var sizes []*classify.Release
		paths := []string{}
		for _, r := range rs {
			if r.ParamsTotal <= 0 || (r.Bucket != b && !(b == aggregate.Unclassified && r.Bucket == "")) {
				continue
			}
			if len(sizes)%step == 0 {
				data = append(data, opts.ScatterData{Name: r.Title, Value: []any{r.Date.String(), math.Round(float64(r.ParamsTotal)/1e6) / 1e3}})
				paths = append(paths, "releases/"+r.ID+"/")
			}
			sizes = append(sizes, r)
		}
		plotted += len(data)
		c.meta.Paths = append(c.meta.Paths, paths)
		sc.AddSeries(bucketName(s.Cat, b), data,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = b }))
		row := []string{bucketName(s.Cat, b), fmt.Sprint(len(sizes)), "", "", ""}
		if len(sizes) > 0 {
			sort.SliceStable(sizes, func(i, j int) bool { return sizes[i].ParamsTotal < sizes[j].ParamsTotal })
			row[2] = sizes[0].ParamsTotal.String()
			row[3] = sizes[len(sizes)/2].ParamsTotal.String()
			row[4] = sizes[len(sizes)-1].ParamsTotal.String()
			if largest == nil || sizes[len(sizes)-1].ParamsTotal > largest.ParamsTotal {
				largest = sizes[len(sizes)-1]
			}
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	if largest == nil {
		c.Caption = "No release states its size yet."
	} else {
		c.Caption = fmt.Sprintf("%d of %d releases state their size; the largest is %s, at %s parameters.", sized, len(rs), largest.Title, largest.ParamsTotal)
		if step > 1 {
			c.Caption += fmt.Sprintf(" The chart plots every %s sized release of each bucket, %d points in all; the table counts them all.", ordinal(step), plotted)
		}
	}
	return finish(c, sc, darks)
}
