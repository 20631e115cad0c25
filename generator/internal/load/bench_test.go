package load_test

import (
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

// BenchmarkParseRelease decodes one synthetic release of about 1.8 KB:
// its front matter, with positions, and its body.
func BenchmarkParseRelease(b *testing.B) {
	var f synth.File
	for _, g := range synth.Generate(synth.Options{Releases: 10, Licenses: []string{"mit"}, Seed: 1}) {
		if strings.HasPrefix(g.Path, "content/releases/") {
			f = g
			break
		}
	}
	b.SetBytes(int64(len(f.Data)))
	b.ReportAllocs()
	for b.Loop() {
		var r load.Release
		if probs := load.Parse(f.Path, f.Data, &r); len(probs) > 0 {
			b.Fatal(probs)
		}
	}
}

// BenchmarkMarkdownRawHTML renders a model card's kind of body, raw HTML
// in blocks and inline, against the same text without it: the cost of
// the allow-list and of re-balancing.
func BenchmarkMarkdownRawHTML(b *testing.B) {
	const para = "The model answers in **three** languages; see the [card](https://example.com/card).\n\n"
	raw := strings.Repeat("<div align=\"center\">\n<img src=\"https://example.com/logo.png\" alt=\"logo\" width=\"200\">\n</div>\n\n"+
		"<table>\n<tr><th>Benchmark</th><th align=\"right\">Score</th></tr>\n<tr><td>MMLU</td><td>71.2</td></tr>\n</table>\n\n"+
		"A <b>bold</b> claim<br>and a <a href=\"https://example.com/\">link</a>.\n\n"+para, 20)
	plain := strings.Repeat("Logo.\n\n| Benchmark | Score |\n|---|--:|\n| MMLU | 71.2 |\n\nA **bold** claim and a [link](https://example.com/).\n\n"+para, 20)
	for _, c := range []struct{ name, src string }{{"raw", raw}, {"plain", plain}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.src)))
			b.ReportAllocs()
			for b.Loop() {
				load.Markdown([]byte(c.src))
			}
		})
	}
}
