package build_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// readPayloads reads testdata/xss-payloads.txt: payload N is the Nth
// non-comment line and carries the marker alert(N).
func readPayloads(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/xss-payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.Contains(line, fmt.Sprintf("alert(%d)", len(out)+1)) {
			t.Fatalf("payload %d lacks its marker: %s", len(out)+1, line)
		}
		out = append(out, line)
	}
	if len(out) < 40 {
		t.Fatalf("only %d payloads", len(out))
	}
	return out
}

// textFields are the free-text front-matter fields of each content kind.
var textFields = map[string][]string{
	"releases": {"title", "summary", "product", "bucket_note", "trained_on"},
	"orgs":     {"name"},
	"buckets":  {"title", "question"},
	"licenses": {"name"},
	"reports":  {"title", "summary", "blurb"},
}

// yamlString quotes s as a YAML double-quoted scalar (JSON is YAML).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// setField gives every line "key: ..." (at any indent, in a list or not)
// of the front matter the value v.
func setField(doc, key, v string) string {
	re := regexp.MustCompile(`(?m)^([ \t]*(?:- )?` + regexp.QuoteMeta(key) + `:) .*$`)
	return re.ReplaceAllString(doc, "${1} "+strings.ReplaceAll(v, "$", "$$"))
}

// inject rewrites the content of the site at src with payload in every
// text field and in each body, as text and as a link's text.
func inject(t *testing.T, src, payload string) {
	t.Helper()
	for kind, keys := range textFields {
		files, _ := filepath.Glob(filepath.Join(src, "content", kind, "*.md"))
		more, _ := filepath.Glob(filepath.Join(src, "content", kind, "*", "*.md"))
		files = append(files, more...)
		if len(files) == 0 {
			t.Fatalf("no %s in the fixture", kind)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc := string(data)
			for _, k := range keys {
				// The markers must come out even where re replaces nothing
				// (a release without product): add the field then.
				re := regexp.MustCompile(`(?m)^[ \t]*(?:- )?` + regexp.QuoteMeta(k) + `:`)
				if !re.MatchString(doc) && kind == "releases" && k != "bucket_note" {
					doc = strings.Replace(doc, "---\n", "---\n"+k+": x\n", 1)
				}
				doc = setField(doc, k, yamlString(payload))
			}
			doc += "\n\nText: " + payload + "\n\n[" + payload + "](https://example.com/)\n"
			if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

var marker = regexp.MustCompile(`alert\(\d+\)`)

// urlAttrs are attributes whose values a browser fetches or follows.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "data": true,
	"background": true, "poster": true, "lowsrc": true, "dynsrc": true, "xlink:href": true, "srcset": true, "cite": true}

// markerProblems returns every place in the output where a marker is not
// inert text: markup the payload created, or a marker in script, style,
// an event handler, a URL the browser would run, or a comment. elements
// is the set of element names a payload-free build uses.
func markerProblems(files map[string][]byte, elements map[string]bool) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	for p, data := range files {
		switch {
		case strings.HasSuffix(p, ".csv"):
			continue // data, not markup: it carries text as written
		case strings.HasSuffix(p, ".json"):
			if !json.Valid(data) {
				bad("%s: not valid JSON", p)
			}
			continue
		case strings.HasSuffix(p, ".xml"):
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					bad("%s: %v", p, err)
					break
				}
				if se, ok := tok.(xml.StartElement); ok {
					for _, a := range se.Attr {
						if a.Name.Local == "type" && strings.Contains(a.Value, "html") {
							bad("%s: <%s type=%q> would be rendered as markup by feed readers", p, se.Name.Local, a.Value)
						}
					}
				}
			}
			continue
		case !strings.HasSuffix(p, ".html"):
			if marker.Match(data) {
				bad("%s: contains a marker", p)
			}
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			bad("%s: %v", p, err)
			continue
		}
		var visit func(n *html.Node)
		visit = func(n *html.Node) {
			switch n.Type {
			case html.CommentNode:
				if marker.MatchString(n.Data) {
					bad("%s: marker in a comment: %q", p, n.Data)
				}
			case html.TextNode:
				if par := n.Parent; par != nil && par.Type == html.ElementNode {
					switch par.Data {
					case "script":
						if attr(par, "type") != "application/json" || !json.Valid([]byte(n.Data)) {
							if marker.MatchString(n.Data) {
								bad("%s: marker in a script: %.80q", p, n.Data)
							}
						}
					case "style":
						if marker.MatchString(n.Data) {
							bad("%s: marker in a style element", p)
						}
					}
				}
			case html.ElementNode:
				if !elements[n.Data] {
					bad("%s: <%s> element, which no payload-free build has", p, n.Data)
				}
				for _, a := range n.Attr {
					key := strings.ToLower(a.Key)
					switch {
					case !elements["@"+key]:
						bad("%s: <%s %s> attribute, which no payload-free build has", p, n.Data, a.Key)
					case !marker.MatchString(a.Val):
					case strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc":
						bad("%s: marker in <%s %s=%q>", p, n.Data, a.Key, a.Val)
					case urlAttrs[key]:
						u, err := url.Parse(strings.TrimSpace(a.Val))
						if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
							bad("%s: marker in a runnable URL <%s %s=%q>", p, n.Data, a.Key, a.Val)
						}
					case n.Data == "meta" && key == "content" && attr(n, "http-equiv") != "":
						bad("%s: marker in <meta http-equiv=%q>", p, attr(n, "http-equiv"))
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				visit(c)
			}
		}
		visit(doc)
	}
	return probs
}

// elementSet returns the element names and attribute names ("@name") of
// every page in files.
func elementSet(t *testing.T, files map[string][]byte) map[string]bool {
	set := map[string]bool{}
	for p, data := range files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		walk(doc, func(n *html.Node) {
			set[n.Data] = true
			for _, a := range n.Attr {
				set["@"+strings.ToLower(a.Key)] = true
			}
		})
	}
	return set
}

// TestXSSPayloads puts every payload into every text field of every
// release, org, bucket, license and report, and into their bodies, builds
// the site and checks that no payload became markup, script or a link a
// browser would run. It then puts each payload into each URL field, where
// check must either reject it or let it through as inert.
func TestXSSPayloads(t *testing.T) {
	payloads := readPayloads(t)
	clean := extract(t, "testdata/site.txtar")
	cleanOut := filepath.Join(t.TempDir(), "public")
	buildSite(t, clean, cleanOut)
	elements := elementSet(t, tree(t, cleanOut))
	if elements["img"] || elements["iframe"] || elements["@onload"] {
		t.Fatalf("the payload-free build already has elements a payload would add")
	}
	// Raw HTML in a body may add what the allow-list keeps.
	rawElems, rawAttrs := load.RawHTMLOutput()
	for _, e := range rawElems {
		elements[e] = true
	}
	for _, a := range rawAttrs {
		elements["@"+a] = true
	}
	const baseURL = "https://example.org/report/"
	accepted, rejected := map[string]int{}, map[string]int{}

	for i, payload := range payloads {
		n := i + 1
		mark := fmt.Sprintf("alert(%d)", n)
		t.Run(fmt.Sprintf("text/%d", n), func(t *testing.T) {
			src := extract(t, "testdata/site.txtar")
			inject(t, src, payload)
			out := filepath.Join(t.TempDir(), "public")
			res, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 1, 1)})
			if err != nil {
				for _, p := range res.Problems {
					t.Log(p)
				}
				t.Fatalf("payload %d in text fields: build failed: %v", n, err)
			}
			files := tree(t, out)
			seen := 0
			for p, data := range files {
				if strings.HasSuffix(p, ".html") && bytes.Contains(data, []byte(mark)) {
					seen++
				}
			}
			if seen < 10 {
				t.Errorf("marker %s on only %d pages; the payload did not get through", mark, seen)
			}
			reportProblems(t, outputProblems(files, baseURL))
			reportProblems(t, markerProblems(files, elements))
		})

		for _, field := range []struct{ name, file, old, new string }{
			{"license url", "content/licenses/community.md", "url: https://example.com/community", "url: " + yamlString(payload)},
			{"sources", "content/releases/chipco/chip-7b.md", "sources: [https://example.com/chip-7b]", "sources: [" + yamlString(payload) + "]"},
			{"body link", "content/releases/chipco/chip-7b.md", "[link](https://example.com/more)", "[link](<" + payload + ">) and <" + payload + ">"},
		} {
			t.Run(fmt.Sprintf("%s/%d", field.name, n), func(t *testing.T) {
				src := extract(t, "testdata/site.txtar")
				rewrite(t, src, field.file, func(s string) string {
					if !strings.Contains(s, field.old) {
						t.Fatalf("%s lacks %q", field.file, field.old)
					}
					return strings.Replace(s, field.old, field.new, 1)
				})
				out := filepath.Join(t.TempDir(), "public")
				res, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 1, 1)})
				// In a body, a payload with angle brackets is no link at all.
				isLink := field.name != "body link" || !strings.ContainsAny(payload, "<>")
				if lower := strings.ToLower(payload); err == nil && isLink && (strings.HasPrefix(lower, "javascript:") || strings.HasPrefix(lower, "data:")) {
					t.Errorf("a %s of %q was accepted", field.name, payload)
				}
				if err != nil {
					rejected[field.name]++
					// Rejected: by check, naming the file, and nothing published.
					if !errors.Is(err, build.ErrProblems) {
						t.Fatalf("build failed, but not on content problems: %v", err)
					}
					named := false
					for _, p := range res.Problems {
						if p.Severity == load.Error && strings.HasPrefix(p.String(), field.file+":") {
							named = true
						}
					}
					if !named {
						t.Errorf("rejected, but no error names %s: %v", field.file, res.Problems)
					}
					if _, err := os.Stat(out); err == nil {
						t.Errorf("a rejected build published %s", out)
					}
					return
				}
				accepted[field.name]++
				files := tree(t, out)
				reportProblems(t, outputProblems(files, baseURL))
				reportProblems(t, markerProblems(files, elements))
			})
		}
	}
	t.Logf("URL fields: accepted %v, rejected %v", accepted, rejected)
}

// TestMarkerProblemsCatch checks that markerProblems finds a payload that
// became markup, on pages a broken renderer could have written.
func TestMarkerProblemsCatch(t *testing.T) {
	elements := map[string]bool{"html": true, "head": true, "body": true, "p": true, "a": true, "script": true, "style": true, "meta": true,
		"@href": true, "@type": true, "@title": true, "@http-equiv": true, "@content": true}
	for _, tc := range []struct{ page, want string }{
		{`<p><img src=x onerror=alert(1)></p>`, "<img> element"},
		{`<p onmouseover="alert(1)">x</p>`, "<p onmouseover> attribute"},
		{`<a href="javascript:alert(1)">x</a>`, "runnable URL"},
		{`<script>alert(1)</script>`, "marker in a script"},
		{`<script type="application/json">{"a": alert(1)}</script>`, "marker in a script"},
		{`<style>p{background:url(javascript:alert(1))}</style>`, "marker in a style"},
		{`<!-- <script>alert(1)</script> -->`, "marker in a comment"},
		{`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, "marker in <meta"},
	} {
		probs := markerProblems(map[string][]byte{"x.html": []byte("<!doctype html><html><head></head><body>" + tc.page + "</body></html>")}, elements)
		if !strings.Contains(strings.Join(probs, "\n"), tc.want) {
			t.Errorf("%s: problems lack %q: %q", tc.page, tc.want, probs)
		}
	}
	ok := `<p title="alert(1)">&lt;script&gt;alert(1)&lt;/script&gt;</p><a href="https://example.com/?q=alert(1)">x</a><script type="application/json">{"a": "</script>"}</script>`
	ok = strings.Replace(ok, `</script>"}`, `\u003c/script>alert(1)"}`, 1)
	if probs := markerProblems(map[string][]byte{"x.html": []byte("<html><head></head><body>" + ok + "</body></html>")}, elements); len(probs) > 0 {
		t.Errorf("escaped markers reported: %q", probs)
	}
}
