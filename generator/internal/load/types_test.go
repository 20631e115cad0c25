package load

import (
	"maps"
	"slices"
	"testing"
)

// Positions answers as the map it replaces would: the last position
// given for a path stands, and absent paths have none.
func TestPositions(t *testing.T) {
	var ps Positions
	want := map[string]Pos{}
	for i, path := range []string{"title", "sources.1", "links.weights", "sources.0", "title", "a", "sources.1"} {
		p := Pos{File: "x.md", Line: i + 2, Col: i + 1}
		ps.add(path, p)
		want[path] = p
	}
	if got := maps.Collect(ps.All()); !maps.Equal(got, want) {
		t.Errorf("All() = %v, want %v", got, want)
	}
	if ps.Len() != len(want) {
		t.Errorf("Len() = %d, want %d", ps.Len(), len(want))
	}
	var order []string
	for path := range ps.All() {
		order = append(order, path)
	}
	if want := []string{"links.weights", "sources.0", "title", "a", "sources.1"}; !slices.Equal(order, want) {
		t.Errorf("All() yields %q, want %q: the order given, each path where it was last given", order, want)
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
