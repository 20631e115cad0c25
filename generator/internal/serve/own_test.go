package serve_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/serve"
)

// TestServeOutput checks that the server refuses an output directory
// whyopen did not make, leaving it as it was, and that while it runs it
// holds its output, so that a build into it fails rather than mixing
// trees with the server's.
func TestServeOutput(t *testing.T) {
	src := site(t, 5)
	today := func() load.Date { return load.NewDate(2026, 10, 1) }

	mine := filepath.Join(t.TempDir(), "mine")
	os.Mkdir(mine, 0o755)
	os.WriteFile(filepath.Join(mine, "keep"), []byte("x"), 0o644)
	err := serve.Run(serve.Options{Src: src, Addr: "127.0.0.1:0", Out: mine, Theme: os.DirFS(repo), Today: today})
	if err == nil || !strings.Contains(err.Error(), mine) {
		t.Fatalf("serving into a foreign directory: %v", err)
	}
	if ents, _ := os.ReadDir(mine); len(ents) != 1 {
		t.Errorf("the foreign directory now holds %d entries", len(ents))
	}

	out := filepath.Join(t.TempDir(), "public")
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(serve.Options{Src: src, Addr: "127.0.0.1:0", Out: out, Theme: os.DirFS(repo), Today: today, Ready: ready, Context: ctx})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	_, err = build.Build(build.Options{Src: src, Out: out, Theme: os.DirFS(repo), Today: load.NewDate(2026, 10, 1)})
	if err == nil || !strings.Contains(err.Error(), "another whyopen build or server is writing") {
		t.Errorf("a build into the served output: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := build.Build(build.Options{Src: src, Out: out, Theme: os.DirFS(repo), Today: load.NewDate(2026, 10, 1)}); err != nil {
		t.Errorf("a build once the server stopped: %v", err)
	}
}
