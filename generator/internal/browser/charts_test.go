package browser

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// segment is where to click on one stacked segment of a chart, in viewport
// pixels, and what it stands for.
type segment struct {
	X, Y   float64
	Bucket string
	Period string
	Count  int
	Total  int
}

// findSegment scrolls a chart into view and finds the middle of the first
// non-empty segment in its busiest period.
func (tb *tab) findSegment(chart string) segment {
	tb.t.Helper()
	var s segment
	tb.eval(fmt.Sprintf(`(() => {
		const el = document.querySelector("#%s .chart-canvas");
		el.scrollIntoView({block: "center"});
		const meta = JSON.parse(document.getElementById(el.dataset.chart).textContent).whyopen;
		const ch = echarts.getInstanceByDom(el), opt = ch.getOption();
		let xi = 0;
		meta.totals.forEach((t, i) => { if (t > meta.totals[xi]) xi = i; });
		let acc = 0, si = -1;
		for (let i = 0; i < opt.series.length; i++) {
			const d = opt.series[i].data[xi], v = typeof d === "object" ? d.value : d;
			if (v > 0) { si = i; acc += v / 2; break; }
		}
		const px = ch.convertToPixel({gridIndex: 0}, [xi, acc]);
		const r = el.getBoundingClientRect();
		return {X: r.left + px[0], Y: r.top + px[1], Bucket: opt.series[si].id, Period: (meta.keys || opt.xAxis[0].data)[xi],
			Count: meta.counts[si][xi], Total: meta.totals[xi]};
	})()`, chart), &s)
	return s
}

// TestChartSegments clicks a segment of a stacked bar chart and of a
// stacked area chart, hovers for the tooltip, and follows the click to the
// explorer filtered to that bucket and period.
func TestChartSegments(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	tb := newTab(t, real)
	tb.theme("light")
	tb.do(chromedp.EmulateViewport(1280, 900))
	for _, chart := range []string{"releases-per-period", "share-over-time"} {
		tb.open(real.URL(""))
		seg := tb.findSegment(chart)
		if seg.Bucket == "" || seg.Period == "" {
			t.Fatalf("%s: no segment to click: %+v", chart, seg)
		}

		// The tooltip gives the count and the share.
		tb.do(chromedp.MouseEvent("mouseMoved", seg.X, seg.Y))
		var tip string
		deadline := time.Now().Add(3 * time.Second)
		for tip == "" && time.Now().Before(deadline) {
			tb.eval(fmt.Sprintf(`(() => { const d = Array.from(document.querySelectorAll("#%s .chart-canvas > div"))
				.find(d => d.style.display !== "none" && d.style.zIndex && d.textContent.trim()); return d ? d.textContent : ""; })()`, chart), &tip)
			if tip == "" {
				time.Sleep(50 * time.Millisecond)
			}
		}
		share := fmt.Sprintf("%d releases (%d%%)", seg.Count, int(float64(seg.Count)/float64(seg.Total)*100+0.5))
		if seg.Count == 1 {
			share = strings.Replace(share, "releases", "release", 1)
		}
		if !strings.Contains(tip, seg.Period) || !strings.Contains(tip, share) {
			t.Errorf("%s: tooltip %q, want the period %s and %q", chart, tip, seg.Period, share)
		}

		ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.MouseClickXY(seg.X, seg.Y)))
		cancel()
		if err != nil {
			t.Fatalf("%s: clicking %+v: %v", chart, seg, err)
		}
		want := "/releases/?" + url.Values{"bucket": {seg.Bucket}, "period": {seg.Period}}.Encode()
		if p := tb.path(); p != want {
			t.Errorf("%s: clicking %s in %s opened %s, want %s", chart, seg.Bucket, seg.Period, p, want)
			continue
		}
		tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
		matches := slugs(rows, func(r exRow) bool {
			return r.Bucket == seg.Bucket && (r.quarter() == seg.Period || r.Date[:7] == seg.Period)
		})
		if len(matches) != seg.Count {
			t.Errorf("%s: the chart counts %d releases, the explorer data %d", chart, seg.Count, len(matches))
		}
		same(t, chart+" click", tb.shown(), first(matches, exStep))
	}

	// A heatmap cell opens the explorer filtered to its bucket and class.
	tb.open(real.URL(""))
	var cell struct {
		X, Y          float64
		Bucket, Class string
		N             int
	}
	tb.eval(`(() => {
		const el = document.querySelector("#bucket-license-matrix .chart-canvas");
		el.scrollIntoView({block: "center"});
		const meta = JSON.parse(document.getElementById(el.dataset.chart).textContent).whyopen;
		const ch = echarts.getInstanceByDom(el), data = ch.getOption().series[0].data.map(d => d.value);
		const v = data.reduce((a, b) => b[2] > a[2] ? b : a);
		const p = ch.convertToPixel({gridIndex: 0}, [v[0], v[1]]), r = el.getBoundingClientRect();
		return {X: r.left + p[0], Y: r.top + p[1], Bucket: meta.y[v[1]], Class: meta.x[v[0]], N: v[2]};
	})()`, &cell)
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.MouseClickXY(cell.X, cell.Y)))
	cancel()
	if err != nil {
		t.Fatalf("clicking the heatmap cell %+v: %v", cell, err)
	}
	want := "/releases/?" + url.Values{"bucket": {cell.Bucket}, "class": {cell.Class}}.Encode()
	if p := tb.path(); p != want {
		t.Errorf("clicking the heatmap cell %s × %s opened %s, want %s", cell.Bucket, cell.Class, p, want)
	} else {
		tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
		matches := slugs(rows, func(r exRow) bool { return r.Bucket == cell.Bucket && r.Class == cell.Class })
		if len(matches) != cell.N {
			t.Errorf("the heatmap counts %d releases, the explorer data %d", cell.N, len(matches))
		}
		same(t, "heatmap click", tb.shown(), first(matches, exStep))
	}
	tb.checkClean("chart clicks")
}

// TestChartTables checks that each chart's data table links its cells to
// the explorer as a click on the chart does, for readers who cannot use
// the chart.
func TestChartTables(t *testing.T) {
	real, _ := sites(t)
	home := string(real.file(t, "index.html"))
	links := regexp.MustCompile(`<td><a href="/releases/\?bucket=([a-z0-9-]+)&amp;(period|class)=([A-Za-z0-9-]+)">(\d+)`).FindAllStringSubmatch(home, -1)
	if len(links) == 0 {
		t.Fatal("no chart table links to the explorer")
	}
	rows := explorerRows(t, real)
	for _, l := range links {
		b, kind, v, n := l[1], l[2], l[3], l[4]
		got := len(slugs(rows, func(r exRow) bool {
			if r.Bucket != b {
				return false
			}
			if kind == "class" {
				return r.Class == v
			}
			return r.quarter() == v || r.Date[:7] == v
		}))
		if fmt.Sprint(got) != n {
			t.Errorf("table cell %s=%s, %s=%s says %s releases, the data has %d", "bucket", b, kind, v, n, got)
		}
	}
}
