package render

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/classify"
)

// Row is what the release-row template takes: one release, as a row of
// every table of releases.
type Row struct {
	Page *Page
	R    *classify.Release
}

// rowCache holds each release's table row. A release appears in many
// tables (the listing, its bucket, license and org, its report), and its
// row is the same in all of them, so it is rendered once per build.
type rowCache struct {
	t    *template.Template // any page template: all hold release-row
	rows sync.Map           // *load.Release → template.HTML
	bufs sync.Pool
}

func init() {
	// row renders r's row of a table of releases. The row is rendered
	// once and reused on every page, so release-row may depend on the
	// page only through its base path, which every page shares.
	funcs["row"] = func(p *Page, r *classify.Release) (template.HTML, error) {
		return p.Site.rows.row(p, r)
	}
}

func (c *rowCache) row(p *Page, r *classify.Release) (template.HTML, error) {
	if h, ok := c.rows.Load(r.Release); ok {
		return h.(template.HTML), nil
	}
	buf, _ := c.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer c.bufs.Put(buf)
	buf.Reset()
	if err := c.t.ExecuteTemplate(buf, "release-row", Row{p, r}); err != nil {
		return "", err
	}
	h, _ := c.rows.LoadOrStore(r.Release, template.HTML(buf.String()))
	return h.(template.HTML), nil
}
