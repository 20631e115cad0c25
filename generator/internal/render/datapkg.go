package render

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
)

// The data package: /data/ is a Frictionless Data Package
// (https://specs.frictionlessdata.io/tabular-data-package/). Its
// descriptor, /data/datapackage.json, gives a Table Schema for each CSV
// file: releases.csv, orgs.csv, licenses.csv, buckets.csv, sources.csv and
// reports/<id>.csv for each edition. The /data/ page shows the same
// schemas to people. Every number comes from aggregate; this file only
// formats. Text cells pass through csvSafe, so a cell that would start
// a spreadsheet formula starts with an apostrophe.

// Package is datapackage.json.
type Package struct {
	Profile     string       `json:"profile"`
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description,omitempty"`
	Homepage    string       `json:"homepage"`
	Version     string       `json:"version"`
	AsOf        string       `json:"data_as_of,omitempty"`
	Licenses    []PkgLicense `json:"licenses,omitempty"`
	Sources     []PkgSource  `json:"sources"`
	Resources   []*Resource  `json:"resources"`
}

// PkgLicense is a license of the data package.
type PkgLicense struct {
	Name  string `json:"name"` // an Open Definition or SPDX id, lower case
	Path  string `json:"path,omitempty"`
	Title string `json:"title,omitempty"`
}

// PkgSource is where the data comes from.
type PkgSource struct {
	Title string `json:"title"`
	Path  string `json:"path"`
}

// Resource is one CSV file of the package.
type Resource struct {
	Profile     string `json:"profile"`
	Name        string `json:"name"`
	Path        string `json:"path"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Format      string `json:"format"`
	Mediatype   string `json:"mediatype"`
	Encoding    string `json:"encoding"`
	Schema      Schema `json:"schema"`

	// JSON is the path, under /data/, of the same data as JSON, if any.
	JSON string `json:"-"`

	rows func() [][]string // the cells, in the order of Schema.Fields; nil for releases.csv
}

// Schema is a Table Schema.
type Schema struct {
	Fields        []Field      `json:"fields"`
	PrimaryKey    []string     `json:"primaryKey"`
	ForeignKeys   []ForeignKey `json:"foreignKeys,omitempty"`
	MissingValues []string     `json:"missingValues"`
}

// Field is one column of a Table Schema.
type Field struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Format      string       `json:"format,omitempty"`
	Description string       `json:"description"`
	Constraints *Constraints `json:"constraints,omitempty"`
}

// Constraints are a field's constraints.
type Constraints struct {
	Required bool     `json:"required,omitempty"`
	Unique   bool     `json:"unique,omitempty"`
	Minimum  *int     `json:"minimum,omitempty"`
	Enum     []string `json:"enum,omitempty"`
}

// ForeignKey says a column's values are keys of another resource.
type ForeignKey struct {
	Fields    string `json:"fields"`
	Reference FKRef  `json:"reference"`
}

// FKRef is the resource and column a foreign key refers to.
type FKRef struct {
	Resource string `json:"resource"`
	Fields   string `json:"fields"`
}

// DataPage is the /data/ page's data.
type DataPage struct {
	Package  *Package
	License  *DataLicense
	Citation string
	BibTeX   string
}

// DataLicense is the license of the site's data, from site.yaml.
type DataLicense struct {
	ID   string // as site.yaml gives it
	Name string
	URL  string
}

func zero() *int { z := 0; return &z }

var (
	required = &Constraints{Required: true}
	key      = &Constraints{Required: true, Unique: true}
	count    = &Constraints{Required: true, Minimum: zero()}
)

func col(name, typ, desc string, c *Constraints) Field {
	f := Field{Name: name, Type: typ, Description: desc, Constraints: c}
	// The site makes its own pages' URLs, so they are well formed; a URL
	// from the content is as its file gives it.
	if typ == "string" && name == "url" {
		f.Format = "uri"
	}
	return f
}

func enumOf(vals ...string) *Constraints { return &Constraints{Enum: vals} }

// releaseColumn is a column of releases.csv and how a release fills it.
type releaseColumn struct {
	Field
	cell func(r *classify.Release) string
}

// paramCount formats a parameter count as a whole number: "8.3B" parses
// to 8300000000.000001.
func paramCount(f float64) string {
	if f <= 0 {
		return ""
	}
	return strconv.FormatFloat(math.Round(f), 'f', -1, 64)
}

func date(d interface{ String() string }) string { return d.String() }

// releaseColumns are releases.csv's columns: the twelve it always had,
// then the org's facts, the release's, one score per bucket and its
// counts of cited URLs.
func releaseColumns(s *Site) []releaseColumn {
	cat := s.Cat
	classes := append([]string(nil), s.Stats.Classes...)
	cs := []releaseColumn{
		{col("slug", "string", "The release's id, as in its page's address.", key), func(r *classify.Release) string { return csvSafe(r.ID) }},
		{col("title", "string", "The release's name.", required), func(r *classify.Release) string { return csvSafe(r.Title) }},
		{col("org", "string", "The id of the org that released it (orgs.csv).", required), func(r *classify.Release) string { return csvSafe(r.Release.Org) }},
		{col("date", "date", "When the weights were first published.", required), func(r *classify.Release) string { return date(r.Date) }},
		{col("license", "string", "The id of its license (licenses.csv); for a family, its most restrictive variant's.", nil), func(r *classify.Release) string {
			if r.License == nil {
				return ""
			}
			return csvSafe(r.License.ID)
		}},
		{col("license_class", "string", "The license's class.", enumOf(classes...)), func(r *classify.Release) string { return r.Class }},
		{col("bucket", "string", "The bucket the report files it under (buckets.csv); empty when unclassified.", nil), func(r *classify.Release) string { return r.Bucket }},
		{col("bucket_source", "string", "Where the bucket came from: the release's own editorial choice, its org's default, inference from the weighted signals, or none.", enumOf(string(classify.Editorial), string(classify.FromOrg), string(classify.Inferred), string(classify.Unclassified))), func(r *classify.Release) string { return string(r.Source) }},
		{col("inferred_bucket", "string", "The bucket the signals point to, even where the editors chose one; empty on a tie or when no bucket scores above zero.", nil), func(r *classify.Release) string { return r.Inferred }},
		{col("params_total", "integer", "Total parameters; empty when unknown.", nil), func(r *classify.Release) string { return paramCount(float64(r.ParamsTotal)) }},
		{col("params_active", "integer", "Parameters active per token, for mixture-of-experts models; empty when unknown or dense.", nil), func(r *classify.Release) string { return paramCount(float64(r.ParamsActive)) }},
		{col("url", "string", "The release's page on this site.", required), func(r *classify.Release) string { return csvSafe(absURL(s, "releases/"+r.ID+"/")) }},
		{col("org_name", "string", "The org's name.", nil), func(r *classify.Release) string {
			if r.Org == nil {
				return ""
			}
			return csvSafe(r.Org.Name)
		}},
		{col("org_country", "string", "The org's country, an ISO 3166-1 alpha-2 code.", nil), func(r *classify.Release) string {
			if r.Org == nil {
				return ""
			}
			return r.Org.Country
		}},
		{col("org_kind", "string", "What kind of organisation the org is.", enumOf("lab", "chip-vendor", "cloud", "bigtech", "product-company", "state-program", "research", "nonprofit")), func(r *classify.Release) string {
			if r.Org == nil {
				return ""
			}
			return r.Org.Kind
		}},
		{col("modality_in", "string", "What the model takes (text, image, speech...), separated by semicolons.", nil), func(r *classify.Release) string { return csvSafe(strings.Join(r.ModalityIn, ";")) }},
		{col("modality_out", "string", "What the model makes (text, image, embedding...), separated by semicolons.", nil), func(r *classify.Release) string { return csvSafe(strings.Join(r.ModalityOut, ";")) }},
		{col("languages", "string", "ISO 639-1 codes, or multilingual, separated by semicolons.", nil), func(r *classify.Release) string { return csvSafe(strings.Join(r.Languages, ";")) }},
		{col("architecture", "string", "dense, moe, hybrid or other; empty when unknown.", nil), func(r *classify.Release) string { return r.Architecture }},
	}
	for _, b := range cat.Buckets {
		id := b.ID
		cs = append(cs, releaseColumn{col("score_"+id, "integer", "The release's score for the bucket "+b.Title+": the sum of the weights of the signals that hold (see the methodology).", required), func(r *classify.Release) string {
			for _, sc := range r.Scores {
				if sc.Bucket == id {
					return strconv.Itoa(sc.Score)
				}
			}
			return "0"
		}})
	}
	cs = append(cs,
		releaseColumn{col("sources", "integer", "How many URLs the release's sources field cites.", count), func(r *classify.Release) string { return strconv.Itoa(len(r.Sources)) }},
		releaseColumn{col("cited_urls", "integer", "How many URLs the release cites in all: its sources, links and benchmark sources, one row each in sources.csv.", count), func(r *classify.Release) string {
			return strconv.Itoa(len(aggregate.Citations(r.Release)))
		}},
	)
	// Each further scheme adds its three columns, named with its id.
	for _, sc := range cat.Schemes[min(1, len(cat.Schemes)):] {
		id := sc.ID
		ids := make([]string, len(sc.Buckets))
		for i, b := range sc.Buckets {
			ids[i] = b.ID
		}
		in := func(r *classify.Release) *classify.Reading {
			if g := r.In(id); g != nil {
				return g
			}
			return &classify.Reading{}
		}
		cs = append(cs,
			releaseColumn{col("bucket_"+id, "string", "The bucket the scheme "+sc.Title+" files it under; empty when unclassified there.", enumOf(ids...)), func(r *classify.Release) string { return in(r).Bucket }},
			releaseColumn{col("bucket_source_"+id, "string", "Where its bucket in the scheme "+sc.Title+" came from, as bucket_source.", enumOf(string(classify.Editorial), string(classify.FromOrg), string(classify.Inferred), string(classify.Unclassified))), func(r *classify.Release) string { return string(in(r).Source) }},
			releaseColumn{col("inferred_bucket_"+id, "string", "The bucket the scheme "+sc.Title+"'s signals point to; empty on a tie or when no bucket scores above zero.", enumOf(ids...)), func(r *classify.Release) string { return in(r).Inferred }},
		)
	}
	return cs
}

// dataPackage describes the site's data package.
func dataPackage(s *Site) *Package {
	cat, st := s.Cat, s.Stats
	t := &st.Tables
	pkg := &Package{Profile: "tabular-data-package", Name: bibKey(s.Title) + "-data", Title: s.Title + ": data", Description: cat.Site.Description,
		Homepage: absURL(s, "data/"), Version: s.Version, AsOf: s.AsOf,
		Sources: []PkgSource{{Title: s.Title, Path: absURL(s, "")}}}
	if pkg.Name == "-data" {
		pkg.Name = "data"
	}
	if l := s.DataLicense; l != nil {
		pkg.Licenses = []PkgLicense{{Name: strings.ToLower(l.ID), Path: l.URL, Title: l.Name}}
	}
	res := func(name, path, title, desc string, sc Schema, rows func() [][]string) *Resource {
		if sc.MissingValues == nil {
			sc.MissingValues = []string{""}
		}
		r := &Resource{Profile: "tabular-data-resource", Name: name, Path: path, Title: title, Description: desc, Format: "csv", Mediatype: "text/csv", Encoding: "utf-8", Schema: sc, rows: rows}
		pkg.Resources = append(pkg.Resources, r)
		return r
	}

	var rf []Field
	for _, c := range releaseColumns(s) {
		rf = append(rf, c.Field)
	}
	res("releases", "releases.csv", "Releases", "One row per open-weights release, newest first, with its org, license, bucket and scores.",
		Schema{Fields: rf, PrimaryKey: []string{"slug"}, ForeignKeys: []ForeignKey{
			{"org", FKRef{"orgs", "id"}}, {"license", FKRef{"licenses", "id"}}, {"bucket", FKRef{"buckets", "id"}}, {"inferred_bucket", FKRef{"buckets", "id"}}}}, nil).JSON = "releases.json"

	span := func(e aggregate.Extent) []string {
		return []string{strconv.Itoa(e.Releases), date(e.First), date(e.Latest)}
	}
	spanFields := []Field{
		col("releases", "integer", "How many releases it has in the data.", count),
		col("first_release", "date", "The date of its first release; empty when it has none.", nil),
		col("latest_release", "date", "The date of its latest release; empty when it has none.", nil),
	}
	res("orgs", "orgs.csv", "Organisations", "One row per organisation, by id.", Schema{Fields: append([]Field{
		col("id", "string", "The org's id (releases.csv's org).", key),
		col("name", "string", "The org's name.", required),
		col("kind", "string", "What kind of organisation it is.", enumOf("lab", "chip-vendor", "cloud", "bigtech", "product-company", "state-program", "research", "nonprofit")),
		col("country", "string", "ISO 3166-1 alpha-2 country code.", nil),
		col("state_backed", "boolean", "Whether a state funds or directs it.", required),
		col("bucket", "string", "The editors' default bucket for its releases (buckets.csv); empty when none.", nil),
		col("website", "string", "Its website.", nil),
		col("huggingface", "string", "Its Hugging Face account names, separated by spaces.", nil),
		col("url", "string", "Its page on this site.", required),
	}, spanFields...), PrimaryKey: []string{"id"}, ForeignKeys: []ForeignKey{{"bucket", FKRef{"buckets", "id"}}}}, func() [][]string {
		var rows [][]string
		for _, o := range cat.Orgs {
			row := []string{csvSafe(o.ID), csvSafe(o.Name), o.Kind, o.Country, strconv.FormatBool(o.StateBacked), o.Bucket, csvSafe(o.Website), csvSafe(strings.Join(o.HuggingFace, " ")), csvSafe(absURL(s, "orgs/"+o.ID+"/"))}
			rows = append(rows, append(row, span(t.Orgs[o.ID])...))
		}
		return rows
	})
	res("licenses", "licenses.csv", "Licenses", "One row per model license, by id.", Schema{Fields: append([]Field{
		col("id", "string", "The license's id (releases.csv's license).", key),
		col("name", "string", "The license's name.", required),
		col("spdx", "string", "Its SPDX identifier, where one exists.", nil),
		col("class", "string", "Its class: open, conditional or non-commercial; custom or unknown where it has not been placed in one of those.", enumOf(s.Stats.Classes...)),
		col("license_url", "string", "The license text.", nil),
		col("url", "string", "Its page on this site.", required),
	}, spanFields...), PrimaryKey: []string{"id"}}, func() [][]string {
		var rows [][]string
		for _, l := range cat.Licenses {
			row := []string{csvSafe(l.ID), csvSafe(l.Name), csvSafe(l.SPDX), l.Class, csvSafe(l.URL), csvSafe(absURL(s, "licenses/"+l.ID+"/"))}
			rows = append(rows, append(row, span(t.Licenses[l.ID])...))
		}
		return rows
	})
	total := st.All.Total
	res("buckets", "buckets.csv", "Buckets", "One row per bucket, the motivation for releasing weights, in the report's order; unclassified last when any release has no bucket.", Schema{Fields: []Field{
		col("id", "string", "The bucket's id (releases.csv's bucket); unclassified for releases without one.", key),
		col("title", "string", "The bucket's name.", required),
		col("order", "integer", "Its position in legends and tables.", nil),
		col("question", "string", "What the maker probably wants.", nil),
		col("releases", "integer", "How many releases the report files under it.", count),
		col("total", "integer", "How many releases the data holds: the denominator of share.", count),
		col("share", "number", "releases divided by total, rounded to four places.", required),
		col("editorial", "integer", "Of its releases, how many got it from their own editorial choice.", count),
		col("org_default", "integer", "Of its releases, how many got it from their org's default.", count),
		col("inferred", "integer", "Of its releases, how many got it from the signals alone.", count),
		col("signals_agree", "integer", "Of its editorial and org-default releases, how many the signals put in it too.", count),
		col("url", "string", "Its page on this site; empty for unclassified.", nil),
	}, PrimaryKey: []string{"id"}}, func() [][]string {
		var rows [][]string
		for i, id := range st.Buckets {
			b, title, order, question, url := cat.BucketByID[id], "Unclassified", strconv.Itoa(i+1), "", ""
			if b != nil {
				title, order, question, url = b.Title, strconv.Itoa(b.Order), b.Question, absURL(s, "buckets/"+id+"/")
			}
			src := t.Sources[id]
			rows = append(rows, []string{csvSafe(id), csvSafe(title), order, csvSafe(question), strconv.Itoa(st.All.Bucket[id]), strconv.Itoa(total),
				strconv.FormatFloat(round4(st.All.BucketShare(id)), 'f', -1, 64),
				strconv.Itoa(src[classify.Editorial]), strconv.Itoa(src[classify.FromOrg]), strconv.Itoa(src[classify.Inferred]), strconv.Itoa(t.Agree[id]), csvSafe(url)})
		}
		return rows
	})
	res("sources", "sources.csv", "Sources", "One row per URL a release cites, by release (newest first) and field.", Schema{Fields: []Field{
		col("release", "string", "The release's slug (releases.csv).", required),
		col("field", "string", "The field that cites it: sources.N, links.weights, links.report, links.announcement, links.code or benchmarks.N.source.", required),
		{Name: "url", Type: "string", Description: "The URL, as the content gives it.", Constraints: required},
		{Name: "kind", Type: "string", Description: "The URL's kind under the source rule: primary (the maker's own site, Hugging Face or GitHub account, a paper or the license text), secondary, mirror or farm (see /methodology/).", Constraints: &Constraints{Required: true, Enum: []string{"primary", "secondary", "mirror", "farm"}}},
	}, PrimaryKey: []string{"release", "field"}, ForeignKeys: []ForeignKey{{"release", FKRef{"releases", "slug"}}}}, func() [][]string {
		var rows [][]string
		for _, r := range cat.Releases {
			for _, c := range r.Cited {
				rows = append(rows, []string{csvSafe(r.ID), c.Field, csvSafe(c.URL), string(c.Kind)})
			}
		}
		return rows
	})
	for _, rep := range s.Reports {
		res("report-"+rep.ID, "reports/"+rep.ID+".csv", rep.Title, fmt.Sprintf("What edition %d counted, %s to %s: each bucket's and license class's releases and share, and the change from the previous edition.", rep.Number, rep.From, rep.To), reportSchema(), func() [][]string { return reportRows(s, rep) }).JSON = "reports/" + rep.ID + ".json"
	}
	return pkg
}

func reportSchema() Schema {
	return Schema{Fields: []Field{
		col("dimension", "string", "What the row counts by: bucket or license_class.", &Constraints{Required: true, Enum: []string{"bucket", "license_class"}}),
		col("key", "string", "The bucket's id (buckets.csv) or the license class.", required),
		col("releases", "integer", "How many of the edition's releases it has.", count),
		col("total", "integer", "How many releases the edition covers: the denominator of share.", count),
		col("share", "number", "releases divided by total, rounded to four places; 0 when total is 0.", required),
		col("delta", "number", "share minus the previous edition's share (0.05 is 5 percentage points), rounded to four places; empty for the first edition, and empty when this or the previous edition has fewer releases than the site's min_share_n, as shares that small are not compared.", nil),
		col("small", "boolean", "Whether the edition has fewer releases than the site's min_share_n: its shares rest on too few releases to be compared, so it carries no deltas.", required),
	}, PrimaryKey: []string{"dimension", "key"}, MissingValues: []string{""}}
}

func reportRows(s *Site, rep *Report) [][]string {
	e := rep.Count
	f := func(x float64) string { return strconv.FormatFloat(round4(x), 'f', -1, 64) }
	total, small := strconv.Itoa(e.Period.Total), strconv.FormatBool(e.Small)
	var rows [][]string
	for _, b := range s.Stats.Buckets {
		d := ""
		if e.PreviousReport != nil && e.Compare {
			d = f(e.BucketDelta[b])
		}
		rows = append(rows, []string{"bucket", csvSafe(b), strconv.Itoa(e.Period.Bucket[b]), total, f(e.Period.BucketShare(b)), d, small})
	}
	for _, c := range s.Stats.Classes {
		d := ""
		if e.PreviousReport != nil && e.Compare {
			d = f(e.ClassDelta[c])
		}
		rows = append(rows, []string{"license_class", c, strconv.Itoa(e.Period.Class[c]), total, f(e.Period.ClassShare(c)), d, small})
	}
	return rows
}

// csvFile encodes a header and rows as encoding/csv writes them.
func csvFile(fields []Field, rows [][]string) []byte {
	cw := csvWriters.Get().(*csvWriter)
	defer csvWriters.Put(cw)
	cw.buf.Reset()
	head := make([]string, len(fields))
	for i, f := range fields {
		head[i] = f.Name
	}
	cw.w.Write(head)
	for _, r := range rows {
		cw.w.Write(r)
	}
	cw.w.Flush()
	return append([]byte(nil), cw.buf.Bytes()...)
}

// dataPackageFiles writes datapackage.json and every CSV file but
// releases.csv, which releaseData writes.
func dataPackageFiles(s *Site, w *writer) error {
	pkg := dataPackage(s)
	b, err := json.MarshalIndent(pkg, "", " ")
	if err != nil {
		return err
	}
	if err := w.file("data/datapackage.json", append(b, '\n')); err != nil {
		return err
	}
	for _, r := range pkg.Resources {
		if r.rows == nil {
			continue
		}
		if err := w.file("data/"+r.Path, csvFile(r.Schema.Fields, r.rows())); err != nil {
			return err
		}
	}
	return nil
}

// dataPage is the /data/ page's data.
func dataPage(s *Site) *DataPage {
	d := &DataPage{Package: dataPackage(s), License: s.DataLicense}
	year := ""
	if len(s.AsOf) >= 4 {
		year = s.AsOf[:4]
	}
	u := absURL(s, "data/")
	d.Citation = fmt.Sprintf("%s. “%s data package”, version %s, data as of %s. %s", s.Title, s.Title, s.Version, s.AsOf, u)
	var b strings.Builder
	fmt.Fprintf(&b, "@misc{%s,\n", bibKey(s.Title+"-data-"+s.Version))
	field := func(k, v string) { fmt.Fprintf(&b, "  %-9s = %s,\n", k, v) }
	field("title", "{"+bibEscape(s.Title)+" data package}")
	field("author", "{{"+bibEscape(s.Title)+"}}")
	field("version", "{"+bibEscape(s.Version)+"}")
	if year != "" {
		field("year", year)
	}
	field("url", "{"+bibURL(u)+"}")
	note := "Data as of " + s.AsOf
	if s.DataLicense != nil {
		note += ", license " + s.DataLicense.ID
	}
	fmt.Fprintf(&b, "  %-9s = {%s}\n}", "note", bibEscape(note))
	d.BibTeX = b.String()
	return d
}

// dataLicense resolves site.yaml's data_license: a license of the content
// by id or alias, or an SPDX id; nil when site.yaml gives none.
func dataLicense(cat *classify.Catalog) *DataLicense {
	id := cat.Site.DataLicense
	if id == "" {
		return nil
	}
	if l := cat.LicenseByID[id]; l != nil {
		if l.SPDX != "" {
			id = l.SPDX
		}
		return &DataLicense{ID: id, Name: l.Name, URL: l.URL}
	}
	return &DataLicense{ID: id, Name: id, URL: "https://spdx.org/licenses/" + id + ".html"}
}

// version is the data package's version: the as-of date as year.month.day
// without leading zeros, which is also a semantic version.
func version(asOf string) string {
	p := strings.Split(asOf, "-")
	if len(p) != 3 {
		return "0.0.0"
	}
	for i := range p {
		n, _ := strconv.Atoi(p[i])
		p[i] = strconv.Itoa(n)
	}
	return strings.Join(p, ".")
}
