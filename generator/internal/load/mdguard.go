package load

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits on one Markdown body. goldmark takes time quadratic in the
// input on some malformed bodies (minutes for a few hundred kilobytes), so
// a body over a limit is refused with an error at the line where it
// crosses it, rather than parsed.
const (
	// MaxNesting is how deep lists and block quotes may nest.
	MaxNesting = 16
	// MaxLinks is how many inline links ("](") a body may hold.
	MaxLinks = 10000
	// MaxLinkScan bounds the bytes from each "](" to the end of its line,
	// summed over the body: goldmark reads the rest of the line for each
	// link destination it tries.
	MaxLinkScan = 32 << 20
	// MaxReferences is how many link reference definitions ("[x]: url")
	// a body may hold.
	MaxReferences = 1000
	// MaxBrackets is how deep unclosed "[" may pile up in a paragraph:
	// goldmark walks what follows an opening bracket at each "]".
	MaxBrackets = 1000
	// MaxTableCells bounds the cells of one table, header columns times
	// rows: goldmark pads every row to the header's width.
	MaxTableCells = 100000
	// MaxHTML is the most HTML a body may render to.
	MaxHTML = 32 << 20
	// MaxParseTime is how long one body may take to parse, a last resort
	// for malformed input the limits above do not cover.
	MaxParseTime = 3 * time.Second
	// stepsPerByte bounds the parser's steps (block and inline parser
	// calls, delimiter comparisons) per byte of body, deterministically.
	stepsPerByte = 32
	minSteps     = 100000
)

// mdLimit is a body over one of the limits: where, as an offset in the
// body, and why.
type mdLimit struct {
	offset int
	msg    string
}

func (l *mdLimit) Error() string { return l.msg }

// prescan finds, before goldmark sees the body, the limits that can be
// judged from its bytes alone: links, reference definitions and brackets.
func prescan(src []byte) *mdLimit {
	links, scan, refs, depth := 0, 0, 0, 0
	for at := 0; at < len(src); {
		end := bytes.IndexByte(src[at:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += at + 1
		}
		line := src[at:end]
		if len(bytes.TrimSpace(line)) == 0 {
			depth = 0 // a blank line ends a paragraph
		}
		for i := 0; ; i++ {
			j := bytes.IndexAny(line[i:], "[]")
			if j < 0 {
				break
			}
			i += j
			switch {
			case i > 0 && line[i-1] == '\\':
			case line[i] == '[':
				if depth++; depth > MaxBrackets {
					return &mdLimit{at + i, fmt.Sprintf(`more than %d "[" open at once: close them, or write \[ for a bracket that opens no link`, MaxBrackets)}
				}
			case depth > 0:
				depth--
			}
		}
		n, first := 0, -1
		for i := 0; ; {
			j := bytes.Index(line[i:], []byte("]("))
			if j < 0 {
				break
			}
			i += j
			if first < 0 {
				first = i
			}
			n++
			if links+n > MaxLinks {
				return &mdLimit{at + i, fmt.Sprintf(`more than %d links ("](") in one body`, MaxLinks)}
			}
			scan += len(line) - i
			i += 2
		}
		links += n
		if scan > MaxLinkScan {
			return &mdLimit{at + first, fmt.Sprintf(`%d links ("](") on one line of %d bytes: the Markdown parser reads the rest of the line again for each one that is not closed; close them or break the line`, n, len(line))}
		}
		t := bytes.TrimLeft(line, " \t>")
		if len(t) > 1 && t[0] == '[' && bytes.Contains(t, []byte("]:")) {
			if refs++; refs > MaxReferences {
				return &mdLimit{at, fmt.Sprintf("more than %d link reference definitions in one body", MaxReferences)}
			}
		}
		at = end
	}
	return nil
}

// budget follows one body's parse, and stops it (see fail) at a limit.
type budget struct {
	at       int // the offset of the latest block or inline being parsed
	steps    int
	maxSteps int
	refs     int
	deadline time.Time
}

// guardContext is the parser context of one body, carrying its budget to
// the guarded parsers.
type guardContext struct {
	parser.Context
	b *budget
}

// AddReference counts the reference definitions the prescan cannot see,
// such as those in list items.
func (c *guardContext) AddReference(r parser.Reference) {
	if c.b.refs++; c.b.refs > MaxReferences {
		c.b.fail(c.b.at, fmt.Sprintf("more than %d link reference definitions in one body", MaxReferences))
	}
	c.Context.AddReference(r)
}

func budgetOf(pc parser.Context) *budget {
	if c, ok := pc.(*guardContext); ok {
		return c.b
	}
	return nil
}

// fail stops the parse: convert recovers the panic and reports the limit.
// goldmark keeps a parse's state in its context, so nothing is left half
// done.
func (b *budget) fail(offset int, msg string) {
	panic(&mdLimit{offset, msg})
}

// step counts one step of the parse at the reader's position, and stops
// the parse when it has taken too many steps or too long.
func (b *budget) step(r text.Reader) {
	if b == nil {
		return
	}
	if r != nil {
		if _, seg := r.Position(); seg.Start > b.at {
			b.at = seg.Start
		}
	}
	b.steps++
	if b.steps > b.maxSteps {
		b.fail(b.at, "the Markdown parser takes too many steps on this body (malformed emphasis, brackets or links?): simplify the text near here")
	}
	if b.steps&15 == 0 && time.Now().After(b.deadline) {
		b.fail(b.at, fmt.Sprintf("the Markdown parser took more than %s on this body: simplify the text near here", MaxParseTime))
	}
}

// guardedBlock counts the steps of a block parser, and for lists and
// block quotes, their nesting.
type guardedBlock struct {
	parser.BlockParser
	nests bool
}

func (g guardedBlock) Open(parent ast.Node, r text.Reader, pc parser.Context) (ast.Node, parser.State) {
	b := budgetOf(pc)
	if b == nil {
		return g.BlockParser.Open(parent, r, pc)
	}
	b.step(r)
	at := b.at
	n, s := g.BlockParser.Open(parent, r, pc)
	if n != nil && g.nests {
		depth := 1
		for p := parent; p != nil; p = p.Parent() {
			switch p.(type) {
			case *ast.List, *ast.Blockquote:
				depth++
			}
		}
		if depth > MaxNesting {
			b.fail(at, fmt.Sprintf("lists and block quotes nested %d deep: the limit is %d", depth, MaxNesting))
		}
	}
	return n, s
}

func (g guardedBlock) Continue(n ast.Node, r text.Reader, pc parser.Context) parser.State {
	budgetOf(pc).step(r)
	return g.BlockParser.Continue(n, r, pc)
}

func (g guardedBlock) SetOption(name parser.OptionName, v any) {
	if so, ok := g.BlockParser.(parser.SetOptioner); ok {
		so.SetOption(name, v)
	}
}

// guardedInline counts the steps of an inline parser, and those of the
// delimiters it makes, which goldmark compares pairwise.
type guardedInline struct{ parser.InlineParser }

func (g guardedInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	b := budgetOf(pc)
	b.step(block)
	n := g.InlineParser.Parse(parent, block, pc)
	if d, ok := n.(*parser.Delimiter); ok && b != nil {
		d.Processor = guardedDelimiters{d.Processor, b}
	}
	return n
}

func (g guardedInline) SetOption(name parser.OptionName, v any) {
	if so, ok := g.InlineParser.(parser.SetOptioner); ok {
		so.SetOption(name, v)
	}
}

// guardedCloser is a guardedInline whose parser also closes blocks.
type guardedCloser struct {
	guardedInline
	parser.CloseBlocker
}

type guardedDelimiters struct {
	parser.DelimiterProcessor
	b *budget
}

func (g guardedDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	g.b.step(nil)
	return g.DelimiterProcessor.CanOpenCloser(opener, closer)
}

// guardedTable refuses a table with too many cells before goldmark makes
// them: it pads every row to the width of the header.
type guardedTable struct{ parser.ParagraphTransformer }

func (g guardedTable) Transform(node *ast.Paragraph, r text.Reader, pc parser.Context) {
	if b := budgetOf(pc); b != nil {
		lines, src := node.Lines(), r.Source()
		for i := 1; i < lines.Len(); i++ {
			seg := lines.At(i)
			l := seg.Value(src)
			if !delimiterRow(l) {
				continue
			}
			cols := bytes.Count(l, []byte("|")) + 1
			if rows := lines.Len() - i; cols*rows > MaxTableCells {
				b.fail(seg.Start, fmt.Sprintf("a table of up to %d columns and %d rows: the limit is %d cells", cols, rows, MaxTableCells))
			}
		}
	}
	g.ParagraphTransformer.Transform(node, r, pc)
}

// delimiterRow reports whether l may be a table's delimiter row, such as
// "|---|:-:|": dashes, colons, pipes and spaces only.
func delimiterRow(l []byte) bool {
	dash := false
	for _, c := range l {
		switch c {
		case '-':
			dash = true
		case '|', ':', ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return dash
}

func (g guardedTable) SetOption(name parser.OptionName, v any) {
	if so, ok := g.ParagraphTransformer.(parser.SetOptioner); ok {
		so.SetOption(name, v)
	}
}

// guard returns v with its steps counted, when it is a parser.
func guard(v util.PrioritizedValue) util.PrioritizedValue {
	switch p := v.Value.(type) {
	case parser.BlockParser:
		nests := p == parser.NewListParser() || p == parser.NewBlockquoteParser()
		v.Value = guardedBlock{p, nests}
	case parser.InlineParser:
		if cb, ok := p.(parser.CloseBlocker); ok {
			v.Value = guardedCloser{guardedInline{p}, cb}
		} else {
			v.Value = guardedInline{p}
		}
	case parser.ParagraphTransformer:
		if p == extension.NewTableParagraphTransformer() {
			v.Value = guardedTable{p}
		}
	}
	return v
}

// optionRecorder is a goldmark.Markdown whose parser records the options
// an extension adds, so that newGuarded can guard its parsers too.
type optionRecorder struct {
	goldmark.Markdown
	p *recordingParser
}

func (m optionRecorder) Parser() parser.Parser { return m.p }

type recordingParser struct {
	parser.Parser
	opts []parser.Option
}

func (p *recordingParser) AddOptions(opts ...parser.Option) { p.opts = append(p.opts, opts...) }

// newGuarded returns goldmark with extensions, every parser of which is
// guarded, and with the given parser options.
func newGuarded(exts []goldmark.Extender, opts ...parser.Option) goldmark.Markdown {
	md := goldmark.New()
	rec := &recordingParser{}
	for _, e := range exts {
		e.Extend(optionRecorder{md, rec}) // renderer options go to md
	}
	cfg := parser.NewConfig()
	for _, o := range append([]parser.Option{
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	}, append(rec.opts, opts...)...) {
		o.SetParserOption(cfg)
	}
	var guarded []parser.Option
	for _, vs := range [][]util.PrioritizedValue{cfg.BlockParsers, cfg.InlineParsers, cfg.ParagraphTransformers} {
		for i := range vs {
			vs[i] = guard(vs[i])
		}
	}
	guarded = append(guarded,
		parser.WithBlockParsers(cfg.BlockParsers...),
		parser.WithInlineParsers(cfg.InlineParsers...),
		parser.WithParagraphTransformers(cfg.ParagraphTransformers...),
		parser.WithASTTransformers(cfg.ASTTransformers...),
	)
	for name, v := range cfg.Options {
		guarded = append(guarded, parser.WithOption(name, v))
	}
	md.SetParser(parser.NewParser(guarded...))
	return md
}

// newBudget returns the budget of a body of n bytes, whose parse starts
// now.
func newBudget(n int) *budget {
	return &budget{maxSteps: stepsPerByte*n + minSteps, deadline: time.Now().Add(MaxParseTime)}
}

// limitWriter fails a write past MaxHTML bytes.
type limitWriter struct {
	w io.Writer
	n int
}

var errTooMuchHTML = fmt.Errorf("the body renders to more than %d MiB of HTML", MaxHTML>>20)

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.n+len(p) > MaxHTML {
		return 0, errTooMuchHTML
	}
	l.n += len(p)
	return l.w.Write(p)
}
