//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// lockedBuffer is a bytes.Buffer that the server may write while the
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeStopsOnSignal: SIGINT and SIGTERM stop whyopen serve with
// status 0, and it removes the temporary directory it built the site in.
func TestServeStopsOnSignal(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(src, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, f.Data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("WHYOPEN_TODAY", "2026-11-23")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			var stdout, stderr lockedBuffer
			code := make(chan int, 1)
			go func() { code <- run([]string{"serve", "-src", src, "-addr", "127.0.0.1:0"}, &stdout, &stderr) }()
			deadline := time.Now().Add(60 * time.Second)
			for !strings.Contains(stderr.String(), "serving http://") {
				select {
				case c := <-code:
					t.Fatalf("serve exited with %d before serving: %s", c, stderr.String())
				case <-time.After(20 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("serve never started: %s", stderr.String())
				}
			}
			if made, _ := filepath.Glob(filepath.Join(tmp, "whyopen-serve-*", "public", "index.html")); len(made) != 1 {
				t.Fatalf("no site in a temporary directory under %s: %v", tmp, made)
			}
			// The handler is installed before "serving" is printed: the
			// signal goes to it, not to the test process.
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			select {
			case c := <-code:
				if c != 0 {
					t.Errorf("serve exited with %d after %s: %s", c, sig, stderr.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("serve still runs 20s after %s", sig)
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("serve left %v in %s", left, tmp)
			}
		})
	}
}
