package load

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders bodies in goldmark's safe mode. On top of that,
// bodyTransformer records every link, removes those whose scheme is not
// http, https or mailto, and every image, shifts headings down one level
// so that a body cannot add a second h1 to a page, and replaces raw HTML
// by what the allow-list keeps of it (see sanitize.go). Every parser is
// guarded against malformed bodies: see mdguard.go.
var markdown = func() goldmark.Markdown {
	md := newGuarded([]goldmark.Extender{extension.GFM},
		parser.WithASTTransformers(util.Prioritized(bodyTransformer{}, 100)))
	md.Renderer().AddOptions(cleanRendererOption)
	return md
}()

// Link is a link, image or autolink destination in a body, as written.
type Link struct {
	URL string
	// Pos is where the destination starts, the column counted in bytes;
	// the body's first line when it cannot be located (a reference
	// defined with other spelling).
	Pos Pos
}

// Markdown renders a body to HTML, as Parse renders each file's. A body
// over one of the limits (see MaxNesting) renders to nothing.
func Markdown(src []byte) template.HTML {
	h, _, _ := convert(src)
	return h
}

// mdBuffer is where a body's HTML is written; reused, since every file
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

var (
	linksKey = parser.NewContextKey()
	rawKey   = parser.NewContextKey() // *rawHTML
)

// rawHTML is what bodyTransformer found in a body's raw HTML.
type rawHTML struct {
	kept     bool // some HTML was kept: the body needs balancing
	notes    []htmlNote
	comments []rawComment
}

// rawLink is a link as bodyTransformer finds it: its offset in the body,
// or -1.
type rawLink struct {
	url    string
	offset int
}

// convert renders src and returns its HTML and its links, or the limit
// src is over. Bodies are parsed once, here, and both check (the links)
// and render (the HTML) use the result.
func convert(src []byte) (h template.HTML, links []rawLink, over *mdLimit) {
	h, links, _, over = convertRaw(src)
	return h, links, over
}

// convertRaw is convert that also returns what the body's raw HTML lost
// to the allow-list, and its comments.
func convertRaw(src []byte) (h template.HTML, links []rawLink, raw *rawHTML, over *mdLimit) {
	if l := prescan(src); l != nil {
		return "", nil, nil, l
	}
	b := mdBuffers.Get().(*mdBuffer)
	defer mdBuffers.Put(b)
	b.html.Reset()
	limited := &limitWriter{w: &b.html}
	b.w.Reset(limited)
	pc := &guardContext{parser.NewContext(), newBudget(len(src))}
	defer func() {
		if r := recover(); r != nil {
			l, ok := r.(*mdLimit)
			if !ok {
				panic(r)
			}
			h, links, raw, over = "", nil, nil, l
		}
	}()
	if err := markdown.Convert(src, b.w, parser.WithContext(pc)); err != nil {
		// Only a write fails, and only past MaxHTML.
		return "", nil, nil, &mdLimit{pc.b.at, err.Error()}
	}
	links, _ = pc.Get(linksKey).([]rawLink)
	raw, _ = pc.Get(rawKey).(*rawHTML)
	if raw != nil && raw.kept {
		out, err := balance(b.html.Bytes())
		if err == nil && len(out) > MaxHTML {
			err = errTooMuchHTML
		}
		if err != nil {
			return "", nil, nil, &mdLimit{0, err.Error()}
		}
		return template.HTML(out), links, raw, nil
	}
	return template.HTML(b.html.String()), links, raw, nil
}

// body renders the Markdown body of doc, which starts on line doc.BodyLine,
// and returns the limit it is over, if any.
func body(doc *Doc, src []byte) []Problem {
	h, raw, rh, over := convertRaw(src)
	if over != nil {
		pre := src[:min(max(over.offset, 0), len(src))]
		line := doc.BodyLine + bytes.Count(pre, []byte("\n"))
		col := 1 + utf8.RuneCount(pre[bytes.LastIndexByte(pre, '\n')+1:])
		return []Problem{{Pos: Pos{File: doc.File, Line: line, Col: col}, Msg: "Markdown body: " + over.msg}}
	}
	doc.HTML = h
	doc.BodyLinks = make([]Link, len(raw))
	for i, l := range raw {
		line, col := doc.BodyLine, 1
		if l.offset >= 0 {
			pre := src[:l.offset]
			line += bytes.Count(pre, []byte("\n"))
			col = l.offset - bytes.LastIndexByte(pre, '\n')
		}
		doc.BodyLinks[i] = Link{URL: l.url, Pos: Pos{File: doc.File, Line: line, Col: col}}
	}
	return rawProblems(doc, src, rh)
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

type bodyTransformer struct{}

func (bodyTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var links []rawLink
	from := 0 // links come in order: look for each after the one before
	var unsafe, rawNodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			rawNodes = append(rawNodes, n)
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			n.Level = min(n.Level+1, 6)
			return ast.WalkContinue, nil
		case *ast.Link:
			dest = n.Destination
			// The renderer resolves entities, so judge the resolved URL.
			if !SafeURL(stdhtml.UnescapeString(string(dest))) {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			// Images would be requests to other hosts: show the alt text.
			dest = n.Destination
			unsafe = append(unsafe, n)
		case *ast.AutoLink:
			dest = n.URL(src)
			if !SafeURL(stdhtml.UnescapeString(string(dest))) {
				unsafe = append(unsafe, n)
			}
		default:
			return ast.WalkContinue, nil
		}
		if t, ok := n.FirstChild().(*ast.Text); ok && t.Segment.Start > from {
			from = t.Segment.Start // the destination follows the link's text
		}
		i := bytes.Index(src[from:], dest)
		if i >= 0 {
			i += from
			from = i + len(dest)
		} else {
			i = bytes.Index(src, dest) // a reference defined before
		}
		links = append(links, rawLink{url: string(dest), offset: i})
		return ast.WalkContinue, nil
	})
	pc.Set(linksKey, links)
	if len(rawNodes) > 0 {
		pc.Set(rawKey, replaceRaw(rawNodes, src))
	}
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
