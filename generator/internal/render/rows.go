package render

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Row is what the release-row template takes: one release, as a row of
// every table of releases.
type Row struct {
	Page *Page
	R    *classify.Release
}

// rowCache holds each release's table row. A release appears in many
// tables (the listing, its bucket, license and org, its report), and its
// row is the same in all of them, so it is rendered once per build. It
// holds partialCached's and fragment's results too.
type rowCache struct {
	shared templateSet                     // the renderer's; pages bring their own
	rows   sync.Map                        // *load.Release → template.HTML
	prev   map[*load.Release]template.HTML // the last render's rows (Memo); read only
	cached sync.Map                        // partialCached's string or fragment's fragKey → template.HTML
	bufs   sync.Pool
}

func init() {
	// row renders r's row of a table of releases. The row is rendered
	// once and reused on every page, so release-row may depend on the
	// page only through its base path, which every page shares.
	funcs["row"] = func(p *Page, r *classify.Release) (template.HTML, error) {
		return p.Site.rows.row(p, r)
	}
	// partialCached executes the template name with the page as its dot,
	// once per build for each distinct list of keys, and reuses the result
	// on every page that asks again, as Hugo's function of the same name
	// does. The template must depend on nothing of the page but the keys
	// and what every page shares (the site, the catalog, the base path);
	// base.html uses it for the masthead, keyed by the page's kind, for
	// the footer, and for the scripts, keyed by the kind and whether the
	// page is the explorer.
	funcs["partialCached"] = func(name string, p *Page, keys ...any) (template.HTML, error) {
		return p.Site.rows.partial(name, p, keys)
	}
	// fragment executes the template name with a Fragment of the page and
	// v as its dot, once per build for each v, and reuses the result on
	// every page. v must be a pointer, or nil: the cache knows values by
	// identity. The template may depend on nothing but v and what every
	// page shares. Templates use it for the links to orgs and licenses,
	// which most pages repeat many times.
	funcs["fragment"] = func(name string, p *Page, v any) (template.HTML, error) {
		return p.Site.rows.fragment(name, p, v)
	}
}

// fragKey is a fragment's key: its template and the value it shows.
type fragKey struct {
	name string
	v    any
}

func (c *rowCache) fragment(name string, p *Page, v any) (template.HTML, error) {
	if v != nil && reflect.TypeOf(v).Kind() != reflect.Pointer {
		return "", fmt.Errorf("fragment %q: the value must be a pointer, not %T", name, v)
	}
	return c.once(fragKey{name, v}, p, name, Fragment{p, v})
}

func (c *rowCache) partial(name string, p *Page, keys []any) (template.HTML, error) {
	key := name
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			key += "\x00" + k
		case bool:
			key += "\x00" + strconv.FormatBool(k)
		default:
			key += "\x00" + fmt.Sprint(k)
		}
	}
	return c.once(key, p, name, p)
}

// once executes the template name with dot the first time it is asked
// for key, and returns that result every time.
func (c *rowCache) once(key any, p *Page, name string, dot any) (template.HTML, error) {
	if h, ok := c.cached.Load(key); ok {
		return h.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := c.template(p).ExecuteTemplate(&buf, name, dot); err != nil {
		return "", err
	}
	h, _ := c.cached.LoadOrStore(key, template.HTML(buf.String()))
	return h.(template.HTML), nil
}

// template returns a template that holds the shared definitions, from
// the set p renders with if it has one: any page kind's template will do.
func (c *rowCache) template(p *Page) *template.Template {
	if p.set != nil {
		return p.set[pageKinds[0]]
	}
	return c.shared[pageKinds[0]]
}

func (c *rowCache) row(p *Page, r *classify.Release) (template.HTML, error) {
	if h, ok := c.prev[r.Release]; ok {
		return h, nil
	}
	if h, ok := c.rows.Load(r.Release); ok {
		return h.(template.HTML), nil
	}
	buf, _ := c.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer c.bufs.Put(buf)
	buf.Reset()
	if err := c.template(p).ExecuteTemplate(buf, "release-row", Row{p, r}); err != nil {
		return "", err
	}
	h, _ := c.rows.LoadOrStore(r.Release, template.HTML(buf.String()))
	return h.(template.HTML), nil
}
