// Package publish writes a built site to its output directory so that a
// reader of that directory sees either the old site or the new one, never a
// mix, and a build that fails or is killed leaves the old one untouched.
//
// Begin prepares a staging directory beside the output directory. Write
// puts one file into it, and Keep says that a file is unchanged from the
// previous site. Commit swaps the staging directory and the output
// directory in one atomic rename (renameat2 with RENAME_EXCHANGE on Linux,
// two renames elsewhere). Abort leaves the output as it was.
//
// Writes are what cost time on a slow disk, directories most of all, so
// publish writes as little as it can. Beside the output directory out it
// keeps a directory .<out>.whyopen holding a manifest of each tree (every
// file's path, size, SHA-256, modification time and inode) and a spare
// tree: the site before the current one, which is the previous build's
// output swapped out. The next build stages into the spare tree itself:
// a file whose bytes it already holds costs nothing, a file the current
// site holds is hard-linked from it, and only files that changed are
// written; files the new site lacks are removed at Commit. After the swap
// the old site becomes the spare, so nothing is ever removed wholesale.
//
// A manifest names its tree by the inode of the tree's root, so manifests
// and trees cannot be confused, even after a crash between two renames.
// Begin removes the spare tree's manifest before changing the tree, so a
// build killed midway leaves a spare with no manifest, which the next
// Begin discards. Unless Options.Trusted is set, Begin checks every file of
// the spare tree against its manifest (size, modification time and inode)
// and removes files nobody listed, and a file is hard-linked from the
// output only if it too is as its manifest says: a site edited by hand is
// never taken for the one that was built. To find the files nobody listed,
// Begin reads only the directories whose modification time or inode differ
// from the manifest's stamp of them: see verifySpare.
//
// Every path must be relative, slash-separated and clean: no "..", no
// leading "/", no backslash, no empty segment. A path that could escape the
// output directory is an error, and so is writing one path twice.
//
// # Whose directory
//
// publish never moves or deletes a file it did not write. It writes only
// into an output directory that is absent, empty, or whyopen's: one that
// holds the marker file (Marker) that Commit puts at the root of every
// tree it publishes, or, from before markers, one whose manifest lists
// every file it holds, as it was written, and nothing else. Anything else
// (a file, a symbolic link, a directory with other files) is refused
// before anything is made beside it, with an error that names it and
// says how to proceed. So are the root of the file system and an output
// that is, holds or lies inside one of Options.Sources. A spare tree that
// no manifest lists and no marker claims, as an older whyopen could leave
// after moving a foreign output aside, is refused too, not removed. Files
// added by hand to a marked output are not whyopen's either: unless
// Options.Trusted is set, Begin finds them (see foreignInOutput) and
// refuses to build until they are moved out.
//
// # One build at a time
//
// A Stage holds the output's Lock, a flock on .<out>.whyopen/lock, from
// Begin to Commit or Abort, so builds into one output take turns: a
// second waits up to Options.Wait and then fails, and never publishes a
// partial tree. The kernel releases the lock of a process that dies. A
// process that writes the output again and again (the development
// server) takes the lock once with Acquire and passes it in
// Options.Lock. Where flock does not exist (not Unix), builds are not
// kept apart.
package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// racyWindow is how long a directory must have been left alone for its
// stamp to be trusted; see verifySpare. Two seconds is the coarsest
// file time in common use (FAT's).
const racyWindow = 2 * time.Second

// Options tunes a Stage.
type Options struct {
	// Trusted skips checking that the trees are as their manifests say.
	// Only a process that alone writes the output (the development
	// server) should set it.
	Trusted bool
	// Cache, when set, keeps the manifests in memory between builds, so
	// that they are not read back from disk; it implies Trusted.
	Cache *Cache
	// Sources are the directories the build reads. The output may not be
	// one of them, hold one or lie inside one.
	Sources []string
	// Lock, when set, is the output's lock, which the caller holds for
	// all its builds (the development server). Otherwise Begin takes the
	// lock, and Commit or Abort releases it.
	Lock *Lock
	// Wait is how long Begin waits for another process's lock on the
	// output; zero fails at once. Waiting, if set, is called with a
	// message once the wait starts.
	Wait    time.Duration
	Waiting func(msg string)
}

// Cache holds the manifests of a process's last builds.
type Cache struct {
	mu    sync.Mutex
	trees map[uint64]*manifest // by root inode
}

func (c *Cache) get(ino uint64) *manifest {
	if c == nil || ino == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trees[ino]
}

func (c *Cache) put(ms ...*manifest) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trees = map[uint64]*manifest{}
	for _, m := range ms {
		if m != nil && m.Tree != 0 {
			c.trees[m.Tree] = m
		}
	}
}

// Stage is a site being written.
type Stage struct {
	out, cache, dir string
	opt             Options
	lock            *Lock     // to release at Commit or Abort; nil if the caller's
	prev, spare     *manifest // of out and of dir as Begin found them

	mu      sync.Mutex
	next    map[string]entry // this build's files
	bytes   int64
	written int
	linked  int
	read    []string // the directories verifySpare had to read, for tests
	kept    int
	dirs    sync.Map // directories known to exist in dir
}

// Begin starts staging a new site for out, once it has checked that out
// may be written and taken its lock. Staging directories left behind by
// older versions are removed first.
func Begin(out string) (*Stage, error) { return BeginWith(out, Options{}) }

// BeginWith is Begin with options.
func BeginWith(out string, opt Options) (st *Stage, err error) {
	lock := opt.Lock
	if lock == nil {
		if lock, err = Acquire(out, opt); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				lock.Release()
			}
		}()
	} else if abs, _, err := paths(out); err != nil {
		return nil, err
	} else if abs != lock.out || lock.f == nil {
		return nil, fmt.Errorf("the lock held is for %s, not %s", lock.out, abs)
	} else if err := owned(lock.out, lock.cache); err != nil {
		return nil, err
	}
	out = lock.out
	parent, base := filepath.Dir(out), filepath.Base(out)
	old, _ := filepath.Glob(filepath.Join(parent, "."+base+".staging-*"))
	for _, o := range old {
		os.RemoveAll(o)
	}
	if opt.Cache != nil {
		opt.Trusted = true
	}
	s := &Stage{out: out, cache: lock.cache, opt: opt, next: map[string]entry{}}
	if opt.Lock == nil {
		s.lock = lock
	}
	s.dir = filepath.Join(s.cache, "spare")

	// Find each tree's manifest by its root's inode; drop the rest.
	outIno, spareIno := inode(out), inode(s.dir)
	s.prev, s.spare = opt.Cache.get(outIno), opt.Cache.get(spareIno)
	if s.spare != nil {
		s.spare = &manifest{Tree: s.spare.Tree, Files: maps.Clone(s.spare.Files), Dirs: s.spare.Dirs} // Commit may change it
	}
	sums, _ := filepath.Glob(filepath.Join(s.cache, "tree-*.sum"))
	for _, p := range sums {
		switch p {
		case manifestPath(s.cache, outIno):
			if s.prev != nil {
				break
			}
			if m, err := readManifest(p); err == nil && m.Tree == outIno {
				s.prev = m
			}
		case manifestPath(s.cache, spareIno):
			if s.spare != nil {
				break
			}
			if m, err := readManifest(p); err == nil && m.Tree == spareIno {
				s.spare = m
			}
		}
		if p != manifestPath(s.cache, outIno) {
			os.Remove(p) // the spare's too: it is about to change
		}
	}
	if outIno == 0 {
		s.prev = nil
	}
	if s.prev != nil && !opt.Trusted {
		if err := s.foreignInOutput(); err != nil {
			return nil, err
		}
	}
	if s.spare == nil || spareIno == 0 {
		// A spare no manifest lists is a tree a build was killed while
		// staging, which the marker claims, or an empty directory taken
		// for an output. Anything else may be a directory an older
		// whyopen moved here from the output: it is not whyopen's to
		// delete.
		if err := foreignSpare(s.dir, out); err != nil {
			return nil, err
		}
		if err := os.RemoveAll(s.dir); err != nil {
			return nil, err
		}
		if err := os.Mkdir(s.dir, 0o755); err != nil {
			return nil, err
		}
		if err := mark(s.dir); err != nil {
			return nil, err
		}
		s.spare = &manifest{Files: map[string]entry{}}
	} else if !opt.Trusted {
		if err := s.verifySpare(); err != nil {
			return nil, err
		}
	}
	s.dirs.Store(".", true)
	for p := range s.spare.Files {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, seen := s.dirs.LoadOrStore(d, true); seen {
				break
			}
		}
	}
	return s, nil
}

// verifySpare removes from the spare tree, and from its manifest, every
// file that is not exactly as the manifest says, and every file or
// directory the manifest does not account for.
//
// Every listed file is looked at (lstat), but a directory is read only
// when its stamp differs from the manifest's: an entry added, removed or
// renamed since would have changed its time. Reading every directory is
// what cost most at 50,000 releases, one directory per release. A stamp
// is kept for the next manifest only when the directory had not changed
// for racyWindow before it was taken: file times are only as fine as the
// kernel's clock tick, or the file system's (whole seconds on some), so a
// change made in the same tick as the stamp would not show.
func (s *Stage) verifySpare() error {
	listed := map[string]bool{".": true} // directories that hold listed files
	for p := range s.spare.Files {
		for d := path.Dir(p); d != "." && !listed[d]; d = path.Dir(d) {
			listed[d] = true
		}
	}
	dirs := slices.Sorted(maps.Keys(listed)) // parents first
	now := time.Now()
	verified := map[string]stamp{}
	gone := map[string]bool{} // listed directories that are not there
	var junk []string
	for _, d := range dirs {
		if gone[path.Dir(d)] {
			gone[d] = true
			continue
		}
		full := filepath.Join(s.dir, filepath.FromSlash(d))
		fi, err := os.Lstat(full)
		if err != nil || !fi.IsDir() {
			if err == nil {
				junk = append(junk, d) // not a directory
			}
			gone[d] = true
			continue
		}
		// The root is renamed on every Commit, which on some file systems
		// moves its time: it is always read, and never stamped.
		st, stamped := stampOf(fi)
		settled := stamped && d != "." && now.Sub(time.Unix(0, st.Mtime)) >= racyWindow
		if old, ok := s.spare.Dirs[d]; ok && stamped && old == st {
			if settled {
				verified[d] = st
			}
			continue
		}
		ents, err := os.ReadDir(full)
		if err != nil {
			return err
		}
		s.read = append(s.read, d)
		for _, e := range ents {
			rel := path.Join(d, e.Name())
			if e.IsDir() && listed[rel] || rel == Marker {
				continue
			}
			if _, ok := s.spare.Files[rel]; !ok || !e.Type().IsRegular() {
				junk = append(junk, rel)
			}
		}
		if settled {
			verified[d] = st
		}
	}
	for p, e := range s.spare.Files {
		switch {
		case gone[path.Dir(p)]:
			delete(s.spare.Files, p)
		case !e.matches(filepath.Join(s.dir, filepath.FromSlash(p))):
			junk = append(junk, p)
			delete(s.spare.Files, p)
		}
	}
	for _, j := range junk {
		if err := os.RemoveAll(filepath.Join(s.dir, filepath.FromSlash(j))); err != nil {
			return err
		}
	}
	s.spare.Dirs = verified
	return nil
}

// foreignInOutput refuses an output that holds files or directories its
// manifest does not list: someone put them there by hand, and a build
// would move them out with the old site and delete them a build later.
// Like verifySpare, it reads only the directories whose stamp differs from
// the manifest's, and always the root; files whyopen wrote and someone
// edited are whyopen's, and are replaced.
func (s *Stage) foreignInOutput() error {
	listed := map[string]bool{".": true}
	for p := range s.prev.Files {
		for d := path.Dir(p); d != "." && !listed[d]; d = path.Dir(d) {
			listed[d] = true
		}
	}
	var foreign []string
	for _, d := range slices.Sorted(maps.Keys(listed)) {
		full := filepath.Join(s.out, filepath.FromSlash(d))
		fi, err := os.Lstat(full)
		if err != nil || !fi.IsDir() {
			continue // gone or replaced: the files check finds it
		}
		if st, ok := stampOf(fi); ok && d != "." {
			if old, ok := s.prev.Dirs[d]; ok && old == st {
				continue
			}
		}
		ents, err := os.ReadDir(full)
		if err != nil {
			return err
		}
		for _, e := range ents {
			rel := path.Join(d, e.Name())
			if rel == Marker || e.IsDir() && listed[rel] {
				continue
			}
			if _, ok := s.prev.Files[rel]; !ok {
				foreign = append(foreign, rel)
			}
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	slices.Sort(foreign)
	more := ""
	if len(foreign) > 5 {
		more = fmt.Sprintf(" and %d more", len(foreign)-5)
		foreign = foreign[:5]
	}
	return fmt.Errorf("refusing to build into %s: it holds %s%s, which whyopen did not write, and a build replaces the whole directory; "+
		"move them out of %s, then build again", s.out, strings.Join(foreign, ", "), more, s.out)
}

// stamps returns the stamps Begin found good for the directories of a tree
// holding files. Those of directories this build changed no longer match
// them, so the next build reads those again.
func (s *Stage) stamps(files map[string]entry) map[string]stamp {
	dirs := map[string]stamp{}
	seen := map[string]bool{}
	keep := func(d string) bool {
		if seen[d] {
			return false
		}
		seen[d] = true
		if st, ok := s.spare.Dirs[d]; ok {
			dirs[d] = st
		}
		return true
	}
	for p := range files {
		for d := path.Dir(p); d != "." && keep(d); d = path.Dir(d) {
		}
	}
	return dirs
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

// Write stages one file. It is safe for concurrent use, and does not keep
// data after it returns.
func (s *Stage) Write(p string, data []byte) error {
	if err := s.claim(p, int64(len(data))); err != nil {
		return err
	}
	h := hashOf(data)
	if e, ok := s.spare.Files[p]; ok && e.Sum == h && e.Size == int64(len(data)) {
		s.done(p, e, &s.kept)
		return nil
	}
	if e, ok := s.prev.lookup(p); ok && e.Sum == h && e.Size == int64(len(data)) {
		if s.link(p, e) {
			return nil
		}
	}
	dst := filepath.Join(s.dir, filepath.FromSlash(p))
	if err := s.clear(p, dst); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	var fi os.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	e := entry{Sum: h}
	e.Ino, e.Size, e.Mtime, _ = statOf(fi)
	s.done(p, e, &s.written)
	return nil
}

// Keep stages the file p of the previous site, unchanged: the caller knows
// its bytes are the same without making them again. It is an error if the
// previous site has no file p, or (unless trusted) if it was changed since.
func (s *Stage) Keep(p string) error {
	e, ok := s.prev.lookup(p)
	if !ok {
		return fmt.Errorf("cannot keep %q: the previous site has no such file", p)
	}
	if err := s.claim(p, e.Size); err != nil {
		return err
	}
	if se, ok := s.spare.Files[p]; ok && se.Sum == e.Sum && se.Size == e.Size {
		s.done(p, se, &s.kept)
		return nil
	}
	if !s.link(p, e) {
		s.mu.Lock()
		delete(s.next, p) // so that the caller may write it after all
		s.bytes -= e.Size
		s.mu.Unlock()
		return fmt.Errorf("cannot keep %q: the previous site's file changed or cannot be linked", p)
	}
	return nil
}

// Unchanged reports whether the previous site has a file p with the
// given bytes' hash; a caller that knows a file's hash can then Keep it.
func (s *Stage) Unchanged(p string, data []byte) bool {
	e, ok := s.prev.lookup(p)
	return ok && e.Size == int64(len(data)) && e.Sum == hashOf(data)
}

func (m *manifest) lookup(p string) (entry, bool) {
	if m == nil {
		return entry{}, false
	}
	e, ok := m.Files[p]
	return e, ok
}

// claim records that p is part of the new site.
func (s *Stage) claim(p string, size int64) error {
	if err := ValidPath(p); err != nil {
		return err
	}
	if p == Marker {
		return fmt.Errorf("output path %q is publish's own marker", p)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.next[p]; dup {
		return fmt.Errorf("output path %q written twice", p)
	}
	s.next[p] = entry{}
	s.bytes += size
	return nil
}

func (s *Stage) done(p string, e entry, counter *int) {
	s.mu.Lock()
	s.next[p] = e
	*counter++
	s.mu.Unlock()
}

// link hard-links the previous site's file p into the staging tree.
func (s *Stage) link(p string, e entry) bool {
	src := filepath.Join(s.out, filepath.FromSlash(p))
	if !s.opt.Trusted && !e.matches(src) {
		return false
	}
	dst := filepath.Join(s.dir, filepath.FromSlash(p))
	if s.clear(p, dst) != nil || os.Link(src, dst) != nil {
		return false
	}
	s.done(p, e, &s.linked)
	return true
}

// clear makes room for a new file at dst: its directory exists and no
// file is there. A file already there may be a hard link shared with the
// current site, so it is unlinked, never overwritten.
func (s *Stage) clear(p, dst string) error {
	if _, ok := s.spare.Files[p]; ok {
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return s.mkdir(path.Dir(p))
}

// mkdir makes the staging directory d and its parents, each at most once.
func (s *Stage) mkdir(d string) error {
	if _, ok := s.dirs.Load(d); ok {
		return nil
	}
	if err := s.mkdir(path.Dir(d)); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(s.dir, filepath.FromSlash(d)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.dirs.Store(d, true)
	return nil
}

// Stats returns the number of files and bytes staged, and how many files
// were unchanged from an earlier site (kept in place or hard-linked).
func (s *Stage) Stats() (files int, bytes int64, unchanged int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.next), s.bytes, s.linked + s.kept
}

// Written returns how many files were written: the ones that changed.
func (s *Stage) Written() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written
}

// Commit makes the staged site the output directory, marked as
// whyopen's, and releases the lock Begin took. When it fails, the caller
// must Abort.
func (s *Stage) Commit() error {
	// Remove what the spare held that the new site lacks, then the
	// directories that leaves empty, deepest first.
	need := map[string]bool{}
	for p := range s.next {
		for d := path.Dir(p); d != "." && !need[d]; d = path.Dir(d) {
			need[d] = true
		}
	}
	var gone []string
	for p := range s.spare.Files {
		if _, ok := s.next[p]; ok {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for d := path.Dir(p); d != "." && !need[d]; d = path.Dir(d) {
			need[d] = true // visit once
			gone = append(gone, d)
		}
	}
	sort.Slice(gone, func(i, j int) bool {
		if a, b := strings.Count(gone[i], "/"), strings.Count(gone[j], "/"); a != b {
			return a > b
		}
		return gone[i] > gone[j]
	})
	for _, d := range gone {
		os.Remove(filepath.Join(s.dir, filepath.FromSlash(d)))
	}
	if err := mark(s.dir); err != nil {
		return err
	}

	m := &manifest{Tree: inode(s.dir), Files: s.next, Dirs: s.stamps(s.next)}
	if m.Tree == 0 {
		return fmt.Errorf("cannot read %s", s.dir)
	}
	if err := writeFileAtomic(manifestPath(s.cache, m.Tree), m.encode()); err != nil {
		return err
	}
	if _, err := os.Lstat(s.out); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(s.dir, s.out); err != nil {
			return err
		}
		s.opt.Cache.put(m)
		s.lock.Release()
		return nil
	}
	// The old site becomes the spare, with its manifest, if it has one.
	if err := exchange(s.dir, s.out); err != nil {
		return err
	}
	s.opt.Cache.put(m, s.prev)
	s.lock.Release()
	return nil
}

// Abort leaves the output as it was. The staging tree stays as the spare,
// with a manifest of what it now holds, for the next build.
func (s *Stage) Abort() {
	defer s.lock.Release()
	files := s.spare.Files
	s.mu.Lock()
	for p, e := range s.next {
		if e == (entry{}) {
			delete(files, p) // claimed, and perhaps removed, but never staged
		} else {
			files[p] = e
		}
	}
	s.mu.Unlock()
	m := &manifest{Tree: inode(s.dir), Files: files, Dirs: s.stamps(files)}
	if m.Tree == 0 || writeFileAtomic(manifestPath(s.cache, m.Tree), m.encode()) != nil {
		os.RemoveAll(s.dir)
		s.opt.Cache.put(s.prev)
		return
	}
	s.opt.Cache.put(s.prev, m)
}
