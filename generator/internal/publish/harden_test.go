package publish

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fileState is everything a reader could notice about one file.
type fileState struct {
	data  string
	ino   uint64
	mtime int64
	mode  fs.FileMode
}

// snapshot records every file and directory under dir, with inodes and
// modification times, so that "exactly as it was" means exactly.
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	m := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		st := fileState{mode: fi.Mode(), mtime: fi.ModTime().UnixNano()}
		st.ino, _, _, _ = statOf(fi)
		if d.IsDir() {
			st.mtime = 0 // a directory's time may change when it is read
		} else {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			st.data = string(b)
		}
		m[filepath.ToSlash(rel)] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameSnapshot(t *testing.T, what string, got, want map[string]fileState) {
	t.Helper()
	var diffs []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing "+p)
		case g != w:
			diffs = append(diffs, fmt.Sprintf("%s: %+v, want %+v", p, g, w))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra "+p)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: the output changed:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// TestFailedBuildLeavesOutput stages changed and new files, then fails on
// each kind of path that could escape the output directory; after Abort
// the output is the same, byte for byte, inode for inode.
func TestFailedBuildLeavesOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "releases/a/index.html": "a", "assets/site.css": "css"}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s) // so that a spare tree exists too
	before := snapshot(t, out)
	outside := filepath.Join(filepath.Dir(out), "x")
	for _, bad := range []string{"../x", outside, "a\\b", "a/../../b", "releases/../../x", "/abs"} {
		for _, trusted := range []bool{false, true} {
			st, err := BeginWith(out, Options{Trusted: trusted})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Write("index.html", []byte("new home")); err != nil {
				t.Fatal(err)
			}
			if err := st.Write("releases/new/index.html", []byte("new")); err != nil {
				t.Fatal(err)
			}
			if err := st.Write(bad, []byte("escaped")); err == nil {
				t.Errorf("Write(%q) succeeded", bad)
			}
			if err := st.Keep(bad); err == nil {
				t.Errorf("Keep(%q) succeeded", bad)
			}
			st.Abort()
			sameSnapshot(t, fmt.Sprintf("after a failed build writing %q", bad), snapshot(t, out), before)
			for _, p := range []string{outside, filepath.Join(filepath.Dir(filepath.Dir(out)), "x"), filepath.Join(filepath.Dir(out), "b"), "/abs"} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("Write(%q) created %s", bad, p)
				}
			}
		}
	}
	// The output is still good for the next build.
	s2 := site{"index.html": "home 2", "releases/a/index.html": "a"}
	publishSite(t, out, Options{}, s2)
	sameSite(t, readTree(t, out), s2)
}

// TestUnchangedFilesAreLinks checks that a rebuild hard-links unchanged
// files to the previous output rather than writing them again.
func TestUnchangedFilesAreLinks(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "public")
		s := site{"index.html": "home", "releases/a/index.html": "a", "releases/b/index.html": "b"}
		publishSite(t, out, Options{Trusted: trusted}, s)
		for i := 0; i < 3; i++ {
			before := snapshot(t, out)
			s["index.html"] = fmt.Sprintf("home %d", i)
			publishSite(t, out, Options{Trusted: trusted}, s)
			after := snapshot(t, out)
			for _, p := range []string{"releases/a/index.html", "releases/b/index.html"} {
				if after[p].ino != before[p].ino {
					t.Errorf("rebuild %d (trusted %v): unchanged %s has inode %d, was %d", i, trusted, p, after[p].ino, before[p].ino)
				}
			}
			if after["index.html"].ino == before["index.html"].ino {
				t.Errorf("rebuild %d (trusted %v): changed index.html kept its inode, so the old site changed under its readers", i, trusted)
			}
			if after["index.html"].data != s["index.html"] {
				t.Errorf("rebuild %d: index.html = %q", i, after["index.html"].data)
			}
		}
	}
}

const childEnv = "WHYOPEN_PUBLISH_KILL_CHILD"

// TestKilledProcess runs a build in a child process, kills it with SIGKILL
// once it has staged some files, and checks that the output is exactly as
// it was and that the next Begin discards what the child staged.
func TestKilledProcess(t *testing.T) {
	if dir := os.Getenv(childEnv); dir != "" {
		killedChild(dir)
		return
	}
	root := t.TempDir()
	out := filepath.Join(root, "public")
	s := site{"index.html": "home", "releases/a/index.html": "a", "releases/b/index.html": "b"}
	publishSite(t, out, Options{}, s)
	publishSite(t, out, Options{}, s)
	before := snapshot(t, out)

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+root)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := filepath.Join(root, "ready")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the child never staged its files: %s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL: %v; %s", err, stderr.String())
	}
	sameSnapshot(t, "after a killed build", snapshot(t, out), before)

	// The child's staging tree holds its files, and no manifest names it.
	spare := filepath.Join(root, ".public.whyopen", "spare")
	if b, err := os.ReadFile(filepath.Join(spare, "releases/z/index.html")); err != nil || string(b) != "z" {
		t.Fatalf("the child did not stage releases/z: %q, %v", b, err)
	}
	if _, err := os.Stat(manifestPath(filepath.Join(root, ".public.whyopen"), inode(spare))); err == nil {
		t.Fatalf("a manifest names the half-staged tree")
	}

	st, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"releases/z/index.html", "releases/z", "index.html", "half/1.html"} {
		if _, err := os.Lstat(filepath.Join(st.Dir(), filepath.FromSlash(p))); err == nil {
			t.Errorf("Begin kept %s from the killed build's staging tree", p)
		}
	}
	sameSnapshot(t, "after Begin", snapshot(t, out), before)
	for p, data := range s {
		if err := st.Write(p, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	sameSite(t, readTree(t, out), s)
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != ".public.whyopen,public,ready" {
		t.Errorf("beside the output: %v", names)
	}
}

// killedChild stages a changed site into root/public, says so by creating
// root/ready, and waits to be killed.
func killedChild(root string) {
	st, err := Begin(filepath.Join(root, "public"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	files := map[string]string{"index.html": "half a build", "releases/z/index.html": "z"}
	for i := 0; i < 50; i++ {
		files[fmt.Sprintf("half/%d.html", i)] = strings.Repeat("x", i)
	}
	for p, data := range files {
		if err := st.Write(p, []byte(data)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	os.WriteFile(filepath.Join(root, "ready"), nil, 0o644)
	time.Sleep(time.Minute)
	os.Exit(3) // never reached unless the parent failed to kill
}
