package bundle_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/bundle"
)

// The tarballs the Makefile fetches and checks, from this package's
// directory.
var tarballs = map[string]string{
	"echarts": "../../../.cache/echarts-6.1.0.tgz",
	"zrender": "../../../.cache/zrender-6.1.0.tgz",
	"tslib":   "../../../.cache/tslib-2.3.0.tgz",
}

func load(t *testing.T) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for name, f := range tarballs {
		b, err := os.ReadFile(f)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%v, and CI=true (run `make vendor`)", err)
			}
			t.Skipf("%v (run `make vendor`)", err)
		}
		m[name] = b
	}
	return m
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// TestBuild bundles twice: the same tarballs give the same bytes, a
// global echarts with init, no development-only code, every package's
// license, and a bundle well under the full build's size.
func TestBuild(t *testing.T) {
	tgz := load(t)
	a, err := bundle.Build(tgz)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Build(tgz)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.JS, b.JS) || !bytes.Equal(a.License, b.License) {
		t.Fatal("two builds from the same tarballs differ")
	}
	for _, want := range []string{"var echarts=", "init:", "getInstanceByDom:"} {
		if !bytes.Contains(a.JS, []byte(want)) {
			t.Errorf("the bundle lacks %q", want)
		}
	}
	for _, bad := range []string{"process.env", "NODE_ENV", "node_modules", os.TempDir() + "/whyopen-bundle"} {
		if bytes.Contains(a.JS, []byte(bad)) {
			t.Errorf("the bundle holds %q", bad)
		}
	}
	for _, want := range []string{"=== echarts ===", "Apache License", "=== zrender ===", "BSD", "=== tslib ===", "Microsoft"} {
		if !bytes.Contains(a.License, []byte(want)) {
			t.Errorf("the license file lacks %q", want)
		}
	}
	// The full dist/echarts.min.js of 6.1.0 is 1,121,883 bytes, 367,920
	// gzipped; the site's bundle should keep well under two thirds.
	if n := len(a.JS); n > 750_000 {
		t.Errorf("bundle is %d bytes, want under 750,000", n)
	}
	t.Logf("bundle: %d bytes, %d gzipped", len(a.JS), gz(a.JS))
}

// TestBuildErrors: a missing package is an error, not a partial bundle.
func TestBuildErrors(t *testing.T) {
	tgz := load(t)
	delete(tgz, "zrender")
	if _, err := bundle.Build(tgz); err == nil {
		t.Error("built without zrender")
	}
	if _, err := bundle.Build(map[string][]byte{"echarts": []byte("not gzip"), "zrender": nil, "tslib": nil}); err == nil {
		t.Error("built from a tarball that is not one")
	}
}
