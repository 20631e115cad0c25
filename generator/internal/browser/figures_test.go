package browser

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// waitFile waits up to 30 s for a finished download named name in dir.
func waitFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	p := filepath.Join(dir, name)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		if _, err := os.Stat(p + ".crdownload"); err == nil {
			continue
		}
		return b
	}
	t.Fatalf("no download %s in %s", name, dir)
	return nil
}

// figureInfo is what a figure's HTML says about it.
type figureInfo struct {
	Title, Finding, Source, Note, Href, Embed string
	Table                                     [][]string
}

func (tb *tab) figure(id string) figureInfo {
	tb.t.Helper()
	var f figureInfo
	tb.eval(fmt.Sprintf(`(() => {
		const fig = document.getElementById(%q);
		return {Title: fig.querySelector(".chart-title").textContent.trim(),
			Finding: fig.querySelector(".chart-finding").textContent.trim(),
			Source: fig.dataset.source || "", Note: fig.dataset.note || "", Href: fig.dataset.href || "", Embed: fig.dataset.embed || "",
			Table: Array.from(fig.querySelectorAll(".chart-data table tr")).map(tr => Array.from(tr.children).map(c => c.textContent.trim()))};
	})()`, id), &f)
	return f
}

// click clicks a figure's toolbar button from the keyboard's side: it is
// focused first, as a keyboard user would reach it, then activated.
func (tb *tab) clickTool(id, tool string) {
	tb.t.Helper()
	sel := fmt.Sprintf("#%s .chart-tool-%s", id, tool)
	var focused bool
	tb.eval(fmt.Sprintf(`(() => { const b = document.querySelector(%q); b.focus(); return document.activeElement === b; })()`, sel), &focused)
	if !focused {
		tb.t.Errorf("%s cannot take the keyboard's focus", sel)
	}
	tb.do(chromedp.Click(chromedp.CSS(sel)))
}

// copied waits for the text a Link or Embed button put in its figure's
// copy field.
func (tb *tab) copied(id string) string {
	tb.t.Helper()
	var v string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && v == ""; time.Sleep(100 * time.Millisecond) {
		tb.eval(fmt.Sprintf(`(() => { const i = document.querySelector("#%s .chart-copy"); return i && !i.hidden ? i.value : ""; })()`, id), &v)
	}
	return v
}

// TestFigureToolbar clicks every toolbar button of the front page's
// headline chart: the PNG and SVG carry the title and the source line, the
// CSV equals the data table, the link is the figure's anchor, and the
// embed code's page shows the figure alone, with its source, under the
// site's CSP. The toolbar is hidden in print.
func TestFigureToolbar(t *testing.T) {
	real, _ := sites(t)
	tb := newTab(t, real)
	tb.theme("light")
	dir := t.TempDir()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	tb.open(real.URL(""))
	tb.checkCharts("home", 5)
	const id = "share-over-time"
	f := tb.figure(id)
	if !strings.HasPrefix(f.Source, "Source: "+real.res.Catalog.Site.Title+", "+real.res.Catalog.Site.BaseURL+", data as of ") {
		t.Fatalf("source line %q", f.Source)
	}
	if l := real.res.Catalog.Site.DataLicense; l != "" && !strings.HasSuffix(f.Source, ", "+l) {
		t.Errorf("source line %q does not end with the data license %s", f.Source, l)
	}
	var tools []string
	tb.eval(fmt.Sprintf(`Array.from(document.querySelectorAll("#%s .chart-tools button")).map(b => b.textContent)`, id), &tools)
	if strings.Join(tools, ",") != "PNG,SVG,CSV,Link,Embed" {
		t.Errorf("toolbar buttons = %v", tools)
	}

	// SVG: the text is in the file.
	tb.clickTool(id, "svg")
	svg := string(waitFile(t, dir, id+".svg"))
	if !strings.HasPrefix(strings.TrimSpace(svg), "<svg") {
		t.Fatalf("the SVG download is not an SVG: %.80q", svg)
	}
	for _, want := range []string{f.Title, f.Source, "n is the number of releases"} {
		if !strings.Contains(svg, xmlEscape(want)) {
			t.Errorf("the SVG lacks %q", want)
		}
	}

	// PNG: drawn at twice the export size, with text in the band at the
	// bottom, where only the n note and the source line are.
	tb.clickTool(id, "png")
	img, err := png.Decode(bytes.NewReader(waitFile(t, dir, id+".png")))
	if err != nil {
		t.Fatalf("the PNG download: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 2000 || b.Dy() != 1320 {
		t.Errorf("the PNG is %d×%d, want 2000×1320", b.Dx(), b.Dy())
	}
	// The source line is the last line, 12 to 29 px from the bottom at
	// 1×; the n note is the line above it.
	ink := func(from, to int) int {
		n := 0
		for y := b.Max.Y - 2*to; y < b.Max.Y-2*from; y++ {
			for x := b.Min.X + 40; x < b.Max.X*3/4; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				if (r+g+bl)/3 < 0x8000 {
					n++
				}
			}
		}
		return n
	}
	if n := ink(12, 29); n < 200 {
		t.Errorf("the PNG's source band has %d dark pixels: no source line drawn", n)
	}
	if n := ink(35, 50); n < 200 {
		t.Errorf("the PNG's note band has %d dark pixels: no n note drawn", n)
	}

	// CSV: exactly the table.
	tb.clickTool(id, "csv")
	rows, err := csv.NewReader(bytes.NewReader(waitFile(t, dir, id+".csv"))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV download: %v", err)
	}
	if fmt.Sprint(rows) != fmt.Sprint(f.Table) || len(rows) < 2 {
		t.Errorf("the CSV differs from the table:\n%v\n%v", rows, f.Table)
	}

	// Link: the figure's anchor, which lands on the figure.
	tb.clickTool(id, "link")
	link := tb.copied(id)
	if link != f.Href || !strings.HasSuffix(link, "/#"+id) {
		t.Errorf("link = %q, want %q ending in /#%s", link, f.Href, id)
	}
	u, _ := url.Parse(link)
	tb.open(real.srv.URL + u.Path + "#" + u.Fragment)
	var at struct {
		Figure bool
		Top    float64
	}
	tb.eval(fmt.Sprintf(`(() => { const e = document.getElementById(%q); return {Figure: e.matches("figure.chart"), Top: e.getBoundingClientRect().top}; })()`, u.Fragment), &at)
	if !at.Figure || at.Top < -2 || at.Top > 40 {
		t.Errorf("the link does not land on the figure: %+v", at)
	}

	// Embed: an iframe of the figure's embed page.
	tb.clickTool(id, "embed")
	code := tb.copied(id)
	if !strings.HasPrefix(code, `<iframe src="`+f.Embed+`"`) || !strings.Contains(code, `title="`+f.Title+`"`) {
		t.Errorf("embed code %q, want an iframe of %s", code, f.Embed)
	}
	eu, _ := url.Parse(f.Embed)
	tb.checkClean("home")
	tb.open(real.srv.URL + eu.Path)
	tb.checkCharts("embed", 1)
	var embed struct {
		Figures, Masthead, Footer int
		Source                    string
	}
	tb.eval(`({Figures: document.querySelectorAll("figure.chart").length, Masthead: document.querySelectorAll(".masthead").length,
		Footer: document.querySelectorAll(".site-footer").length, Source: (document.querySelector(".embed-source") || {}).textContent || ""})`, &embed)
	if embed.Figures != 1 || embed.Masthead != 0 || embed.Footer != 0 || !strings.Contains(embed.Source, f.Source) {
		t.Errorf("embed page: %+v, want the figure alone with %q", embed, f.Source)
	}
	var csp string
	tb.eval(`document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`, &csp)
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline'; img") && strings.Contains(csp, "script-src 'unsafe") {
		t.Errorf("embed page CSP %q", csp)
	}
	tb.checkClean("embed page")

	// Print: no toolbar.
	tb.open(real.URL(""))
	tb.checkCharts("home", 5)
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	var shown int
	tb.eval(`Array.from(document.querySelectorAll(".chart-tools")).filter(e => getComputedStyle(e).display !== "none").length`, &shown)
	if shown != 0 {
		t.Errorf("%d toolbars show in print", shown)
	}
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	}))
	tb.checkClean("print")
}

// xmlEscape escapes text as ECharts writes it into SVG.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}
