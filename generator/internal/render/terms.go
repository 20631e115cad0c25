package render

import (
	"fmt"

	"github.com/whyopen/whyopen/generator/internal/classify"
)

// TermSize is the number of releases on each page of a bucket, license or
// org: /orgs/<id>/ is the first page, /orgs/<id>/page/2/ the second, so an
// org with thousands of releases still has pages a browser can open.
const TermSize = 100

// termPath is the site-relative path of page n of a term whose first page
// is at base.
func termPath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, n)
}

// paginate splits rs into pages of size, the first at base. There is
// always one page, empty when there are no releases. Each page's
// navigation names the first and last pages and two either side of the
// current one, so it is built in constant time.
func paginate(rs []*classify.Release, size int, base string) []*Listing {
	pages := max(1, (len(rs)+size-1)/size)
	out := make([]*Listing, pages)
	for i := range out {
		from, to := i*size, min((i+1)*size, len(rs))
		l := &Listing{Releases: rs[from:to], Total: len(rs), Page: i + 1, Pages: pages, First: from + 1, Last: to}
		if i > 0 {
			l.Prev = termPath(base, i)
		}
		if i+1 < pages {
			l.Next = termPath(base, i+2)
		}
		cur := i + 1
		lo, hi := max(1, cur-2), min(pages, cur+2)
		link := func(n int) { l.Nav = append(l.Nav, ListingLink{N: n, Path: termPath(base, n), Current: n == cur}) }
		if pages > 1 {
			if lo > 1 {
				link(1)
				if lo > 2 {
					l.Nav = append(l.Nav, ListingLink{Gap: true})
				}
			}
			for n := lo; n <= hi; n++ {
				link(n)
			}
			if hi < pages {
				if hi < pages-1 {
					l.Nav = append(l.Nav, ListingLink{Gap: true})
				}
				link(pages)
			}
		}
		out[i] = l
	}
	return out
}

// Pager is what the pager template takes.
type Pager struct {
	Page *Page
	L    *Listing
}

func init() {
	funcs["pager"] = func(p *Page, l *Listing) Pager { return Pager{p, l} }
}

// termPages adds the pages of term t: the first at t.Path, with the
// term's description and chart, which fill makes only while that page
// renders, then one more for every TermSize releases. The first page
// depends on all the term's releases, which its chart counts; when global
// is set, the chart depends on every release of the site, and so does the
// first page. A later page depends on its own releases and their count.
// It returns the first page.
func termPages(page func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page, kind string, t *Term, fill func(*Term), global bool, title, desc string, crumbs ...Crumb) (first *Page) {
	more := append(crumbs[:len(crumbs):len(crumbs)], Crumb{title, t.Path})
	for _, l := range paginate(t.Releases, TermSize, t.Path) {
		tp := *t
		tp.List = l
		if l.Page > 1 {
			pg := page(kind, termPath(t.Path, l.Page), fmt.Sprintf("%s, releases %d to %d", title, l.First, l.Last),
				fmt.Sprintf("%s: releases %d to %d of %d, newest first.", title, l.First, l.Last, l.Total), &tp, more...)
			// A later page shows its own releases and the count of all.
			pg.deps, pg.extra, pg.memo = l.Releases, fmt.Sprint(l.Total), true
			continue
		}
		pg := page(kind, t.Path, title, desc, &tp, crumbs...)
		pg.lazy = func(full bool) {
			tp.Body, tp.Chart = "", nil
			if full {
				fill(&tp)
			}
		}
		pg.deps, pg.memo = t.Releases, !global
		first = pg
	}
	return first
}
