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
// Renderer), site.yaml, the orgs, buckets, licenses and reports, and the
// list of buckets. When any of those shared things changes, the memo
// forgets everything and the next Render renders every page.
//
// Pages that show something of every release (the front page, the
// indexes, the methodology, a bucket's first page with its share chart)
// and the data files and feeds are always made again; the
// publishing stage then writes only those whose bytes changed.
type Memo struct {
	mu      sync.Mutex
	context string
	pages   map[string]pageKey // by output path, as the last good build left it
	next    map[string]pageKey
	rows    map[*load.Release]template.HTML
}

type pageKey struct {
	meta string
	deps []*load.Release
}

func (a pageKey) equal(b pageKey) bool {
	if a.meta != b.meta || len(a.deps) != len(b.deps) {
		return false
	}
	for i := range a.deps {
		if a.deps[i] != b.deps[i] {
			return false
		}
	}
	return true
}

func keyOf(p *Page) pageKey {
	var b strings.Builder
	b.WriteString(p.Kind + "\x00" + p.Path + "\x00" + p.Title + "\x00" + p.Description + "\x00" + p.extra)
	for _, c := range p.Crumbs {
		b.WriteString("\x00" + c.Name + "\x01" + c.Path)
	}
	for _, l := range []*Link{p.Prev, p.Next} {
		if l != nil {
			b.WriteString("\x00" + l.Name + "\x01" + l.Path)
		} else {
			b.WriteString("\x00-")
		}
	}
	k := pageKey{meta: b.String(), deps: make([]*load.Release, len(p.deps))}
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
	return b.String()
}

// begin prepares m for a render of s by rd.
func (m *Memo) begin(rd *Renderer, s *Site) {
	ctx := contextOf(rd, s)
	m.mu.Lock()
	defer m.mu.Unlock()
	if ctx != m.context {
		m.context, m.pages, m.rows = ctx, nil, nil
	}
	m.next = map[string]pageKey{}
	for r, h := range m.rows {
		s.rows.rows.Store(r, h)
	}
}

// unchanged reports whether the page at out showed k last time.
func (m *Memo) unchanged(out string, k pageKey) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.pages[out]
	return ok && old.equal(k)
}

func (m *Memo) record(out string, k pageKey) {
	m.mu.Lock()
	m.next[out] = k
	m.mu.Unlock()
}

// end keeps the rows of the releases still in the site.
func (m *Memo) end(s *Site) {
	live := make(map[*load.Release]bool, len(s.Cat.Releases))
	for _, r := range s.Cat.Releases {
		live[r.Release] = true
	}
	rows := make(map[*load.Release]template.HTML, len(live))
	s.rows.rows.Range(func(k, v any) bool {
		if r := k.(*load.Release); live[r] {
			rows[r] = v.(template.HTML)
		}
		return true
	})
	m.mu.Lock()
	m.rows = rows
	m.mu.Unlock()
}

// Commit makes the last Render's pages what the next one compares with.
// Call it once that render's files are published.
func (m *Memo) Commit() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pages, m.next = m.next, nil
}

// Forget makes the next Render render every page, as after a failed
// build whose output is unknown.
func (m *Memo) Forget() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.context, m.pages, m.next, m.rows = "", nil, nil, nil
}
