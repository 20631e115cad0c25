package build_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/whyopen/whyopen/generator/internal/build"
)

// The output checks below run on any built site: they are what a link
// checker, a feed reader, a crawler and a browser's CSP would complain of.

// outputProblems returns every problem the static output checks find in
// the site built into files (as read by tree) for baseURL.
func outputProblems(files map[string][]byte, baseURL string) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	base, err := url.Parse(baseURL)
	if err != nil {
		return []string{err.Error()}
	}
	basePath := base.Path
	if !strings.HasSuffix(basePath, "/") {
		basePath += "/"
	}

	// Parse every page once; collect its ids.
	docs := map[string]*html.Node{}
	ids := map[string]map[string]bool{}
	var pages []string
	for p, data := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			bad("%s: %v", p, err)
			continue
		}
		docs[p] = doc
		pages = append(pages, p)
		ids[p] = map[string]bool{}
		walk(doc, func(n *html.Node) {
			if id := attr(n, "id"); id != "" {
				ids[p][id] = true
			}
			if n.Data == "a" && attr(n, "name") != "" {
				ids[p][attr(n, "name")] = true
			}
		})
	}
	sort.Strings(pages)

	// resolve maps a site path (after the base path) to an output file.
	resolve := func(rel string) (string, bool) {
		rel = strings.TrimPrefix(rel, "/")
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		if _, ok := files[rel]; ok {
			return rel, true
		}
		if _, ok := files[rel+"/index.html"]; ok {
			return rel + "/index.html", true
		}
		return "", false
	}
	// target checks one URL found on page p; sameHost reports whether it
	// must not name another host.
	target := func(p, where, raw string, sameHost bool) {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			bad("%s: %s %q does not parse: %v", p, where, raw, err)
			return
		}
		if u.Scheme != "" || u.Host != "" {
			if u.Host == base.Host && (u.Scheme == base.Scheme || u.Scheme == "") {
				// An absolute URL into the site itself: check it as a path.
				if !strings.HasPrefix(u.Path, basePath) && u.Path+"/" != basePath {
					bad("%s: %s %q is outside the base path %s", p, where, raw, basePath)
					return
				}
			} else {
				if sameHost {
					bad("%s: %s %q loads from another host", p, where, raw)
				}
				return
			}
		}
		var file string
		switch {
		case u.Path == "" && u.Fragment == "":
			return
		case u.Path == "":
			file = p
		case strings.HasPrefix(u.Path, "/"):
			if u.Path+"/" == basePath {
				u.Path = basePath
			}
			if !strings.HasPrefix(u.Path, basePath) {
				bad("%s: %s %q is outside the base path %s", p, where, raw, basePath)
				return
			}
			f, ok := resolve(strings.TrimPrefix(u.Path, basePath))
			if !ok {
				bad("%s: %s %q: no such file in the output", p, where, raw)
				return
			}
			file = f
		default: // relative to the page
			f, ok := resolve(path.Join(path.Dir(p), u.Path))
			if !ok {
				bad("%s: %s %q: no such file in the output", p, where, raw)
				return
			}
			file = f
		}
		if u.Fragment != "" && strings.HasSuffix(file, ".html") && !ids[file][u.Fragment] {
			bad("%s: %s %q: %s has no id %q", p, where, raw, file, u.Fragment)
		}
	}

	for _, p := range pages {
		doc := docs[p]
		csp := ""
		walk(doc, func(n *html.Node) {
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					bad("%s: <%s %s> is an event handler attribute", p, n.Data, a.Key)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") &&
					strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					bad("%s: <%s %s=%q> is a javascript: URL", p, n.Data, a.Key, a.Val)
				}
			}
			switch n.Data {
			case "meta":
				if strings.EqualFold(attr(n, "http-equiv"), "Content-Security-Policy") {
					csp = attr(n, "content")
				}
			case "script":
				src, typ := attr(n, "src"), attr(n, "type")
				if src == "" && typ != "application/json" {
					bad("%s: inline <script type=%q>", p, typ)
				}
				if src != "" {
					target(p, "<script src>", src, true)
				}
			case "img", "iframe", "audio", "video", "source", "embed":
				if src := attr(n, "src"); src != "" {
					target(p, "<"+n.Data+" src>", src, true)
				}
			case "object":
				bad("%s: <object>", p)
			case "link":
				rel := " " + strings.ToLower(attr(n, "rel")) + " "
				if strings.Contains(rel, " stylesheet ") || strings.Contains(rel, " icon ") ||
					strings.Contains(rel, " preload ") || strings.Contains(rel, " modulepreload ") {
					target(p, "<link rel="+strings.TrimSpace(rel)+">", attr(n, "href"), true)
				} else if h := attr(n, "href"); h != "" {
					target(p, "<link rel="+strings.TrimSpace(rel)+">", h, false)
				}
			case "a", "area":
				if h := attr(n, "href"); h != "" {
					target(p, "<a href>", h, false)
				}
			}
		})
		if csp == "" {
			bad("%s: no Content-Security-Policy meta element", p)
			continue
		}
		scriptSrc := ""
		for _, d := range strings.Split(csp, ";") {
			f := strings.Fields(d)
			if len(f) > 0 && f[0] == "script-src" {
				scriptSrc = strings.Join(f[1:], " ")
			}
		}
		srcs := " " + scriptSrc + " "
		if !strings.Contains(srcs, " 'self' ") {
			bad("%s: CSP script-src %q lacks 'self'", p, scriptSrc)
		}
		for _, w := range []string{"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} {
			if strings.Contains(srcs, " "+w+" ") {
				bad("%s: CSP script-src %q allows %s", p, scriptSrc, w)
			}
		}
	}

	// The feed parses and each entry links into the site.
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
			Links []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		bad("feed.xml: %v", err)
	} else if len(feed.Entries) == 0 {
		bad("feed.xml has no entries")
	}
	for i, e := range feed.Entries {
		if strings.TrimSpace(e.Title) == "" || e.ID == "" || len(e.Links) == 0 {
			bad("feed.xml: entry %d lacks a title, id or link", i)
			continue
		}
		if !strings.HasPrefix(e.Links[0].Href, baseURL) {
			bad("feed.xml: entry %d links to %q, outside %s", i, e.Links[0].Href, baseURL)
		} else if _, ok := resolve(strings.TrimPrefix(e.Links[0].Href, baseURL)); !ok {
			bad("feed.xml: entry %d links to %q: no such page", i, e.Links[0].Href)
		}
	}

	// The sitemap lists every page but 404 exactly once; a page that asks
	// not to be indexed (a figure's embed page) it never lists.
	var sitemap struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sitemap); err != nil {
		bad("sitemap.xml: %v", err)
	}
	listed := map[string]int{}
	for _, u := range sitemap.URLs {
		if !strings.HasPrefix(u.Loc, baseURL) {
			bad("sitemap.xml: %q is outside %s", u.Loc, baseURL)
			continue
		}
		f, ok := resolve(strings.TrimPrefix(u.Loc, baseURL))
		if !ok {
			bad("sitemap.xml: %q: no such page", u.Loc)
			continue
		}
		listed[f]++
	}
	for _, p := range pages {
		noindex := bytes.Contains(files[p], []byte(`<meta name="robots" content="noindex">`))
		switch n := listed[p]; {
		case p == "404.html" && n != 0:
			bad("sitemap.xml lists 404.html")
		case noindex && n != 0:
			bad("sitemap.xml lists %s, which asks not to be indexed", p)
		case noindex:
		case p != "404.html" && n != 1:
			bad("sitemap.xml lists %s %d times, want once", p, n)
		}
	}
	sort.Strings(probs)
	return probs
}

// walk calls f on every element under n.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func reportProblems(t *testing.T, probs []string) {
	t.Helper()
	const max = 40
	for i, p := range probs {
		if i == max {
			t.Errorf("... and %d more", len(probs)-max)
			break
		}
		t.Error(p)
	}
}

// TestOutputChecksFixture runs the output checks on the fixture site.
func TestOutputChecksFixture(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out)
	files := tree(t, out)
	reportProblems(t, outputProblems(files, "https://example.org/report/"))
	if len(files["sitemap.xml"]) == 0 || len(files["feed.xml"]) == 0 {
		t.Errorf("no sitemap or feed")
	}
}

// TestOutputChecksContent runs the output checks on the real content/,
// built under a base path so that a link that forgets it shows.
func TestOutputChecksContent(t *testing.T) {
	const baseURL = "https://example.net/whyopen/"
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Build(build.Options{Src: "../../..", Out: out, Theme: repoTheme, BaseURL: baseURL})
	if err != nil {
		for _, p := range res.Problems {
			t.Log(p)
		}
		t.Fatalf("build: %v", err)
	}
	files := tree(t, out)
	if res.Pages < 10 {
		t.Errorf("content built only %d pages", res.Pages)
	}
	reportProblems(t, outputProblems(files, baseURL))
}

// TestOutputChecksCatch checks that the output checks find each kind of
// fault they look for, on a copy of the fixture site with faults added.
func TestOutputChecksCatch(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out)
	clean := tree(t, out)
	const baseURL = "https://example.org/report/"
	for _, tc := range []struct {
		name, file, old, new, want string
	}{
		{"broken link", "index.html", `<body`, `<body><a href="/report/nope/">x</a`, `"/report/nope/": no such file`},
		{"link without base path", "index.html", `<body`, `<body><a href="/releases/">x</a`, `outside the base path`},
		{"broken anchor", "index.html", `<body`, `<body><a href="#nope">x</a`, `has no id "nope"`},
		{"inline script", "index.html", `<body`, `<body><script>alert(1)</script`, `inline <script`},
		{"event handler", "index.html", `<body`, `<body onload="alert(1)"`, `event handler`},
		{"third-party script", "index.html", `<body`, `<body><script src="https://cdn.example.com/x.js"></script`, `loads from another host`},
		{"protocol-relative style", "index.html", `<head>`, `<head><link rel="stylesheet" href="//cdn.example.com/x.css">`, `loads from another host`},
		{"unsafe-inline", "index.html", `script-src 'self'`, `script-src 'self' 'unsafe-inline'`, `allows 'unsafe-inline'`},
		{"no CSP", "index.html", `http-equiv="Content-Security-Policy"`, `http-equiv="X-Nothing"`, `no Content-Security-Policy`},
		{"feed broken", "feed.xml", `<entry>`, `<entry><`, `feed.xml:`},
		{"sitemap duplicate", "sitemap.xml", `</urlset>`, `<url><loc>https://example.org/report/</loc></url></urlset>`, `lists index.html 2 times`},
	} {
		files := map[string][]byte{}
		for p, d := range clean {
			files[p] = d
		}
		if !bytes.Contains(files[tc.file], []byte(tc.old)) {
			t.Fatalf("%s: %s lacks %q", tc.name, tc.file, tc.old)
		}
		files[tc.file] = bytes.Replace(files[tc.file], []byte(tc.old), []byte(tc.new), 1)
		probs := outputProblems(files, baseURL)
		if !strings.Contains(strings.Join(probs, "\n"), tc.want) {
			t.Errorf("%s: problems lack %q; got %q", tc.name, tc.want, probs)
		}
	}
	// A page missing from the sitemap shows too.
	files := map[string][]byte{}
	for p, d := range clean {
		files[p] = d
	}
	files["extra/index.html"] = clean["index.html"]
	if probs := outputProblems(files, baseURL); !strings.Contains(strings.Join(probs, "\n"), "lists extra/index.html 0 times") {
		t.Errorf("a page missing from the sitemap was not found: %q", probs)
	}
}
