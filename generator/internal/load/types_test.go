package load

import (
	"maps"
	"slices"
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
