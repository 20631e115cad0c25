package render

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"net/url"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders bodies in goldmark's safe mode: raw HTML is dropped.
// On top of that, safeLinks removes every link whose scheme is not http,
// https or mailto, and shifts headings down one level so that a body
// cannot add a second h1 to a page.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))),
)

// Markdown renders a body to HTML.
func Markdown(src []byte) ([]byte, error) {
	var b []byte
	err := convert(src, func(html []byte) { b = bytes.Clone(html) })
	return b, err
}

// mdBuffer is where a body's HTML is written; reused, since every page
// has a body.
type mdBuffer struct {
	html bytes.Buffer
	w    *bufio.Writer // on html: goldmark makes one per call otherwise
}

var mdBuffers = sync.Pool{New: func() any {
	b := &mdBuffer{}
	b.w = bufio.NewWriter(&b.html)
	return b
}}

// convert renders src and hands its HTML to use, which must not keep it.
func convert(src []byte, use func(html []byte)) error {
	b := mdBuffers.Get().(*mdBuffer)
	defer mdBuffers.Put(b)
	b.html.Reset()
	b.w.Reset(&b.html)
	if err := markdown.Convert(src, b.w); err != nil {
		return err
	}
	use(b.html.Bytes())
	return nil
}

// SafeURL reports whether a URL may be a link on the site: http(s) with a
// host, mailto, or a relative reference with no scheme.
func SafeURL(s string) bool {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\\\x00\t\n\r") || strings.HasPrefix(s, "//") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto", "":
		return true
	}
	return false
}

type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var unsafe []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+1, 6)
		case *ast.Link:
			// The renderer resolves entities, so judge the resolved URL.
			if !SafeURL(stdhtml.UnescapeString(string(n.Destination))) {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			// Images would be requests to other hosts: show the alt text.
			unsafe = append(unsafe, n)
		case *ast.AutoLink:
			if !SafeURL(stdhtml.UnescapeString(string(n.URL(src)))) {
				unsafe = append(unsafe, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafe {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		switch n := n.(type) {
		case *ast.AutoLink:
			parent.ReplaceChild(parent, n, ast.NewString(n.Label(src)))
		default:
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				parent.InsertBefore(parent, n, c)
				c = next
			}
			parent.RemoveChild(parent, n)
		}
	}
}
