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
	"github.com/whyopen/whyopen/generator/internal/load"
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
}

// periodMeta counts each key in each period.
func periodMeta(ps []*aggregate.Period, keys []string, n func(p *aggregate.Period, key string) int) *chartMeta {
	m := &chartMeta{Counts: make([][]int, len(keys)), Totals: make([]int, len(ps))}
	for i, k := range keys {
		m.Counts[i] = make([]int, len(ps))
		for j, p := range ps {
			m.Counts[i][j] = n(p, k)
		}
	}
	for j, p := range ps {
		m.Totals[j] = p.Total
	}
	return m
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

func periodKeys(ps []*aggregate.Period) []string {
	ks := make([]string, len(ps))
	for i, p := range ps {
		ks[i] = p.Key
	}
	return ks
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

// shareChart is each bucket's share of releases per period, a 100% stacked area.
func shareChart(id string, s *Site, ps []*aggregate.Period) *Chart {
	c := &Chart{ID: id, Title: "Bucket share of releases per " + string(s.Unit), Link: "releases/?bucket={bucket}&period={period}"}
	line := charts.NewLine()
	line.SetGlobalOptions(append(common(c.Title),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Max: 100, Name: "% of releases"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}))...)
	line.SetXAxis(periodKeys(ps))
	var darks []string
	c.Table.Head = []string{"Period"}
	for _, b := range s.Stats.Buckets {
		light, dark := s.bucketColor(b)
		darks = append(darks, dark)
		data := make([]opts.LineData, len(ps))
		for i, p := range ps {
			data[i] = opts.LineData{Value: pct(p.BucketShare(b))}
		}
		line.AddSeries(bucketName(s.Cat, b), data,
			charts.WithLineChartOpts(opts.LineChart{Stack: "share", Symbol: "none"}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Color: light, Opacity: opts.Float(0.85)}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: light, Width: 1}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = b }))
		c.Table.Head = append(c.Table.Head, bucketName(s.Cat, b))
	}
	shareRowsTable(c, s, ps, "")
	c.Caption = shareFinding(s, ps)
	return finish(c, line, darks)
}

// periodLink is the explorer filtered to bucket b in period p, or "" when
// p has no release in b.
func periodLink(s *Site, b string, p *aggregate.Period) string {
	if p.Bucket[b] == 0 {
		return ""
	}
	return explorerLink(s, "bucket", b, "period", p.Key)
}

// years sums periods into calendar years, keyed "2026".
func years(ps []*aggregate.Period) []*aggregate.Period {
	var out []*aggregate.Period
	for _, p := range ps {
		y := p.Key
		if len(y) > 4 {
			y = y[:4]
		}
		if len(out) == 0 || out[len(out)-1].Key != y {
			out = append(out, &aggregate.Period{Key: y, Bucket: map[string]int{}, Class: map[string]int{}})
		}
		sum := out[len(out)-1]
		sum.Total += p.Total
		for k, n := range p.Bucket {
			sum.Bucket[k] += n
		}
		for k, n := range p.Class {
			sum.Class[k] += n
		}
	}
	return out
}

// ends returns the first and last periods with releases, comparing
// calendar years when the releases span more than one: a single quarter
// holds too few releases for its share to mean much.
func ends(ps []*aggregate.Period) (first, last *aggregate.Period) {
	for _, set := range [][]*aggregate.Period{years(ps), ps} {
		first, last = nil, nil
		for _, p := range set {
			if p.Total > 0 {
				if first == nil {
					first = p
				}
				last = p
			}
		}
		if first != last {
			break
		}
	}
	return first, last
}

// shareRowsTable fills c's table with each period's bucket counts and
// shares, and its tooltip counts; the period whose key is mark is labelled
// "(this report)".
func shareRowsTable(c *Chart, s *Site, ps []*aggregate.Period, mark string) {
	c.Table.Head = append(c.Table.Head, "Releases")
	for _, p := range ps {
		key := p.Key
		if key == mark {
			key += " (this report)"
		}
		row, links := []string{key}, []string{""}
		for _, b := range s.Stats.Buckets {
			row = append(row, fmt.Sprintf("%d (%s)", p.Bucket[b], Percent(p.BucketShare(b))))
			links = append(links, periodLink(s, b, p))
		}
		c.Table.Rows = append(c.Table.Rows, append(row, fmt.Sprint(p.Total)))
		c.Table.Links = append(c.Table.Links, append(links, ""))
	}
	c.meta = periodMeta(ps, s.Stats.Buckets, func(p *aggregate.Period, b string) int { return p.Bucket[b] })
}

// shareFinding names the bucket whose share moved most between the first
// and the last calendar year with releases (or period, within one year).
func shareFinding(s *Site, ps []*aggregate.Period) string {
	first, last := ends(ps)
	if first == nil {
		return "No releases yet."
	}
	if first == last {
		return fmt.Sprintf("All %d releases fall in %s.", first.Total, first.Key)
	}
	best, bestD := "", -1.0
	for _, b := range s.Stats.Buckets {
		d := math.Abs(last.BucketShare(b) - first.BucketShare(b))
		if d > bestD {
			best, bestD = b, d
		}
	}
	from, to := first.BucketShare(best), last.BucketShare(best)
	verb := "rose"
	if math.Round(to*100) < math.Round(from*100) {
		verb = "fell"
	} else if math.Round(to*100) == math.Round(from*100) {
		return fmt.Sprintf("Bucket shares barely moved between %s and %s; %s held at %s of releases.", first.Key, last.Key, bucketName(s.Cat, best), Percent(to))
	}
	if len(first.Key) == 4 {
		return fmt.Sprintf("%s %s from %s of releases in %s (%d of %d) to %s in %s (%d of %d).", bucketName(s.Cat, best), verb,
			Percent(from), first.Key, first.Bucket[best], first.Total, Percent(to), last.Key, last.Bucket[best], last.Total)
	}
	return fmt.Sprintf("%s %s from %s to %s of releases between %s and %s.", bucketName(s.Cat, best), verb, Percent(from), Percent(to), first.Key, last.Key)
}

// volumeChart is the number of releases per period by bucket, stacked bars.
func volumeChart(id string, s *Site, ps []*aggregate.Period) *Chart {
	c := &Chart{ID: id, Title: "Releases per " + string(s.Unit) + " by bucket", Link: "releases/?bucket={bucket}&period={period}"}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(c.Title),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Releases", MinInterval: 1}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}))...)
	bar.SetXAxis(periodKeys(ps))
	var darks []string
	c.Table.Head = []string{"Period"}
	for _, b := range s.Stats.Buckets {
		light, dark := s.bucketColor(b)
		darks = append(darks, dark)
		data := make([]opts.BarData, len(ps))
		for i, p := range ps {
			data[i] = opts.BarData{Value: p.Bucket[b]}
		}
		bar.AddSeries(bucketName(s.Cat, b), data,
			charts.WithBarChartOpts(opts.BarChart{Stack: "n"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = b }))
		c.Table.Head = append(c.Table.Head, bucketName(s.Cat, b))
	}
	c.Table.Head = append(c.Table.Head, "Total")
	busiest := (*aggregate.Period)(nil)
	total := 0
	for _, p := range ps {
		row, links := []string{p.Key}, []string{""}
		for _, b := range s.Stats.Buckets {
			row = append(row, fmt.Sprint(p.Bucket[b]))
			links = append(links, periodLink(s, b, p))
		}
		c.Table.Rows = append(c.Table.Rows, append(row, fmt.Sprint(p.Total)))
		c.Table.Links = append(c.Table.Links, append(links, ""))
		total += p.Total
		if busiest == nil || p.Total > busiest.Total {
			busiest = p
		}
	}
	switch {
	case busiest == nil || total == 0:
		c.Caption = "No releases yet."
	default:
		lead, leadN := "", -1
		for _, b := range s.Stats.Buckets {
			if busiest.Bucket[b] > leadN {
				lead, leadN = b, busiest.Bucket[b]
			}
		}
		c.Caption = fmt.Sprintf("%d releases in all; the busiest %s was %s, with %d, led by %s (%d).",
			total, s.Unit, busiest.Key, busiest.Total, bucketName(s.Cat, lead), leadN)
	}
	c.meta = periodMeta(ps, s.Stats.Buckets, func(p *aggregate.Period, b string) int { return p.Bucket[b] })
	return finish(c, bar, darks)
}

// classChart is each license class's share per period, a 100% stacked area.
func classChart(id string, s *Site, ps []*aggregate.Period) *Chart {
	c := &Chart{ID: id, Title: "License-class share of releases per " + string(s.Unit)}
	line := charts.NewLine()
	line.SetGlobalOptions(append(common(c.Title),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Max: 100, Name: "% of releases"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}))...)
	line.SetXAxis(periodKeys(ps))
	var darks []string
	c.Table.Head = []string{"Period"}
	for _, cl := range s.Stats.Classes {
		col := classColors[cl]
		darks = append(darks, col[1])
		data := make([]opts.LineData, len(ps))
		for i, p := range ps {
			data[i] = opts.LineData{Value: pct(p.ClassShare(cl))}
		}
		line.AddSeries(cl, data,
			charts.WithLineChartOpts(opts.LineChart{Stack: "share", Symbol: "none"}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Color: col[0], Opacity: opts.Float(0.85)}),
			charts.WithLineStyleOpts(opts.LineStyle{Color: col[0], Width: 1}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: col[0]}))
		c.Table.Head = append(c.Table.Head, cl)
	}
	for _, p := range ps {
		row := []string{p.Key}
		for _, cl := range s.Stats.Classes {
			row = append(row, fmt.Sprintf("%d (%s)", p.Class[cl], Percent(p.ClassShare(cl))))
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	c.meta = periodMeta(ps, s.Stats.Classes, func(p *aggregate.Period, cl string) int { return p.Class[cl] })
	first, last := ends(ps)
	if first == nil {
		c.Caption = "No releases yet."
	} else {
		c.Caption = fmt.Sprintf("Open licenses made up %s of releases in %s and %s in %s.",
			Percent(first.ClassShare("open")), first.Key, Percent(last.ClassShare("open")), last.Key)
	}
	return finish(c, line, darks)
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
		// Every class is labelled, slanted so that five fit a narrow chart:
		// ECharts would otherwise drop the labels that overlap.
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: s.Stats.Classes, AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 30}}),
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

// bucketChart is one bucket's share of releases per period.
func bucketChart(id string, s *Site, b *load.Bucket, ps []*aggregate.Period) *Chart {
	c := &Chart{ID: id, Title: b.Title + ": share of releases per " + string(s.Unit), Link: "releases/?bucket={bucket}&period={period}"}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(c.Title),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "% of releases"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}))...)
	bar.SetXAxis(periodKeys(ps))
	light, dark := s.bucketColor(b.ID)
	data := make([]opts.BarData, len(ps))
	c.Table.Head = []string{"Period", b.Title, "All releases", "Share"}
	for i, p := range ps {
		data[i] = opts.BarData{Value: pct(p.BucketShare(b.ID))}
		c.Table.Rows = append(c.Table.Rows, []string{p.Key, fmt.Sprint(p.Bucket[b.ID]), fmt.Sprint(p.Total), Percent(p.BucketShare(b.ID))})
		c.Table.Links = append(c.Table.Links, []string{"", periodLink(s, b.ID, p)})
	}
	c.meta = periodMeta(ps, []string{b.ID}, func(p *aggregate.Period, b string) int { return p.Bucket[b] })
	first, last := ends(ps)
	bar.AddSeries(b.Title, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: light}),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Id = b.ID }))
	if first == nil {
		c.Caption = "No releases yet."
	} else {
		c.Caption = fmt.Sprintf("%s made up %s of releases in %s and %s in %s.", b.Title, Percent(first.BucketShare(b.ID)), first.Key, Percent(last.BucketShare(b.ID)), last.Key)
	}
	return finish(c, bar, []string{dark})
}

// totalsChart is a horizontal bar of labelled counts.
func totalsChart(id string, s *Site, title string, counts []Count) *Chart {
	c := &Chart{ID: id, Title: title}
	bar := charts.NewBar()
	var names []string
	data := make([]opts.BarData, len(counts))
	c.Table.Head = []string{"Name", "Releases", "Share"}
	total := 0
	for _, n := range counts {
		total += n.N
	}
	// ECharts draws the first category at the bottom: reverse, so the
	// chart reads top-down like the table.
	for i := range counts {
		n := counts[len(counts)-1-i]
		names = append(names, n.Name)
		data[i] = opts.BarData{Value: n.N}
	}
	for _, n := range counts {
		share := 0.0
		if total > 0 {
			share = float64(n.N) / float64(total)
		}
		c.Table.Rows = append(c.Table.Rows, []string{n.Name, fmt.Sprint(n.N), Percent(share)})
	}
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Show: opts.Bool(false), Title: title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "6%", Top: "2%", Bottom: "2%", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names}),
		charts.WithAnimation(false),
	)
	var darks []string
	for i := range counts {
		n := counts[len(counts)-1-i]
		if strings.HasPrefix(id, "releases-by-bucket") {
			l, d := s.bucketColor(n.Key)
			data[i].ItemStyle = &opts.ItemStyle{Color: l}
			darks = append(darks, d)
		}
		if strings.HasPrefix(id, "releases-by-class") {
			col := classColors[n.Key]
			data[i].ItemStyle = &opts.ItemStyle{Color: col[0]}
			darks = append(darks, col[1])
		}
	}
	bar.AddSeries("Releases", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#4a5d7e"}))
	c.meta = &chartMeta{Counts: [][]int{make([]int, len(counts))}, Totals: make([]int, len(counts))}
	for i := range counts {
		c.meta.Counts[0][i] = counts[len(counts)-1-i].N
		c.meta.Totals[i] = total
	}
	if len(counts) == 0 || total == 0 {
		c.Caption = "No releases yet."
	} else {
		top := counts[0]
		for _, n := range counts {
			if n.N > top.N {
				top = n
			}
		}
		c.Caption = fmt.Sprintf("%s leads with %d of %d releases (%s).", top.Name, top.N, total, Percent(float64(top.N)/float64(total)))
	}
	return finish(c, bar, darks)
}
