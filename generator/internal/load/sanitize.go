package load

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Raw HTML in a body (see the package doc) is cleaned in three steps.
//
//  1. bodyTransformer replaces each raw HTML node of the tree, block or
//     inline, by a cleanHTML node holding its tokens after the allow-list
//     (cleanRaw): each start tag passes through bluemonday on its own,
//     end tags of allowed elements are kept, text is escaped again, and
//     comments, doctypes and the elements whose content is not HTML
//     (script, style, iframe, textarea...) are dropped with that content.
//     A node's output is thus whole tags and text: an unfinished tag, a
//     quote or a comment left open cannot swallow what follows it.
//  2. goldmark renders the tree; a cleanHTML node writes its tokens.
//  3. When any raw HTML was kept, the whole body is parsed as an HTML
//     fragment and written out again (balance), so that tags opened in
//     one node and closed in another, such as <b> … </b> in a paragraph
//     or a <div align="center"> block around Markdown, nest properly and
//     no end tag can close the page's own elements.
//
// The allow-list is htmlAllowed.

// htmlAllowed lists the elements raw HTML may hold, with the attributes
// each may keep and, for some, the values they may take: text structure,
// tables, links over http, https and mailto, and images over https.
var htmlAllowed = []struct {
	elems, attrs string
	values       *regexp.Regexp // nil: any value
}{
	{"p div span br hr h1 h2 h3 h4 h5 h6 blockquote pre code kbd samp var em strong b i u s del ins sub sup small mark cite q dfn abbr ul ol li dl dt dd details summary figure figcaption table caption thead tbody tfoot tr th td colgroup col a img", "", nil},
	{"a", "href", nil}, // the schemes are checked by bluemonday
	{"a abbr dfn img", "title", nil},
	{"img", "src", regexp.MustCompile(`(?i)^\s*https://[^\s/]`)},
	{"img", "alt", nil},
	{"img", "width height", regexp.MustCompile(`^\s*[0-9]{1,4}(\.[0-9]+)?(%|px)?\s*$`)}, // moot: an image shows as a link
	{"p div h1 h2 h3 h4 h5 h6 table th td tr img", "align", regexp.MustCompile(`(?i)^\s*(left|center|right|justify)\s*$`)},
	{"th td", "colspan rowspan", regexp.MustCompile(`^\s*[0-9]{1,3}\s*$`)},
	{"col colgroup", "span", regexp.MustCompile(`^\s*[0-9]{1,3}\s*$`)},
	{"ol", "start", regexp.MustCompile(`^\s*-?[0-9]{1,9}\s*$`)},
	{"ol", "reversed", nil},
	{"details", "open", nil},
}

// rawTextElements are the elements whose content the tokenizer reads as
// text, not HTML: they are dropped with their content.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "noembed": true, "noframes": true,
	"noscript": true, "plaintext": true, "textarea": true, "title": true, "xmp": true,
}

var htmlPolicy, htmlElements = func() (*bluemonday.Policy, map[string]bool) {
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	elems := map[string]bool{}
	for _, a := range htmlAllowed {
		names := strings.Fields(a.elems)
		if a.attrs == "" {
			p.AllowElements(names...)
			for _, n := range names {
				elems[n] = true
			}
			continue
		}
		b := p.AllowAttrs(strings.Fields(a.attrs)...)
		if a.values != nil {
			b = b.Matching(a.values)
		}
		b.OnElements(names...)
	}
	return p, elems
}()

// htmlNote is a removal from raw HTML, at an offset in the body.
type htmlNote struct {
	offset int
	msg    string
}

// rawComment is an HTML comment in a body, at an offset in it.
type rawComment struct {
	offset int
	text   string
}

// kindCleanHTML is the kind of the nodes raw HTML is replaced by.
var kindCleanHTML = ast.NewNodeKind("WhyopenCleanHTML")

// cleanBlock and cleanInline hold raw HTML after the allow-list.
type cleanBlock struct {
	ast.BaseBlock
	html []byte
}

func (n *cleanBlock) Kind() ast.NodeKind { return kindCleanHTML }
func (n *cleanBlock) IsRaw() bool        { return true }
func (n *cleanBlock) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"HTML": string(n.html)}, nil)
}

type cleanInline struct {
	ast.BaseInline
	html []byte
}

func (n *cleanInline) Kind() ast.NodeKind { return kindCleanHTML }
func (n *cleanInline) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"HTML": string(n.html)}, nil)
}

// cleanRenderer writes the nodes that hold cleaned raw HTML. The raw HTML
// nodes themselves never reach a renderer; if one did, goldmark's safe
// mode would drop it.
type cleanRenderer struct{}

func (cleanRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(kindCleanHTML, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n := n.(type) {
			case *cleanBlock:
				_, _ = w.Write(n.html)
			case *cleanInline:
				_, _ = w.Write(n.html)
			}
		}
		return ast.WalkSkipChildren, nil
	})
}

var cleanRendererOption = renderer.WithNodeRenderers(util.Prioritized(cleanRenderer{}, 100))

// rawFragment is the text of a raw HTML node, and where each of its
// pieces comes from in the body.
type rawFragment struct {
	text   []byte
	starts []int // offset in text of each segment
	srcs   []int // offset in the body of each segment
}

func fragmentOf(segs []text.Segment, src []byte) rawFragment {
	var f rawFragment
	for _, s := range segs {
		f.starts = append(f.starts, len(f.text))
		f.srcs = append(f.srcs, s.Start)
		f.text = append(f.text, s.Value(src)...)
	}
	return f
}

// offset maps an offset in f's text to one in the body.
func (f *rawFragment) offset(i int) int {
	k := 0
	for j := range f.starts {
		if f.starts[j] <= i {
			k = j
		}
	}
	if len(f.srcs) == 0 {
		return -1
	}
	return f.srcs[k] + i - f.starts[k]
}

// cleanRaw returns the HTML that is kept of one raw HTML node, what was
// removed, and its comments, at offsets in the body.
func cleanRaw(f rawFragment) (out []byte, notes []htmlNote, comments []rawComment) {
	c, ok := cleanCache.Load(string(f.text))
	if !ok {
		var v cleaned
		v.out, v.notes, v.comments = cleanText(f.text)
		c = v
		// Inline tags repeat (<b>, </td>, <br>): keep the short ones.
		if len(f.text) <= 256 && cleanCount.Add(1) <= maxKept {
			cleanCache.Store(string(f.text), v)
		}
	}
	v := c.(cleaned)
	for _, n := range v.notes {
		notes = append(notes, htmlNote{f.offset(n.offset), n.msg})
	}
	for _, m := range v.comments {
		comments = append(comments, rawComment{f.offset(m.offset), m.text})
	}
	return v.out, notes, comments
}

type cleaned struct {
	out      []byte // shared: never written to
	notes    []htmlNote
	comments []rawComment
}

var (
	cleanCache sync.Map // a raw HTML node's text → cleaned
	cleanCount atomic.Int64
)

// cleanText is cleanRaw on a node's text, with offsets in it.
func cleanText(text []byte) (out []byte, notes []htmlNote, comments []rawComment) {
	z := xhtml.NewTokenizer(bytes.NewReader(text))
	var b bytes.Buffer
	at := 0
	skip := "" // a raw-text element being dropped
	for {
		tt := z.Next()
		raw := z.Raw()
		start := at
		at += len(raw)
		if tt == xhtml.ErrorToken {
			if len(raw) > 0 && skip == "" {
				// An unfinished tag or comment at the end: the
				// tokenizer gives it up.
				notes = append(notes, htmlNote{start, fmt.Sprintf("raw HTML: removed %q: the tag is not closed with \">\"", clipHTML(string(raw)))})
			}
			break
		}
		tok := z.Token()
		if skip != "" {
			if tt == xhtml.EndTagToken && tok.Data == skip {
				skip = ""
			}
			continue
		}
		switch tt {
		case xhtml.TextToken:
			b.WriteString(xhtml.EscapeString(tok.Data))
		case xhtml.CommentToken:
			comments = append(comments, rawComment{start, tok.Data})
		case xhtml.DoctypeToken:
		case xhtml.EndTagToken:
			if htmlElements[tok.Data] {
				b.WriteString("</" + shiftHeading(tok.Data) + ">")
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			if rawTextElements[tok.Data] {
				if tt == xhtml.StartTagToken {
					skip = tok.Data
				}
				notes = append(notes, htmlNote{start, fmt.Sprintf("raw HTML: removed <%s> and its content: only text, tables, links and images are kept", tok.Data)})
				continue
			}
			kept, ok := keptTag(tok)
			if msg := removed(tok, kept, ok); msg != "" {
				notes = append(notes, htmlNote{start, "raw HTML: " + msg})
			}
			if ok {
				kept.Data = shiftHeading(kept.Data)
				kept.DataAtom = atom.Lookup([]byte(kept.Data))
				b.WriteString(kept.String())
			}
		}
	}
	return b.Bytes(), notes, comments
}

// keptTag returns what the allow-list keeps of one start tag, and whether
// it keeps the tag at all. Model cards repeat their tags (<td>, <br>,
// <img src=badge>), so results are kept, for up to maxKept tags.
func keptTag(tok xhtml.Token) (xhtml.Token, bool) {
	if !htmlElements[tok.Data] {
		return xhtml.Token{}, false
	}
	in := tok.String()
	if k, ok := keptCache.Load(in); ok {
		k := k.(kept)
		return k.tok, k.ok
	}
	k := kept{}
	z := xhtml.NewTokenizer(strings.NewReader(htmlPolicy.Sanitize(in)))
scan:
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			break scan // nothing kept
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			k.tok, k.ok = z.Token(), true
			break scan
		}
	}
	if keptCount.Add(1) <= maxKept {
		keptCache.Store(in, k)
	}
	return k.tok, k.ok
}

type kept struct {
	tok xhtml.Token
	ok  bool
}

const maxKept = 10000

var (
	keptCache sync.Map // a start tag as text → kept
	keptCount atomic.Int64
)

// removed says what the allow-list removed of tok, which it kept as kept
// (when ok), or "" when it removed nothing.
func removed(tok, kept xhtml.Token, ok bool) string {
	have := map[string]bool{}
	for _, a := range kept.Attr {
		have[a.Key] = true
	}
	var why []string
	seen := map[string]bool{}
	for _, a := range tok.Attr {
		if have[a.Key] || seen[a.Key] {
			continue
		}
		seen[a.Key] = true
		why = append(why, attrReason(tok.Data, a))
	}
	switch {
	case !htmlElements[tok.Data]:
		return fmt.Sprintf("removed the <%s> tag, which is not allowed; its text is kept", tok.Data)
	case !ok:
		return fmt.Sprintf("removed the <%s> tag, keeping its text: %s", tok.Data, strings.Join(why, "; "))
	case len(why) > 0:
		return fmt.Sprintf("removed from <%s>: %s", tok.Data, strings.Join(why, "; "))
	}
	return ""
}

func attrReason(elem string, a xhtml.Attribute) string {
	v := strconv.Quote(clipHTML(a.Val))
	switch {
	case strings.HasPrefix(a.Key, "on"):
		return a.Key + " (event handlers are not allowed)"
	case a.Key == "style":
		return "style (styles are not allowed)"
	case a.Key == "src" && elem == "img":
		return "src " + v + " (only https images are kept; its alt text shows)"
	case a.Key == "href":
		return "href " + v + " (only http, https and mailto links are kept)"
	}
	for _, al := range htmlAllowed {
		if al.values != nil && strings.Contains(" "+al.attrs+" ", " "+a.Key+" ") && strings.Contains(" "+al.elems+" ", " "+elem+" ") {
			return a.Key + " " + v + " (not a value it may take)"
		}
	}
	return a.Key + " (not allowed)"
}

func clipHTML(s string) string {
	if len(s) > 60 {
		return strings.ToValidUTF8(s[:60], "") + "…"
	}
	return s
}

// shiftHeading moves a heading one level down, as bodyTransformer does
// with Markdown headings, so that a body cannot add a second h1 to a page.
func shiftHeading(name string) string {
	if len(name) == 2 && name[0] == 'h' && '1' <= name[1] && name[1] <= '5' {
		return "h" + string(name[1]+1)
	}
	return name
}

// balance parses a body's HTML as the content of a <div> and writes it out
// again: every element closed, in order. On the way, it shows each image
// as a link to it, since the site makes no request to another host (its
// Content-Security-Policy loads images from the site only), and turns an
// align attribute, obsolete in HTML, into a class: align-center.
func balance(h []byte) ([]byte, error) {
	ctx := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := xhtml.ParseFragment(bytes.NewReader(h), ctx)
	if err != nil {
		return nil, err
	}
	root := &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	fixNode(root, false)
	var b bytes.Buffer
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		if err := xhtml.Render(&b, n); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

// fixNode rewrites images and align attributes under n; inLink is true
// inside an <a>.
func fixNode(n *xhtml.Node, inLink bool) {
	if n.Type == xhtml.ElementNode {
		for i, a := range n.Attr {
			if a.Key == "align" {
				n.Attr[i] = xhtml.Attribute{Key: "class", Val: "align-" + strings.ToLower(strings.TrimSpace(a.Val))}
			}
		}
		if n.DataAtom == atom.A {
			inLink = true
		}
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == xhtml.ElementNode && c.DataAtom == atom.Img {
			n.InsertBefore(imageLink(c, inLink), c)
			n.RemoveChild(c)
		} else {
			fixNode(c, inLink)
		}
		c = next
	}
}

// imageLink is what shows in place of an image: its alt text (or
// "image"), linked to it unless it is in a link already.
func imageLink(img *xhtml.Node, inLink bool) *xhtml.Node {
	alt, src := "", ""
	for _, a := range img.Attr {
		switch a.Key {
		case "alt":
			alt = strings.TrimSpace(a.Val)
		case "src":
			src = strings.TrimSpace(a.Val)
		}
	}
	if alt == "" {
		alt = "image"
	}
	t := &xhtml.Node{Type: xhtml.TextNode, Data: alt}
	if inLink || src == "" {
		return t
	}
	a := &xhtml.Node{Type: xhtml.ElementNode, Data: "a", DataAtom: atom.A, Attr: []xhtml.Attribute{{Key: "href", Val: src}}}
	a.AppendChild(t)
	return a
}

// replaceRaw replaces each raw HTML node by what the allow-list keeps of
// it, and returns what was found.
func replaceRaw(nodes []ast.Node, src []byte) *rawHTML {
	r := &rawHTML{}
	for _, n := range nodes {
		var segs []text.Segment
		switch n := n.(type) {
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				segs = append(segs, n.Lines().At(i))
			}
			if n.HasClosure() {
				segs = append(segs, n.ClosureLine)
			}
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				segs = append(segs, n.Segments.At(i))
			}
		}
		out, notes, comments := cleanRaw(fragmentOf(segs, src))
		r.notes = append(r.notes, notes...)
		r.comments = append(r.comments, comments...)
		r.kept = r.kept || len(out) > 0
		var clean ast.Node
		if _, ok := n.(*ast.HTMLBlock); ok {
			if len(out) > 0 && out[len(out)-1] != '\n' {
				out = append(out[:len(out):len(out)], '\n') // out may be shared: see cleaned
			}
			clean = &cleanBlock{html: out}
		} else {
			clean = &cleanInline{html: out}
		}
		if p := n.Parent(); p != nil {
			p.ReplaceChild(p, n, clean)
		}
	}
	return r
}

// Comment is an HTML comment in a body. The site does not show it.
type Comment struct {
	Text string
	Pos  Pos
}

// rawProblems turns what the allow-list removed from a body's raw HTML
// into warnings, and records its comments and the TODOs outside them.
func rawProblems(doc *Doc, src []byte, r *rawHTML) []Problem {
	pos := func(offset int) Pos {
		if offset < 0 || offset > len(src) {
			return Pos{File: doc.File, Line: doc.BodyLine, Col: 1}
		}
		pre := src[:offset]
		return Pos{File: doc.File, Line: doc.BodyLine + bytes.Count(pre, []byte("\n")), Col: offset - bytes.LastIndexByte(pre, '\n')}
	}
	var probs []Problem
	var skip [][2]int // the comments' spans
	if r != nil {
		for _, n := range r.notes {
			probs = append(probs, Problem{Pos: pos(n.offset), Severity: Warning, Msg: n.msg})
		}
		for _, c := range r.comments {
			doc.Comments = append(doc.Comments, Comment{Text: c.text, Pos: pos(c.offset)})
			if c.offset >= 0 {
				skip = append(skip, [2]int{c.offset, c.offset + len("<!--") + len(c.text) + len("-->")})
			}
		}
	}
	doc.Todos = nil
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(Todo))
		if j < 0 {
			break
		}
		at := i + j
		i = at + len(Todo)
		if at > 0 && isWordByte(src[at-1]) || i < len(src) && isWordByte(src[i]) && src[i] != 's' {
			continue
		}
		inComment := false
		for _, s := range skip {
			inComment = inComment || s[0] <= at && at < s[1]
		}
		if !inComment {
			doc.Todos = append(doc.Todos, pos(at))
		}
	}
	return probs
}

// Todo is the word that marks what is still to be written.
const Todo = "TODO"

// RawHTMLOutput returns the element and attribute names that raw HTML in
// a body may add to the site's pages, after the allow-list and balance:
// no img (an image shows as a link), no align (a class instead).
func RawHTMLOutput() (elements, attributes []string) {
	seen := map[string]bool{"class": true}
	attributes = []string{"class"}
	for _, a := range htmlAllowed {
		if a.attrs == "" {
			for _, e := range strings.Fields(a.elems) {
				if e != "img" {
					elements = append(elements, e)
				}
			}
			continue
		}
		if a.elems == "img" || strings.Contains(a.attrs, "align") {
			continue
		}
		for _, k := range strings.Fields(a.attrs) {
			if !seen[k] {
				seen[k] = true
				attributes = append(attributes, k)
			}
		}
	}
	return elements, attributes
}
