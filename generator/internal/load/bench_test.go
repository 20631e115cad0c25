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
