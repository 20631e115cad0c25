package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Marker is the name of the file, at the root of every site publish
// writes, that marks the directory as whyopen's. Its bytes are always
// markerText, so that the same content still gives the same output.
const Marker = ".whyopen-output"

const markerText = `whyopen-output 1
This directory is the output of whyopen: every build replaces all of it.
Its manifest is kept beside it, in .<this directory's name>.whyopen/.
Keep no files of your own here: a build that finds one stops until it is moved out.
`

// oldMarkerTexts are the marker's earlier texts, which still claim an
// output made before the text changed.
var oldMarkerTexts = []string{`whyopen-output 1
This directory is the output of whyopen: every build replaces all of it.
Its manifest is kept beside it, in .<this directory's name>.whyopen/.
Keep no files of your own here; they would not survive the next build.
`}

// Lock is the right to write one output directory: one build, or one
// development server, holds it at a time. It is an advisory lock (flock)
// on the file lock in the directory .<out>.whyopen beside the output, so
// the kernel releases it when the process ends, however it ends.
type Lock struct {
	out, cache string
	f          *os.File
}

// Acquire checks that whyopen may write into out (see the package doc)
// and takes its lock. When another process holds the lock, it waits up to
// opt.Wait, calling opt.Waiting once first, and then fails. The caller
// must Release the lock.
func Acquire(out string, opt Options) (*Lock, error) {
	out, cache, err := paths(out)
	if err != nil {
		return nil, err
	}
	if err := refuseSources(out, opt.Sources); err != nil {
		return nil, err
	}
	// Refuse a foreign directory before creating anything beside it.
	if err := owned(out, cache); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(cache, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(opt.Wait)
	for told := false; ; {
		held, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", f.Name(), err)
		}
		if held {
			break
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, fmt.Errorf("another whyopen build or server is writing %s (it holds the lock %s): try again once it is done", out, f.Name())
		}
		if !told && opt.Waiting != nil {
			opt.Waiting(fmt.Sprintf("waiting up to %s for another whyopen build or server to finish writing %s", opt.Wait.Round(time.Second), out))
			told = true
		}
		time.Sleep(50 * time.Millisecond)
	}
	l := &Lock{out: out, cache: cache, f: f}
	// The directory may have changed while this process waited.
	if err := owned(out, cache); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// Release gives the lock up. Releasing a nil or released lock does nothing.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Close() // closing the only descriptor releases the flock
	l.f = nil
}

// paths returns out as an absolute, clean path, and the directory beside
// it where publish keeps its manifests, spare tree and lock.
func paths(out string) (string, string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", "", err
	}
	if filepath.Dir(abs) == abs {
		return "", "", fmt.Errorf("refusing to write a site into %s, the root of the file system: choose an empty or new directory for the output", abs)
	}
	return abs, filepath.Join(filepath.Dir(abs), "."+filepath.Base(abs)+".whyopen"), nil
}

// refuseSources refuses an output directory that is one of the directories
// a build reads, holds one, or lies inside one: writing it would replace
// the site's own sources.
func refuseSources(out string, sources []string) error {
	rout := resolve(out)
	for _, src := range sources {
		name := src + string(filepath.Separator)
		abs, err := filepath.Abs(src)
		if err != nil {
			return err
		}
		rsrc := resolve(abs)
		switch {
		case rout == rsrc:
			return fmt.Errorf("refusing to write the site into %s: it is the site's own %s, which the build reads; choose a directory for the output alone", out, name)
		case inside(rsrc, rout):
			return fmt.Errorf("refusing to write the site into %s: it holds the site's own %s, which the build reads; choose a directory for the output alone", out, name)
		case inside(rout, rsrc):
			return fmt.Errorf("refusing to write the site into %s: it is inside the site's own %s, which the build reads; choose a directory for the output alone", out, name)
		}
	}
	return nil
}

// resolve returns the absolute path p with the symbolic links of its
// longest existing prefix resolved.
func resolve(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// inside reports whether p lies strictly inside dir.
func inside(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// owned returns nil if whyopen may write into out: it is absent, an empty
// directory, a directory holding the marker, or the output of an older
// whyopen, without a marker but with a manifest that lists exactly what it
// holds. Otherwise it says why not and how to proceed.
func owned(out, cache string) error {
	fi, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("refusing to write the site into %s: it exists and is not a directory; remove it yourself, or choose an empty or new directory for the output", out)
	}
	if isMarker(filepath.Join(out, Marker)) {
		return nil
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(ents) == 0 || builtBefore(out, cache) {
		return nil
	}
	return fmt.Errorf("refusing to write the site into %s: it is not empty and whyopen did not make it, so whyopen would replace files it did not write; "+
		"choose an empty or new directory for the output, or move or remove %s yourself", out, out)
}

// isMarker reports whether p is a marker file.
func isMarker(p string) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 1024 {
		return false
	}
	b, err := os.ReadFile(p)
	return err == nil && (string(b) == markerText || slices.Contains(oldMarkerTexts, string(b)))
}

// builtBefore reports whether out is the unmarked output of an older
// whyopen: its manifest, found by the inode of out, lists every file out
// holds as it was written (size, time and inode), and out holds nothing
// else. An inode can be reused by a directory made after the output was
// removed, which is why the files themselves must match.
func builtBefore(out, cache string) bool {
	ino := inode(out)
	if ino == 0 {
		return false
	}
	m, err := readManifest(manifestPath(cache, ino))
	if err != nil || m.Tree != ino {
		return false
	}
	dirs := map[string]bool{".": true}
	for p := range m.Files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	seen := 0
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir() && dirs[rel]:
			return nil
		case d.Type().IsRegular():
			if e, ok := m.Files[rel]; ok && e.matches(p) {
				seen++
				return nil
			}
		}
		return errors.New("not listed")
	})
	return err == nil && seen == len(m.Files)
}

// mark makes sure the tree at dir holds the marker.
func mark(dir string) error {
	p := filepath.Join(dir, Marker)
	if isMarker(p) {
		return nil
	}
	if err := os.RemoveAll(p); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(markerText), 0o644)
}

// foreignSpare returns an error if the spare tree at dir, which no
// manifest lists, holds files and no marker.
func foreignSpare(dir, out string) error {
	if isMarker(filepath.Join(dir, Marker)) {
		return nil
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) == 0 {
		return nil // absent or empty
	}
	return fmt.Errorf("%s holds files that no manifest lists and no marker claims: an older whyopen may have moved them there from %s. "+
		"Look through them and keep what you need, then remove %s yourself", dir, out, dir)
}
