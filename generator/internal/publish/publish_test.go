package publish

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// site is a set of files to publish.
type site map[string]string

func publishSite(t *testing.T, out string, opt Options, s site) *Stage {
	t.Helper()
	st, err := BeginWith(out, opt)
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range s {
		if err := st.Write(p, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	return st
}

// readTree returns every file under dir but the marker, and fails on
// empty directories, which a published site never has, and on a missing
// or wrong marker.
func readTree(t *testing.T, dir string) site {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(dir, Marker)); err != nil || string(b) != markerText {
		t.Errorf("the output's marker is %q, %v", b, err)
	}
	got := site{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if ents, _ := os.ReadDir(p); len(ents) == 0 && p != dir {
				t.Errorf("empty directory %s", p)
			}
			return nil
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		if rel != Marker {
			got[filepath.ToSlash(rel)] = string(b)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func sameSite(t *testing.T, got, want site) {
	t.Helper()
	var diffs []string
	for p, w := range want {
		if g, ok := got[p]; !ok {
			diffs = append(diffs, "missing "+p)
		} else if g != w {
			diffs = append(diffs, p+" = "+g+", want "+w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra "+p)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("output differs from the site:\n%s", strings.Join(diffs, "\n"))
	}
}

func TestRebuilds(t *testing.T) {
	for _, opt := range []Options{{}, {Trusted: true}, {Cache: &Cache{}}} {
		out := filepath.Join(t.TempDir(), "public")
		builds := []site{
			{"index.html": "home 1", "releases/a/index.html": "a", "releases/b/index.html": "b", "assets/site.css": "css"},
			{"index.html": "home 1", "releases/a/index.html": "a", "releases/b/index.html": "b", "assets/site.css": "css"},
			// b changes, c is new; c's directory is new.
			{"index.html": "home 2", "releases/a/index.html": "a", "releases/b/index.html": "b2", "releases/c/index.html": "c", "assets/site.css": "css"},
			// a goes, with its directory; b goes back to what the spare holds.
			{"index.html": "home 3", "releases/b/index.html": "b", "releases/c/index.html": "c", "assets/site.css": "css"},
			{"index.html": "home 3", "releases/b/index.html": "b", "releases/c/index.html": "c", "assets/site.css": "css"},
			{"index.html": "home 4", "deep/er/still/index.html": "deep"},
			{"index.html": "home 4", "releases/a/index.html": "a"},
		}
		for i, b := range builds {
			st := publishSite(t, out, opt, b)
			sameSite(t, readTree(t, out), b)
			files, _, unchanged := st.Stats()
			if files != len(b) {
				t.Errorf("build %d: Stats files = %d, want %d", i, files, len(b))
			}
			if i == 1 && (st.Written() != 0 || unchanged != len(b)) {
				t.Errorf("build %d of the same site wrote %d files, %d unchanged", i, st.Written(), unchanged)
			}
			if i == 4 && st.Written() != 0 {
				t.Errorf("build %d (unchanged from the one before) wrote %d files", i, st.Written())
			}
			if i == 2 && st.Written() != 3 {
				t.Errorf("build %d wrote %d files, want 3 (index, b, c)", i, st.Written())
			}
		}
		entries, _ := os.ReadDir(filepath.Dir(out))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if strings.Join(names, ",") != ".public.whyopen,public" {
			t.Errorf("beside the output: %v", names)
		}
	}
}

// TestHandEdits checks that files changed, added or removed by hand in the
// output never survive into a later build.
func TestHandEdits(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "releases/a/index.html": "a", "releases/b/index.html": "b"}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)

	// Edit the live site: once this build runs, it is the spare.
	os.WriteFile(filepath.Join(out, "releases/a/index.html"), []byte("A, by hand"), 0o644)
	os.WriteFile(filepath.Join(out, "CNAME"), []byte("junk"), 0o644)
	os.MkdirAll(filepath.Join(out, "junk/dir"), 0o755)
	os.Remove(filepath.Join(out, "releases/b/index.html"))
	for i := 0; i < 3; i++ {
		publishSite(t, out, Options{}, s)
		sameSite(t, readTree(t, out), s)
	}
	// Appending in place keeps the inode; the size and time still tell.
	f, _ := os.OpenFile(filepath.Join(out, "index.html"), os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte("!"))
	f.Close()
	for i := 0; i < 3; i++ {
		publishSite(t, out, Options{}, s)
		sameSite(t, readTree(t, out), s)
	}
}

// TestKilledBuild checks that a build that stops midway, without Commit or
// Abort, leaves the output as it was and does not spoil the next build.
func TestKilledBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "releases/a/index.html": "a"}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	st, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	st.Write("index.html", []byte("half a build"))
	st.Write("releases/z/index.html", []byte("z"))
	st.lock.Release() // as the kernel does when the process dies
	sameSite(t, readTree(t, out), s)

	s2 := site{"index.html": "home 2", "releases/a/index.html": "a"}
	publishSite(t, out, Options{Trusted: true}, s2)
	sameSite(t, readTree(t, out), s2)
}

func TestAbort(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "releases/a/index.html": "a", "releases/b/index.html": "b"}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	for _, opt := range []Options{{}, {Trusted: true}, {Cache: &Cache{}}} {
		publishSite(t, out, opt, s) // so that a cache holds the manifests
		st, err := BeginWith(out, opt)
		if err != nil {
			t.Fatal(err)
		}
		st.Write("index.html", []byte("aborted"))
		st.Write("releases/c/index.html", []byte("c"))
		st.Abort()
		sameSite(t, readTree(t, out), s)
		s2 := site{"index.html": "home", "releases/a/index.html": "a2", "releases/c/index.html": "c"}
		publishSite(t, out, opt, s2)
		sameSite(t, readTree(t, out), s2)
		publishSite(t, out, opt, s)
		sameSite(t, readTree(t, out), s)
	}
}

func TestKeep(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "releases/a/index.html": "a", "releases/b/index.html": "b"}
	publishSite(t, out, Options{}, s)
	for i := 0; i < 3; i++ {
		st, err := Begin(out)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Unchanged("releases/a/index.html", []byte("a")) || st.Unchanged("releases/a/index.html", []byte("A")) {
			t.Errorf("Unchanged does not tell a's bytes from others")
		}
		if err := st.Keep("releases/a/index.html"); err != nil {
			t.Fatal(err)
		}
		if err := st.Keep("releases/nope/index.html"); err == nil {
			t.Errorf("kept a file the previous site lacks")
		}
		if err := st.Keep("releases/a/index.html"); err == nil {
			t.Errorf("kept a file twice")
		}
		st.Write("index.html", []byte("home"))
		st.Write("releases/b/index.html", []byte("b"))
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		sameSite(t, readTree(t, out), s)
	}
}

func TestBadPaths(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	st, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	for _, p := range []string{"", "/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "./a", "a/.", "c:x"} {
		if err := st.Write(p, []byte("x")); err == nil {
			t.Errorf("Write(%q) succeeded", p)
		}
	}
	if err := st.Write("a", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := st.Write("a", []byte("x")); err == nil {
		t.Errorf("writing a path twice succeeded")
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := &manifest{Tree: 42, Files: map[string]entry{
		"index.html":       {Sum: hashOf([]byte("x")), Size: 1, Mtime: 123456789, Ino: 7},
		"a b/c d.html":     {Sum: hashOf([]byte("y")), Size: 2, Mtime: -1, Ino: 8},
		"data/x.json":      {Sum: hashOf(nil), Size: 0, Mtime: 0, Ino: 9},
		"releases/q/index": {Sum: hashOf([]byte("q")), Size: 5, Mtime: 5, Ino: 1 << 60},
	}, Dirs: map[string]stamp{"a b": {Mtime: -2, Ino: 5}, "releases/q": {Mtime: 1 << 62, Ino: 6}}}
	p := filepath.Join(t.TempDir(), "m.sum")
	if err := os.WriteFile(p, m.encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readManifest(p)
	if err != nil {
		t.Fatal(err)
	}
	if got.Tree != m.Tree || len(got.Files) != len(m.Files) || !maps.Equal(got.Dirs, m.Dirs) {
		t.Fatalf("got %+v", got)
	}
	for k, v := range m.Files {
		if got.Files[k] != v {
			t.Errorf("%s: %+v, want %+v", k, got.Files[k], v)
		}
	}
	if !bytes.Equal(got.encode(), m.encode()) {
		t.Errorf("encoding is not stable")
	}
	for _, bad := range []string{"not a line", "dir 1 2 ../x", "dir 1 2 .", "dir x 2 a", "dir 1 2"} {
		os.WriteFile(p, []byte(manifestHeader+" 42\n"+bad+"\n"), 0o644)
		if _, err := readManifest(p); err == nil {
			t.Errorf("a damaged manifest was read: %q", bad)
		}
	}
}

// TestStamps checks that a build reads only the directories of the spare
// tree that changed since they were stamped, and that it still finds every
// hand edit.
func TestStamps(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	spare := filepath.Join(filepath.Dir(out), ".public.whyopen", "spare")
	s := site{"index.html": "home", "feed.xml": "feed", "releases/a/index.html": "a", "releases/b/index.html": "b", "orgs/x/index.html": "x"}
	all := []string{".", "orgs", "orgs/x", "releases", "releases/a", "releases/b"}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	// Directories changed within racyWindow are read, and not stamped.
	if st := publishSite(t, out, Options{}, s); !slices.Equal(st.read, all) {
		t.Fatalf("after fresh builds, read %q, want every directory", st.read)
	}
	// Once the trees have settled, a build stamps their directories,
	// and the builds after it read none.
	settle := func() {
		for _, tree := range []string{out, spare} {
			filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.IsDir() {
					old := time.Now().Add(-time.Hour)
					err = os.Chtimes(p, old, old)
				}
				return err
			})
		}
	}
	settle()
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	root := []string{"."} // renamed on every Commit, so always read
	for i := 0; i < 2; i++ {
		if st := publishSite(t, out, Options{}, s); !slices.Equal(st.read, root) {
			t.Fatalf("build %d on settled trees read %q, want only the root", i, st.read)
		}
	}

	// Edit the live site by hand: the build after next stages into it.
	os.WriteFile(filepath.Join(out, "releases/a/index.html"), []byte("A, by hand"), 0o644) // in place
	os.WriteFile(filepath.Join(out, "CNAME"), []byte("junk"), 0o644)
	os.MkdirAll(filepath.Join(out, "orgs/x/junk"), 0o755)
	os.Remove(filepath.Join(out, "releases/b/index.html"))
	if st := publishSite(t, out, Options{}, s); !slices.Equal(st.read, root) {
		t.Fatalf("the build before the edited tree read %q, want only the root", st.read)
	}
	sameSite(t, readTree(t, out), s)
	st := publishSite(t, out, Options{}, s)
	if want := []string{".", "orgs/x", "releases/b"}; !slices.Equal(st.read, want) {
		t.Errorf("the edited tree: read %q, want %q", st.read, want)
	}
	sameSite(t, readTree(t, out), s)
	for i := 0; i < 2; i++ {
		publishSite(t, out, Options{}, s)
		sameSite(t, readTree(t, out), s)
	}

	// A build that changes the site leaves the directories it changed
	// unstamped, and later builds read just those.
	settle()
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	s2 := maps.Clone(s)
	s2["releases/a/index.html"], s2["releases/c/index.html"] = "a, again", "c"
	changed := []string{".", "releases", "releases/a", "releases/c"}
	for i, want := range [][]string{root, root, changed, changed} {
		if st := publishSite(t, out, Options{}, s2); !slices.Equal(st.read, want) {
			t.Errorf("build %d after a change read %q, want %q", i, st.read, want)
		}
		sameSite(t, readTree(t, out), s2)
	}
}
