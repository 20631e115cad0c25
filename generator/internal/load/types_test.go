package load

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// Positions answers as the map it replaced would, and lists the fields in
// the order they were decoded.
func TestPositions(t *testing.T) {
	var ps Positions
	want := map[string]Pos{}
	paths := []string{"title", "sources.1", "links.weights", "sources.0", "a"}
	for i, path := range paths {
		p := Pos{File: "x.md", Line: i + 2, Col: i + 1}
		ps.add(path, p)
		want[path] = p
	}
	if got := maps.Collect(ps.All()); !maps.Equal(got, want) {
		t.Errorf("All() = %v, want %v", got, want)
	}
	if ps.Len() != len(paths) {
		t.Errorf("Len() = %d, want %d", ps.Len(), len(paths))
	}
	var order []string
	for path := range ps.All() {
		order = append(order, path)
	}
	if !slices.Equal(order, paths) {
		t.Errorf("All() yields %q, want the order given, %q", order, paths)
	}
	for path, p := range want {
		if got, ok := ps.Get(path); !ok || got != p {
			t.Errorf("Get(%q) = %v, %v; want %v", path, got, ok, p)
		}
	}
	for _, path := range []string{"", "sources", "sources.2", "zz", "links"} {
		if got, ok := ps.Get(path); ok {
			t.Errorf("Get(%q) = %v, want none", path, got)
		}
	}
	var empty Positions
	if _, ok := empty.Get("title"); ok || empty.Len() != 0 {
		t.Error("the zero Positions has a position")
	}
}

// A field given twice is refused, so it has one position: the first.
func TestPositionsOfDuplicateField(t *testing.T) {
	var r Release
	probs := Parse("x.md", []byte("---\ntitle: A\norg: o\ntitle: B\n---\n"), &r)
	if len(probs) != 1 {
		t.Fatalf("problems %v, want one for the duplicate", probs)
	}
	n := 0
	for path, p := range r.At.All() {
		if path == "title" {
			n++
			if p.Line != 2 {
				t.Errorf("title at line %d, want 2", p.Line)
			}
		}
	}
	if n != 1 {
		t.Errorf("title has %d positions, want 1", n)
	}
}

// TestPrintable: control characters, separators, bidi controls and bytes
// that are not UTF-8 become escapes; everything else, backslashes and
// other scripts included, is left as it is.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"content/releases/a.md":        "content/releases/a.md",
		"a\n::error ::x":               `a\n::error ::x`,
		"a\r\n\t\x00\x1b[31m\x7f":      `a\r\n\t\x00\x1b[31m\x7f`,
		"\u0085\u2028\u2029":           `\u0085\u2028\u2029`,
		"evil\u202egpj.md\u2066\u200f": `evil\u202egpj.md\u2066\u200f`,
		"bad \xff byte":                `bad \xff byte`,
		`C:\dir ünïcödé 模型 🙂`:          `C:\dir ünïcödé 模型 🙂`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProblemStringEscapes: a file name or message with a newline is
// still one line, which cannot start with a workflow command.
func TestProblemStringEscapes(t *testing.T) {
	for _, p := range []Problem{
		{Pos: Pos{File: "content/x\n::error file=a::pwned.md"}, Msg: "bad\r\n::warning ::id"},
		{Pos: Pos{File: "content/\x1b]8;;x\x07.md", Line: 2, Col: 1}, Severity: Warning, Msg: "m\x1b[2J"},
	} {
		s := p.String()
		if strings.ContainsAny(s, "\n\r\x1b\x07") {
			t.Errorf("%q: holds a control character", s)
		}
	}
	p := Problem{Pos: Pos{File: "a\nb.md", Line: 3, Col: 4}, Severity: Warning, Msg: "x\ty"}
	if got, want := p.String(), `a\nb.md:3:4: warning: x\ty`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
