package build_test

import (
	"os"
	"runtime/pprof"
	"path/filepath"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestSessTiming(t *testing.T) {
	src := os.Getenv("WHYOPEN_CORPUS")
	if src == "" {
		t.Skip()
	}
	var sess build.Session
	out := filepath.Join(t.TempDir(), "public")
	opt := build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 11, 1), Session: &sess, LiveReload: true}
	for i := 0; i < 2; i++ {
		s := time.Now()
		if _, err := build.Build(opt); err != nil {
			t.Fatal(err)
		}
		t.Log("initial", time.Since(s))
	}
	ps, _ := filepath.Glob(filepath.Join(src, "content/releases/*/*.md"))
	p := ps[len(ps)/2]
	data, _ := os.ReadFile(p)
	f, _ := os.Create("/tmp/edit50.prof")
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	for i := 0; i < 3; i++ {
		data = append(data, []byte("\nMore.\n")...)
		os.WriteFile(p, data, 0o644)
		s := time.Now()
		res, err := build.Build(opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("edit", time.Since(s), res.Kept, res.Pages, res.Timings)
	}
}
