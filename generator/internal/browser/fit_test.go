package browser

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// selectArrow is room enough for the arrow Chromium draws in a select, in
// CSS pixels.
const selectArrow = 24

// TestExplorerSelectsFit checks that every option of the bucket filter
// fits its select, at a desktop and a phone width: the select shows the
// picked option's whole label, count included. Text widths are measured
// in the select's own font.
func TestExplorerSelectsFit(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	tb := newTab(t, real)
	for _, width := range []int64{1280, 390} {
		tb.do(chromedp.EmulateViewport(width, 900))
		tb.openExplorer(real, "")
		var opts []struct {
			Text        string
			Width, Room float64
		}
		tb.eval(fmt.Sprintf(`(() => {
			const s = document.getElementById("ex-bucket"), cs = getComputedStyle(s);
			const g = document.createElement("canvas").getContext("2d");
			g.font = cs.font;
			const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - %d;
			return Array.from(s.options, o => ({Text: o.textContent, Width: g.measureText(o.textContent).width, Room: room}));
		})()`, selectArrow), &opts)
		if len(opts) < 2 {
			t.Fatalf("%d px: the bucket select has %d options", width, len(opts))
		}
		for _, o := range opts {
			if o.Width > o.Room {
				t.Errorf("%d px: the bucket option %q is %.0f px wide; the select has room for %.0f", width, o.Text, o.Width, o.Room)
			}
		}
	}
	tb.checkClean("explorer's selects")
}

// chartText is one piece of text a chart draws, with its box in the
// chart's pixels.
type chartText struct {
	Text                     string
	Left, Top, Right, Bottom float64
}

// chartFit is what a chart draws, read from its ECharts instance: its size,
// every piece of text it shows (hidden labels are not drawn, so not
// listed), its axis names and a heatmap's row and column labels.
type chartFit struct {
	ID            string
	Width, Height float64
	Texts         []chartText
	Names         []string // axis names
	Categories    []string // a heatmap's column and row labels
}

// chartFits reads what each chart of the open page draws.
func (tb *tab) chartFits() []chartFit {
	tb.t.Helper()
	var charts []chartFit
	tb.eval(`Array.from(document.querySelectorAll(".chart-canvas")).map(el => {
		const ch = echarts.getInstanceByDom(el);
		if (!ch) return {ID: el.dataset.chart};
		const o = ch.getOption(), axes = [].concat(o.xAxis || [], o.yAxis || []);
		const texts = ch.getZr().storage.getDisplayList(true).filter(e => e.style && e.style.text != null && e.style.text !== "").map(e => {
			const r = e.getBoundingRect().clone(), m = e.getComputedTransform();
			if (m) r.applyTransform(m);
			return {Text: String(e.style.text), Left: r.x, Top: r.y, Right: r.x + r.width, Bottom: r.y + r.height};
		});
		const heat = (o.series || []).some(s => s.type === "heatmap");
		return {ID: el.dataset.chart, Width: ch.getWidth(), Height: ch.getHeight(), Texts: texts,
			Names: axes.filter(a => a.name).map(a => a.name),
			Categories: heat ? [].concat(...axes.map(a => a.data || [])).map(String) : []};
	})`, &charts)
	return charts
}

// checkFit checks what chart c draws: every text inside its canvas, every
// axis name and heatmap label drawn. It reports whether c is a heatmap.
func checkFit(t *testing.T, where string, c chartFit) bool {
	t.Helper()
	what := where + ", " + c.ID
	if c.Width == 0 {
		t.Errorf("%s: not drawn", what)
		return false
	}
	drawn := map[string]bool{}
	for _, x := range c.Texts {
		drawn[x.Text] = true
		// Half a pixel for rounding.
		if x.Left < -0.5 || x.Top < -0.5 || x.Right > c.Width+0.5 || x.Bottom > c.Height+0.5 {
			t.Errorf("%s: %q is drawn at [%.0f,%.0f]–[%.0f,%.0f], outside the %.0f×%.0f canvas",
				what, x.Text, x.Left, x.Top, x.Right, x.Bottom, c.Width, c.Height)
		}
	}
	for _, n := range c.Names {
		if !drawn[n] {
			t.Errorf("%s: the axis name %q is not drawn", what, n)
		}
	}
	for _, n := range c.Categories {
		if !drawn[n] {
			t.Errorf("%s: the heatmap label %q is not drawn", what, n)
		}
	}
	return len(c.Categories) > 0
}

// TestChartsFit draws every chart of the main page kinds at a phone's, a
// small tablet's and a desktop's width and checks, through each chart's ECharts instance, that
// every text it draws lies inside its canvas, that each axis name is
// drawn, and that a heatmap labels every row and column.
func TestChartsFit(t *testing.T) {
	t.Parallel()
	real, fixture := sites(t)
	type page struct {
		tb   *tab
		s    *site
		path string
	}
	var pages []page
	tabs := map[*site]*tab{}
	for _, s := range []*site{real, fixture} {
		tabs[s] = newTab(t, s) // a tab notes requests to other sites
		kinds := pageKinds(t, s)
		for _, k := range []string{"home", "bucket", "report", "orgs", "org", "licenses", "license"} {
			if p, ok := kinds[k]; ok {
				pages = append(pages, page{tabs[s], s, p})
			}
		}
	}
	for _, width := range []int64{390, 600, 1280} {
		for _, tb := range tabs {
			tb.do(chromedp.EmulateViewport(width, 900))
		}
		heatmaps := 0
		for _, p := range pages {
			tb := p.tb
			tb.open(p.s.URL(p.path))
			charts := tb.chartFits()
			if len(charts) == 0 {
				t.Errorf("%d px, %s: no chart", width, p.path)
			}
			for _, c := range charts {
				if checkFit(t, fmt.Sprintf("%d px, %s", width, p.path), c) {
					heatmaps++
				}
			}
		}
		if heatmaps == 0 {
			t.Errorf("%d px: no heatmap among the pages", width)
		}
	}
	// A window narrowed after the charts are drawn: ECharts only resizes
	// them, so what depends on the width must follow.
	tb := tabs[real]
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.open(real.URL(""))
	tb.do(chromedp.EmulateViewport(390, 900))
	heatmaps := 0
	for end := time.Now().Add(2 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var width float64
		tb.eval(`echarts.getInstanceByDom(document.querySelector(".chart-canvas")).getWidth()`, &width)
		if width < 390 || time.Now().After(end) {
			break
		}
	}
	for _, c := range tb.chartFits() {
		if checkFit(t, "1280 px narrowed to 390 px", c) {
			heatmaps++
		}
	}
	if heatmaps == 0 {
		t.Error("no heatmap on the home page")
	}
	for s, tb := range tabs {
		tb.checkClean("charts of " + s.name)
	}
}
