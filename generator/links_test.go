package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestLinksCommand runs whyopen links on a small site whose sources are on
// a local server: it reports each URL that is not ok at the place it is
// cited, exits 1 on a gone page, and answers a rerun from its cache.
func TestLinksCommand(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/card":
		case "/old":
			http.Redirect(w, r, "/card", http.StatusMovedPermanently)
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	files := map[string]string{
		"content/site.yaml":                "title: T\nbase_url: https://example.org/\n",
		"content/orgs/acme.md":             "---\nname: Acme\nkind: lab\ncountry: FR\nwebsite: " + srv.URL + "/card\n---\n",
		"content/releases/acme/acme-7b.md": "---\ntitle: Acme 7B\norg: acme\nsources:\n  - " + srv.URL + "/card\n  - " + srv.URL + "/old\n  - " + srv.URL + "/missing\nlinks:\n  code: " + srv.URL + "/down\n---\nSee [it](" + srv.URL + "/missing).\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	cache := filepath.Join(dir, ".cache", "links.json")
	args := []string{"links", "-src", dir, "-cache", cache, "-delay", "0", "-timeout", "5s"}
	var out, errOut bytes.Buffer
	if code := run(args, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1 for a gone page; stderr %s", code, errOut.String())
	}
	want := []string{
		"content/releases/acme/acme-7b.md:6:5: " + srv.URL + "/old redirected (200) to " + srv.URL + "/card",
		"content/releases/acme/acme-7b.md:7:5: " + srv.URL + "/missing gone (404)",
		"content/releases/acme/acme-7b.md:9:9: " + srv.URL + "/down failing (503)",
		"content/releases/acme/acme-7b.md:11:10: " + srv.URL + "/missing gone (404)",
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want)+1 || strings.Join(lines[:len(want)], "\n") != strings.Join(want, "\n") {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(lines[len(want)], "links failed: 4 URLs: 1 ok, 1 redirected, 1 gone, 1 failing (0 from the cache)") {
		t.Errorf("summary %q", lines[len(want)])
	}

	// A rerun asks nothing: every answer is in the cache.
	before := requests.Load()
	out.Reset()
	if code := run(args, &out, &errOut); code != 1 {
		t.Errorf("rerun exit %d, want 1", code)
	}
	if n := requests.Load(); n != before {
		t.Errorf("rerun made %d requests, want none", n-before)
	}
	if !strings.Contains(out.String(), "(4 from the cache)") {
		t.Errorf("rerun summary: %s", out.String())
	}
}
