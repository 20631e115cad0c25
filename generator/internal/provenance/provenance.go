// Package provenance says what each URL a release cites is worth as
// evidence. It gives every URL in a release's sources, links and
// benchmarks[].source one of four kinds:
//
//   - primary: where the maker speaks for itself. The host of its org's
//     website or of one of its domains, or a subdomain of either (a
//     leading "www." of website is ignored, so www.ibm.com covers
//     research.ibm.com), unless it is a host many makers share (Shared:
//     huggingface.co, github.com, medium.com...); huggingface.co/<one of
//     the org's huggingface names>/... (also under /datasets/, /spaces/,
//     /collections/ and /blog/);
//     github.com/<one of its github names>/...,
//     raw.githubusercontent.com/<name>/... and <name>.github.io; arxiv.org;
//     doi.org; or the license text, the url of the release's license or of
//     one of its variants'.
//   - mirror: a host listed under mirrors in content/sources.yaml, which
//     re-serves another site's pages. It is never a source.
//   - farm: a host listed under farms there, which publishes generated or
//     copied text. It is not evidence on its own.
//   - secondary: anything else, such as a news outlet.
//
// A mirror comes first, so a mirror is a mirror whatever else it looks
// like; then primary, then farm. Hosts are compared in lower case,
// without a port or a trailing dot. A host entry covers the host and its
// subdomains; "*.example.com" covers the subdomains only; and
// "example.com/path" covers that path and what is under it. Where several
// entries match, the longest applies, so hf.example.workers.dev wins over
// *.workers.dev.
//
// For a mirror, Original derives the URL it copies where it can: a URL
// written into the mirror's path (/url/https://huggingface.co/x, or
// /https-en.wikipedia.org/wiki/x) is read back; otherwise the entry's
// original host (and path) replaces the mirror's host, after its strip
// prefix is removed from the path: hf-mirror.com/Qwen/Qwen3-8B is
// huggingface.co/Qwen/Qwen3-8B, and www.arxiv-vanity.com/papers/2403.15484
// is arxiv.org/abs/2403.15484.
//
// Check reports the kinds (a mirror is an error, a farm a warning, a
// release with no primary URL an error); classify attaches them to each
// release for the release page, and aggregate counts them.
package provenance

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// Kind is what a cited URL is worth as evidence.
type Kind string

// The kinds, from the most to the least worth.
const (
	Primary   Kind = "primary"
	Secondary Kind = "secondary"
	Farm      Kind = "farm"
	Mirror    Kind = "mirror"
)

// Kinds lists the kinds in a fixed order, for tables.
var Kinds = []Kind{Primary, Secondary, Farm, Mirror}

// URL is one URL a release cites, judged.
type URL struct {
	Field string // the field's path: sources.0, links.weights, benchmarks.2.source
	URL   string
	Host  string // lower case, without port or trailing dot
	Kind  Kind
	// Original is, for a mirror, the URL it copies, where it can be
	// derived; "" otherwise.
	Original string
	// Entry is the sources.yaml host entry that made it a mirror or a
	// farm, as written there: "hf-mirror.com", "*.workers.dev",
	// "raw.githubusercontent.com/anomalyco/models.dev".
	Entry string
	// Note is that entry's note.
	Note string
}

// rule is one entry of sources.yaml.
type rule struct {
	entry    string // as written
	host     string // without "*."
	path     string // "" or a prefix such as /anomalyco/models.dev
	sub      bool   // "*.": subdomains only
	kind     Kind
	original string
	strip    string
	note     string
	weight   int // how specific: longer wins
}

// Rules judges URLs against content/sources.yaml.
type Rules struct {
	byHost map[string][]rule // by host without "*."
}

// New returns the rules of s. Entries that are not well formed (check
// reports them) are skipped.
func New(s *load.Sources) *Rules {
	rs := &Rules{byHost: map[string][]rule{}}
	add := func(host string, k Kind, original, strip, note string) {
		host = strings.ToLower(strings.TrimSpace(host))
		r := rule{entry: host, kind: k, original: original, strip: strip, note: note}
		if strings.HasPrefix(host, "*.") {
			r.sub, host = true, host[2:]
		}
		r.host, r.path, _ = strings.Cut(host, "/")
		if r.path != "" {
			r.path = "/" + r.path
		}
		if r.host == "" {
			return
		}
		r.weight = 2 * (len(r.host) + len(r.path))
		if !r.sub {
			r.weight++ // the host itself beats *. of the same host
		}
		rs.byHost[r.host] = append(rs.byHost[r.host], r)
	}
	if s == nil {
		return rs
	}
	for _, m := range s.Mirrors {
		add(m.Host, Mirror, m.Original, m.Strip, m.Note)
	}
	for _, f := range s.Farms {
		add(f.Host, Farm, "", "", f.Note)
	}
	return rs
}

// match returns the most specific rule covering host and path. It looks
// up the host and each of its parent domains, so it costs a few map
// lookups however long sources.yaml grows.
func (rs *Rules) match(host, path string) *rule {
	var best *rule
	for h := host; h != ""; {
		for i := range rs.byHost[h] {
			r := &rs.byHost[h][i]
			if !under(host, r.host, r.sub) {
				continue
			}
			if r.path != "" && path != r.path && !strings.HasPrefix(path, r.path+"/") {
				continue
			}
			if best == nil || r.weight > best.weight {
				best = r
			}
		}
		_, h, _ = strings.Cut(h, ".")
	}
	return best
}

// under reports whether host is base or one of its subdomains; only a
// subdomain when sub.
func under(host, base string, sub bool) bool {
	if host == base {
		return !sub
	}
	return strings.HasSuffix(host, "."+base)
}

// Host returns the host of a URL as provenance compares it: lower case,
// without port or trailing dot; "" when raw is not an http(s) URL.
func Host(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// Judge gives one URL its kind, for a release of org (nil when unknown)
// whose licenses (the release's and its variants') are licenses.
func (rs *Rules) Judge(raw string, org *load.Org, licenses []*load.License) URL {
	out := URL{URL: raw, Kind: Secondary}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return out
	}
	out.Host = strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	path := u.EscapedPath()
	if r := rs.match(out.Host, path); r != nil && r.kind == Mirror {
		out.Kind, out.Entry, out.Note = Mirror, r.entry, r.note
		out.Original = original(u, r)
		return out
	}
	if primary(out.Host, u.Path, org, licenses, raw) {
		out.Kind = Primary
		return out
	}
	if r := rs.match(out.Host, path); r != nil {
		out.Kind, out.Entry, out.Note = r.kind, r.entry, r.note
	}
	return out
}

// Release judges every URL r cites, in the order of its fields: sources,
// links (weights, report, announcement, code), then benchmarks. Values
// that are not http(s) URLs are left out; check reports them.
func (rs *Rules) Release(r *load.Release, org *load.Org, licenses []*load.License) []URL {
	var out []URL
	add := func(field, raw string) {
		if Host(raw) == "" {
			return
		}
		j := rs.Judge(raw, org, licenses)
		j.Field = field
		out = append(out, j)
	}
	for i, s := range r.Sources {
		add("sources."+strconv.Itoa(i), s)
	}
	add("links.weights", r.Links.Weights)
	add("links.report", r.Links.Report)
	add("links.announcement", r.Links.Announcement)
	add("links.code", r.Links.Code)
	for i, b := range r.Benchmarks {
		add("benchmarks."+strconv.Itoa(i)+".source", b.Source)
	}
	return out
}

// HasPrimary reports whether any of us is primary.
func HasPrimary(us []URL) bool {
	for _, u := range us {
		if u.Kind == Primary {
			return true
		}
	}
	return false
}

// primary reports whether a URL on host with path is where org, or the
// paper or license behind the release, speaks for itself.
func primary(host, path string, org *load.Org, licenses []*load.License, raw string) bool {
	switch host {
	case "arxiv.org", "www.arxiv.org", "export.arxiv.org", "doi.org", "dx.doi.org":
		return true
	}
	for _, l := range licenses {
		if l != nil && l.URL != "" && sameURL(l.URL, raw) {
			return true
		}
	}
	if org == nil {
		return false
	}
	if w := strings.TrimPrefix(Host(org.Website), "www."); w != "" && !Shared(w) && under(host, w, false) {
		return true
	}
	for _, d := range org.Domains {
		if d = strings.TrimPrefix(strings.ToLower(strings.TrimSuffix(d, ".")), "www."); d != "" && !Shared(d) && under(host, d, false) {
			return true
		}
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch host {
	case "huggingface.co", "www.huggingface.co", "hf.co":
		owner := segs[0]
		if len(segs) >= 3 && (segs[0] == "datasets" || segs[0] == "spaces" || segs[0] == "blog" || segs[0] == "collections") {
			owner = segs[1]
		} else if segs[0] == "blog" || segs[0] == "papers" || segs[0] == "models" || segs[0] == "docs" {
			owner = "huggingface" // Hugging Face's own pages
			if segs[0] == "papers" {
				owner = "" // an index of papers, not the maker's
			}
		}
		return owner != "" && hasName(org.HuggingFace, owner)
	case "github.com", "www.github.com", "raw.githubusercontent.com", "gist.github.com":
		owner := segs[0]
		if owner == "orgs" && len(segs) > 1 {
			owner = segs[1]
		}
		return owner != "" && hasName(org.GitHub, owner)
	}
	if name, ok := strings.CutSuffix(host, ".github.io"); ok {
		return hasName(org.GitHub, name)
	}
	return false
}

// shared are hosts where many makers publish: an org's website or domain
// on one of them does not make the whole host its own (a subdomain, such
// as qwenlm.github.io, still can be).
var shared = map[string]bool{
	"huggingface.co": true, "hf.co": true, "github.com": true, "github.io": true,
	"githubusercontent.com": true, "raw.githubusercontent.com": true, "gitlab.com": true,
	"arxiv.org": true, "doi.org": true, "medium.com": true, "substack.com": true,
	"x.com": true, "twitter.com": true, "linkedin.com": true, "youtube.com": true,
	"wikipedia.org": true, "en.wikipedia.org": true, "pages.dev": true, "workers.dev": true,
	"vercel.app": true, "netlify.app": true, "google.com": true, "sites.google.com": true,
}

// Shared reports whether host is one where many makers publish, so that
// it cannot be one org's domain.
func Shared(host string) bool { return shared[strings.TrimPrefix(host, "www.")] }

func hasName(names []string, s string) bool {
	for _, n := range names {
		if strings.EqualFold(n, s) {
			return true
		}
	}
	return false
}

// sameURL compares two URLs ignoring the scheme, a trailing slash, the
// host's case and a fragment.
func sameURL(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return s
		}
		return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".") + strings.TrimSuffix(u.EscapedPath(), "/") + "?" + u.RawQuery
	}
	return norm(a) == norm(b)
}

// original derives the URL a mirror copies, or "".
func original(u *url.URL, r *rule) string {
	// A URL written into the path: /url/https://host/x (or https:/host/x,
	// where a proxy merged the slashes), or /https-host/x.
	p := u.Path
	for i := strings.Index(p, "/http"); i >= 0; i = next(p, i) {
		rest := p[i+1:]
		for _, scheme := range []string{"https", "http"} {
			after, ok := strings.CutPrefix(rest, scheme)
			if !ok {
				continue
			}
			var host, path string
			switch {
			case strings.HasPrefix(after, "://"):
				host, path, _ = strings.Cut(after[3:], "/")
			case strings.HasPrefix(after, ":/"):
				host, path, _ = strings.Cut(after[2:], "/")
			case strings.HasPrefix(after, "-"):
				host, path, _ = strings.Cut(after[1:], "/")
			default:
				continue
			}
			if strings.Contains(host, ".") && !strings.ContainsAny(host, " ?#") {
				return withQuery(scheme+"://"+host+"/"+path, u)
			}
		}
	}
	if r.original == "" {
		return ""
	}
	path := u.EscapedPath()
	if r.strip != "" && (path == r.strip || strings.HasPrefix(path, r.strip+"/")) {
		path = path[len(r.strip):]
	}
	if path == "" {
		path = "/"
	}
	return withQuery("https://"+strings.TrimSuffix(r.original, "/")+path, u)
}

// next returns the index of the next "/http" in p after i, or -1.
func next(p string, i int) int {
	j := strings.Index(p[i+1:], "/http")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// withQuery appends u's query to s.
func withQuery(s string, u *url.URL) string {
	if u.RawQuery != "" {
		return s + "?" + u.RawQuery
	}
	return s
}
