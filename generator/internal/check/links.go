package check

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Link is a link or image destination found in a Markdown body.
type Link struct {
	URL string
	// Offset is the byte offset of the URL in the body, or -1 when it
	// cannot be located (a reference definition spelled differently).
	Offset int
}

var md = goldmark.New(goldmark.WithExtensions(extension.GFM))

// Links returns every link, image and autolink destination in body.
func Links(body []byte) []Link {
	var out []Link
	from := 0 // links come in order: look for each after the one before
	doc := md.Parser().Parse(text.NewReader(body))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch n := n.(type) {
		case *ast.Link:
			dest = n.Destination
		case *ast.Image:
			dest = n.Destination
		case *ast.AutoLink:
			dest = n.URL(body)
		default:
			return ast.WalkContinue, nil
		}
		if t, ok := n.FirstChild().(*ast.Text); ok && t.Segment.Start > from {
			from = t.Segment.Start // the destination follows the link's text
		}
		i := bytes.Index(body[from:], dest)
		if i >= 0 {
			i += from
			from = i + len(dest)
		} else {
			i = bytes.Index(body, dest) // a reference defined before
		}
		out = append(out, Link{URL: string(dest), Offset: i})
		return ast.WalkContinue, nil
	})
	return out
}
