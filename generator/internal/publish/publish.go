// Package publish writes a built site to its output directory so that a
// reader of that directory sees either the old site or the new one, never a
// mix, and a build that fails or is killed leaves the old one untouched.
//
// Begin creates a fresh staging directory beside the output directory.
// Write puts one file into it: where the previous site has a file with the
// same bytes, the staged file is a hard link to it, so an unchanged page
// costs a comparison instead of a write. Commit swaps the staging directory
// and the output directory in one atomic rename (renameat2 with
// RENAME_EXCHANGE on Linux, two renames elsewhere) and then removes the old
// tree. Abort removes the staging directory.
//
// Every path must be relative, slash-separated and clean: no "..", no
// leading "/", no backslash, no empty segment. A path that could escape the
// output directory is an error, and so is writing one path twice.
package publish

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Stage is a site being written.
type Stage struct {
	out, dir string
	mu       sync.Mutex
	seen     map[string]bool
	files    int
	bytes    int64
	linked   int
}

// Begin starts a new staging directory for out. Staging directories left
// behind by killed builds are removed first.
func Begin(out string) (*Stage, error) {
	out = filepath.Clean(out)
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(out); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s exists and is not a directory", out)
	}
	old, _ := filepath.Glob(filepath.Join(parent, "."+base+".staging-*"))
	for _, o := range old {
		os.RemoveAll(o)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	dir := filepath.Join(parent, "."+base+".staging-"+hex.EncodeToString(b[:]))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	return &Stage{out: out, dir: dir, seen: map[string]bool{}}, nil
}

// Dir returns the staging directory.
func (s *Stage) Dir() string { return s.dir }

// ValidPath reports whether p is a safe relative output path.
func ValidPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty output path")
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("output path %q is absolute", p)
	case strings.ContainsAny(p, "\\\x00:"):
		return fmt.Errorf("output path %q contains a backslash, colon or NUL", p)
	case path.Clean(p) != p:
		return fmt.Errorf("output path %q is not clean", p)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return fmt.Errorf("output path %q escapes the output directory", p)
		}
	}
	return nil
}

// Write stages one file. It is safe for concurrent use.
func (s *Stage) Write(p string, data []byte) error {
	if err := ValidPath(p); err != nil {
		return err
	}
	s.mu.Lock()
	if s.seen[p] {
		s.mu.Unlock()
		return fmt.Errorf("output path %q written twice", p)
	}
	s.seen[p] = true
	s.files++
	s.bytes += int64(len(data))
	s.mu.Unlock()

	dst := filepath.Join(s.dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	prev := filepath.Join(s.out, filepath.FromSlash(p))
	if fi, err := os.Lstat(prev); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(data)) {
		if old, err := os.ReadFile(prev); err == nil && bytes.Equal(old, data) {
			if os.Link(prev, dst) == nil {
				s.mu.Lock()
				s.linked++
				s.mu.Unlock()
				return nil
			}
		}
	}
	return os.WriteFile(dst, data, 0o644)
}

// Stats returns the number of files and bytes staged, and how many files
// were hard-linked from the previous site.
func (s *Stage) Stats() (files int, bytes int64, linked int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files, s.bytes, s.linked
}

// Commit makes the staged site the output directory.
func (s *Stage) Commit() error {
	if _, err := os.Lstat(s.out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(s.dir, s.out)
	}
	if err := exchange(s.dir, s.out); err != nil {
		return err
	}
	return os.RemoveAll(s.dir) // now the old site
}

// Abort discards the staged site.
func (s *Stage) Abort() { os.RemoveAll(s.dir) }
