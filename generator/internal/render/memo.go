package render

import (
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// Memo lets a Render skip the pages that cannot have changed since the
// last one, for a development server that rebuilds after every save.
//
// It relies on a load.Cache: a content file that did not change yields the
// same *load.Release as before, so pointer identity says a release is
// unchanged. A page that declares what it shows (a release's page, a page
// of a license's or an org's releases, a later page of a bucket's, a page
// of the listing, a report with its counts and chart) is the same
// as last time if its kind, path, title, description, breadcrumbs and
// neighbours are, if the releases it shows are the same values, and if
// what every page shares is too: the templates and static files (the
// Renderer), site.yaml, sources.yaml, the orgs, buckets, licenses,
// reports and further schemes, and the list of buckets. When any of those
// shared things changes, the memo
// forgets everything and the next Render renders every page.
//
// Pages that show something of every release (the front page, the
// indexes, the methodology, a bucket's first page with its share chart)
// and the data files and feeds are always made again; the
// publishing stage then writes only those whose bytes changed. They reuse
// what the memo kept of each unchanged release, under the same rules:
// its table row, and its share of releases.json, releases.csv and
// explorer.json (dataCache).
type Memo struct {
	mu      sync.Mutex
	context string
	gen     uint64                // counts renders, to drop pages that went
	pages   map[string]*memoEntry // by output path, as the last good build left it
	rows    map[*load.Release]template.HTML
	data    map[string]map[*load.Release][]byte // see dataCache
	cards   map[[32]byte][]byte                 // see cardCache
}

// memoEntry is what a page showed, and the last render that had it.
type memoEntry struct {
	key pageKey
	gen uint64
}

// pageKey is what a page shows besides what every page shares: kept by
// value, compared without allocating.
type pageKey struct {
	kind, path, title, desc, extra string
	crumbs                         []Crumb
	prev, next                     Link
	hasPrev, hasNext               bool
	deps                           []*load.Release
}

// matches reports whether p shows what k recorded.
func (k *pageKey) matches(p *Page) bool {
	if k.kind != p.Kind || k.path != p.Path || k.title != p.Title || k.desc != p.Description || k.extra != p.extra ||
		len(k.crumbs) != len(p.Crumbs) || len(k.deps) != len(p.deps) || k.hasPrev != (p.Prev != nil) || k.hasNext != (p.Next != nil) {
		return false
	}
	if (p.Prev != nil && *p.Prev != k.prev) || (p.Next != nil && *p.Next != k.next) {
		return false
	}
	for i, c := range p.Crumbs {
		if c != k.crumbs[i] {
			return false
		}
	}
	for i, r := range p.deps {
		if k.deps[i] != r.Release {
			return false
		}
	}
	return true
}

func keyOf(p *Page) pageKey {
	k := pageKey{kind: p.Kind, path: p.Path, title: p.Title, desc: p.Description, extra: p.extra, crumbs: p.Crumbs,
		hasPrev: p.Prev != nil, hasNext: p.Next != nil, deps: make([]*load.Release, len(p.deps))}
	if p.Prev != nil {
		k.prev = *p.Prev
	}
	if p.Next != nil {
		k.next = *p.Next
	}
	for i, r := range p.deps {
		k.deps[i] = r.Release
	}
	return k
}

// contextOf names what every page of s shares, rendered by rd.
func contextOf(rd *Renderer, s *Site) string {
	var b strings.Builder
	cat := s.Cat
	fmt.Fprintf(&b, "%p\x00%q\x00%q\x00%q\x00%q\x00%q\x00%q\x00%v\x00%v", rd, s.Title, s.BaseURL, s.BasePath, cat.Site.Description, cat.Site.Period, s.Unit, s.Live, s.Stats.Buckets)
	// The footer shows the data's license and date.
	fmt.Fprintf(&b, "\x00%q\x00%q", cat.Site.DataLicense, s.AsOf)
	// Today and the minimum n decide which periods are partial or small.
	fmt.Fprintf(&b, "\x00%s\x00%d\x00%s", s.Figs.Opt.Today, s.Figs.Opt.MinShareN, s.source)
	for _, o := range cat.Orgs {
		fmt.Fprintf(&b, "\x00%p", o)
	}
	for _, x := range cat.Buckets {
		fmt.Fprintf(&b, "\x00%p", x)
	}
	for _, l := range cat.Licenses {
		fmt.Fprintf(&b, "\x00%p", l)
	}
	for _, r := range cat.Reports {
		fmt.Fprintf(&b, "\x00%p", r)
	}
	// sources.yaml is read anew on every build: compare what it says,
	// which decides the kind shown by each source.
	fmt.Fprintf(&b, "\x00%q\x00%q", cat.Sources.Mirrors, cat.Sources.Farms)
	for _, sc := range cat.Schemes[min(1, len(cat.Schemes)):] {
		fmt.Fprintf(&b, "\x00%p", sc.Doc)
		for _, x := range sc.Buckets {
			fmt.Fprintf(&b, "\x00%p", x)
		}
	}
	return b.String()
}

// begin prepares m for a render of s by rd.
func (m *Memo) begin(rd *Renderer, s *Site) {
	ctx := contextOf(rd, s)
	m.mu.Lock()
	defer m.mu.Unlock()
	if ctx != m.context {
		m.context, m.pages, m.rows, m.data = ctx, nil, nil, nil
	}
	if m.pages == nil {
		m.pages = map[string]*memoEntry{}
	}
	m.gen++
	s.rows.prev = m.rows
	s.data = &dataCache{prev: m.data, next: map[string]*fragments{}}
	// Cards are kept by the hash of all they show: no context change
	// makes one stale.
	s.cards.prev = m.cards
}

// unchanged reports whether the page at out showed what p shows last
// time; if so, the page stays in the memo. Only the goroutine that starts
// a render calls it.
func (m *Memo) unchanged(out string, p *Page) bool {
	e := m.pages[out]
	if e == nil || !e.key.matches(p) {
		return false
	}
	e.gen = m.gen
	return true
}

// record remembers that the page at out shows what p shows.
func (m *Memo) record(out string, p *Page) {
	k := keyOf(p)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pages[out] = &memoEntry{key: k, gen: m.gen}
}

// end forgets the pages this render did not make, and keeps the rows of
// the releases still in the site.
func (m *Memo) end(s *Site) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for out, e := range m.pages {
		if e.gen != m.gen {
			delete(m.pages, out)
		}
	}
	m.data = s.data.kept(s.Cat.Releases)
	m.cards = s.cards.next
	if m.rows == nil {
		m.rows = map[*load.Release]template.HTML{}
	}
	s.rows.rows.Range(func(k, v any) bool {
		m.rows[k.(*load.Release)] = v.(template.HTML)
		return true
	})
	// Rows of releases that changed or went stay until they are as many
	// as the live ones.
	if len(m.rows) > 2*len(s.Cat.Releases)+64 {
		live := make(map[*load.Release]bool, len(s.Cat.Releases))
		for _, r := range s.Cat.Releases {
			live[r.Release] = true
		}
		for r := range m.rows {
			if !live[r] {
				delete(m.rows, r)
			}
		}
	}
}

// Forget makes the next Render render every page, as after a failed
// build whose output is unknown.
func (m *Memo) Forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.context, m.pages, m.rows, m.data = "", nil, nil, nil
}
