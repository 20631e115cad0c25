package browser

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// schemeBuckets maps each release's slug to its bucket in the further
// scheme id, from releases.json.
func schemeBuckets(t *testing.T, s *site, id string) map[string]string {
	t.Helper()
	var recs []struct {
		Slug    string `json:"slug"`
		Schemes []struct {
			Scheme string `json:"scheme"`
			Bucket string `json:"bucket"`
		} `json:"schemes"`
	}
	if err := json.Unmarshal(s.file(t, "data/releases.json"), &recs); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range recs {
		for _, sc := range r.Schemes {
			if sc.Scheme == id {
				m[r.Slug] = sc.Bucket
			}
		}
	}
	if len(m) != len(recs) {
		t.Fatalf("releases.json gives %d of %d releases a bucket in %s", len(m), len(recs), id)
	}
	return m
}

// seriesNames are the series (or, for a bar of totals, category) names of
// a drawn chart.
func (tb *tab) seriesNames(chart string) []string {
	tb.t.Helper()
	var names []string
	tb.eval(`(() => { const el = document.querySelector("#`+chart+` .chart-canvas");
		const ch = el && echarts.getInstanceByDom(el); if (!ch) return [];
		const o = ch.getOption(), ax = (o.yAxis || []).concat(o.xAxis || []).find(a => a.type === "category" && a.data && a.data.length && !/^\d{4}/.test(a.data[0]));
		return ax ? ax.data.map(d => typeof d === "object" ? d.value : d) : o.series.map(s => s.name); })()`, &names)
	return names
}

// TestSchemeSwitch switches the bucket index from the primary scheme to
// seed 001 and back, checks the chart is redrawn with the other scheme's
// buckets, follows a click on a seed 001 chart into the explorer with the
// scheme kept in the URL, and switches the explorer's scheme.
func TestSchemeSwitch(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	seed := schemeBuckets(t, real, "seed-001")
	rows := explorerRows(t, real)
	tb := newTab(t, real)
	tb.theme("light")
	tb.do(chromedp.EmulateViewport(1280, 900))

	// The bucket index and its chart, in the primary scheme.
	tb.open(real.URL("buckets/"))
	tb.checkCharts("buckets", 1)
	if got := strings.Join(tb.seriesNames("releases-by-bucket"), ","); !strings.Contains(got, "Sovereign AI") || strings.Contains(got, "Shovel sellers") {
		t.Errorf("/buckets/ chart shows %s, want the primary scheme's buckets", got)
	}
	// The switcher keeps the choice in the URL and redraws the chart.
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`nav.scheme-switch a[data-scheme="seed-001"]`))))
	cancel()
	if err != nil {
		t.Fatalf("switching to seed-001: %v", err)
	}
	if p := tb.path(); p != "/schemes/seed-001/" {
		t.Fatalf("the switch opened %s, want /schemes/seed-001/", p)
	}
	tb.checkCharts("schemes/seed-001", 1)
	if got := strings.Join(tb.seriesNames("releases-by-bucket"), ","); !strings.Contains(got, "Shovel sellers") || strings.Contains(got, "Sovereign AI") {
		t.Errorf("/schemes/seed-001/ chart shows %s, want seed 001's buckets", got)
	}
	var current string
	tb.eval(`document.querySelector('nav.scheme-switch a[aria-current="page"]').dataset.scheme`, &current)
	if current != "seed-001" {
		t.Errorf("the switcher marks %q as current, want seed-001", current)
	}

	// A click on a seed 001 bucket's chart opens the explorer filtered by
	// that scheme's bucket, the scheme in the URL.
	tb.open(real.URL("schemes/seed-001/frontier-chaser/"))
	seg := tb.findSegment("bucket-share")
	ctx, cancel = context.WithTimeout(tb.ctx, 15*time.Second)
	_, err = chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.MouseClickXY(seg.X, seg.Y)))
	cancel()
	if err != nil {
		t.Fatalf("clicking %+v: %v", seg, err)
	}
	want := "/releases/?" + url.Values{"scheme": {"seed-001"}, "bucket": {"frontier-chaser"}, "period": {seg.Period}}.Encode()
	if p := tb.path(); p != "/releases/?scheme=seed-001&bucket=frontier-chaser&period="+url.QueryEscape(seg.Period) && p != want {
		t.Fatalf("the click opened %s, want the explorer with scheme, bucket and period", p)
	}
	tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
	matches := slugs(rows, func(r exRow) bool {
		return seed[r.Slug] == "frontier-chaser" && (r.quarter() == seg.Period || r.Date[:7] == seg.Period)
	})
	if len(matches) == 0 || len(matches) != seg.Count {
		t.Errorf("the chart counts %d frontier chasers in %s, releases.json %d", seg.Count, seg.Period, len(matches))
	}
	same(t, "seed-001 chart click", tb.shown(), first(matches, exStep))
	var chips []string
	tb.eval(`Array.from(document.querySelectorAll("main table.releases tbody td a.chip")).map(a => a.className)`, &chips)
	for _, c := range chips {
		if c != "chip chip-seed-001--frontier-chaser" {
			t.Errorf("explorer row chip %q, want seed 001's frontier-chaser chip", c)
			break
		}
	}

	// The explorer's scheme select: back to the primary scheme drops the
	// bucket filter and the scheme from the URL; forward again keeps it.
	tb.openExplorer(real, "?scheme=seed-001&bucket=pragmatist")
	same(t, "explorer seed-001 pragmatists", tb.shown(), first(slugs(rows, func(r exRow) bool { return seed[r.Slug] == "pragmatist" }), exStep))
	var sel string
	tb.eval(`document.getElementById("ex-scheme").value`, &sel)
	if sel != "seed-001" {
		t.Errorf("the scheme select shows %q, want seed-001", sel)
	}
	switchTo := func(v string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("ex-scheme"); s.value = "`+v+`";
			s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`))); err != nil {
			t.Fatalf("choosing scheme %q: %v", v, err)
		}
		tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
	}
	switchTo("")
	if p := tb.path(); p != "/releases/" {
		t.Errorf("choosing the primary scheme opened %s, want /releases/", p)
	}
	same(t, "explorer primary", tb.shown(), first(slugs(rows, func(exRow) bool { return true }), exStep))
	tb.eval(`document.querySelector("main table.releases tbody td a.chip").className`, &sel)
	if strings.Contains(sel, "seed-001") {
		t.Errorf("the primary scheme's rows show %q", sel)
	}
	tb.choose("org", "cohere")
	switchTo("seed-001")
	if p := tb.waitPath("/releases/?scheme=seed-001&org=cohere"); p != "/releases/?scheme=seed-001&org=cohere" {
		t.Errorf("choosing seed-001 with org cohere opened %s", p)
	}
	var cohere []string
	tb.eval(`Array.from(document.querySelectorAll("main table.releases tbody td a.chip")).map(a => a.textContent)`, &cohere)
	if len(cohere) == 0 || strings.Join(cohere, ",") != strings.TrimSuffix(strings.Repeat("Frontier chasers,", len(cohere)), ",") {
		t.Errorf("Cohere's releases in seed 001 show %v, want every one a frontier chaser", cohere)
	}
	tb.checkClean("scheme switch")
}
