package render

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

var funcs = template.FuncMap{
	// url turns a site-relative path into one under the base path.
	"url": func(p *Page, rel string) string { return p.BasePath + rel },
	// urlOf is the URL of a release's, org's, license's, bucket's or
	// report's page. It spares templates a print and a promoted field
	// lookup, which text/template makes slowly, on every link.
	"urlOf": urlOf,
	// abs turns a site-relative path into an absolute URL.
	// BaseURL already ends in BasePath.
	"abs": func(p *Page, rel string) string { return strings.TrimSuffix(p.BaseURL, "/") + "/" + rel },
	"pct": Percent,
	// plural spells a count with its noun: "1 release", "2 releases".
	"plural": figure.Plural,
	"signed": func(f float64) string {
		v := math.Round(f * 100)
		if v == 0 {
			return "±0 pp"
		}
		return fmt.Sprintf("%+.0f pp", v)
	},
	"add": func(a, b int) int { return a + b },
	"bucketName": func(p *Page, id string) string {
		return bucketName(p.Cat, id)
	},
	"bucketClass": func(id string) string {
		if id == "" {
			return "unclassified"
		}
		return id
	},
	// safeHref passes only http(s) and mailto URLs; anything else becomes
	// an inert fragment link.
	"safeHref": func(s string) template.URL {
		if load.SafeURL(s) && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "mailto:")) {
			return template.URL(s)
		}
		return "#unsafe-link"
	},
	"host": func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		if i := strings.IndexByte(s, '/'); i >= 0 {
			s = s[:i]
		}
		return strings.TrimPrefix(s, "www.")
	},
	// cited is the judged URL of one of a release's fields, such as
	// "sources.0", or nil: provenance judged it before render.
	"cited": func(r *classify.Release, field string) *provenance.URL {
		for i := range r.Cited {
			if r.Cited[i].Field == field {
				return &r.Cited[i]
			}
		}
		return nil
	},
	"field": func(prefix string, i int) string { return prefix + "." + strconv.Itoa(i) },
	"year":  func(d load.Date) int { return d.Time().Year() },
	"iso":   func(d load.Date) string { return d.Time().Format("2006-01-02T15:04:05Z") },
	"long":  func(d load.Date) string { return d.Time().Format("2 January 2006") },
	"params": func(r *classify.Release) string {
		if r.ParamsTotal <= 0 {
			return ""
		}
		if r.ParamsActive > 0 {
			return r.ParamsTotal.String() + " (" + r.ParamsActive.String() + " active)"
		}
		return r.ParamsTotal.String()
	},
	"sourceLabel": func(s classify.Source) string {
		switch s {
		case classify.Editorial:
			return "chosen by the editors for this release"
		case classify.FromOrg:
			return "the editors' default for this org"
		case classify.Inferred:
			return "inferred from the signals below"
		}
		return "unclassified: no editor's choice and no clear signal"
	},
}

func urlOf(p *Page, v any) (string, error) {
	var dir, id string
	switch v := v.(type) {
	case *classify.Release:
		dir, id = "releases/", v.ID
	case *load.Org:
		dir, id = "orgs/", v.ID
	case *load.License:
		dir, id = "licenses/", v.ID
	case *load.Bucket:
		dir, id = "buckets/", v.ID
		if v.Scheme != "" {
			dir = "schemes/" + v.Scheme + "/"
		}
	case *load.Report:
		dir, id = "reports/", v.ID
	default:
		return "", fmt.Errorf("urlOf: no page for a %T", v)
	}
	return p.BasePath + dir + id + "/", nil
}

// Rows is what the release-table template takes.
type Rows struct {
	Page     *Page
	Releases []*classify.Release
}

// Fragment is what a template executed by the fragment function takes:
// the page, for its base path, and the value the fragment shows.
type Fragment struct {
	Page *Page
	V    any
}

// ShareTable is what the share-table template takes.
type ShareTable struct {
	Page     *Page
	Label    string
	Rows     []ShareRow
	Previous *load.Report
}

func init() {
	funcs["shareTable"] = func(p *Page, label string, rows []ShareRow, prev *load.Report) ShareTable {
		return ShareTable{p, label, rows, prev}
	}
	funcs["rows"] = func(p *Page, rs []*classify.Release) Rows { return Rows{p, rs} }
	// chip and chipFor are the bucket-chip fragment of a release's bucket,
	// and of the bucket with an ID.
	funcs["chip"] = func(p *Page, r *classify.Release) (template.HTML, error) {
		return p.Site.rows.fragment("bucket-chip", p, p.Cat.BucketByID[r.Bucket])
	}
	funcs["deref"] = func(b *bool) bool { return b != nil && *b }
	funcs["chipFor"] = func(p *Page, id string) (template.HTML, error) {
		return p.Site.rows.fragment("bucket-chip", p, p.Cat.BucketByID[id])
	}
}
