package browser

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartPalettes returns, for each chart with a dark palette, the palette
// its series are drawn in: "dark", "light" (the colours in the page's
// JSON), or "mixed".
func (tb *tab) chartPalettes() map[string]string {
	tb.t.Helper()
	got := map[string]string{}
	tb.eval(`Object.fromEntries(Array.from(document.querySelectorAll(".chart-canvas[data-chart][data-dark]")).map(el => {
		const dark = el.dataset.dark.split(",");
		const src = JSON.parse(document.getElementById(el.dataset.chart).textContent).series || [];
		const c = window.echarts && echarts.getInstanceByDom(el);
		const drawn = c ? c.getOption().series : [];
		const color = s => ["itemStyle", "lineStyle", "areaStyle"].map(k => s && s[k] && s[k].color).find(Boolean);
		const seen = new Set();
		src.forEach((s, i) => {
			if (!color(s) || !dark[i] || dark[i] === color(s)) return;
			const d = color(drawn[i]);
			seen.add(d === dark[i] ? "dark" : d === color(s) ? "light" : "other");
		});
		return [el.dataset.chart, seen.size === 1 ? [...seen][0] : seen.size === 0 ? "none" : "mixed"];
	}))`, &got)
	return got
}

// settledPalettes polls chartPalettes for up to 5 s until every chart is
// drawn in palette want (or has none): the browser reports a change of
// the emulated theme to the page's media query listeners at its next
// rendering step, which may come after the call that switched it.
func (tb *tab) settledPalettes(want string) map[string]string {
	tb.t.Helper()
	got := tb.chartPalettes()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); got = tb.chartPalettes() {
		done := true
		for _, p := range got {
			done = done && (p == want || p == "none")
		}
		if done {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return got
}

// chartIDs returns the id of the ECharts instance drawing each chart.
func (tb *tab) chartIDs() map[string]string {
	tb.t.Helper()
	ids := map[string]string{}
	tb.eval(`Object.fromEntries(Array.from(document.querySelectorAll(".chart-canvas[data-chart]")).map(el =>
		[el.dataset.chart, window.echarts && echarts.getInstanceByDom(el) ? echarts.getInstanceByDom(el).id : ""]))`, &ids)
	return ids
}

// TestThemeSwitch switches the system theme and the window size back and
// forth while the home page's charts draw. The charts must end in the
// palette of the last theme, nothing may throw on the way, and each chart
// must keep its ECharts instance: disposing of one while ECharts still
// paints it over several frames, as on a loaded machine, makes the frames
// to come throw inside ECharts.
func TestThemeSwitch(t *testing.T) {
	real, _ := sites(t)
	tb := newTab(t, real)
	tb.do(chromedp.EmulateViewport(1280, 900))
	tb.theme("light")
	tb.open(real.URL(""))
	figures := strings.Count(string(real.file(t, "index.html")), `<figure class="chart"`)
	tb.checkCharts("home", figures)
	before := tb.chartIDs()
	for i := 0; i < 4; i++ {
		tb.theme("dark")
		tb.do(chromedp.EmulateViewport(int64(390+i*197), 844))
		tb.theme("light")
	}
	tb.theme("dark")
	tb.checkCharts("home after the switches", figures)
	if after := tb.chartIDs(); !maps.Equal(after, before) {
		t.Errorf("the charts' ECharts instances changed with the theme: %v, then %v", before, after)
	}
	checked := 0
	for id, palette := range tb.settledPalettes("dark") {
		if palette != "none" {
			checked++
		}
		if palette != "dark" && palette != "none" {
			t.Errorf("chart %s is drawn in the %s palette after switching to the dark one", id, palette)
		}
	}
	if checked == 0 {
		t.Fatal("no chart on the home page has series coloured by a palette")
	}
	tb.theme("light")
	tb.checkCharts("home, light again", figures)
	for id, palette := range tb.settledPalettes("light") {
		if palette != "light" && palette != "none" {
			t.Errorf("chart %s is drawn in the %s palette after switching back to the light one", id, palette)
		}
	}
	tb.checkClean("home, switching themes")
}
