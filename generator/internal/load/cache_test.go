package load_test

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

func writeFiles(t *testing.T, root string, files []synth.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCache checks that a Cache gives what Dir gives, re-parses only the
// files that changed, and gives the same values for the others.
func TestCache(t *testing.T) {
	root := t.TempDir()
	files := synth.Generate(synth.Options{Releases: 60, Orgs: 5, Licenses: []string{"mit"}, Seed: 3})
	writeFiles(t, root, files)
	backdate(t, root)
	var c load.Cache
	first, probs := c.Dir(root)
	want, wantProbs := load.Dir(root)
	if !reflect.DeepEqual(first, want) || !reflect.DeepEqual(probs, wantProbs) {
		t.Fatal("Cache.Dir differs from Dir")
	}
	byFile := map[string]*load.Release{}
	for _, r := range first.Releases {
		byFile[r.File] = r
	}

	// Change one release (same size, so only its time tells), rename-save
	// another (a new inode), remove a third and add a fourth.
	a, b, gone := first.Releases[0], first.Releases[1], first.Releases[2]
	pa := filepath.Join(root, a.File)
	data, _ := os.ReadFile(pa)
	data[len(data)-2] ^= 1 // a letter of the body's last word
	os.WriteFile(pa, data, 0o644)
	earlier := time.Now().Add(-time.Minute)
	os.Chtimes(pa, earlier, earlier)
	pb := filepath.Join(root, b.File)
	bdata, _ := os.ReadFile(pb)
	os.WriteFile(pb+".tmp", bdata, 0o644)
	os.Rename(pb+".tmp", pb)
	os.Remove(filepath.Join(root, gone.File))
	extra := "content/releases/" + a.Org + "/added.md"
	writeFiles(t, root, []synth.File{{Path: extra, Data: data}})
	backdate(t, pb)
	backdate(t, filepath.Join(root, extra))

	second, probs := c.Dir(root)
	want, wantProbs = load.Dir(root)
	if !reflect.DeepEqual(second, want) || !reflect.DeepEqual(probs, wantProbs) {
		t.Fatal("Cache.Dir differs from Dir after changes")
	}
	if len(second.Releases) != len(first.Releases) {
		t.Fatalf("%d releases, want %d", len(second.Releases), len(first.Releases))
	}
	reparsed := 0
	for _, r := range second.Releases {
		if old, ok := byFile[r.File]; ok && old == r {
			continue
		}
		reparsed++
		if r.File != a.File && r.File != b.File && r.File != extra {
			t.Errorf("%s was parsed again, but did not change", r.File)
		}
	}
	if reparsed != 3 {
		t.Errorf("%d files parsed again, want 3", reparsed)
	}
	// Every file but site.yaml and the removed one, and the added one.
	if c.Parsed() != len(files)-1 {
		t.Errorf("the cache holds %d files, want %d", c.Parsed(), len(files)-1)
	}
}

// backdate sets the times of every file under root an hour back, so that
// a Cache trusts them.
func backdate(t *testing.T, root string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
}

// TestCacheRacy checks that a file changed in the same clock tick as it
// was read, with the same size, is not taken for the file read.
func TestCacheRacy(t *testing.T) {
	root := t.TempDir()
	files := synth.Generate(synth.Options{Releases: 3, Orgs: 1, Licenses: []string{"mit"}, Seed: 3})
	writeFiles(t, root, files)
	var c load.Cache
	first, _ := c.Dir(root)
	r := first.Releases[0]
	p := filepath.Join(root, r.File)
	fi, _ := os.Stat(p)
	data, _ := os.ReadFile(p)
	data[len(data)-2] ^= 1
	os.WriteFile(p, data, 0o644)
	os.Chtimes(p, fi.ModTime(), fi.ModTime()) // as if in the same tick
	second, _ := c.Dir(root)
	if second.Releases[0].HTML == r.HTML {
		t.Errorf("a file changed within the clock tick of its last read was not read again")
	}
}

// TestWatchedCache checks that a watched cache trusts what it is told: a
// file changed without a word keeps its old value, a named one is read
// again, a named new or removed file joins or leaves the listing, and
// anything it cannot apply alone (a new directory) makes it list the
// tree again, as Rescan does.
func TestWatchedCache(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, synth.Generate(synth.Options{Releases: 30, Orgs: 3, Licenses: []string{"mit"}, Seed: 4}))
	backdate(t, root)
	var c load.Cache
	c.Watch()
	first, _ := c.Dir(root)
	a, b := first.Releases[0], first.Releases[1]
	retitle := func(r *load.Release, title string) {
		t.Helper()
		p := filepath.Join(root, r.File)
		data, _ := os.ReadFile(p)
		out := regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(string(data), "title: "+title)
		if out == string(data) {
			t.Fatalf("%s: no title to change", r.File)
		}
		os.WriteFile(p, []byte(out), 0o644)
	}
	titles := func(c *load.Content) map[string]string {
		m := map[string]string{}
		for _, r := range c.Releases {
			m[r.File] = r.Title
		}
		return m
	}

	retitle(a, "Unannounced")
	retitle(b, "Announced")
	c.Changed(b.File)
	got := titles(mustDir(t, &c, root))
	if got[a.File] != a.Title || got[b.File] != "Announced" {
		t.Fatalf("after changing two files and naming one: %q, %q; want the old title, then the new", got[a.File], got[b.File])
	}

	added := filepath.Join(filepath.Dir(b.File), "added.md")
	data, _ := os.ReadFile(filepath.Join(root, b.File))
	os.WriteFile(filepath.Join(root, added), []byte(strings.Replace(string(data), "title: Announced", "title: Added", 1)), 0o644)
	os.Remove(filepath.Join(root, first.Releases[2].File))
	c.Changed(added, first.Releases[2].File)
	got = titles(mustDir(t, &c, root))
	if got[added] != "Added" || got[first.Releases[2].File] != "" || len(got) != len(first.Releases) {
		t.Fatalf("after adding and removing a named file: %d releases, %q added", len(got), got[added])
	}

	dir := filepath.Join(root, "content/releases/new-dir")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "inside.md"), data, 0o644)
	c.Changed("content/releases/new-dir")
	got = titles(mustDir(t, &c, root))
	if got["content/releases/new-dir/inside.md"] == "" || got[a.File] != "Unannounced" {
		t.Fatalf("a named directory did not make the cache list and look at the tree again")
	}

	retitle(a, "Rescanned")
	backdate(t, filepath.Join(root, a.File))
	c.Rescan()
	if got := titles(mustDir(t, &c, root)); got[a.File] != "Rescanned" {
		t.Fatalf("after Rescan: %q", got[a.File])
	}
	want, _ := load.Dir(root)
	if got := mustDir(t, &c, root); !reflect.DeepEqual(got, want) {
		t.Fatal("the watched cache's content differs from Dir's")
	}
}

func mustDir(t *testing.T, c *load.Cache, root string) *load.Content {
	t.Helper()
	content, probs := c.Dir(root)
	for _, p := range probs {
		if p.Severity == load.Error {
			t.Fatal(p)
		}
	}
	return content
}
