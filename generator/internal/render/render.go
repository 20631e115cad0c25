// Package render turns a classified catalog and its figures (package
// figure) into the files of the site: HTML pages, chart options, data
// files, feeds and og:image cards.
//
// Render counts nothing: every number a chart, its table or its caption
// shows comes from a figure.Figure, which render only formats (figures.go:
// periodChart, totalsChart, matrixChart, scatterChart). Every chart has a
// stable anchor (its id on its page), a source line ("Source: <title>,
// <base_url>, data as of <date>, <data_license>") and an embed page,
// /embed/<page>-<id>/, that holds the figure alone under the same CSP;
// site.js adds the toolbar that downloads it as PNG or SVG (ECharts' own
// export, with the title, finding, n note and source line drawn in), its
// table as CSV, and copies its link or embed code. The front page, the
// reports, the buckets and their figures get a 1200×630 card (card.go),
// drawn only when its inputs change; every other page shows the site's.
//
// Pages are html/template files (see the templates/ directory at the root
// of the repository). Each page kind has its own file, such as release.html,
// which defines "main" and is executed inside "base"; every other .html
// file (base.html, partials.html) holds shared definitions. Charts are built with go-echarts' option types
// and embedded as JSON in <script type="application/json"> elements, never
// through go-echarts' own renderer; a small script in /assets/ draws them.
// Each option carries a "whyopen" key (chartMeta) with the counts behind
// every point, for tooltips with count and share, and the keys a click
// links to; the script removes it before drawing. Every data table links
// its cells to the explorer as a click on the chart does.
//
// /data/ is a Frictionless Data Package (datapkg.go): datapackage.json
// describes releases.csv, orgs.csv, licenses.csv, buckets.csv,
// sources.csv and one reports/<id>.csv per edition with Table Schemas, and
// the /data/ page shows the same schemas to people. An edition's
// reports/<id>.csv and reports/<id>.json give share deltas only when it
// and the previous edition both have min_share_n releases
// (figure.Edition.Compare); otherwise they flag it small and say why.
// Every page's footer
// gives site.yaml's data_license and the date the data is as of
// (aggregate.Tables.AsOf).
//
// The release listing is an explorer: /releases/ and /releases/page/N/ list
// ListingSize releases each for readers without JavaScript, and
// /assets/explorer.js filters every release from /data/explorer.json (its
// format is explorerFile's comment). /methodology/ shows the buckets, their
// signals, the license classes and how often inference agrees with the
// editors (Methodology).
//
// A site with further bucket schemes (classify.Scheme) also gets
// /readings/, the primary scheme crossed with each further one, with the
// releases off the declared correspondence and each scheme's share chart
// (readings.go); each further scheme's bucket index and bucket pages at
// /schemes/<id>/ and /schemes/<id>/<bucket>/, which a switcher on the
// bucket pages links; every release's and org's bucket in every scheme;
// and each scheme's buckets in the data files and the explorer
// (?scheme=<id>). A one-scheme site's output has none of it.
//
// A bucket's, license's or org's page lists TermSize releases; more go on
// /buckets/<id>/page/N/ and so on, with page links (the "pager" template),
// so that an org with thousands of releases still has pages a browser can
// open. Only the first page has the term's description and chart.
//
// Render never touches the file system: it hands every file to an Emit
// function, from a pool of GOMAXPROCS workers that render pages, data
// files and feeds side by side; no page is held longer than it takes to
// emit it. Bodies come rendered from load (Doc.HTML). A release's table
// row (the "release-row" template) is rendered once and reused in every
// table that lists it. The template function partialCached does the same
// for any template that depends only on the keys it is given (base.html's
// masthead, footer and scripts), and fragment for any template that shows
// one value (the links to an org and a license, and the bucket chips that
// chip and chipFor return). Each worker
// executes its own copy of the templates. Output is byte-identical for
// the same input: nothing depends on the clock, map order or goroutine
// scheduling. RenderIncremental, given a Memo, skips the pages that
// cannot have changed since the last render; its output is the same.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"runtime"
	"strings"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Emit receives one output file. It must be safe for concurrent use, and
// must not keep data after it returns: a page's bytes are in a buffer that
// the next page reuses.
type Emit func(path string, data []byte) error

// Options configures rendering.
type Options struct {
	Templates []load.File
	Static    []load.File
	// LiveReload adds the development server's reload script to pages.
	LiveReload bool
}

// Result counts what was rendered.
type Result struct {
	Pages int // HTML pages
	Files int // every file, pages included
	Kept  int // pages not rendered again, being unchanged
}

// Renderer holds parsed templates; it renders any number of sites.
type Renderer struct {
	pages templateSet
	// spare holds copies of pages, one per worker but the first. A
	// template set takes a read lock on every function call, which costs
	// more than the call once two cores share it; see take.
	spare chan templateSet
	opt   Options
}

// templateSet is every page kind's template, by kind.
type templateSet map[string]*template.Template

// take returns a template set for one goroutine's use, and a function
// that gives it back. When every copy is in use it shares the first set,
// which is always safe: it never waits.
func (rd *Renderer) take() (templateSet, func()) {
	select {
	case set := <-rd.spare:
		return set, func() { rd.spare <- set }
	default:
		return rd.pages, func() {}
	}
}

// New parses the templates once.
func New(opt Options) (*Renderer, error) {
	root := template.New("").Funcs(funcs)
	var pageFiles []load.File
	for _, f := range opt.Templates {
		switch {
		case !strings.HasSuffix(f.Path, ".html"):
		case !isPageKind(strings.TrimSuffix(f.Path, ".html")):
			if _, err := root.New(f.Path).Parse(string(f.Data)); err != nil {
				return nil, fmt.Errorf("templates/%s: %w", f.Path, cleanTemplateErr(err))
			}
		default:
			pageFiles = append(pageFiles, f)
		}
	}
	if root.Lookup("base") == nil {
		return nil, fmt.Errorf("templates/base.html: no {{define \"base\"}}")
	}
	r := &Renderer{pages: templateSet{}, opt: opt}
	for _, f := range pageFiles {
		t, err := root.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New(f.Path).Parse(string(f.Data)); err != nil {
			return nil, fmt.Errorf("templates/%s: %w", f.Path, cleanTemplateErr(err))
		}
		r.pages[strings.TrimSuffix(f.Path, ".html")] = t
	}
	for _, need := range pageKinds {
		if r.pages[need] == nil {
			return nil, fmt.Errorf("templates/%s.html is missing", need)
		}
	}
	// A copy is escaped again when it first executes: about 10 ms for
	// the whole set, once per Renderer.
	n := runtime.GOMAXPROCS(0) - 1
	r.spare = make(chan templateSet, n)
	for range n {
		set := templateSet{}
		for kind, t := range r.pages {
			c, err := t.Clone()
			if err != nil {
				return nil, err
			}
			set[kind] = c
		}
		r.spare <- set
	}
	return r, nil
}

// pageKinds are the page templates every theme must have.
var pageKinds = []string{"home", "releases", "release", "buckets", "bucket", "licenses", "license", "orgs", "org", "reports", "report", "methodology", "data", "404", "embed"}

// optionalKinds are page templates only some sites need: readings.html,
// for a site with further bucket schemes.
var optionalKinds = []string{"readings"}

func isPageKind(name string) bool {
	for _, k := range optionalKinds {
		if k == name {
			return true
		}
	}
	for _, k := range pageKinds {
		if k == name {
			return true
		}
	}
	return false
}

func cleanTemplateErr(err error) error {
	return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
}

// Site is everything a page template can reach.
type Site struct {
	Cat      *classify.Catalog
	Stats    *aggregate.Stats
	Figs     *figure.Set
	Title    string
	BaseURL  string
	BasePath string // path part of BaseURL: "/" or "/whyopen/"
	Unit     aggregate.Unit
	Live     bool
	// scheme is the further scheme a view of the site shows (inScheme);
	// "" for the primary one.
	scheme string
	// Latest is the newest complete report, if any: the front page
	// leads with it.
	Latest *Report
	// Reports are every published report, newest first: those whose
	// period has ended (figure.Edition.Complete).
	Reports []*Report
	// AsOf is the date the data is as of (aggregate.Tables.AsOf), and
	// Version the data package's version, made of it.
	AsOf, Version string
	// DataLicense is site.yaml's data_license, resolved; nil without one.
	DataLicense *DataLicense

	source string     // every export's source line (sourceLine)
	cards  *cardCache // every card, by its inputs

	pages []*Page    // every page, for the sitemap
	rows  *rowCache  // every release's table row
	data  *dataCache // each release's share of the data files
}

// Page is the value each page template executes with.
type Page struct {
	*Site
	Path        string // site-relative, without the base path: "releases/x/"
	Title       string
	Description string
	Kind        string // the template's name
	Crumbs      []Crumb
	Prev, Next  *Link
	Data        any
	// lazy, when set, fills Data's costly parts just before the page
	// renders (fill) and drops them after, so that they are made on all
	// cores and never all held at once.
	lazy func(fill bool)
	// memo says that the page shows nothing but deps, the fields above
	// and what every page shares, so that it is unchanged while they are
	// (see Memo); extra is anything else of Data it shows.
	memo  bool
	deps  []*classify.Release
	extra string
	// set is the template set the page is rendering with, for the
	// templates its functions execute (row, partialCached).
	set templateSet
	// Card is the path of the page's own og:image card, or "" for the
	// site's (OGImage); cardIn makes what the card shows.
	Card   string
	cardIn func() card
}

// HasCharts reports whether the page draws charts and so needs ECharts.
func (p *Page) HasCharts() bool {
	switch p.Kind {
	case "release", "releases", "reports", "methodology", "data", "404":
		return false
	}
	return true
}

// Crumb is one breadcrumb.
type Crumb struct{ Name, Path string }

// Link is a named link to a page.
type Link struct{ Name, Path string }

// newSite gathers what every page of cat's site can reach.
func newSite(cat *classify.Catalog, figs *figure.Set, live bool) *Site {
	st := figs.Stats
	site := &Site{Cat: cat, Stats: st, Figs: figs, Title: cat.Site.Title, BaseURL: cat.Site.BaseURL, BasePath: "/", Unit: aggregate.Quarter, Live: live}
	if u, err := url.Parse(cat.Site.BaseURL); err == nil && u.Path != "" {
		site.BasePath = u.Path
		if !strings.HasSuffix(site.BasePath, "/") {
			site.BasePath += "/"
		}
	}
	if cat.Site.Period == "month" {
		site.Unit = aggregate.Month
	}
	site.AsOf = st.Tables.AsOf.String()
	site.Version = version(site.AsOf)
	site.DataLicense = dataLicense(cat)
	site.source = sourceLine(site)
	site.Reports = reports(site)
	for _, r := range site.Reports {
		r.Chart = site.place(periodChart(site, r.Count.Chart), r.Path)
		if r.Count == figs.Lead {
			site.Latest = r
		}
	}
	return site
}

// Render renders the whole site.
func (rd *Renderer) Render(cat *classify.Catalog, figs *figure.Set, emit Emit) (Result, error) {
	return rd.RenderIncremental(cat, figs, emit, Incremental{})
}

// Incremental says which pages Render may skip.
type Incremental struct {
	// Memo, when set, remembers this render for the next, and tells
	// which pages are unchanged since the last; see Memo.
	Memo *Memo
	// Keep is called, instead of the Emit function, with the output path
	// of each page the memo knows is unchanged: the file the previous
	// render emitted is to stay as it is. When it fails, the page is
	// rendered after all.
	Keep func(path string) error
}

// RenderIncremental renders the site, skipping the pages inc says cannot
// have changed. Its output, kept files included, is the same as Render's.
func (rd *Renderer) RenderIncremental(cat *classify.Catalog, figs *figure.Set, emit Emit, inc Incremental) (Result, error) {
	site := newSite(cat, figs, rd.opt.LiveReload)
	site.rows = &rowCache{shared: rd.pages}
	site.cards = &cardCache{next: map[[32]byte][]byte{}}
	w := &writer{rd: rd, emit: emit, memo: inc.Memo, keep: inc.Keep}
	if w.keep == nil {
		w.memo = nil
	}
	if inc.Memo != nil {
		inc.Memo.begin(rd, site)
	}
	// Render on all cores with a bounded pool; the first error wins.
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	early := dataJobs(site, w)
	next := make(chan func() error, len(early)) // so that they never wait for a worker
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Go(func() {
			for job := range next {
				if err := job(); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	// The data files take longest, and need no pages: start them while
	// the pages are listed.
	for _, j := range early {
		next <- j
	}
	site.pages = pages(site)
	jobs := []func() error{func() error { return w.file("sitemap.xml", sitemap(site)) }}
	jobs = append(jobs, cardJobs(site, w)...)
	var kept []*Page // that the memo says are unchanged
	for _, p := range site.pages {
		if w.memo != nil && p.memo && w.memo.unchanged(p.out(), p) {
			kept = append(kept, p)
			continue
		}
		jobs = append(jobs, func() error { return w.page(p) })
	}
	for len(kept) > 0 {
		chunk := kept[:min(len(kept), 256)]
		kept = kept[len(chunk):]
		jobs = append(jobs, func() error { return w.keepAll(chunk) })
	}
	for _, f := range rd.opt.Static {
		jobs = append(jobs, func() error { return w.file(f.Path, f.Data) })
	}
	jobs = append(jobs, func() error { return w.file("assets/buckets.css", bucketCSS(cat)) })
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		if inc.Memo != nil {
			inc.Memo.Forget()
		}
		return Result{}, firstErr
	}
	if inc.Memo != nil {
		inc.Memo.end(site)
	}
	return Result{Pages: int(w.pages.Load()), Files: int(w.files.Load()), Kept: int(w.kept.Load())}, nil
}

type writer struct {
	rd                 *Renderer
	emit               Emit
	memo               *Memo
	keep               func(string) error
	pages, files, kept counter
	bufs               sync.Pool
}

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) Add(n int) {
	c.mu.Lock()
	c.n += n
	c.mu.Unlock()
}

func (c *counter) Load() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (w *writer) file(p string, data []byte) error {
	w.files.Add(1)
	return w.emit(p, data)
}

// out is the page's output path.
func (p *Page) out() string {
	if p.Kind == "404" {
		return "404.html"
	}
	return p.Path + "index.html"
}

// keepAll keeps the files of pages the memo says are unchanged, and
// renders any whose file cannot be kept after all.
func (w *writer) keepAll(ps []*Page) error {
	n := 0
	for _, p := range ps {
		if w.keep(p.out()) != nil {
			if err := w.page(p); err != nil {
				return err
			}
			continue
		}
		n++
	}
	w.pages.Add(n)
	w.files.Add(n)
	w.kept.Add(n)
	return nil
}

func (w *writer) page(p *Page) error {
	out := p.out()
	if w.memo != nil && p.memo {
		defer w.memo.record(out, p)
	}
	set, done := w.rd.take()
	defer done()
	p.set = set
	t := set[p.Kind]
	if t == nil {
		return fmt.Errorf("rendering /%s: templates/%s.html is missing: a site with further bucket schemes needs it", p.Path, p.Kind)
	}
	buf, _ := w.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	defer w.bufs.Put(buf)
	if p.lazy != nil {
		p.lazy(true)
		defer p.lazy(false)
	}
	if err := t.ExecuteTemplate(buf, "base", p); err != nil {
		return fmt.Errorf("rendering /%s: %w", p.Path, cleanTemplateErr(err))
	}
	w.pages.Add(1)
	return w.file(out, buf.Bytes())
}

// bucketCSS gives each bucket's chips and cards its colour from the bucket
// files. Ids and colours are checked (slug and #rrggbb), so they are safe
// to write into CSS.
func bucketCSS(cat *classify.Catalog) []byte {
	var light, dark bytes.Buffer
	light.WriteString("/* Generated from content/buckets/. */\n.chip-unclassified, .card-unclassified { --c: #6b6b6b; }\n")
	for _, b := range cat.Buckets {
		d := b.ColorDark
		if d == "" {
			d = b.Color
		}
		fmt.Fprintf(&light, ".chip-%s, .card-%s { --c: %s; }\n", b.ID, b.ID, b.Color)
		fmt.Fprintf(&dark, "  .chip-%s, .card-%s { --c: %s; }\n", b.ID, b.ID, d)
	}
	// A further scheme's buckets are classed <scheme>--<bucket>: no id
	// holds "--", so they never meet the primary scheme's.
	for _, sc := range cat.Schemes[min(1, len(cat.Schemes)):] {
		for _, b := range sc.Buckets {
			d := b.ColorDark
			if d == "" {
				d = b.Color
			}
			fmt.Fprintf(&light, ".chip-%s--%s, .card-%s--%s { --c: %s; }\n", sc.ID, b.ID, sc.ID, b.ID, b.Color)
			fmt.Fprintf(&dark, "  .chip-%s--%s, .card-%s--%s { --c: %s; }\n", sc.ID, b.ID, sc.ID, b.ID, d)
		}
	}
	light.WriteString("@media (prefers-color-scheme: dark) {\n  .chip-unclassified, .card-unclassified { --c: #a8a8a8; }\n")
	light.Write(dark.Bytes())
	light.WriteString("}\n")
	return light.Bytes()
}
