package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Record is one release in /data/releases.json and /data/releases.csv.
type Record struct {
	Slug           string   `json:"slug"`
	Title          string   `json:"title"`
	Org            string   `json:"org"`
	Date           string   `json:"date"`
	License        string   `json:"license"`
	LicenseClass   string   `json:"license_class"`
	Bucket         string   `json:"bucket"`
	BucketSource   string   `json:"bucket_source"`
	InferredBucket string   `json:"inferred_bucket"`
	ParamsTotal    *float64 `json:"params_total"`
	ParamsActive   *float64 `json:"params_active"`
	URL            string   `json:"url"`
	// Schemes are the release's buckets in the site's further schemes;
	// the fields above are the primary scheme's.
	Schemes []SchemeRecord `json:"schemes,omitempty"`
}

// SchemeRecord is a release's bucket in one further scheme.
type SchemeRecord struct {
	Scheme         string `json:"scheme"`
	Bucket         string `json:"bucket"`
	BucketSource   string `json:"bucket_source"`
	InferredBucket string `json:"inferred_bucket"`
}

func record(s *Site, r *classify.Release) Record {
	rec := Record{Slug: r.ID, Title: r.Title, Org: r.Release.Org, Date: r.Date.String(), LicenseClass: r.Class,
		Bucket: r.Bucket, BucketSource: string(r.Source), InferredBucket: r.Inferred,
		URL: absURL(s, "releases/"+r.ID+"/")}
	if r.License != nil {
		rec.License = r.License.ID
	}
	for _, g := range r.Readings[min(1, len(r.Readings)):] {
		rec.Schemes = append(rec.Schemes, SchemeRecord{Scheme: g.Scheme.ID, Bucket: g.Bucket, BucketSource: string(g.Source), InferredBucket: g.Inferred})
	}
	if r.ParamsTotal > 0 {
		f := float64(r.ParamsTotal)
		rec.ParamsTotal = &f
	}
	if r.ParamsActive > 0 {
		f := float64(r.ParamsActive)
		rec.ParamsActive = &f
	}
	return rec
}

func absURL(s *Site, rel string) string {
	base := s.BaseURL
	if len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	// BaseURL already ends in BasePath.
	return base + "/" + rel
}

// dataJobs returns jobs that write the data files and feeds, to run in
// parallel with each other and with the pages; they may start before the
// pages are listed (s.pages), so the sitemap is not among them.
func dataJobs(s *Site, w *writer) []func() error {
	return []func() error{
		func() error { return releaseData(s, w) },
		func() error { return w.file("data/explorer.json", explorerJSON(s)) },
		func() error { return dataPackageFiles(s, w) },
		func() error {
			for _, rep := range s.Reports {
				if err := w.file("data/reports/"+rep.ID+".json", reportJSON(s, rep)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return w.file("feed.xml", feed(s)) },
	}
}

// releaseData writes /data/releases.json and /data/releases.csv, whose
// columns are releaseColumns'.
func releaseData(s *Site, w *writer) error {
	js, cs := s.data.frags("releases.json"), s.data.frags("releases.csv")
	rs := s.Cat.Releases
	b := appendRecordArray(make([]byte, 0, 400*len(rs)+8), len(rs), func(b []byte, i int) []byte {
		return js.append(b, rs[i], func(b []byte) []byte { rec := record(s, rs[i]); return appendRecordJSON(b, &rec) })
	})
	if err := w.file("data/releases.json", b); err != nil {
		return err
	}

	cols := releaseColumns(s)
	head := make([]Field, len(cols))
	for i, c := range cols {
		head[i] = c.Field
	}
	b = append(b[:0], csvFile(head, nil)...)
	cells := make([]string, len(cols))
	for _, r := range s.Cat.Releases {
		b = cs.append(b, r, func(b []byte) []byte {
			for i, c := range cols {
				cells[i] = c.cell(r)
			}
			return appendCSVLine(b, cells)
		})
	}
	return w.file("data/releases.csv", b)
}

// appendCSVLine appends one line of cells, as encoding/csv writes it.
func appendCSVLine(b []byte, cells []string) []byte {
	cw := csvWriters.Get().(*csvWriter)
	defer csvWriters.Put(cw)
	cw.buf.Reset()
	cw.w.Write(cells)
	cw.w.Flush()
	return append(b, cw.buf.Bytes()...)
}

// csvWriter writes one line of releases.csv at a time; reused, since a
// csv.Writer holds a 4 KB buffer.
type csvWriter struct {
	buf bytes.Buffer
	w   *csv.Writer // on buf
}

var csvWriters = sync.Pool{New: func() any {
	cw := &csvWriter{}
	cw.w = csv.NewWriter(&cw.buf)
	return cw
}}

// recordsJSON is what json.MarshalIndent(recs, "", " ") writes, and a
// newline, without the reflection.
func recordsJSON(recs []Record) []byte {
	return appendRecordArray(make([]byte, 0, 400*len(recs)+8), len(recs), func(b []byte, i int) []byte {
		return appendRecordJSON(b, &recs[i])
	})
}

// appendRecordArray appends the array of n records that recordsJSON
// writes, elem appending the i-th as appendRecordJSON does.
func appendRecordArray(b []byte, n int, elem func(b []byte, i int) []byte) []byte {
	if n == 0 {
		return append(b, "[]\n"...)
	}
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, i)
	}
	return append(b, "\n]\n"...)
}

// appendRecordJSON appends r as an element of recordsJSON's array.
func appendRecordJSON(b []byte, r *Record) []byte {
	b = append(b, "\n {\n  \"slug\": "...)
	b = appendJSONString(b, r.Slug)
	b = append(b, ",\n  \"title\": "...)
	b = appendJSONString(b, r.Title)
	b = append(b, ",\n  \"org\": "...)
	b = appendJSONString(b, r.Org)
	b = append(b, ",\n  \"date\": "...)
	b = appendJSONString(b, r.Date)
	b = append(b, ",\n  \"license\": "...)
	b = appendJSONString(b, r.License)
	b = append(b, ",\n  \"license_class\": "...)
	b = appendJSONString(b, r.LicenseClass)
	b = append(b, ",\n  \"bucket\": "...)
	b = appendJSONString(b, r.Bucket)
	b = append(b, ",\n  \"bucket_source\": "...)
	b = appendJSONString(b, r.BucketSource)
	b = append(b, ",\n  \"inferred_bucket\": "...)
	b = appendJSONString(b, r.InferredBucket)
	b = append(b, ",\n  \"params_total\": "...)
	b = appendJSONNumber(b, r.ParamsTotal)
	b = append(b, ",\n  \"params_active\": "...)
	b = appendJSONNumber(b, r.ParamsActive)
	b = append(b, ",\n  \"url\": "...)
	b = appendJSONString(b, r.URL)
	if len(r.Schemes) > 0 {
		b = append(b, ",\n  \"schemes\": ["...)
		for i, sr := range r.Schemes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n   {\n    \"scheme\": "...)
			b = appendJSONString(b, sr.Scheme)
			b = append(b, ",\n    \"bucket\": "...)
			b = appendJSONString(b, sr.Bucket)
			b = append(b, ",\n    \"bucket_source\": "...)
			b = appendJSONString(b, sr.BucketSource)
			b = append(b, ",\n    \"inferred_bucket\": "...)
			b = appendJSONString(b, sr.InferredBucket)
			b = append(b, "\n   }"...)
		}
		b = append(b, "\n  ]"...)
	}
	return append(b, "\n }"...)
}

// dataCache holds, for each data file, the bytes each release adds to
// it, so that a render with a Memo encodes only the releases that changed.
// A release's bytes may depend only on it and on what the Memo's context
// covers; a file whose bytes depend on more puts that in its name.
type dataCache struct {
	mu   sync.Mutex
	prev map[string]map[*load.Release][]byte // the last render's; read only
	next map[string]*fragments               // nil: no Memo, keep nothing
}

// fragments is one data file's share of a dataCache: what the last render
// kept, read only, and what this one added.
type fragments struct {
	prev, added map[*load.Release][]byte
}

func (c *dataCache) frags(name string) *fragments {
	if c == nil || c.next == nil {
		return &fragments{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f := &fragments{prev: c.prev[name], added: map[*load.Release][]byte{}}
	c.next[name] = f
	return f
}

// append appends r's bytes, made by enc if they are not cached.
func (f *fragments) append(b []byte, r *classify.Release, enc func([]byte) []byte) []byte {
	if old, ok := f.prev[r.Release]; ok {
		return append(b, old...)
	}
	start := len(b)
	b = enc(b)
	if f.added != nil {
		f.added[r.Release] = append([]byte(nil), b[start:]...)
	}
	return b
}

// kept returns what the next render may reuse: the files this render
// made, each with the bytes of the releases in live. The maps of the
// last render are updated in place, and pruned only once releases that
// went or changed make up half of one.
func (c *dataCache) kept(live []*classify.Release) map[string]map[*load.Release][]byte {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]map[*load.Release][]byte{}
	var alive map[*load.Release]bool
	for name, f := range c.next {
		all := f.prev
		if all == nil {
			all = map[*load.Release][]byte{}
		}
		for r, b := range f.added {
			all[r] = b
		}
		if len(all) > 2*len(live)+64 {
			if alive == nil {
				alive = make(map[*load.Release]bool, len(live))
				for _, r := range live {
					alive[r.Release] = true
				}
			}
			for r := range all {
				if !alive[r] {
					delete(all, r)
				}
			}
		}
		m[name] = all
	}
	return m
}

// csvSafe defuses spreadsheet formulas: a cell starting with =, +, - or @
// gets a leading apostrophe.
func csvSafe(s string) string {
	if s != "" && bytes.ContainsAny([]byte{s[0]}, "=+-@\t\r") {
		return "'" + s
	}
	return s
}

// EditionJSON is /data/reports/<id>.json: what an edition counted.
type EditionJSON struct {
	Report   string   `json:"report"`
	Number   int      `json:"number"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Previous string   `json:"previous,omitempty"`
	Releases []string `json:"releases"`
	Total    int      `json:"total"`
	// Small is set when the edition has fewer than MinShareN releases.
	// Deltas are given only when neither it nor the previous edition is
	// small; DeltasNote says why they are left out otherwise.
	Small       bool               `json:"small"`
	MinShareN   int                `json:"min_share_n"`
	DeltasNote  string             `json:"deltas_note,omitempty"`
	Buckets     map[string]int     `json:"buckets"`
	Shares      map[string]float64 `json:"shares"`
	Deltas      map[string]float64 `json:"deltas,omitempty"`
	Classes     map[string]int     `json:"license_classes"`
	ClassShares map[string]float64 `json:"license_class_shares"`
	ClassDeltas map[string]float64 `json:"license_class_deltas,omitempty"`
	NewOrgs     []string           `json:"new_orgs"`
}

func round4(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 4, 64), 64)
	return v
}

func reportJSON(s *Site, rep *Report) []byte {
	e := rep.Count
	out := EditionJSON{Report: rep.ID, Number: rep.Number, From: rep.From.String(), To: rep.To.String(), Total: e.Period.Total,
		Buckets: map[string]int{}, Shares: map[string]float64{}, Classes: map[string]int{}, ClassShares: map[string]float64{}, NewOrgs: e.NewOrgs, Releases: []string{}}
	if out.NewOrgs == nil {
		out.NewOrgs = []string{}
	}
	out.Small, out.MinShareN = e.Small, s.Figs.Opt.MinShareN
	if e.PreviousReport != nil {
		out.Previous = e.PreviousReport.ID
		if e.Compare {
			out.Deltas, out.ClassDeltas = map[string]float64{}, map[string]float64{}
		} else {
			out.DeltasNote = deltasNote(s, rep)
		}
	}
	for _, r := range e.Releases {
		out.Releases = append(out.Releases, r.ID)
	}
	for _, b := range s.Stats.Buckets {
		out.Buckets[b] = e.Period.Bucket[b]
		out.Shares[b] = round4(e.Period.BucketShare(b))
		if out.Deltas != nil {
			out.Deltas[b] = round4(e.BucketDelta[b])
		}
	}
	for _, c := range s.Stats.Classes {
		out.Classes[c] = e.Period.Class[c]
		out.ClassShares[c] = round4(e.Period.ClassShare(c))
		if out.ClassDeltas != nil {
			out.ClassDeltas[c] = round4(e.ClassDelta[c])
		}
	}
	b, _ := json.MarshalIndent(out, "", " ")
	return append(b, '\n')
}

// deltasNote says why an edition that has a previous one carries no
// share deltas: it, or the previous edition, has too few releases for
// shares to be compared.
func deltasNote(s *Site, rep *Report) string {
	e, need := rep.Count, s.Figs.Opt.MinShareN
	if e.Small {
		return fmt.Sprintf("No deltas: this edition has %d of the %d releases needed to compare shares.", e.Period.Total, need)
	}
	return fmt.Sprintf("No deltas: the previous edition has %d of the %d releases needed to compare shares.", e.Previous.Total, need)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    atomLink    `xml:"link"`
	Summary string      `xml:"summary"`
	Cats    []atomCat   `xml:"category"`
	Author  *atomAuthor `xml:"author,omitempty"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// feed is an Atom feed of the newest releases and every report. Its
// updated time is the newest entry's date, never the clock.
func feed(s *Site) []byte {
	const max = 50
	type item struct {
		date  string
		entry atomEntry
	}
	var items []item
	for i, r := range s.Cat.Releases {
		if i == max {
			break
		}
		u := absURL(s, "releases/"+r.ID+"/")
		e := atomEntry{Title: r.Title, ID: u, Updated: r.Date.String() + "T00:00:00Z", Link: atomLink{Href: u}, Summary: r.Summary}
		if r.Bucket != "" {
			e.Cats = append(e.Cats, atomCat{Term: r.Bucket})
		}
		if r.Org != nil {
			e.Author = &atomAuthor{Name: r.Org.Name}
		}
		items = append(items, item{r.Date.String(), e})
	}
	for _, rep := range s.Reports {
		u := absURL(s, rep.Path)
		items = append(items, item{rep.Published.String(), atomEntry{Title: rep.Title, ID: u, Updated: rep.Published.String() + "T00:00:00Z", Link: atomLink{Href: u}, Summary: rep.Description(), Cats: []atomCat{{Term: "report"}}}})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].date != items[j].date {
			return items[i].date > items[j].date
		}
		return items[i].entry.ID < items[j].entry.ID
	})
	f := atomFeed{Title: s.Title, ID: absURL(s, ""), Author: atomAuthor{Name: s.Title},
		Links: []atomLink{{Href: absURL(s, "feed.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: absURL(s, "")}}}
	f.Updated = "1970-01-01T00:00:00Z"
	if len(items) > 0 {
		f.Updated = items[0].date + "T00:00:00Z"
	}
	for _, it := range items {
		f.Entries = append(f.Entries, it.entry)
	}
	b, _ := xml.MarshalIndent(f, "", " ")
	return append([]byte(xml.Header), append(b, '\n')...)
}

func sitemap(s *Site) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range s.pages {
		if p.Kind == "404" || p.Kind == "embed" {
			continue
		}
		buf.WriteString(" <url><loc>")
		xml.EscapeText(&buf, []byte(absURL(s, p.Path)))
		buf.WriteString("</loc></url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}
