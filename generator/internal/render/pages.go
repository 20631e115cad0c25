package render

import (
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Term is a bucket, license or org with its releases, as its page shows it.
type Term struct {
	ID, Name string
	Path     string
	Body     template.HTML
	Releases []*classify.Release
	Chart    *Chart
	Bucket   *load.Bucket
	License  *load.License
	Org      *load.Org
	// Buckets counts the term's releases per bucket, in bucket order.
	Buckets []Count
	// List is this page's share of Releases: a term has a page for
	// every TermSize releases.
	List *Listing
}

// Count is a labelled count with its share of a total.
type Count struct {
	Key, Name, Path string
	N               int
	Share           float64
}

// ReleasePage is the data of one release's page.
type ReleasePage struct {
	R      *classify.Release
	Body   template.HTML
	Bucket *load.Bucket // nil when unclassified
	// InferredBucket is the inferred bucket, nil when inference found none.
	InferredBucket *load.Bucket
	Scores         []ScoreRow
	// Base is the release it was built on, when base_model is a slug;
	// BaseRepo is base_model when it is a Hugging Face owner/name.
	Base     *classify.Release
	BaseRepo string
	// Derived are the releases built on it, newest first.
	Derived []*classify.Release
	// CoOrgs are the orgs that developed it with its org.
	CoOrgs []*load.Org
}

// ScoreRow is one bucket's score and the evidence behind it.
type ScoreRow struct {
	Bucket   *load.Bucket
	Score    int
	Evidence []classify.Evidence
	Winner   bool
}

// Home is the data of the front page.
type Home struct {
	Latest  []*classify.Release
	Buckets []Count
	Charts  []*Chart
}

func pages(s *Site) []*Page {
	cat, st, figs := s.Cat, s.Stats, s.Figs
	var ps []*Page
	page := func(kind, p, title, desc string, data any, crumbs ...Crumb) *Page {
		pg := &Page{Site: s, Kind: kind, Path: p, Title: title, Description: desc, Data: data, Crumbs: crumbs}
		ps = append(ps, pg)
		return pg
	}
	home := Crumb{"Home", ""}

	// Front page.
	latest := cat.Releases
	if len(latest) > 12 {
		latest = latest[:12]
	}
	hd := &Home{Latest: latest, Buckets: bucketCounts(s, cat.Releases)}
	homeCharts := []struct {
		id string
		mk func() *Chart
	}{
		{"share-over-time", func() *Chart { return periodChart(s, figs.ShareOverTime) }},
		{"releases-per-period", func() *Chart { return periodChart(s, figs.PerPeriod) }},
		{"license-class-share", func() *Chart { return periodChart(s, figs.ClassShare) }},
		{figs.Matrix.ID, func() *Chart { return matrixChart(s, figs.Matrix) }},
		{figs.Size.ID, func() *Chart { return scatterChart(s, figs.Size) }},
	}
	hp := page("home", "", s.Title, cat.Site.Description, hd).withCard(func() card {
		return card{Kicker: s.Title, Title: cat.Site.Description,
			Figure: figure.Capital(figure.Plural(st.All.Total, "release")) + " tracked. " + firstSentence(figs.ShareOverTime.Caption), Footer: s.cardFooter()}
	})
	hp.lazy = func(fill bool) { // charts are made in a worker
		hd.Charts = nil
		if fill {
			for _, c := range homeCharts {
				hd.Charts = append(hd.Charts, s.place(c.mk(), ""))
			}
		}
	}
	for _, c := range homeCharts {
		embedPage(page, s, "", s.Title, c.id, c.mk, true)
	}

	// Releases.
	for _, l := range listings(cat.Releases) {
		if l.Page == 1 {
			pg := page("releases", "releases/", "All releases", "Every open-weights release the report tracks, with its bucket and license.", l, home)
			pg.memo, pg.deps, pg.extra = true, l.Releases, fmt.Sprint(l.Total)
			continue
		}
		pg := page("releases", listingPath(l.Page), fmt.Sprintf("All releases, page %d of %d", l.Page, l.Pages),
			fmt.Sprintf("Open-weights releases %d to %d of %d, newest first.", l.First, l.Last, l.Total), l, home, Crumb{"Releases", "releases/"})
		pg.memo, pg.deps, pg.extra = true, l.Releases, fmt.Sprint(l.Total)
	}
	paths := make([]string, len(cat.Releases))
	for i, r := range cat.Releases {
		paths[i] = "releases/" + r.ID + "/"
	}
	links := make([]Link, len(cat.Releases))
	for i, r := range cat.Releases {
		links[i] = Link{r.Title, paths[i]}
	}
	derived := map[string][]*classify.Release{}
	for _, r := range cat.Releases {
		if b := cat.ReleaseByID[r.BaseModel]; b != nil && b != r {
			derived[b.ID] = append(derived[b.ID], r)
		}
	}
	for i, r := range cat.Releases {
		rp := &ReleasePage{R: r, Bucket: cat.BucketByID[r.Bucket], InferredBucket: cat.BucketByID[r.Inferred], Derived: derived[r.ID]}
		if b := cat.ReleaseByID[r.BaseModel]; b != nil && b != r {
			rp.Base = b
		} else if strings.Contains(r.BaseModel, "/") {
			rp.BaseRepo = r.BaseModel
		}
		for _, id := range r.CoOrgs {
			if o := cat.OrgByID[id]; o != nil && o != r.Org {
				rp.CoOrgs = append(rp.CoOrgs, o)
			}
		}
		desc := r.Summary
		if desc == "" {
			desc = r.Title + ", an open-weights release."
		}
		pg := page("release", paths[i], r.Title, desc, rp, home, Crumb{"Releases", "releases/"})
		pg.memo, pg.deps = true, cat.Releases[i:i+1:i+1]
		if rp.Base != nil {
			pg.deps = append(pg.deps, rp.Base) // its title shows
		}
		pg.deps = append(pg.deps, rp.Derived...)
		// The body's HTML and the evidence exist only while the page
		// renders.
		pg.lazy = func(fill bool) {
			rp.Body, rp.Scores = "", nil
			if fill {
				rp.Body, rp.Scores = r.HTML, scoreRows(cat, r)
			}
		}
		// Releases are newest first: the previous one is older.
		if i+1 < len(cat.Releases) {
			pg.Prev = &links[i+1]
		}
		if i > 0 {
			pg.Next = &links[i-1]
		}
	}

	// Buckets, licenses and orgs.
	byBucket := group(cat.Releases, func(r *classify.Release) string { return r.Bucket })
	byLicense := group(cat.Releases, func(r *classify.Release) string {
		if r.License != nil {
			return r.License.ID
		}
		return ""
	})
	byOrg := group(cat.Releases, func(r *classify.Release) string { return r.Release.Org })

	var buckets []*Term
	for _, b := range cat.Buckets {
		t := &Term{ID: b.ID, Name: b.Title, Path: "buckets/" + b.ID + "/", Releases: byBucket[b.ID], Bucket: b}
		buckets = append(buckets, t)
		// The chart is the bucket's share of all releases: the first page
		// depends on every release.
		mk := func() *Chart { return periodChart(s, figs.BucketShare[b.ID]) }
		first := termPages(page, "bucket", t, func(t *Term) { t.Body, t.Chart = b.HTML, s.place(mk(), t.Path) }, true, b.Title, b.Question, home, Crumb{"Buckets", "buckets/"})
		first.withCard(func() card {
			n := st.All.Bucket[b.ID]
			return card{Kicker: s.Title, Title: b.Title, Accent: b.Color, Footer: s.cardFooter(),
				Figure: fmt.Sprintf("%d of %s (%s). %s", n, figure.Plural(st.All.Total, "release"), Percent(st.All.Share(n)), b.Question)}
		})
		embedPage(page, s, t.Path, b.Title, figs.BucketShare[b.ID].ID, mk, true)
	}
	page("buckets", "buckets/", "Why they release: the buckets", "The motivations behind open-weights releases, and how the report infers them.",
		&TermIndex{Terms: buckets, Chart: s.place(totalsChart(s, figs.ByBucket), "buckets/")}, home).withCard(func() card {
		return card{Kicker: s.Title, Title: "Why they release: the buckets", Figure: figs.ByBucket.Caption, Footer: s.cardFooter()}
	})
	embedPage(page, s, "buckets/", "Why they release: the buckets", figs.ByBucket.ID, func() *Chart { return totalsChart(s, figs.ByBucket) }, true)

	var licenses []*Term
	for _, l := range cat.Licenses {
		t := &Term{ID: l.ID, Name: l.Name, Path: "licenses/" + l.ID + "/", Releases: byLicense[l.ID], License: l}
		t.Buckets = bucketCounts(s, t.Releases)
		licenses = append(licenses, t)
		mk := func() *Chart { return periodChart(s, figs.Term("license", l.ID)) }
		termPages(page, "license", t, func(t *Term) {
			t.Body = l.HTML
			if len(t.Releases) > 0 { // no chart of nothing
				t.Chart = s.place(mk(), t.Path)
			}
		}, false, l.Name, l.Name+": a "+l.Class+" license, and the releases under it.", home, Crumb{"Licenses", "licenses/"})
		if len(t.Releases) > 0 {
			embedPage(page, s, t.Path, l.Name, "license-releases", mk, false)
		}
	}
	// The index lists the most used licenses first, then by name.
	licenses = append([]*Term(nil), licenses...)
	sort.SliceStable(licenses, func(i, j int) bool {
		if len(licenses[i].Releases) != len(licenses[j].Releases) {
			return len(licenses[i].Releases) > len(licenses[j].Releases)
		}
		return strings.ToLower(licenses[i].Name) < strings.ToLower(licenses[j].Name)
	})
	page("licenses", "licenses/", "Licenses", "The licenses open-weights models ship under, by class: open, conditional and non-commercial.",
		&TermIndex{Terms: licenses, Chart: s.place(totalsChart(s, figs.ByClass), "licenses/")}, home)
	embedPage(page, s, "licenses/", "Licenses", figs.ByClass.ID, func() *Chart { return totalsChart(s, figs.ByClass) }, true)

	var orgs []*Term
	for _, o := range cat.Orgs {
		t := &Term{ID: o.ID, Name: o.Name, Path: "orgs/" + o.ID + "/", Releases: byOrg[o.ID], Org: o}
		t.Buckets = bucketCounts(s, t.Releases)
		orgs = append(orgs, t)
		mk := func() *Chart { return periodChart(s, figs.Term("org", o.ID)) }
		termPages(page, "org", t, func(t *Term) {
			t.Body = o.HTML
			if len(t.Releases) > 0 {
				t.Chart = s.place(mk(), t.Path)
			}
		}, false, o.Name, o.Name+": who they are and the open-weights models they have released.", home, Crumb{"Orgs", "orgs/"})
		if len(t.Releases) > 0 {
			embedPage(page, s, t.Path, o.Name, "org-releases", mk, false)
		}
	}
	page("orgs", "orgs/", "Organisations", "Who releases open-weights models, and why.",
		&TermIndex{Terms: orgs, Chart: s.place(totalsChart(s, figs.ByOrg), "orgs/")}, home)
	embedPage(page, s, "orgs/", "Organisations", figs.ByOrg.ID, func() *Chart { return totalsChart(s, figs.ByOrg) }, true)

	// Reports.
	page("reports", "reports/", "Reports", "Every edition of the report, newest first.", s.Reports, home)
	for i, rep := range s.Reports {
		embedPage(page, s, rep.Path, rep.Title, rep.Chart.ID, func() *Chart { return periodChart(s, rep.Count.Chart) }, true)
		pg := page("report", rep.Path, rep.Title, rep.Description(), rep, home, Crumb{"Reports", "reports/"}).withCard(func() card {
			return card{Kicker: fmt.Sprintf("%s · Report No. %d", s.Title, rep.Number), Title: rep.Title, Figure: rep.Count.Caption, Footer: s.cardFooter()}
		})
		pg.memo, pg.extra = true, rep.fingerprint()
		for _, x := range rep.Picks {
			pg.deps = append(pg.deps, x.R)
		}
		for _, g := range rep.Groups {
			pg.deps = append(pg.deps, g.Releases...)
		}
		if i+1 < len(s.Reports) {
			pg.Prev = &Link{s.Reports[i+1].Title, s.Reports[i+1].Path}
		}
		if i > 0 {
			pg.Next = &Link{s.Reports[i-1].Title, s.Reports[i-1].Path}
		}
	}

	page("methodology", "methodology/", "Methodology", "How the report files each release under a bucket and a license class, and how often inference agrees with the editors.", methodology(s), home)

	page("data", "data/", "Data", "Download the report's data: a Frictionless Data Package of CSV files with their schemas, license and citation.", dataPage(s), home)
	schemePages(s, page)

	page("404", "404/", "Page not found", "There is no page at this address.", nil, home)
	return ps
}

// scoreRows lists r's score and evidence for each bucket, in bucket order.
func scoreRows(cat *classify.Catalog, r *classify.Release) []ScoreRow {
	rows := make([]ScoreRow, 0, len(cat.Buckets))
	for _, b := range cat.Buckets {
		row := ScoreRow{Bucket: b, Winner: b.ID == r.Inferred}
		for _, sc := range r.Scores {
			if sc.Bucket == b.ID {
				row.Score = sc.Score
			}
		}
		for _, e := range r.Evidence {
			if e.Bucket == b.ID {
				row.Evidence = append(row.Evidence, e)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TermIndex is the data of the buckets, licenses and orgs index pages.
type TermIndex struct {
	Terms []*Term
	Chart *Chart
}

func group(rs []*classify.Release, key func(*classify.Release) string) map[string][]*classify.Release {
	m := map[string][]*classify.Release{}
	for _, r := range rs {
		k := key(r)
		m[k] = append(m[k], r)
	}
	return m
}

// bucketCounts counts rs per bucket, in bucket order, with unclassified last.
func bucketCounts(s *Site, rs []*classify.Release) []Count {
	n := map[string]int{}
	for _, r := range rs {
		b := r.Bucket
		if b == "" {
			b = aggregate.Unclassified
		}
		n[b]++
	}
	var out []Count
	for _, id := range s.Stats.Buckets {
		c := Count{Key: id, Name: bucketName(s.Cat, id), N: n[id]}
		if b := s.Cat.BucketByID[id]; b != nil {
			c.Path = "buckets/" + id + "/"
		}
		if len(rs) > 0 {
			c.Share = float64(c.N) / float64(len(rs))
		}
		out = append(out, c)
	}
	return out
}

func bucketName(cat *classify.Catalog, id string) string {
	if b := cat.BucketByID[id]; b != nil {
		return b.Title
	}
	return "Unclassified"
}
