package check

import (
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// PlaceholderComment is in the comment `whyopen new` and `whyopen import`
// leave in a body for the contributor to replace; check matches it
// whatever its case.
const PlaceholderComment = "Replace this comment"

// unfinished reports, as errors, what a scaffold left for a contributor
// to do in d: the body's placeholder comment, any other comment holding
// TODO, a TODO in the body's text, and a value marked load.Unconfirmed.
// A front matter value holding TODO is reported by value.
func (k *checker) unfinished(d *load.Doc) {
	for _, c := range d.Comments {
		t := strings.ToLower(c.Text)
		switch {
		case strings.Contains(t, strings.ToLower(PlaceholderComment)):
			k.errorf(c.Pos, "the body is still the placeholder comment: write the text it asks for in its place")
		case hasTodo(c.Text):
			k.errorf(c.Pos, "a comment in the body still says TODO: do what it asks, then delete it")
		}
	}
	for _, p := range d.Todos {
		k.errorf(p, "the body still says TODO: finish the text")
	}
	for _, path := range d.Unconfirmed {
		k.errorf(d.Pos(path), "%s was filled in by a scaffold and nobody confirmed it: check it against a source, then delete the %q comment", path, strings.TrimPrefix(load.Unconfirmed, "# "))
	}
}

// hasTodo reports whether s holds the word TODO (or TODOs).
func hasTodo(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], load.Todo)
		if j < 0 {
			return false
		}
		at := i + j
		i = at + len(load.Todo)
		if (at == 0 || !wordByte(s[at-1])) && (i == len(s) || !wordByte(s[i]) || s[i] == 's') {
			return true
		}
	}
}

func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}
