package load

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := []byte("---\ntitle: x\n---\nbody\n")
	big := bytes.Repeat([]byte("a"), 5000)
	tests := []struct {
		name  string
		path  string
		limit int64
		buf   []byte
		want  []byte
		large int64 // the size in the tooLarge error, if one
		fails bool
	}{
		{name: "empty", path: write("empty", nil), limit: 10, want: []byte{}},
		{name: "small", path: write("small", small), limit: 100, want: small},
		{name: "into a dirty buffer", path: write("small2", small), limit: 100, buf: bytes.Repeat([]byte("z"), 200)[:0], want: small},
		{name: "larger than the buffer", path: write("big", big), limit: 10000, buf: make([]byte, 0, 10), want: big},
		{name: "at the limit", path: write("limit", big), limit: 5000, want: big},
		{name: "over the limit", path: write("over", big), limit: 4999, large: 5000},
		{name: "missing", path: filepath.Join(dir, "nope"), limit: 10, fails: true},
		{name: "a directory", path: dir, limit: 10, fails: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readFile(tc.path, tc.limit, tc.buf)
			var tl tooLarge
			switch {
			case tc.large > 0:
				if !errors.As(err, &tl) || int64(tl) != tc.large {
					t.Fatalf("err = %v, want tooLarge(%d)", err, tc.large)
				}
			case tc.fails:
				if err == nil || errors.As(err, &tl) {
					t.Fatalf("err = %v, want a read error", err)
				}
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(got, tc.want):
				t.Fatalf("got %d bytes %q..., want %d bytes", len(got), got[:min(len(got), 20)], len(tc.want))
			}
		})
	}
}

// TestParseKeepsNoInput checks what lets readOne reuse its buffer: what
// Parse returns holds no reference into the bytes it was given.
func TestParseKeepsNoInput(t *testing.T) {
	root := filepath.Join("..", "..", "..", "content")
	for _, rel := range []string{"releases/zyphra/zaya1-8b.md", "orgs/zyphra.md", "buckets/upsell.md", "licenses/apache-2.0.md"} {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		kind := strings.Split(rel, "/")[0]
		want, got := kinds[kind](), kinds[kind]()
		if probs := Parse(rel, bytes.Clone(data), want); len(probs) > 0 {
			t.Fatalf("%s: %v", rel, probs)
		}
		buf := bytes.Clone(data)
		Parse(rel, buf, got)
		for i := range buf {
			buf[i] = '#'
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: what Parse returned changed with the bytes it was given", rel)
		}
	}
}
