package load

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

func TestMarkdownSafe(t *testing.T) {
	for _, tc := range []struct {
		name, in   string
		want, lack []string
	}{
		{"plain link kept", "[a](https://example.com/x)", []string{`<a href="https://example.com/x">a</a>`}, nil},
		{"mailto kept", "[m](mailto:a@example.com)", []string{`href="mailto:a@example.com"`}, nil},
		{"javascript dropped", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:", "<a"}},
		{"mixed-case scheme dropped", "[c](JaVaScRiPt:alert(1))", nil, []string{"alert(1)\"", "<a"}},
		{"data dropped", "[d](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:", "<a"}},
		{"vbscript dropped", "[v](vbscript:msgbox(1))", nil, []string{"vbscript:", "<a"}},
		{"autolink javascript dropped", "<javascript:alert(1)>", nil, []string{"<a"}},
		{"raw script dropped", "<script>alert(1)</script>", nil, []string{"<script"}},
		{"raw attribute handler dropped", `<img src=x onerror=alert(1)>`, nil, []string{"<img", "onerror"}},
		{"image becomes its alt text", "![the alt](https://example.com/i.png)", []string{"the alt"}, []string{"<img"}},
		{"headings shift down", "# Top\n\n## Next", []string{"<h2", "<h3"}, []string{"<h1"}},
		{"protocol-relative dropped", "[p](//evil.example/x)", nil, []string{"<a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := Markdown([]byte(tc.in))
			s := string(out)
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("output %q lacks %q", s, w)
				}
			}
			for _, l := range tc.lack {
				if strings.Contains(s, l) {
					t.Errorf("output %q contains %q", s, l)
				}
			}
			if p := unsafeHTML([]byte(out)); p != "" {
				t.Errorf("unsafe output: %s", p)
			}
		})
	}
}

var schemeRE = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*):`)

// unsafeHTML returns a description of the first unsafe construct in b:
// a script element, an on… attribute, or a URL with a scheme other than
// http, https or mailto.
func unsafeHTML(b []byte) string {
	if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
		return "<script"
	}
	z := xhtml.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			for {
				k, v, more := z.TagAttr()
				key := strings.ToLower(string(k))
				if strings.HasPrefix(key, "on") {
					return "attribute " + key
				}
				if key == "href" || key == "src" {
					if m := schemeRE.FindStringSubmatch(strings.TrimSpace(string(v))); m != nil {
						switch strings.ToLower(m[1]) {
						case "http", "https", "mailto":
						default:
							return key + "=" + string(v)
						}
					}
				}
				if !more {
					break
				}
			}
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"[a](https://example.com)", "[x](javascript:alert(1))", "<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>", "![i](data:image/png;base64,AAAA)", "<javascript:alert(1)>",
		"[r]: javascript:alert(1)\n\n[r]", "| a | b |\n|---|---|\n| <b onmouseover=alert(1)>x</b> | y |",
		"<a href=\"javascript:alert(1)\">x</a>", "[x](&#106;avascript:alert(1))", "[x](java\tscript:alert(1))",
		// Raw HTML, kept by the allow-list as far as it allows.
		"<div align=center>\n<img src=\"https://example.com/a.png\" alt=\"a\" onerror=alert(1)>\n</div>\n",
		"<table>\n<tr><th align=right>a</th><td style=\"x:expression(alert(1))\">1</td></tr>\n</table>\n",
		"<div align=\"center\">\n\n**md** [l](https://example.com)\n\n</div>\n", "a <b>b *c</b> d* e",
		"<p title=\"x>\n\nafter\n", "x <!-- open\n\nafter", "</div></main><a href=x>y", "<svg><script>alert(1)</script></svg>",
		"<a href=\"https://example.com\"><img src=\"https://example.com/b.png\"></a>", "<img src=\"http://example.com/c.png\" alt=c>",
		"<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", "<details open><summary>s</summary>\n\nbody\n\n</details>",
		"<h1>raw</h1>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
		"<a href=\"jav&#x09;ascript:alert(1)\">t</a>", "<table><tr><td>\n\n| a |\n|---|\n| b |\n\n</td></tr></table>",
	} {
		f.Add(s)
	}
	// Issue 16's slow shapes, small.
	for _, s := range slowShapes {
		f.Add(s.src(40))
	}
	f.Add(strings.Repeat("[", 300) + strings.Repeat("]", 300))
	f.Add(strings.Repeat("[a]\n", 300))
	f.Fuzz(func(t *testing.T, src string) {
		out := Markdown([]byte(src))
		if p := unsafeHTML([]byte(out)); p != "" {
			t.Fatalf("Markdown(%q) produced unsafe HTML (%s): %s", src, p, out)
		}
		if p := outsideAllowList([]byte(out)); p != "" {
			t.Fatalf("Markdown(%q) produced HTML outside the allow-list (%s): %s", src, p, out)
		}
		// The guards change nothing in a body under the limits.
		sameAsPlain(t, []byte(src))
	})
}

// outsideAllowList returns the first element or attribute in b that
// neither the raw HTML allow-list nor goldmark's own output holds, or an
// image, which shows as a link.
func outsideAllowList(b []byte) string {
	z := xhtml.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "img" || !htmlElements[tok.Data] && tok.Data != "input" {
				return "<" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				switch a.Key {
				case "href", "title", "alt", "class", "width", "height", "colspan", "rowspan", "span", "start", "reversed", "open":
				case "style": // goldmark's table alignment
					if !strings.HasPrefix(a.Val, "text-align:") || strings.ContainsAny(a.Val, ";(") {
						return "style=" + a.Val
					}
				case "type", "checked", "disabled": // goldmark's task list
					if tok.Data != "input" || a.Key == "type" && a.Val != "checkbox" {
						return a.Key + "=" + a.Val
					}
				default:
					return "attribute " + a.Key
				}
			}
		}
	}
}
