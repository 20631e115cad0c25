package render

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// ListingSize is the number of releases on each page of the release
// listing: /releases/ is the first page, /releases/page/2/ the second.
const ListingSize = 100

// Listing is one page of the release listing. Without JavaScript these
// pages are the explorer; with it, /releases/ filters every release, read
// from /data/explorer.json.
type Listing struct {
	Releases []*classify.Release // this page's releases, newest first
	Total    int                 // releases on every page
	Page     int                 // 1-based
	Pages    int
	First    int // 1-based position of the page's first release
	Last     int // 1-based position of its last release
	Prev     string
	Next     string // site-relative paths; "" at either end
	Nav      []ListingLink
}

// ListingLink is one entry of the listing's page navigation. Gap marks an
// ellipsis between page numbers.
type ListingLink struct {
	N       int
	Path    string
	Current bool
	Gap     bool
}

// listingPath is the site-relative path of listing page n.
func listingPath(n int) string {
	if n <= 1 {
		return "releases/"
	}
	return fmt.Sprintf("releases/page/%d/", n)
}

// listings splits rs into pages of ListingSize. There is always at least
// one page, empty when there are no releases.
func listings(rs []*classify.Release) []*Listing {
	pages := max(1, (len(rs)+ListingSize-1)/ListingSize)
	out := make([]*Listing, pages)
	for i := range out {
		from, to := i*ListingSize, min((i+1)*ListingSize, len(rs))
		l := &Listing{Releases: rs[from:to], Total: len(rs), Page: i + 1, Pages: pages, First: from + 1, Last: to}
		if i > 0 {
			l.Prev = listingPath(i)
		}
		if i+1 < pages {
			l.Next = listingPath(i + 2)
		}
		// Page numbers: the first, the last, and two either side of this
		// one; an ellipsis stands for the rest.
		for n := 1; n <= pages; n++ {
			if n == 1 || n == pages || (n >= i-1 && n <= i+3) {
				l.Nav = append(l.Nav, ListingLink{N: n, Path: listingPath(n), Current: n == i+1})
			} else if k := len(l.Nav); k > 0 && !l.Nav[k-1].Gap {
				l.Nav = append(l.Nav, ListingLink{Gap: true})
			}
		}
		out[i] = l
	}
	return out
}

// explorerFile is /data/explorer.json, the rows the explorer on /releases/
// filters. It is compact: orgs, licenses, buckets and modalities are listed
// once and rows refer to them by index; Countries names the orgs' country
// codes. Each row is an array in the order of Cols:
//
//	slug, title, org, date, bucket, license, params, active, in, out, summary
//
// where org, bucket and license are indexes into Orgs, Buckets and
// Licenses; params and active are parameter counts in billions, or null
// when not stated; in and out, what the model takes and makes, are lists
// of indexes into Modalities, which holds the words some release uses in
// their documented order; the bucket "unclassified" is in Buckets when
// some release has no bucket. Rows are newest first, as on the listing
// pages. Version 2 split version 1's modality column into in and out.
//
// A site with further bucket schemes lists them in Schemes, each with its
// buckets, and each row ends with one more column per scheme, named
// "bucket:<scheme id>" in Cols: an index into that scheme's Buckets.
type explorerFile struct {
	Version    int               `json:"version"`
	Unit       string            `json:"unit"` // quarter or month: the charts' period
	Cols       []string          `json:"cols"`
	Buckets    []explorerBucket  `json:"buckets"`
	Classes    []string          `json:"classes"`
	Licenses   []explorerLicense `json:"licenses"`
	Orgs       []explorerOrg     `json:"orgs"`
	Countries  []explorerCountry `json:"countries"`
	Modalities []string          `json:"modalities"`
	Schemes    []explorerScheme  `json:"schemes,omitempty"`
	Rows       [][]any           `json:"rows"`
}

type explorerScheme struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Buckets []explorerBucket `json:"buckets"`
}

type explorerBucket struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Page is false for "unclassified", which has no page.
	Page bool `json:"page"`
}

type explorerLicense struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class int    `json:"class"` // index into Classes
}

type explorerOrg struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"` // a code of Countries
}

// explorerCountry names a country code of Orgs. Countries are listed by
// name, the order of the explorer's country filter.
type explorerCountry struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// billions is a parameter count in billions with at most four decimals.
func billions(c float64) float64 {
	return math.Round(c/1e5) / 1e4
}

// explorerJSON encodes s's releases as /data/explorer.json.
func explorerJSON(s *Site) []byte {
	cat := s.Cat
	f := explorerFile{Version: 2, Unit: string(s.Unit), Classes: s.Stats.Classes,
		Cols:     []string{"slug", "title", "org", "date", "bucket", "license", "params", "active", "in", "out", "summary"},
		Buckets:  []explorerBucket{},
		Licenses: []explorerLicense{}, Orgs: []explorerOrg{}, Countries: []explorerCountry{}, Modalities: []string{}, Rows: [][]any{}}
	bucketIx := map[string]int{}
	for _, id := range s.Stats.Buckets {
		bucketIx[id] = len(f.Buckets)
		f.Buckets = append(f.Buckets, explorerBucket{ID: id, Name: bucketName(cat, id), Page: cat.BucketByID[id] != nil})
	}
	// Each further scheme's buckets, indexed as the primary's are.
	schemeIx := make([]map[string]int, len(s.Stats.Readings))
	for i, g := range s.Stats.Readings {
		if i == 0 {
			continue
		}
		es := explorerScheme{ID: g.Scheme.ID, Name: g.Scheme.Title, Buckets: []explorerBucket{}}
		schemeIx[i] = map[string]int{}
		for _, id := range g.Buckets {
			schemeIx[i][id] = len(es.Buckets)
			es.Buckets = append(es.Buckets, explorerBucket{ID: id, Name: bucketTitle(g.Scheme, id), Page: g.Scheme.BucketByID[id] != nil})
		}
		f.Schemes = append(f.Schemes, es)
		f.Cols = append(f.Cols, "bucket:"+g.Scheme.ID)
	}
	classIx := map[string]int{}
	for i, c := range s.Stats.Classes {
		classIx[c] = i
	}
	licenseIx := map[string]int{}
	for _, l := range cat.Licenses {
		licenseIx[l.ID] = len(f.Licenses)
		f.Licenses = append(f.Licenses, explorerLicense{ID: l.ID, Name: l.Name, Class: classIx[l.Class]})
	}
	orgIx := map[string]int{}
	for _, o := range cat.Orgs {
		orgIx[o.ID] = len(f.Orgs)
		f.Orgs = append(f.Orgs, explorerOrg{ID: o.ID, Name: o.Name, Country: o.Country})
	}
	for _, c := range s.Stats.Countries {
		f.Countries = append(f.Countries, explorerCountry{ID: c.Code, Name: c.Name})
	}
	// The modalities some release takes or makes, in the vocabulary's
	// order.
	used := map[string]bool{}
	for _, r := range cat.Releases {
		for _, m := range r.ModalityIn {
			used[m] = true
		}
		for _, m := range r.ModalityOut {
			used[m] = true
		}
	}
	modIx := map[string]int{}
	for _, m := range load.Modalities() {
		if used[m] {
			modIx[m] = len(f.Modalities)
			f.Modalities = append(f.Modalities, m)
		}
	}
	head, err := json.Marshal(f)
	if err != nil {
		return []byte("{}\n")
	}
	// The rows are written by hand, as json.Marshal would write them: at
	// tens of thousands of rows its reflection shows in every build.
	// About 180 bytes a row: grow the buffer once, not by doubling.
	b := append(make([]byte, 0, len(head)+200*len(cat.Releases)+8), head[:len(head)-len(`[]}`)]...)
	// The schemes' bytes go in the rows' end: the file's name in the cache
	// says which schemes they hold.
	b = append(b, '[')
	frags := s.data.frags("explorer.json\x00" + strings.Join(f.Modalities, "\x00") + "\x00" + strings.Join(f.Cols, "\x00"))
	for i, r := range cat.Releases {
		if i > 0 {
			b = append(b, ',')
		}
		b = frags.append(b, r, func(b []byte) []byte {
			bucket := r.Bucket
			if bucket == "" {
				bucket = aggregate.Unclassified
			}
			lic := -1
			if r.License != nil {
				lic = licenseIx[r.License.ID]
			}
			org := -1
			if r.Org != nil {
				org = orgIx[r.Org.ID]
			}
			b = append(b, '[')
			b = appendJSONString(b, r.ID)
			b = append(b, ',')
			b = appendJSONString(b, r.Title)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(org), 10)
			b = append(b, ',')
			b = appendJSONString(b, r.Date.String())
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(bucketIx[bucket]), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(lic), 10)
			for _, c := range []load.Count{r.ParamsTotal, r.ParamsActive} {
				b = append(b, ',')
				if c <= 0 {
					b = append(b, "null"...)
				} else {
					b = appendJSONFloat(b, billions(float64(c)))
				}
			}
			for _, ms := range [][]string{r.ModalityIn, r.ModalityOut} {
				b = append(b, ",["...)
				for j, m := range ms {
					if j > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, int64(modIx[m]), 10)
				}
				b = append(b, ']')
			}
			b = append(b, ',')
			b = appendJSONString(b, r.Summary)
			for i := 1; i < len(schemeIx); i++ {
				sb := r.Readings[i].Bucket
				if sb == "" {
					sb = aggregate.Unclassified
				}
				b = append(b, ',')
				b = strconv.AppendInt(b, int64(schemeIx[i][sb]), 10)
			}
			return append(b, ']')
		})
	}
	return append(b, "]}\n"...)
}
