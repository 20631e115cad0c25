package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

// synthSite returns a renderer with the repository's templates and the
// site of a synthetic corpus of n releases, without touching its output.
func synthSite(tb testing.TB, n int) (*Renderer, *Site) {
	tb.Helper()
	root := filepath.Join("..", "..", "..")
	var files []synth.File
	ids := map[string][]string{}
	for _, kind := range []string{"buckets", "licenses"} {
		paths, _ := filepath.Glob(filepath.Join(root, "content", kind, "*.md"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			id := strings.TrimSuffix(filepath.Base(p), ".md")
			ids[kind] = append(ids[kind], id)
			files = append(files, synth.File{Path: "content/" + kind + "/" + id + ".md", Data: data})
		}
	}
	files = append(files, synth.Generate(synth.Options{Releases: n, Licenses: ids["licenses"], Buckets: ids["buckets"], Seed: 1})...)
	c, probs := synth.Parse(files)
	for _, p := range probs {
		if p.Severity == load.Error {
			tb.Fatal(p)
		}
	}
	templates, static, err := load.Theme(root, nil)
	if err != nil {
		tb.Fatal(err)
	}
	rd, err := New(Options{Templates: templates, Static: static})
	if err != nil {
		tb.Fatal(err)
	}
	cat := classify.Classify(c)
	s := newSite(cat, figure.Build(cat, aggregate.Aggregate(cat), figure.Options{}), false)
	s.rows = &rowCache{shared: rd.pages}
	s.pages = pages(s)
	return rd, s
}

func discard(string, []byte) error { return nil }

// BenchmarkReleasePage renders one release's page.
func BenchmarkReleasePage(b *testing.B) {
	rd, s := synthSite(b, 1000)
	w := &writer{rd: rd, emit: discard}
	var pg *Page
	for _, p := range s.pages {
		if p.Kind == "release" {
			pg = p
			break
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := w.page(pg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOrgPage renders one page of an org's releases: the biggest
// org's first page, with its chart and a full table of releases.
func BenchmarkOrgPage(b *testing.B) {
	rd, s := synthSite(b, 1000)
	w := &writer{rd: rd, emit: discard}
	var pg *Page
	for _, p := range s.pages {
		if p.Kind == "org" && (pg == nil || len(p.Data.(*Term).Releases) > len(pg.Data.(*Term).Releases)) {
			pg = p
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := w.page(pg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender renders a whole site of 1,000 releases, discarding the
// files.
func BenchmarkRender(b *testing.B) {
	rd, s := synthSite(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rd.Render(s.Cat, s.Figs, discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKinds renders one page of each kind, for a site of 1,000
// releases, rows included (each iteration starts with no cached rows).
func BenchmarkKinds(b *testing.B) {
	rd, s := synthSite(b, 1000)
	w := &writer{rd: rd, emit: discard}
	seen := map[string]bool{}
	for _, p := range s.pages {
		if seen[p.Kind] {
			continue
		}
		seen[p.Kind] = true
		b.Run(p.Kind, func(b *testing.B) {
			for b.Loop() {
				s.rows = &rowCache{shared: rd.pages}
				if err := w.page(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
