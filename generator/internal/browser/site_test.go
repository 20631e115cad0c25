package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// root is the repository's root, seen from this package's directory.
const root = "../../.."

// site is one built site and the server that serves it.
type site struct {
	name string
	dir  string // the output directory
	base string // the path of base_url, such as "/" or "/report/"
	srv  *httptest.Server
	res  *build.Result
}

// URL returns the address of a site-relative path.
func (s *site) URL(p string) string { return s.srv.URL + s.base + p }

// file reads a file of the built site.
func (s *site) file(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	sitesOnce   sync.Once
	sitesErr    error
	realSite    *site // the repository's content/
	fixtureSite *site // the build package's site.txtar
	tmpDirs     []string

	browserOnce   sync.Once
	browserErr    error
	browserCtx    context.Context
	browserCancel []context.CancelFunc
)

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(browserCancel) - 1; i >= 0; i-- {
		browserCancel[i]()
	}
	for _, s := range []*site{realSite, fixtureSite} {
		if s != nil {
			s.srv.Close()
		}
	}
	for _, d := range tmpDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// sites builds both sites once per test binary and serves them.
func sites(t testing.TB) (real, fixture *site) {
	t.Helper()
	sitesOnce.Do(func() {
		if _, err := os.Stat(filepath.Join(root, "static/assets/vendor/echarts.min.js")); err != nil {
			sitesErr = fmt.Errorf("ECharts is missing (%v): run `make vendor` (or `make test`) first", err)
			return
		}
		fix, err := extract(filepath.Join(root, "generator/internal/build/testdata/site.txtar"))
		if err != nil {
			sitesErr = err
			return
		}
		if realSite, sitesErr = buildSite("content", root); sitesErr != nil {
			return
		}
		fixtureSite, sitesErr = buildSite("fixture", fix)
	})
	if sitesErr != nil {
		t.Fatal(sitesErr)
	}
	return realSite, fixtureSite
}

func tempDir() (string, error) {
	d, err := os.MkdirTemp("", "whyopen-browser-")
	if err == nil {
		tmpDirs = append(tmpDirs, d)
	}
	return d, err
}

func extract(name string) (string, error) {
	ar, err := txtar.ParseFile(name)
	if err != nil {
		return "", err
	}
	dir, err := tempDir()
	if err != nil {
		return "", err
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

func buildSite(name, src string) (*site, error) {
	dir, err := tempDir()
	if err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "public")
	// A fixed "today" far ahead keeps the build independent of the clock.
	res, err := build.Build(build.Options{Src: src, Out: out, Theme: os.DirFS(root), Today: load.NewDate(2100, 1, 1)})
	if err != nil {
		var msgs []string
		for _, p := range res.Problems {
			msgs = append(msgs, p.String())
		}
		return nil, fmt.Errorf("building %s: %v\n%s", name, err, strings.Join(msgs, "\n"))
	}
	// Serve the site under the path of its base URL, as it is published.
	base := "/"
	if u, err := url.Parse(res.Catalog.Site.BaseURL); err == nil && u.Path != "" {
		base = strings.TrimSuffix(u.Path, "/") + "/"
	}
	mux := http.NewServeMux()
	mux.Handle(base, http.StripPrefix(strings.TrimSuffix(base, "/"), http.FileServer(http.Dir(out))))
	return &site{name: name, dir: out, base: base, srv: httptest.NewServer(mux), res: res}, nil
}

// chromium is the browser to drive, or "" when there is none.
func chromium() string {
	if p := os.Getenv("WHYOPEN_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// needBrowser starts the one browser of the test binary, or skips the test
// when there is no Chromium; under CI=true a missing Chromium fails it.
func needBrowser(t testing.TB) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is missing, and CI=true: install Debian's chromium package")
		}
		t.Skip("Chromium is missing: install Debian's chromium package to run the browser tests")
	}
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.WindowSize(1280, 900),
		)
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browserCancel = append(browserCancel, acancel, bcancel)
		// The first Do starts the browser, bound to bctx, which has no timeout.
		browserErr = chromedp.Do(bctx)
		browserCtx = bctx
	})
	if browserErr != nil {
		t.Fatalf("starting Chromium: %v", browserErr)
	}
	return browserCtx
}

// tab is one browser tab that records what went wrong while pages load:
// console errors, uncaught exceptions, failed requests and requests to any
// host but the test server's.
type tab struct {
	t    testing.TB
	ctx  context.Context
	host string

	mu       sync.Mutex
	problems []string
}

// newTab opens a tab for pages of s. Every action on it has a deadline.
func newTab(t testing.TB, s *site) *tab {
	t.Helper()
	bctx := needBrowser(t)
	u, _ := url.Parse(s.srv.URL)
	tb := &tab{t: t, host: u.Host}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	tb.ctx = ctx
	return tb
}

func (tb *tab) note(format string, args ...any) {
	tb.mu.Lock()
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
	tb.mu.Unlock()
}

// listen runs in the tab's event loop: it only records.
func (tb *tab) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			tb.note("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tb.note("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			tb.note("browser log error (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err != nil {
			tb.note("request to an unparsable URL %q", ev.Request.URL)
			return
		}
		switch u.Scheme {
		case "data", "blob", "about":
		default:
			if u.Host != tb.host {
				tb.note("off-site request: %s", ev.Request.URL)
			}
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			tb.note("failed request (%s): %s", ev.Type, ev.ErrorText)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			tb.note("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	}
}

// takeProblems returns and clears what went wrong so far.
func (tb *tab) takeProblems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.problems
	tb.problems = nil
	return p
}

// checkClean fails the test for every problem recorded since the last call.
func (tb *tab) checkClean(what string) {
	tb.t.Helper()
	for _, p := range tb.takeProblems() {
		tb.t.Errorf("%s: %s", what, p)
	}
}

// do runs actions with a deadline.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 120*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// eval evaluates a script, awaiting it when it is a promise, and decodes its
// JSON result into out.
func (tb *tab) eval(script string, out any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 120*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](script, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q: %v", script, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			tb.t.Fatalf("decoding the result of %.80q: %v (%s)", script, err, raw)
		}
	}
}

// open loads a page and waits for its load event.
//
// site.js draws a chart only once it comes near the viewport, so open
// scrolls each chart into view in turn, waits up to five seconds for every
// one to be drawn, and scrolls back to the top: the tests see the page as
// a reader who has scrolled through it.
func (tb *tab) open(u string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(u))
	tb.eval(drawAll, nil)
}

// drawAll scrolls through a page's charts until site.js has drawn them,
// then back to where the page was, as a link's #fragment put it.
const drawAll = `(async () => {
	const x = window.scrollX, y = window.scrollY;
	const els = Array.from(document.querySelectorAll(".chart-canvas[data-chart]"));
	if (!els.length || !document.querySelector("script[data-echarts]")) return 0;
	const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	const sleep = ms => new Promise(r => setTimeout(r, ms));
	for (let i = 0; i < 100 && !els[0].classList.contains("chart-live"); i++) await sleep(20);
	for (const el of els) { el.scrollIntoView({block: "center"}); await frame(); }
	for (let i = 0; i < 250 && els.some(el => el.classList.contains("chart-live") && !el.hasAttribute("data-drawn")); i++) await sleep(20);
	window.scrollTo(x, y);
	await frame();
	return els.length;
})()`

// path is the current location's path and query.
func (tb *tab) path() string {
	var p string
	tb.eval(`location.pathname + location.search`, &p)
	return p
}

// record is one release in /data/releases.json.
type record struct {
	Slug           string `json:"slug"`
	Title          string `json:"title"`
	Date           string `json:"date"`
	Bucket         string `json:"bucket"`
	BucketSource   string `json:"bucket_source"`
	InferredBucket string `json:"inferred_bucket"`
	LicenseClass   string `json:"license_class"`
}

func releases(t testing.TB, s *site) []record {
	t.Helper()
	var rs []record
	if err := json.Unmarshal(s.file(t, "data/releases.json"), &rs); err != nil {
		t.Fatal(err)
	}
	return rs
}

// pageKinds lists one page of each kind of s, by name, as site-relative
// paths. Term pages are the first of their kind in file-name order; a kind
// the site has no page of is left out.
func pageKinds(t testing.TB, s *site) map[string]string {
	t.Helper()
	first := func(dir string) string {
		es, err := os.ReadDir(filepath.Join(s.dir, dir))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			if !e.IsDir() || e.Name() == "page" {
				continue
			}
			// A term no release uses has no chart: take one that has.
			if page, err := os.ReadFile(filepath.Join(s.dir, dir, e.Name(), "index.html")); err == nil && (dir == "reports" || strings.Contains(string(page), "data-chart")) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		if len(names) == 0 {
			return ""
		}
		return dir + "/" + names[0] + "/"
	}
	rs := releases(t, s)
	if len(rs) == 0 {
		t.Fatalf("%s: no releases", s.name)
	}
	kinds := map[string]string{
		"home": "", "explorer": "releases/", "release": "releases/" + rs[0].Slug + "/",
		"buckets": "buckets/", "bucket": first("buckets"), "licenses": "licenses/", "license": first("licenses"),
		"orgs": "orgs/", "org": first("orgs"), "reports": "reports/", "report": first("reports"),
		"methodology": "methodology/", "data": "data/", "404": "404.html",
	}
	if _, err := os.Stat(filepath.Join(s.dir, "releases/page/2/index.html")); err == nil {
		kinds["listing"] = "releases/page/2/"
	}
	// A site with further bucket schemes has /readings/ and each scheme's
	// bucket index and bucket pages.
	if _, err := os.Stat(filepath.Join(s.dir, "readings/index.html")); err == nil {
		kinds["readings"] = "readings/"
		if sc := first("schemes"); sc != "" {
			kinds["scheme"] = sc
			kinds["scheme bucket"] = first(strings.TrimSuffix(sc, "/"))
		}
	}
	for k, p := range kinds {
		if p == "" && k != "home" {
			delete(kinds, k) // a site without reports has no report page
		}
	}
	return kinds
}
