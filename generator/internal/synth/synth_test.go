package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Real returns the repository's buckets and licenses, and their ids.
func real(t testing.TB) (files []File, buckets, licenses []string) {
	t.Helper()
	for _, kind := range []string{"buckets", "licenses"} {
		paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "content", kind, "*.md"))
		if len(paths) == 0 {
			t.Fatalf("no content/%s in the repository", kind)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			id := strings.TrimSuffix(filepath.Base(p), ".md")
			files = append(files, File{"content/" + kind + "/" + id + ".md", data})
			if kind == "buckets" {
				buckets = append(buckets, id)
			} else {
				licenses = append(licenses, id)
			}
		}
	}
	return files, buckets, licenses
}

func TestDeterministic(t *testing.T) {
	opt := Options{Releases: 500, Licenses: []string{"mit", "apache-2.0"}, Buckets: []string{"a", "b"}, Seed: 7}
	a, b := Generate(opt), Generate(opt)
	if len(a) != len(b) {
		t.Fatalf("%d and %d files", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("%s differs between runs", a[i].Path)
		}
	}
	opt.Seed = 8
	c := Generate(opt)
	same := len(c) == len(a)
	for i := 0; same && i < len(a); i++ {
		same = bytes.Equal(a[i].Data, c[i].Data)
	}
	if same {
		t.Errorf("seeds 7 and 8 give the same corpus")
	}
	if !sort.SliceIsSorted(a, func(i, j int) bool { return a[i].Path < a[j].Path }) {
		t.Errorf("files are not sorted by path")
	}
}

// TestValid checks that a corpus built on the real buckets and licenses
// passes every check, uses every license and org kind, has about 300 orgs
// with a Zipf-like spread, and entries of about 1.8 KB.
func TestValid(t *testing.T) {
	extra, buckets, licenses := real(t)
	const n = 5000
	files := append(extra, Generate(Options{Releases: n, Licenses: licenses, Buckets: buckets, Seed: 1})...)
	c, probs := Parse(files)
	probs = append(probs, check.Check(c, check.Options{Today: load.NewDate(2026, 10, 1)})...)
	for _, p := range probs {
		if p.Severity == load.Error {
			t.Errorf("%s", p)
		}
	}
	if len(c.Releases) != n || len(c.Orgs) != 300 {
		t.Fatalf("%d releases and %d orgs, want %d and 300", len(c.Releases), len(c.Orgs), n)
	}
	cat := classify.Classify(c)
	usedLicense, kinds, perOrg := map[string]bool{}, map[string]bool{}, map[string]int{}
	size, body := 0, 0
	for _, r := range cat.Releases {
		usedLicense[r.License.ID] = true
		kinds[r.Org.Kind] = true
		perOrg[r.Org.ID]++
	}
	for _, f := range files {
		if strings.HasPrefix(f.Path, "content/releases/") {
			size += len(f.Data)
		}
	}
	for _, r := range c.Releases {
		body += len(r.HTML)
		if strings.Count(string(r.HTML), "<li>") < 3 || !strings.Contains(string(r.HTML), "<table>") || !strings.Contains(string(r.HTML), `<a href="https://`) {
			t.Fatalf("%s: the body lacks a list, a table or links", r.File)
		}
	}
	if len(usedLicense) != len(licenses) {
		t.Errorf("%d of %d licenses used", len(usedLicense), len(licenses))
	}
	if len(kinds) != 8 {
		t.Errorf("org kinds used: %v, want all 8", kinds)
	}
	top := 0
	for _, k := range perOrg {
		top = max(top, k)
	}
	if top < n/10 || top > n/4 {
		t.Errorf("the largest org has %d of %d releases, want a sixth or so", top, n)
	}
	if avg := size / n; avg < 1600 || avg > 2100 {
		t.Errorf("entries average %d bytes, want about 1.8 KB", avg)
	}
	if avg := body / n; avg < 1000 || avg > 1600 {
		t.Errorf("bodies average %d bytes", avg)
	}
	if len(c.Reports) < 14 {
		t.Errorf("%d reports, want one a quarter from 2023 to 2026", len(c.Reports))
	}
}
