package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// foreignTree makes a directory with files whyopen did not write, as a
// home directory or a checkout would have.
func foreignTree(t *testing.T, dir string) {
	t.Helper()
	for p, data := range map[string]string{"keep": "x", ".ssh/id_ed25519": "secret", ".git/HEAD": "ref", "index.html": "mine"} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// names lists dir's entries.
func names(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return strings.Join(ns, ",")
}

// TestForeignOutput checks that a directory whyopen did not make is
// refused, again and again, and left exactly as it was, with nothing
// made beside it; and that the refusal names it and says what to do.
func TestForeignOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "mine")
	foreignTree(t, out)
	before := snapshot(t, out)
	for i := 0; i < 3; i++ {
		for _, opt := range []Options{{}, {Trusted: true}, {Cache: &Cache{}}} {
			st, err := BeginWith(out, opt)
			if err == nil {
				st.Abort()
				t.Fatalf("Begin took %s, which whyopen did not make", out)
			}
			for _, want := range []string{out, "not empty", "choose an empty or new directory"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error %q does not say %q", err, want)
				}
			}
			if _, err := Acquire(out, opt); err == nil {
				t.Fatalf("Acquire took %s", out)
			}
		}
	}
	sameSnapshot(t, "after refused builds", snapshot(t, out), before)
	if got := names(t, root); got != "mine" {
		t.Errorf("beside the output: %s", got)
	}

	// A file, and a link to a directory, are refused too.
	file := filepath.Join(root, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(root, "link")
	os.Symlink(out, link)
	for _, p := range []string{file, link} {
		if _, err := Begin(p); err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("Begin(%s): %v", p, err)
		}
	}
	sameSnapshot(t, "after refused builds", snapshot(t, out), before)
}

// TestEmptyOutput checks that an empty directory is taken, and marked.
func TestEmptyOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(out, 0o755)
	s := site{"index.html": "home"}
	for i := 0; i < 3; i++ { // the empty directory ends up the spare, then goes
		publishSite(t, out, Options{}, s)
		sameSite(t, readTree(t, out), s)
	}
}

// TestRootOutput checks that the root of the file system is refused before
// anything is made in it.
func TestRootOutput(t *testing.T) {
	for _, p := range []string{"/", "/.", "//"} {
		_, err := Begin(p)
		if err == nil || !strings.Contains(err.Error(), "root of the file system") {
			t.Errorf("Begin(%q): %v", p, err)
		}
	}
	if _, err := os.Lstat("/.whyopen"); err == nil {
		t.Errorf("/.whyopen exists")
	}
}

// TestSourcesOutput checks that the output may not be a directory the
// build reads, hold one, or lie inside one, even when empty or absent.
func TestSourcesOutput(t *testing.T) {
	root := t.TempDir()
	content := filepath.Join(root, "site", "content")
	os.MkdirAll(content, 0o755)
	os.Symlink(filepath.Join(root, "site"), filepath.Join(root, "alias"))
	opt := Options{Sources: []string{content}}
	for out, want := range map[string]string{
		content:                                 "is the site's own",
		filepath.Join(root, "site"):             "holds the site's own",
		root:                                    "holds the site's own",
		filepath.Join(content, "public"):        "is inside the site's own",
		filepath.Join(root, "alias", "content"): "is the site's own",
	} {
		_, err := BeginWith(out, opt)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("BeginWith(%s): %v, want %q", out, err, want)
		}
	}
	if got := names(t, content); got != "" {
		t.Errorf("content/ holds %s", got)
	}
	publishSite(t, filepath.Join(root, "site", "public"), opt, site{"index.html": "home"})
}

// TestUpgrade checks that the output of an older whyopen, which has no
// marker but a manifest that lists it exactly, is taken; and that one
// with a file the manifest does not list, or a directory that merely
// has the inode a manifest names, is refused.
func TestUpgrade(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	cache := filepath.Join(filepath.Dir(out), ".public.whyopen")
	s := site{"index.html": "home", "releases/a/index.html": "a"}
	unmark := func() {
		for _, d := range []string{out, filepath.Join(cache, "spare")} {
			os.Remove(filepath.Join(d, Marker))
		}
	}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	unmark()
	publishSite(t, out, Options{}, s)
	sameSite(t, readTree(t, out), s)

	unmark()
	os.WriteFile(filepath.Join(out, "CNAME"), []byte("mine"), 0o644)
	before := snapshot(t, out)
	if _, err := Begin(out); err == nil {
		t.Fatalf("Begin took an unmarked output holding a file no manifest lists")
	}
	sameSnapshot(t, "after a refused build", snapshot(t, out), before)
	os.Remove(filepath.Join(out, "CNAME"))

	// A manifest naming a foreign directory's inode, as when the output
	// was removed and its inode reused.
	other := filepath.Join(t.TempDir(), "public")
	foreignTree(t, other)
	m := &manifest{Tree: inode(other), Files: map[string]entry{"keep": {Size: 1}}}
	os.MkdirAll(filepath.Join(filepath.Dir(other), ".public.whyopen"), 0o755)
	os.WriteFile(manifestPath(filepath.Join(filepath.Dir(other), ".public.whyopen"), m.Tree), m.encode(), 0o644)
	before = snapshot(t, other)
	if _, err := Begin(other); err == nil {
		t.Fatalf("Begin took a foreign directory whose inode a manifest names")
	}
	sameSnapshot(t, "after a refused build", snapshot(t, other), before)
}

// TestForeignSpare checks that files an older whyopen moved from a
// foreign output into the spare tree, which no manifest lists and no
// marker claims, are not deleted.
func TestForeignSpare(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home"}
	publishSite(t, out, Options{}, s)
	spare := filepath.Join(filepath.Dir(out), ".public.whyopen", "spare")
	os.RemoveAll(spare)
	foreignTree(t, spare)
	before := snapshot(t, spare)
	_, err := Begin(out)
	if err == nil || !strings.Contains(err.Error(), spare) {
		t.Fatalf("Begin with a foreign spare tree: %v", err)
	}
	sameSnapshot(t, "after a refused build", snapshot(t, spare), before)
}

// TestLock runs builds of different sites into one output at once, and
// checks that they took turns and that every reader between them saw one
// whole site.
func TestLock(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	sites := make([]site, 8)
	for i := range sites {
		sites[i] = site{"index.html": fmt.Sprint("home ", i)}
		for j := 0; j < 40; j++ {
			sites[i][fmt.Sprintf("releases/%d/index.html", j)] = fmt.Sprint(i, j)
		}
	}
	var active, most atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, len(sites))
	for i := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := BeginWith(out, Options{Wait: time.Minute})
			if err != nil {
				errs[i] = err
				return
			}
			n := active.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			for p, data := range sites[i] {
				if err := st.Write(p, []byte(data)); err != nil && errs[i] == nil {
					errs[i] = err
				}
			}
			time.Sleep(20 * time.Millisecond) // so that builds without a lock would overlap
			active.Add(-1)
			if err := st.Commit(); err != nil {
				st.Abort()
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if most.Load() != 1 {
		t.Errorf("%d builds staged at once", most.Load())
	}
	got := readTree(t, out)
	whole := false
	for _, s := range sites {
		whole = whole || got["index.html"] == s["index.html"]
	}
	if !whole {
		t.Fatalf("the output is no site: %v", got["index.html"])
	}
	for _, s := range sites {
		if got["index.html"] == s["index.html"] {
			sameSite(t, got, s)
		}
	}
}

// TestLockWait checks that a build finding the output locked fails at
// once, or after waiting as long as it was told, saying so; and that a
// lock the caller holds serves its builds and outlives them.
func TestLockWait(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home"}
	held, err := Acquire(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Begin(out); err == nil || !strings.Contains(err.Error(), "another whyopen build or server is writing "+out) {
		t.Errorf("Begin of a locked output: %v", err)
	}
	var told []string
	start := time.Now()
	_, err = BeginWith(out, Options{Wait: 300 * time.Millisecond, Waiting: func(msg string) { told = append(told, msg) }})
	if err == nil || time.Since(start) < 300*time.Millisecond {
		t.Errorf("BeginWith waited %s for a locked output: %v", time.Since(start), err)
	}
	if len(told) != 1 || !strings.Contains(told[0], "waiting") {
		t.Errorf("while waiting, told %q", told)
	}

	// The holder's own builds use its lock, and leave it held.
	for i := 0; i < 2; i++ {
		publishSite(t, out, Options{Lock: held}, s)
		if _, err := Begin(out); err == nil {
			t.Fatalf("the held lock was released by a build")
		}
	}
	if _, err := BeginWith(filepath.Join(filepath.Dir(out), "other"), Options{Lock: held}); err == nil {
		t.Errorf("a lock was used for another output")
	}
	held.Release()
	held.Release()
	publishSite(t, out, Options{}, s)

	// Once released, a waiting build goes ahead.
	held, _ = Acquire(out, Options{})
	go func() {
		time.Sleep(100 * time.Millisecond)
		held.Release()
	}()
	if st, err := BeginWith(out, Options{Wait: time.Minute}); err != nil {
		t.Errorf("a build waiting for a lock released: %v", err)
	} else {
		st.Abort()
	}
	sameSite(t, readTree(t, out), s)
}

// TestOldMarker: an output marked with the marker's earlier text is still
// whyopen's, and a marker file with other text is not.
func TestOldMarker(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, Marker)
	for _, tc := range []struct {
		text string
		want bool
	}{
		{markerText, true},
		{oldMarkerTexts[0], true},
		{markerText + "x", false},
		{"", false},
	} {
		if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := isMarker(p); got != tc.want {
			t.Errorf("isMarker(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
