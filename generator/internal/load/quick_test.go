package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/frontmatter"
	"go.yaml.in/yaml/v3"
	"golang.org/x/tools/txtar"
)

// quickSeeds are front matters in and around the subset quickYAML reads.
var quickSeeds = []string{
	"title: Yi-34B\norg: 01-ai\ndate: 2023-11-02\n",
	"a: <<\n", "a: =\n", "a: ~\n", "a: null\n", "a: yes\n", "a: True\n", "a: 0x10\n", "a: 1e3\n", "a: .inf\n",
	"a: -1\n", "a: 12:30\n", "a: x:y\n", "a: x: y\n", "a: x:\n", "a: R&D\n", "a: *b\n", "a: &b c\n", "a: !b c\n",
	"a: 'x'\n", "a: 'it''s'\n", "a: \"x\"\n", "a: \"a\\\"b\"\n", "a: \"a'b\"\n", "a: ''\n", "a: \"\"\n", "a: '#'\n",
	"a: [x, y]\n", "a: []\n", "a: [ ]\n", "a: [a b,  c ]\n", "a: [a, ]\n", "a: [a,,b]\n", "a: [é, ü]\n", "a: [x]]\n",
	"a: [x] y\n", "a: [x, [y]]\n", "a: [x: y]\n", "a: {x: y}\n",
	"b:\n  - x\n  - y\n", "b:\n- x\n", "b:\n  -\n  - y\n", "b:\n  - name: x\n    score: 1\n  - name: y\n",
	"b:\n  - name: x\n     score: 1\n", "b:\n  -  name: x\n     score: 1\n", "b:\n  - x\n   - y\n",
	"c:\n  d: e\n  f: g\nh: i\n", "c:\n  d: e\n f: g\n", "c:\n    d: e\n  f: g\n", "c:\n", "c: \n", "c:\nd: e\n",
	"k: v\n  more\n", "k: v\n\nl: w\n", "é: x\n", " a: b\n", "a: b", "a: b # c\n", "# c\na: b\n", "a: b\n# c\n",
	"a: |\n  x\n", "a: >\n  x\n", "a: %x\n", "a: @x\n", "a: `x\n", "a: ?x\n", "a: ,x\n", "a:b\n", "a-b: c\n", "-a: b\n",
	"a: b\r\n", "a:\tb\n", "a: b\u00a0c\n", "a: \ufeffb\n", "a: b\u0085c\n", "a: \xffb\n", "---\na: b\n", "a: b\n...\n",
	strings.Repeat("k", 70) + ": v\n", "1: a\ntrue: b\nnull: c\n",
}

// FuzzQuickYAML checks that every node tree quickYAML builds is the one
// the YAML parser builds, in all that the decoder reads.
func FuzzQuickYAML(f *testing.F) {
	for _, s := range quickSeeds {
		f.Add([]byte(s))
	}
	for _, fm := range fixtureFrontMatters(f) {
		f.Add(fm)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got, ok := quickYAML(src)
		if !ok {
			return
		}
		var want yaml.Node
		if err := yaml.Unmarshal(src, &want); err != nil {
			t.Fatalf("quickYAML read %q, which the YAML parser refuses: %v", src, err)
		}
		if len(want.Content) != 1 {
			t.Fatalf("quickYAML read %q, which the YAML parser finds %d documents in", src, len(want.Content))
		}
		if err := sameNode(got.Content[0], want.Content[0], "root"); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
	})
}

// sameNode compares what the decoder reads of a node: its kind, tag,
// value, anchor and position, and its children.
func sameNode(got, want *yaml.Node, at string) error {
	switch {
	case got.Kind != want.Kind:
		return fmt.Errorf("%s: kind %v, want %v", at, got.Kind, want.Kind)
	case got.ShortTag() != want.ShortTag():
		return fmt.Errorf("%s: tag %s, want %s", at, got.ShortTag(), want.ShortTag())
	case got.Value != want.Value:
		return fmt.Errorf("%s: value %q, want %q", at, got.Value, want.Value)
	case got.Anchor != want.Anchor:
		return fmt.Errorf("%s: anchor %q, want %q", at, got.Anchor, want.Anchor)
	case got.Line != want.Line || got.Column != want.Column:
		return fmt.Errorf("%s: at %d:%d, want %d:%d", at, got.Line, got.Column, want.Line, want.Column)
	case len(got.Content) != len(want.Content):
		return fmt.Errorf("%s: %d children, want %d", at, len(got.Content), len(want.Content))
	}
	for i := range got.Content {
		if err := sameNode(got.Content[i], want.Content[i], fmt.Sprintf("%s.%d", at, i)); err != nil {
			return err
		}
	}
	return nil
}

// The quick path must stay quick for the content it is for: it reads
// the front matter of nearly every bundled file, and Parse gives the same
// result either way.
func TestQuickYAMLReadsContent(t *testing.T) {
	fms := contentFrontMatters(t)
	quick := 0
	for _, fm := range fms {
		if _, ok := quickYAML(fm); ok {
			quick++
		}
	}
	if len(fms) < 100 || quick*10 < len(fms)*9 {
		t.Errorf("quickYAML read %d of %d bundled front matters; want at least 90%%", quick, len(fms))
	}
	for _, s := range []string{
		"title: X\ntags: [a, b]\nlinks:\n  weights: https://h/x?a=1&b=2\nbenchmarks:\n  - name: M\n    score: 70.4\nsources:\n  - https://h/y\n",
		"title: \"Quoted: yes\"\nsummary: 'R&D, 80% of it'\n",
	} {
		if _, ok := quickYAML([]byte(s)); !ok {
			t.Errorf("quickYAML gave up on %q", s)
		}
	}
}

// TestQuickYAMLSameParse decodes every bundled file with and without the
// quick path.
func TestQuickYAMLSameParse(t *testing.T) {
	root := filepath.Join("..", "..", "..", "content")
	paths, _ := filepath.Glob(filepath.Join(root, "*", "*.md"))
	more, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.md"))
	paths = append(paths, more...)
	if len(paths) < 100 {
		t.Fatalf("%d content files", len(paths))
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var a, b Release
		pa := Parse(p, data, &a)
		skipQuick = true
		pb := Parse(p, data, &b)
		skipQuick = false
		if fmt.Sprint(pa) != fmt.Sprint(pb) || fmt.Sprintf("%+v", a) != fmt.Sprintf("%+v", b) {
			t.Errorf("%s: the quick path reads it differently:\n%+v %v\n%+v %v", p, a, pa, b, pb)
		}
	}
}

func contentFrontMatters(t testing.TB) [][]byte {
	root := filepath.Join("..", "..", "..", "content")
	paths, _ := filepath.Glob(filepath.Join(root, "*", "*.md"))
	more, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.md"))
	var fms [][]byte
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if fm := frontMatterOf(data); fm != nil {
			fms = append(fms, fm)
		}
	}
	return fms
}

func fixtureFrontMatters(t testing.TB) [][]byte {
	fms := contentFrontMatters(t)
	archives, _ := filepath.Glob(filepath.Join("..", "check", "testdata", "*", "*.txtar"))
	top, _ := filepath.Glob(filepath.Join("..", "check", "testdata", "*.txtar"))
	for _, a := range append(archives, top...) {
		data, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range txtar.Parse(data).Files {
			if fm := frontMatterOf(f.Data); fm != nil {
				fms = append(fms, fm)
			}
		}
	}
	return fms
}

// frontMatterOf returns what lies between a file's first two "---" lines.
func frontMatterOf(data []byte) []byte {
	parts := bytes.SplitN(data, []byte("---\n"), 3)
	if len(parts) < 3 || len(bytes.TrimSpace(parts[0])) > 0 {
		return nil
	}
	return parts[1]
}

func init() {
	quickSeeds = append(quickSeeds,
		`a: ["x", 'y', z]`+"\n", `a: ["x, y", b]`+"\n", `a: ["x"y]`+"\n", `a: ['it''s']`+"\n", `a: ["a\"b"]`+"\n",
		`a: ["x" , "y" ]`+"\n", `a: ["x",]`+"\n", `a: [x"y]`+"\n", `a: ["]", b]`+"\n", `a: ["é", 'ü', ø]`+"\n", `a: [""]`+"\n")
}

// BenchmarkFrontMatter decodes a synthetic release's front matter, with
// and without the quick path.
func BenchmarkFrontMatter(b *testing.B) {
	src := []byte(`title: Finsolpa Reasoner 9836
org: finsolpa
date: 2023-10-31
license: lfm-open-1.0
summary: Finsolpa AI's 3B model, released with weights and a short technical note on how it was trained.
params_total: 3B
architecture: hybrid
context: 128K
modality: [video, audio]
languages: [de]
trained_on: Intel Gaudi
links:
  weights: https://huggingface.co/Finsolpa/finsolpa-9836
  report: https://arxiv.org/abs/2370.22106
benchmarks:
  - name: MATH-500
    score: 70.4
  - name: HumanEval
    score: 74.5
tags: [agentic]
sources:
  - https://huggingface.co/Finsolpa/finsolpa-9836
  - https://finsolpa.example.com/blog/release-9836
`)
	for _, slow := range []bool{false, true} {
		b.Run(map[bool]string{false: "quick", true: "parser"}[slow], func(b *testing.B) {
			skipQuick = slow
			defer func() { skipQuick = false }()
			b.ReportAllocs()
			for b.Loop() {
				var r Release
				if probs := decodeYAML("x.md", src, 1, &r.Doc, &r); len(probs) > 0 {
					b.Fatal(probs)
				}
			}
		})
	}
}

// FuzzBodyCut checks that Parse, which hands frontmatter.Parse only the
// file up to the closing "---" line, finds the front matter and body that
// frontmatter.Parse finds in the whole file.
func FuzzBodyCut(f *testing.F) {
	for _, s := range []string{"---\na: b\n---\nbody\n", "\n \n---\na: b\n --- \nx\n---\ny", "---\na: b\n---", "---\na: b\n", "x\n---\n"} {
		f.Add([]byte(s))
	}
	for _, fm := range fixtureFrontMatters(f) {
		f.Add(append(append([]byte("---\n"), fm...), "---\nThe body.\n---\nMore.\n"...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Release
		probs := Parse("x.md", data, &r)
		var fm []byte
		called := false
		format := frontmatter.NewFormat("---", "---", func(b []byte, _ any) error { called, fm = true, b; return nil })
		rest, err := frontmatter.Parse(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))), nil, format)
		if r.BodyLine == 0 {
			// Parse refused the file before its body; it must have said why.
			if len(probs) == 0 {
				t.Fatalf("%q: no body and no problem", data)
			}
			return
		}
		if err != nil || !called {
			t.Fatalf("%q: Parse read front matter that frontmatter.Parse does not find (%v)", data, err)
		}
		if want := Markdown(rest); r.HTML != want {
			t.Fatalf("%q: body %q, want %q", data, r.HTML, want)
		}
		if want := bytes.Count(fm, []byte("\n")); r.BodyLine-r.Start.Line-2 != want {
			t.Fatalf("%q: body at line %d, front matter at %d with %d lines", data, r.BodyLine, r.Start.Line, want)
		}
	})
}

// plainTag gives the tag the YAML resolver does, for every short string
// over the bytes that matter to the resolver, and for every scalar in
// the fixtures and the seeds.
func TestPlainTag(t *testing.T) {
	check := func(s string) {
		t.Helper()
		n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
		if got, want := plainTag(s), n.ShortTag(); got != want {
			t.Errorf("plainTag(%q) = %s, want %s", s, got, want)
		}
	}
	const alphabet = "01tTfFnNyYoOrRuUeElLsS.+-~<_xb:é"
	var strs []string
	for _, a := range alphabet {
		strs = append(strs, string(a))
		for _, b := range alphabet {
			strs = append(strs, string(a)+string(b))
			for _, c := range alphabet {
				strs = append(strs, string(a)+string(b)+string(c))
			}
		}
	}
	for _, s := range strs {
		check(s)
	}
	for _, s := range []string{"", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "null", "Null", "NULL", "nULL",
		"yes", "no", "on", "off", ".inf", "-.Inf", ".NaN", "0x1F", "0o17", "0b101", "1_000", "1e3", "3B", "128K", "70.4",
		"2024-01-02", "2024-01-02T10:00:00Z", "<<", "Intel Gaudi", "https://x.org/a", "é", "\u00a0"} {
		check(s)
	}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Style == 0 {
			check(n.Value)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	fms := fixtureFrontMatters(t)
	for _, s := range quickSeeds {
		fms = append(fms, []byte(s))
	}
	for _, fm := range fms {
		var n yaml.Node
		if yaml.Unmarshal(fm, &n) == nil {
			walk(&n)
		}
	}
}
