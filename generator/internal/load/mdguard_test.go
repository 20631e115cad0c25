package load

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// Shapes of body on which goldmark takes time quadratic in the input. The
// first four are issue 16's, at its sizes: each took goldmark from 11 s to
// nearly two minutes.
var slowShapes = []struct {
	name string
	src  func(n int) string
	full int    // issue 16's size
	want string // the limit it is refused by
}{
	{"unclosed links", func(n int) string { return strings.Repeat("[a](", n) }, 100000, "more than 10000 links"},
	{"nested lists", nestedList, 3000, "nested 17 deep"},
	{"nested quotes", func(n int) string { return strings.Repeat(">", n) }, 100000, "nested 17 deep"},
	{"reference definitions", refDefs, 50000, "more than 1000 link reference definitions"},
	// Shapes found while guarding the four.
	{"unclosed links on a long line", func(n int) string { return strings.Repeat("[a](", n/100) + strings.Repeat("x", n) }, 400000, `links ("](") on one line`},
	{"wide table", wideTable, 4000, "the limit is 100000 cells"},
	{"mixed emphasis", func(n int) string { return strings.Repeat("*a_ ", n) }, 100000, "too many steps"},
	{"amplified references", func(n int) string {
		return "[a]: https://example.com/" + strings.Repeat("x", 1000) + "\n\n" + strings.Repeat("[a] ", n)
	}, 40000, "more than 32 MiB of HTML"},
	{"nested brackets", func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }, 1000000, `more than 1000 "[" open at once`},
}

func nestedList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- a\n")
	}
	return b.String()
}

func refDefs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[r%d]: https://example.com/%d\n", i, i)
	}
	return b.String()
}

func wideTable(n int) string {
	return "|" + strings.Repeat("a|", n) + "\n|" + strings.Repeat("-|", n) + "\n" + strings.Repeat("|a\n", n)
}

// TestMarkdownLimits checks that each slow shape, at full size, is refused
// with an error on its line, having cost the parser few steps: goldmark is
// stopped before the quadratic work, not after it.
func TestMarkdownLimits(t *testing.T) {
	const file = "content/releases/acme/slow.md"
	head := "---\ntitle: Slow\n---\nSome text first.\n\n"
	for _, s := range slowShapes {
		t.Run(s.name, func(t *testing.T) {
			body := s.src(s.full)
			var r Release
			probs := Parse(file, []byte(head+body), &r)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(probs), probs)
			}
			p := probs[0]
			if !strings.Contains(p.Msg, s.want) || !strings.HasPrefix(p.Msg, "Markdown body: ") {
				t.Errorf("problem %q, want one about %q", p.Msg, s.want)
			}
			if p.Pos.File != file || p.Pos.Line < 6 || p.Pos.Line > 6+strings.Count(body, "\n") || p.Pos.Col < 1 {
				t.Errorf("problem at %s, not in the body (lines 6 to %d)", p.Pos, 6+strings.Count(body, "\n"))
			}
			if r.HTML != "" || r.BodyLinks != nil {
				t.Errorf("a refused body rendered to %d bytes and %d links", len(r.HTML), len(r.BodyLinks))
			}
			// Work, not time: the steps the parser took before it was
			// stopped. The prescan's refusals take none.
			pc := &guardContext{parser.NewContext(), newBudget(len(body))}
			func() {
				defer func() { _ = recover() }()
				if prescan([]byte(body)) == nil {
					_ = markdown.Convert([]byte(body), io.Discard, parser.WithContext(pc))
				}
			}()
			if limit := stepsPerByte*len(body) + minSteps; pc.b.steps > limit+1 {
				t.Errorf("parser took %d steps, more than the budget of %d", pc.b.steps, limit)
			}
		})
	}
}

// TestMarkdownLimitPositions checks where each limit is reported.
func TestMarkdownLimitPositions(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		line, col  int
	}{
		// Body lines count from 4: the front matter is lines 1 to 3.
		{"quote", "text\n\n" + strings.Repeat(">", 20) + " deep\n", 6, 17},
		{"quote markers with spaces", "text\n\n" + strings.Repeat("> ", 20) + "deep\n", 6, 33},
		{"list", nestedList(20), 4 + 16, 33},
		{"links", "a\n" + strings.Repeat("[a](b)\n", MaxLinks) + "[a](c)\n", 4 + 1 + MaxLinks, 3},
		{"reference", "a\n" + refDefs(MaxReferences+1), 4 + 1 + MaxReferences, 1},
		{"table", "a\n\n" + wideTable(400), 7, 1},
		{"brackets", "a\n" + strings.Repeat("[a ", 999) + "\n\n" + strings.Repeat("[a ", 999) + "\n[x [y", 8, 4},
		// Columns count characters: é is one.
		{"unicode column", "é " + strings.Repeat("[a](", MaxLinks+1), 4, 40005},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r Release
			probs := Parse("x.md", []byte("---\ntitle: T\n---\n"+tc.body), &r)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(probs), probs)
			}
			if got := probs[0].Pos; got.Line != tc.line || got.Col != tc.col {
				t.Errorf("at %d:%d, want %d:%d: %s", got.Line, got.Col, tc.line, tc.col, probs[0].Msg)
			}
		})
	}
}

// TestMarkdownUnderLimits checks that bodies at each limit are accepted.
func TestMarkdownUnderLimits(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"quotes 16 deep", strings.Repeat("> ", MaxNesting) + "deep\n", strings.Repeat("<blockquote>\n", MaxNesting) + "<p>deep</p>"},
		{"lists 16 deep", nestedList(MaxNesting), strings.Repeat("<ul>\n<li>a\n", MaxNesting-1) + "<ul>\n<li>a</li>"},
		{"lists and quotes", "- a\n  > b\n  > - c\n", "<li>a\n<blockquote>\n<p>b</p>\n<ul>\n<li>c</li>"},
		{"references", refDefs(MaxReferences) + "\n[r999]\n", `<a href="https://example.com/999">r999</a>`},
		{"links", strings.Repeat("[a](https://example.com/)\n", MaxLinks), `<a href="https://example.com/">a</a>`},
		{"table", wideTable(9) + strings.Repeat("|a\n", 90), "<td>a</td>"},
		{"brackets", strings.Repeat("[", MaxBrackets) + strings.Repeat("]", MaxBrackets) + "\n\n" + strings.Repeat("\\[", 2000) + "\n\n" + strings.Repeat("[a] ", 2000), "[[["},
		{"nested quotes in text", "a > b > c\n\n`>>>>>>>>>>>>>>>>>>>>`", "<code>&gt;&gt;&gt;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, _, over := convert([]byte(tc.body))
			if over != nil {
				t.Fatalf("refused: %s", over.msg)
			}
			if !strings.Contains(string(h), tc.want) {
				t.Errorf("HTML lacks %q:\n%s", tc.want, h)
			}
		})
	}
}

// plainMarkdown is goldmark as the site used it before the guards.
var plainMarkdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(bodyTransformer{}, 100))),
	goldmark.WithRendererOptions(cleanRendererOption),
)

// sameAsPlain checks that the guarded parser renders src as plain goldmark
// does, unless src is over a limit.
func sameAsPlain(t *testing.T, src []byte) {
	t.Helper()
	h, _, raw, over := convertRaw(src)
	if over != nil {
		return
	}
	var plain bytes.Buffer
	if err := plainMarkdown.Convert(src, &plain); err != nil {
		t.Fatal(err)
	}
	want := plain.Bytes()
	if raw != nil && raw.kept {
		var err error
		if want, err = balance(want); err != nil {
			t.Fatal(err)
		}
	}
	if string(h) != string(want) {
		t.Errorf("guarded parser renders %q as\n%s\nplain goldmark as\n%s", src, h, want)
	}
}

// TestMarkdownGuardsChangeNothing checks that the guards leave every
// GitHub-flavoured construct as goldmark parses it.
func TestMarkdownGuardsChangeNothing(t *testing.T) {
	for _, s := range []string{
		"# Head\n\npara *em* **strong** ~~del~~ `code` <b>raw</b>\n",
		"- [ ] task\n- [x] done\n  1. one\n  2. two\n     > quote\n     > - in quote\n",
		"| a | b |\n|:--|--:|\n| 1 | 2 |\n| 3 |\n| 4 | 5 | 6 |\n",
		"see https://example.com and www.example.org/x, mail a@example.com\n",
		"[ref]\n\n[ref]: https://example.com \"title\"\n\n[full][ref] [collapsed][] ![img][ref]\n",
		"```go\nfunc main() {}\n```\n\n    indented\n\n<div>\nblock\n</div>\n",
		"Setext\n===\n\n***\n\n> a\nlazy\n\n1) x\n2) y\n",
		"*a **b** c* _d __e__ f_ ***g*** \\*not\\* [x](<a b> 'c') [y](z \"q\")\n",
		strings.Repeat("> ", MaxNesting) + "x\n",
		nestedList(MaxNesting),
	} {
		sameAsPlain(t, []byte(s))
	}
	for _, s := range slowShapes {
		sameAsPlain(t, []byte(s.src(8)))
	}
}
