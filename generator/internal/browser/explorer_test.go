package browser

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// exStep is how many rows the explorer draws at a time (STEP in explorer.js).
const exStep = 50

// exRow is one row of /data/explorer.json, resolved.
type exRow struct {
	Slug, Title, Org, OrgName, Country, Date, Bucket, License, Class, Summary string
	Params                                                                    *float64
	In, Out                                                                   []string // what the model takes and makes
}

// text is what the explorer's search looks in.
func (r exRow) text() string {
	return strings.ToLower(r.Title + "\x00" + r.OrgName + "\x00" + r.Summary)
}

func (r exRow) quarter() string {
	var m int
	fmt.Sscanf(r.Date[5:7], "%d", &m)
	return fmt.Sprintf("%s-Q%d", r.Date[:4], (m-1)/3+1)
}

// explorerRows decodes /data/explorer.json by its column names, as
// explorer.js does.
func explorerRows(t testing.TB, s *site) []exRow {
	t.Helper()
	var f struct {
		Cols     []string
		Buckets  []struct{ ID string }
		Classes  []string
		Orgs     []struct{ ID, Name, Country string }
		Licenses []struct {
			ID    string
			Class int
		}
		Modalities []string
		Rows       [][]json.RawMessage
	}
	if err := json.Unmarshal(s.file(t, "data/explorer.json"), &f); err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range f.Cols {
		col[c] = i
	}
	for _, c := range []string{"slug", "title", "org", "date", "bucket", "license", "params", "in", "out", "summary"} {
		if _, ok := col[c]; !ok {
			t.Fatalf("explorer.json has no %q column", c)
		}
	}
	str := func(raw json.RawMessage) string {
		var s string
		json.Unmarshal(raw, &s)
		return s
	}
	idx := func(raw json.RawMessage) int {
		n := -1
		json.Unmarshal(raw, &n)
		return n
	}
	var rows []exRow
	for _, a := range f.Rows {
		r := exRow{Slug: str(a[col["slug"]]), Title: str(a[col["title"]]), Date: str(a[col["date"]]), Summary: str(a[col["summary"]])}
		if o := idx(a[col["org"]]); o >= 0 {
			r.Org, r.OrgName, r.Country = f.Orgs[o].ID, f.Orgs[o].Name, f.Orgs[o].Country
		}
		r.Bucket = f.Buckets[idx(a[col["bucket"]])].ID
		if l := idx(a[col["license"]]); l >= 0 {
			r.License, r.Class = f.Licenses[l].ID, f.Classes[f.Licenses[l].Class]
		}
		json.Unmarshal(a[col["params"]], &r.Params)
		for _, side := range []struct {
			col string
			to  *[]string
		}{{"in", &r.In}, {"out", &r.Out}} {
			var mods []int
			json.Unmarshal(a[col[side.col]], &mods)
			for _, m := range mods {
				*side.to = append(*side.to, f.Modalities[m])
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// slugs are the slugs of rs that keep, in order.
func slugs(rs []exRow, keep func(exRow) bool) []string {
	out := []string{}
	for _, r := range rs {
		if keep(r) {
			out = append(out, r.Slug)
		}
	}
	return out
}

func first(ss []string, n int) []string {
	if len(ss) > n {
		return ss[:n]
	}
	return ss
}

// shown is the explorer's visible rows, as slugs.
func (tb *tab) shown() []string {
	tb.t.Helper()
	var hrefs []string
	tb.eval(`Array.from(document.querySelectorAll("main table.releases tbody th a")).map(a => a.getAttribute("href"))`, &hrefs)
	out := []string{}
	for _, h := range hrefs {
		out = append(out, slugOf(h))
	}
	return out
}

// slugOf is the last path element of a link to a release page.
func slugOf(href string) string {
	parts := strings.Split(strings.Trim(href, "/"), "/")
	return parts[len(parts)-1]
}

// waitPath waits up to two seconds for the location to become want (the
// explorer updates it after drawing, and after a pause in typing), and
// returns the last location seen.
func (tb *tab) waitPath(want string) string {
	tb.t.Helper()
	p := tb.path()
	for end := time.Now().Add(2 * time.Second); p != want && time.Now().Before(end); p = tb.path() {
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

func (tb *tab) openExplorer(s *site, query string) {
	tb.t.Helper()
	tb.open(s.URL("releases/" + query))
	tb.do(chromedp.WaitReady(chromedp.CSS(`#explorer[data-ready]`)))
}

// choose picks a value in one of the explorer's selects, as a reader does.
func (tb *tab) choose(name, value string) {
	tb.t.Helper()
	tb.eval(fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q;
		s.dispatchEvent(new Event("change", {bubbles: true})); return s.value; })()`, "ex-"+name, value), nil)
}

func same(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s: shows %d rows %v\nwant %d rows %v", what, len(got), first(got, 8), len(want), first(want, 8))
	}
}

// TestExplorer filters the releases of the repository's content and checks
// the rows, the counts and the URL against explorer.json.
func TestExplorer(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	if n := len(releases(t, real)); len(rows) != n {
		t.Fatalf("explorer.json has %d rows, releases.json %d", len(rows), n)
	}
	all := slugs(rows, func(exRow) bool { return true })
	tb := newTab(t, real)

	tb.openExplorer(real, "")
	same(t, "no filter", tb.shown(), first(all, exStep))
	var status string
	tb.eval(`document.getElementById("ex-status").textContent`, &status)
	if !strings.Contains(status, fmt.Sprint(len(all))) {
		t.Errorf("status %q does not count %d releases", status, len(all))
	}
	if len(all) > exStep {
		tb.do(chromedp.Click(chromedp.CSS(`.ex-more button`)))
		same(t, "after Show more", tb.shown(), first(all, 2*exStep))
	}

	// A bucket, then a search typed key by key.
	bucket := rows[0].Bucket
	tb.choose("bucket", bucket)
	same(t, "bucket="+bucket, tb.shown(), first(slugs(rows, func(r exRow) bool { return r.Bucket == bucket }), exStep))
	if p := tb.waitPath("/releases/?bucket=" + bucket); p != "/releases/?bucket="+bucket {
		t.Errorf("URL after choosing a bucket = %s", p)
	}
	word := strings.ToLower(strings.Fields(rows[0].OrgName)[0])
	tb.do(chromedp.SendKeys(chromedp.CSS(`#ex-q`), word))
	match := func(r exRow) bool { return strings.Contains(r.text(), word) }
	want := first(slugs(rows, func(r exRow) bool { return r.Bucket == bucket && match(r) }), exStep)
	if len(want) == 0 {
		t.Fatalf("the test's filter matches nothing")
	}
	same(t, "bucket and q="+word, tb.shown(), want)
	// Typing updates the URL once the reader pauses.
	wantURL := "/releases/?" + url.Values{"q": {word}}.Encode() + "&bucket=" + bucket
	if p := tb.waitPath(wantURL); p != wantURL {
		t.Errorf("URL = %s, want %s", p, wantURL)
	}
	// Each bucket's count is what choosing it would show, given the search.
	var counts map[string]string
	tb.eval(`Object.fromEntries(Array.from(document.querySelectorAll("#ex-bucket option")).filter(o => o.value).map(o => [o.value, o.textContent]))`, &counts)
	for b, label := range counts {
		n := len(slugs(rows, func(r exRow) bool { return r.Bucket == b && match(r) }))
		if !strings.HasSuffix(label, fmt.Sprintf("(%d)", n)) {
			t.Errorf("bucket option %s reads %q, want a count of %d", b, label, n)
		}
	}

	// Loading the URL restores the view.
	tb.openExplorer(real, strings.TrimPrefix(wantURL, "/releases/"))
	same(t, "restored from "+wantURL, tb.shown(), want)
	var controls []string
	tb.eval(`[document.getElementById("ex-q").value, document.getElementById("ex-bucket").value]`, &controls)
	if strings.Join(controls, ",") != word+","+bucket {
		t.Errorf("restored controls = %v, want %s, %s", controls, word, bucket)
	}
	tb.do(chromedp.Click(chromedp.CSS(`.ex-reset`)))
	same(t, "after Clear all filters", tb.shown(), first(all, exStep))
	if p := tb.waitPath("/releases/"); p != "/releases/" {
		t.Errorf("URL after clearing = %s", p)
	}

	// The chart links: a bucket and a quarter or a month, or a bucket and a
	// license class; parameters; sort order. Unknown values are ignored.
	q, month, class := rows[0].quarter(), rows[0].Date[:7], rows[0].Class
	largest := append([]exRow(nil), rows...)
	sort.SliceStable(largest, func(i, j int) bool {
		a, b := largest[i].Params, largest[j].Params
		if a == nil || b == nil {
			return a != nil && b == nil
		}
		return *a > *b
	})
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"?bucket=" + bucket + "&period=" + q, slugs(rows, func(r exRow) bool { return r.Bucket == bucket && r.quarter() == q })},
		{"?bucket=" + bucket + "&period=" + month, slugs(rows, func(r exRow) bool { return r.Bucket == bucket && r.Date[:7] == month })},
		{"?period=" + month[:4], slugs(rows, func(r exRow) bool { return r.Date[:4] == month[:4] })},
		{"?bucket=" + bucket + "&class=" + class, slugs(rows, func(r exRow) bool { return r.Bucket == bucket && r.Class == class })},
		{"?org=" + rows[0].Org + "&year=" + rows[0].Date[:4], slugs(rows, func(r exRow) bool { return r.Org == rows[0].Org && r.Date[:4] == rows[0].Date[:4] })},
		{"?country=" + rows[0].Country + "&license=" + rows[0].License, slugs(rows, func(r exRow) bool { return r.Country == rows[0].Country && r.License == rows[0].License })},
		{"?min=10&max=100", slugs(rows, func(r exRow) bool { return r.Params != nil && *r.Params >= 10 && *r.Params <= 100 })},
		{"?sort=params", slugs(largest, func(exRow) bool { return true })},
		{"?sort=date-asc", func() []string {
			s := append([]string(nil), all...)
			for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
				s[i], s[j] = s[j], s[i]
			}
			return s
		}()},
		{"?bucket=no-such-bucket&period=junk", all},
	} {
		tb.openExplorer(real, c.query)
		same(t, c.query, tb.shown(), first(c.want, exStep))
	}
	// A release that takes one thing and makes another, so that in and
	// out are told apart.
	for _, r0 := range rows {
		if len(r0.In) == 0 || len(r0.Out) == 0 || slices.Equal(r0.In, r0.Out) {
			continue
		}
		for _, side := range []struct {
			name string
			of   func(exRow) []string
			m    string
		}{
			{"in", func(r exRow) []string { return r.In }, r0.In[len(r0.In)-1]},
			{"out", func(r exRow) []string { return r.Out }, r0.Out[len(r0.Out)-1]},
		} {
			q := "?" + side.name + "=" + side.m
			tb.openExplorer(real, q)
			same(t, q, tb.shown(), first(slugs(rows, func(r exRow) bool {
				return slices.Contains(side.of(r), side.m)
			}), exStep))
		}
		break
	}
	tb.checkClean("explorer")
}

// TestExplorerEscapes checks that the explorer writes contributed text as
// text: the fixture has a release whose title and summary are markup.
func TestExplorerEscapes(t *testing.T) {
	t.Parallel()
	_, fixture := sites(t)
	tb := newTab(t, fixture)
	tb.openExplorer(fixture, "?q=script")
	var got struct {
		Elements int    `json:"elements"`
		Text     string `json:"text"`
	}
	tb.eval(`({elements: document.querySelectorAll("main table.releases tbody script, main table.releases tbody img").length,
		text: document.querySelector("main table.releases tbody th a").textContent})`, &got)
	if got.Elements != 0 || got.Text != "</script><script>alert(1)</script>" {
		t.Errorf("hostile title: %d elements made, text %q", got.Elements, got.Text)
	}
	tb.checkClean("explorer with a hostile title")
}

// TestExplorerWithoutJavaScript walks the listing pages with scripts off:
// together they hold every release, newest first, and the filter form,
// which needs the script, stays hidden.
func TestExplorerWithoutJavaScript(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	want := slugs(explorerRows(t, real), func(exRow) bool { return true })
	tb := newTab(t, real)
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	var got []string
	next := real.URL("releases/")
	for pages := 0; next != ""; pages++ {
		if pages > 1000 {
			t.Fatal("the listing pages never end")
		}
		tb.open(next)
		ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
		// The form is there from the first paint for readers with
		// scripts, and a <noscript> style hides it from the others.
		if pages == 0 {
			style, err := chromedp.Run(ctx, chromedp.ComputedStyle(chromedp.CSS(`#explorer`)))
			if err != nil {
				t.Fatal(err)
			}
			d := ""
			for _, p := range style {
				if p.Name == "display" {
					d = p.Value
				}
			}
			if d != "none" {
				t.Errorf("the first listing page shows its filter form without scripts (display: %s)", d)
			}
		}
		links, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`main table.releases tbody th a`)))
		if err != nil {
			t.Fatal(err)
		}
		if len(links) > 100 {
			t.Errorf("%s lists %d releases, more than a page of 100", next, len(links))
		}
		for _, a := range links {
			got = append(got, slugOf(a["href"]))
		}
		rel, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`main a[rel=next], h1`)))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		next = ""
		for _, a := range rel {
			if a["rel"] == "next" {
				next = real.srv.URL + a["href"]
			}
		}
	}
	same(t, "all listing pages", got, want)
	tb.checkClean("listing without JavaScript")
}

// bigSite serves the repository's site with /data/explorer.json grown to n
// rows, made by repeating the real rows with a number added to each slug and
// title. It returns the site and its rows, resolved as explorerRows does.
func bigSite(t testing.TB, n int) (*site, []exRow) {
	t.Helper()
	real, _ := sites(t)
	var f map[string]json.RawMessage
	var cols []string
	var rows [][]any
	if err := json.Unmarshal(real.file(t, "data/explorer.json"), &f); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(f["cols"], &cols); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(f["rows"], &rows); err != nil {
		t.Fatal(err)
	}
	slug, title := slices.Index(cols, "slug"), slices.Index(cols, "title")
	if slug < 0 || title < 0 {
		t.Fatalf("explorer.json has no slug or title column: %v", cols)
	}
	small := explorerRows(t, real)
	big, resolved := make([][]any, n), make([]exRow, n)
	for i := range big {
		r := slices.Clone(rows[i%len(rows)])
		r[slug] = fmt.Sprintf("%s-%d", r[slug], i)
		r[title] = fmt.Sprintf("%s %d", r[title], i)
		big[i] = r
		x := small[i%len(small)]
		x.Slug, x.Title = fmt.Sprintf("%s-%d", x.Slug, i), fmt.Sprintf("%s %d", x.Title, i)
		resolved[i] = x
	}
	var err error
	if f["rows"], err = json.Marshal(big); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/data/explorer.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	})
	mux.Handle("/", http.FileServer(http.Dir(real.dir)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &site{name: fmt.Sprint(n), dir: real.dir, base: "/", srv: srv}, resolved
}

// typedWords are what typeInExplorer types, key by key, and deletes again.
var typedWords = []string{"mistral", "model 12", "qwen"}

// exUpdate is one update of the explorer: the search box and bucket it
// shows, the time from the event to the updated layout, how many releases
// match, and the links of the rows it draws (when asked to record them).
type exUpdate struct {
	Q, Bucket string
	MS        float64
	Matches   int
	Hrefs     []string
}

// typeInExplorer types each of typedWords into the open explorer a key at a
// time, deletes it the same way, and then picks each of the bucket select's
// options in turn. Each update is timed from its event to the updated layout.
// With record, it also reads each update's drawn rows, outside the timing.
func (tb *tab) typeInExplorer(record bool) []exUpdate {
	tb.t.Helper()
	words, _ := json.Marshal(typedWords)
	var out []exUpdate
	tb.eval(fmt.Sprintf(`((words, record) => {
		const ex = document.getElementById("explorer"), q = document.getElementById("ex-q"),
			b = document.getElementById("ex-bucket"), out = [];
		const step = (el, type) => {
			const t = performance.now();
			el.dispatchEvent(new Event(type, {bubbles: true}));
			document.body.offsetHeight;
			const ms = performance.now() - t;
			out.push({Q: q.value, Bucket: b.value, MS: ms, Matches: +ex.getAttribute("data-matches"),
				Hrefs: record ? Array.from(document.querySelectorAll("main table.releases tbody th a"), a => a.getAttribute("href")) : null});
		};
		for (const word of words) {
			for (let i = 1; i <= word.length; i++) { q.value = word.slice(0, i); step(q, "input"); }
			for (let i = word.length - 1; i >= 0; i--) { q.value = word.slice(0, i); step(q, "input"); }
		}
		for (const o of b.options) { b.value = o.value; step(b, "change"); }
		return out;
	})(%s, %t)`, words, record), &out)
	return out
}

// TestExplorerAtScale types into the explorer over 10,000 rows and checks
// every update against a recount: the number of matches, and the rows
// drawn, which are never more than one step's worth. Drawing a bounded
// number of rows is what keeps an update's layout cheap; BenchmarkExplorer
// times it.
func TestExplorerAtScale(t *testing.T) {
	t.Parallel()
	const n = 10000
	s, rows := bigSite(t, n)
	tb := newTab(t, s)
	tb.openExplorer(s, "")
	var total int
	tb.eval(`+document.getElementById("explorer").getAttribute("data-matches")`, &total)
	if total != n {
		t.Fatalf("the explorer holds %d rows, want %d", total, n)
	}
	var buckets []string
	tb.eval(`Array.from(document.getElementById("ex-bucket").options, o => o.value)`, &buckets)
	want := len(buckets)
	for _, w := range typedWords {
		want += 2 * len(w)
	}
	got := tb.typeInExplorer(true)
	if len(got) != want {
		t.Fatalf("%d updates, want %d", len(got), want)
	}
	for i, u := range got {
		words := strings.Fields(strings.ToLower(u.Q))
		keep := slugs(rows, func(r exRow) bool {
			if u.Bucket != "" && r.Bucket != u.Bucket {
				return false
			}
			for _, w := range words {
				if !strings.Contains(r.text(), w) {
					return false
				}
			}
			return true
		})
		what := fmt.Sprintf("update %d (q=%q bucket=%q)", i+1, u.Q, u.Bucket)
		if u.Matches != len(keep) {
			t.Errorf("%s: %d matches, want %d", what, u.Matches, len(keep))
		}
		var shown []string
		for _, h := range u.Hrefs {
			shown = append(shown, slugOf(h))
		}
		same(t, what, shown, first(keep, exStep))
	}
	// Every typed word matches something: the run went through real
	// filtering, not just an empty table.
	for _, w := range typedWords {
		if !slices.ContainsFunc(got, func(u exUpdate) bool { return u.Q == w && u.Matches > 0 }) {
			t.Errorf("typing %q matched nothing", w)
		}
	}
	tb.checkClean("explorer with 10,000 rows")
}

// BenchmarkExplorer times the explorer's updates over 10,000 rows, the
// budget of issue #5 being 50 ms a keystroke. Each iteration loads
// /releases/ afresh and runs typeInExplorer; each update keeps its fastest
// time over the iterations, as a busy machine only ever adds time. It
// reports the median and the slowest update, and the median page load.
// `make bench` runs it with -benchtime 7x.
func BenchmarkExplorer(b *testing.B) {
	s, _ := bigSite(b, 10000)
	tb := newTab(b, s)
	var best []exUpdate
	var loads []float64
	for b.Loop() {
		start := time.Now()
		tb.openExplorer(s, "")
		loads = append(loads, float64(time.Since(start).Microseconds())/1000)
		got := tb.typeInExplorer(false)
		if best == nil {
			best = got
		}
		for i := range best {
			best[i].MS = min(best[i].MS, got[i].MS)
		}
	}
	tb.checkClean("explorer with 10,000 rows")
	slices.SortFunc(best, func(x, y exUpdate) int { return cmp.Compare(x.MS, y.MS) })
	slices.Sort(loads)
	w := best[len(best)-1]
	b.Logf("slowest update: q=%q bucket=%q, %.1f ms", w.Q, w.Bucket, w.MS)
	b.ReportMetric(best[len(best)/2].MS, "ms-median/update")
	b.ReportMetric(w.MS, "ms-slowest/update")
	b.ReportMetric(loads[len(loads)/2], "ms/load")
}
