package build_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func BenchmarkCorpus(b *testing.B) {
	src := os.Getenv("WHYOPEN_CORPUS")
	if src == "" {
		b.Skip("set WHYOPEN_CORPUS")
	}
	out := filepath.Join(b.TempDir(), "public")
	for b.Loop() {
		os.RemoveAll(out)
		_, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 11, 1)})
		if err != nil {
			b.Fatal(err)
		}
	}
}
