package browser

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

// axe returns axe-core's source, which `make axe` fetches.
func axe(t testing.TB) string {
	t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join(root, ".cache/axe/axe.min.js"))
		axeSrc = string(b)
	})
	if axeErr != nil {
		t.Fatalf("axe-core is missing (%v): run `make axe` (or `make test`) first", axeErr)
	}
	return axeSrc
}

// violation is one axe-core rule a page breaks.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe injects axe-core into the page and runs it, with every rule or with
// the given ones only.
func (tb *tab) runAxe(rules ...string) []violation {
	tb.t.Helper()
	var loaded bool
	tb.eval(`typeof axe !== "undefined"`, &loaded)
	if !loaded {
		ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axe(tb.t))); err != nil {
			tb.t.Fatalf("injecting axe-core: %v", err)
		}
	}
	opts := `{resultTypes: ["violations"]}`
	if len(rules) > 0 {
		opts = `{resultTypes: ["violations"], runOnly: {type: "rule", values: ["` + strings.Join(rules, `","`) + `"]}}`
	}
	var vs []violation
	tb.eval(`axe.run(document, `+opts+`).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help,
		nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))
	})))`, &vs)
	return vs
}

// checkAxe fails the test for serious and critical violations and logs the
// others.
func (tb *tab) checkAxe(what string, rules ...string) {
	tb.t.Helper()
	for _, v := range tb.runAxe(rules...) {
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Errorf("%s: axe %s (%s): %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		} else {
			tb.t.Logf("%s: axe %s (%s): %s", what, v.ID, v.Impact, v.Help)
		}
	}
}

// chartState is what a page's charts look like after site.js ran.
type chartState struct {
	ID      string `json:"id"`
	Series  int    `json:"series"` // in the option
	Drawn   string `json:"drawn"`  // data-drawn
	Canvas  int    `json:"canvas"`
	Painted int    `json:"painted"` // sampled pixels that are not transparent
	Label   string `json:"label"`
	Width   int    `json:"width"` // the chart's own width
	Box     int    `json:"box"`   // its element's width
}

func (tb *tab) charts() []chartState {
	tb.t.Helper()
	var cs []chartState
	tb.eval(`Array.from(document.querySelectorAll(".chart-canvas[data-chart]")).map(el => {
		const opt = JSON.parse(document.getElementById(el.dataset.chart).textContent);
		const c = el.querySelector("canvas");
		let painted = 0;
		if (c && c.width && c.height) {
			const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
			for (let i = 3; i < d.length; i += 4 * 61) if (d[i] > 0) painted++;
		}
		return {id: el.dataset.chart, series: (opt.series || []).length, drawn: el.getAttribute("data-drawn") || "",
			canvas: el.querySelectorAll("canvas").length, painted, label: el.getAttribute("aria-label") || "",
			width: window.echarts && echarts.getInstanceByDom(el) ? echarts.getInstanceByDom(el).getWidth() : 0, box: el.clientWidth};
	})`, &cs)
	return cs
}

// checkCharts fails the test unless every chart on the page drew all its
// series and has a text alternative.
func (tb *tab) checkCharts(what string, figures int) {
	tb.t.Helper()
	// Charts redraw on resize and theme change after a debounce, which a
	// loaded machine can stretch: wait up to 5 s for them to settle.
	cs := tb.charts()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !settled(cs); {
		time.Sleep(100 * time.Millisecond)
		cs = tb.charts()
	}
	if len(cs) != figures {
		tb.t.Errorf("%s: %d chart canvases, but the HTML has %d charts", what, len(cs), figures)
	}
	for _, c := range cs {
		switch {
		case c.Series == 0:
			tb.t.Errorf("%s: chart %s has no series", what, c.ID)
		case c.Drawn != strconv.Itoa(c.Series):
			tb.t.Errorf("%s: chart %s: data-drawn = %q, want %d series", what, c.ID, c.Drawn, c.Series)
		case c.Canvas == 0 || c.Painted == 0:
			tb.t.Errorf("%s: chart %s drew nothing (%d canvases, %d painted samples)", what, c.ID, c.Canvas, c.Painted)
		case c.Box < 100 || c.Width < c.Box-2 || c.Width > c.Box+2:
			tb.t.Errorf("%s: chart %s is drawn %d px wide in a %d px box", what, c.ID, c.Width, c.Box)
		}
		if len(c.Label) < 20 {
			tb.t.Errorf("%s: chart %s has no text alternative (aria-label %q)", what, c.ID, c.Label)
		}
	}
}

// settled reports whether every chart is drawn at the width of its box.
func settled(cs []chartState) bool {
	for _, c := range cs {
		if c.Drawn != strconv.Itoa(c.Series) || c.Width < c.Box-2 || c.Width > c.Box+2 {
			return false
		}
	}
	return true
}

// checkFits fails the test when the page is wider than the window, so
// that it would scroll sideways.
func (tb *tab) checkFits(what string) {
	tb.t.Helper()
	var w struct {
		Scroll int      `json:"scroll"`
		Inner  int      `json:"inner"`
		Wide   []string `json:"wide"`
	}
	tb.eval(`({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
		wide: Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > innerWidth + 1
			&& !e.closest(".table-scroll, .chart-canvas, pre")).slice(0, 5).map(e => e.tagName.toLowerCase() + "." + e.className)})`, &w)
	if w.Scroll > w.Inner {
		tb.t.Errorf("%s: the page is %d px wide in a %d px window (%v)", what, w.Scroll, w.Inner, w.Wide)
	}
}

// theme switches the tab's prefers-color-scheme.
func (tb *tab) theme(scheme string) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// TestPageKinds loads one page of every kind, from the repository's content
// and from the fixture, on a desktop in the light theme and on a phone in
// the dark one.
func TestPageKinds(t *testing.T) {
	real, fixture := sites(t)
	axe(t)
	covered := map[string]bool{}
	for _, s := range []*site{real, fixture} {
		kinds := pageKinds(t, s)
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
			covered[k] = true
		}
		sort.Strings(names)
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t, s)
			for _, name := range names {
				p := kinds[name]
				what := s.name + " " + name + " /" + p
				figures := strings.Count(string(s.file(t, htmlFile(p))), `<figure class="chart"`)
				tb.theme("light")
				tb.do(chromedp.EmulateViewport(1280, 900))
				tb.open(s.URL(p))
				if name == "explorer" {
					tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
				}
				tb.checkCharts(what, figures)
				tb.checkAxe(what)
				tb.checkClean(what)

				// On a phone, in the dark theme: the charts redraw in its
				// palette, its contrast holds too, and nothing is wider
				// than the screen.
				tb.theme("dark")
				tb.do(chromedp.EmulateViewport(390, 844))
				what += " (390 px, dark)"
				tb.checkCharts(what, figures)
				tb.checkAxe(what, "color-contrast")
				tb.checkFits(what)
				tb.checkClean(what)
			}
		})
	}
	for _, k := range []string{"home", "explorer", "listing", "release", "buckets", "bucket", "licenses", "license", "orgs", "org", "reports", "report", "methodology", "404", "readings", "scheme", "scheme bucket"} {
		if !covered[k] {
			t.Errorf("no site has a %s page to test", k)
		}
	}
}

func htmlFile(p string) string {
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// TestKeyboard checks that the first Tab reaches the skip link and that the
// chart legend toggles series from the keyboard.
func TestKeyboard(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	tb := newTab(t, real)
	tb.theme("light")
	tb.open(real.URL(""))
	tb.do(chromedp.KeyEvent("\t"))
	var focused string
	tb.eval(`document.activeElement.className + " " + document.activeElement.getAttribute("href")`, &focused)
	if focused != "skip #main" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}

	// Focus the first legend button of the headline chart and press Space.
	tb.eval(`document.querySelector("#share-over-time .chart-legend button").focus(), true`, nil)
	tb.do(chromedp.KeyEvent(" "))
	var st struct {
		Pressed  string `json:"pressed"`
		Name     string `json:"name"`
		Selected bool   `json:"selected"`
	}
	tb.eval(`(() => {
		const b = document.querySelector("#share-over-time .chart-legend button");
		const el = document.querySelector("#share-over-time .chart-canvas");
		const sel = echarts.getInstanceByDom(el).getOption().legend[0].selected || {};
		return {pressed: b.getAttribute("aria-pressed"), name: b.textContent, selected: sel[b.textContent] !== false};
	})()`, &st)
	if st.Pressed != "false" || st.Selected {
		t.Errorf("after Space on the legend button %q: aria-pressed = %q, series shown = %v; want it hidden", st.Name, st.Pressed, st.Selected)
	}
	tb.do(chromedp.KeyEvent("\r"))
	tb.eval(`(() => {
		const b = document.querySelector("#share-over-time .chart-legend button");
		const el = document.querySelector("#share-over-time .chart-canvas");
		const sel = echarts.getInstanceByDom(el).getOption().legend[0].selected || {};
		return {pressed: b.getAttribute("aria-pressed"), name: b.textContent, selected: sel[b.textContent] !== false};
	})()`, &st)
	if st.Pressed != "true" || !st.Selected {
		t.Errorf("after Enter on the legend button %q: aria-pressed = %q, series shown = %v; want it shown again", st.Name, st.Pressed, st.Selected)
	}
	tb.checkClean("keyboard")
}

// screenshotDir is where screenshots go.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("WHYOPEN_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(root, "testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestScreenshots writes full-page screenshots of the main page kinds at a
// desktop and a phone width.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	real, fixture := sites(t)
	dir := screenshotDir(t)
	kinds := pageKinds(t, real)
	reportSite := real
	if _, ok := kinds["report"]; !ok {
		reportSite = fixture
	}
	tb := newTab(t, real)
	shots := []struct {
		name, dark string
		s          *site
		path       string
	}{
		{"home", "", real, kinds["home"]},
		{"home", "dark", real, kinds["home"]},
		{"release", "", real, kinds["release"]},
		{"bucket", "", real, kinds["bucket"]},
		{"report", "", reportSite, pageKinds(t, reportSite)["report"]},
		{"explorer", "", real, "releases/?bucket=sovereign"},
	}
	for _, width := range []int64{1280, 390} {
		for _, sh := range shots {
			theme := "light"
			if sh.dark != "" {
				theme = sh.dark
			}
			tb.theme(theme)
			tb.do(chromedp.EmulateViewport(width, 900))
			tb.open(sh.s.URL(sh.path))
			if sh.name == "explorer" {
				tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
			}
			ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			name := sh.name + "-" + strconv.FormatInt(width, 10)
			if sh.dark != "" {
				name += "-" + sh.dark
			}
			file := filepath.Join(dir, name+".png")
			if len(png) < 1000 || string(png[1:4]) != "PNG" {
				t.Errorf("%s: not a PNG screenshot (%d bytes)", name, len(png))
			}
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", file)
			tb.checkClean(name)
		}
	}
}
