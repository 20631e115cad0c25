package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Cache remembers what each content file parsed to, so that reading the
// same tree again parses only the files that changed: those whose size,
// modification time or identity (inode) differ from the last read. The
// development server keeps one across rebuilds.
//
// A file modified less than a second before it was read is parsed again
// on every read until it is older: file times are only as fine as the
// kernel's clock tick, so two saves of the same size in one tick would
// otherwise look like one.
//
// A file that did not change yields the very same value as before (the
// same *Release, say), so later stages may use pointer identity to tell
// that a document is unchanged. Values from a Cache must not be modified.
//
// A watched cache (Watch) goes further: it is told of every change, by
// Changed or Rescan, so it neither lists the tree again nor looks at the
// files it was not told of. It still lists the whole tree after Rescan,
// and whenever a change is more than a content file written, created or
// removed: a directory, a symbolic link, a file that had a problem.
type Cache struct {
	mu    sync.Mutex
	files map[string]cached // by path relative to the root

	watched bool
	stale   bool // the next Dir lists the whole tree
	root    string
	listing []entry   // the last listing, sorted
	walked  []Problem // the problems the last listing met
	changed map[string]bool
}

type cached struct {
	info  os.FileInfo
	racy  bool // modified too shortly before it was read to be trusted
	v     any
	probs []Problem
}

// racyWindow is how recently before a read a file may have been modified
// for the cache still to trust its time.
const racyWindow = time.Second

// Dir is like the package's Dir, but parses only the files that changed
// since the last call.
func (c *Cache) Dir(root string) (*Content, []Problem) { return dir(root, c) }

// Watch promises that, from now on, every change under the root's
// content/ directory is reported with Changed or Rescan before the Dir
// that should see it. The next Dir still reads the whole tree.
func (c *Cache) Watch() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.watched, c.stale = true, true
}

// Changed reports paths, relative to the root, that were written, created,
// removed or renamed. Paths outside content/ are ignored.
func (c *Cache) Changed(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed == nil {
		c.changed = map[string]bool{}
	}
	for _, p := range paths {
		c.changed[filepath.ToSlash(filepath.Clean(p))] = true
	}
}

// Rescan makes the next Dir list and look at the whole tree, as after a
// change the watcher could not name.
func (c *Cache) Rescan() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stale = true
}

// listed returns the listing of a watched tree, updated with the changes
// reported since, and the paths of the files to read again. ok is false
// when the tree must be listed afresh.
func (c *Cache) listed(root, croot string) (entries []entry, walked []Problem, fresh map[string]bool, ok bool) {
	if c == nil {
		return nil, nil, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	changed := c.changed
	c.changed = nil
	if !c.watched || c.stale || c.root != root {
		return nil, nil, nil, false
	}
	for _, p := range c.walked {
		if changed[p.Pos.File] {
			return nil, nil, nil, false // a file with a listing problem
		}
	}
	entries = c.listing
	fresh = map[string]bool{}
	for rel := range changed {
		if !strings.HasPrefix(rel, "content/") || rel == "content/site.yaml" || rel == "content/sources.yaml" {
			continue // not content, or read on every Dir
		}
		i, found := sort.Find(len(entries), func(i int) int { return strings.Compare(rel, entries[i].rel) })
		hidden := false
		for _, seg := range strings.Split(rel, "/") {
			hidden = hidden || strings.HasPrefix(seg, ".")
		}
		p := filepath.Join(root, filepath.FromSlash(rel))
		fi, err := os.Lstat(p)
		switch {
		case hidden:
		case errors.Is(err, fs.ErrNotExist):
			if found {
				entries = append(entries[:i:i], entries[i+1:]...)
			} else if i < len(entries) && strings.HasPrefix(entries[i].rel, rel+"/") {
				return nil, nil, nil, false // a directory went
			}
		case err != nil || fi.IsDir():
			return nil, nil, nil, false
		default:
			e, prob, _ := visit(croot, p, rel, fs.FileInfoToDirEntry(fi))
			if prob != nil {
				return nil, nil, nil, false
			}
			if e != nil {
				if !found {
					entries = append(entries[:i:i], append([]entry{*e}, entries[i:]...)...)
				}
				fresh[rel] = true
			}
		}
	}
	c.listing = entries
	return entries, c.walked, fresh, true
}

// list remembers a listing of root.
func (c *Cache) list(root string, entries []entry, walked []Problem) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.root, c.listing, c.walked, c.stale = root, entries, walked, false
}

// known fills in the values of a watched tree's files that did not
// change, and returns the indexes of the entries still to read.
func (c *Cache) known(entries []entry, fresh map[string]bool, values []any, found [][]Problem) []int {
	todo := make([]int, 0, len(fresh))
	if c == nil || fresh == nil {
		for i := range entries {
			todo = append(todo, i)
		}
		return todo
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range entries {
		if old, ok := c.files[e.rel]; ok && !fresh[e.rel] {
			values[i], found[i] = old.v, old.probs
		} else {
			todo = append(todo, i)
		}
	}
	return todo
}

// Parsed returns how many files the cache holds.
func (c *Cache) Parsed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.files)
}

func (c *Cache) read(e entry) (any, []Problem) {
	if c == nil {
		return readOne(e)
	}
	now := time.Now()
	fi, err := os.Stat(e.abs)
	if err == nil {
		c.mu.Lock()
		old, ok := c.files[e.rel]
		c.mu.Unlock()
		if ok && !old.racy && os.SameFile(old.info, fi) && old.info.Size() == fi.Size() && old.info.ModTime().Equal(fi.ModTime()) {
			return old.v, old.probs
		}
	}
	v, probs := readOne(e)
	if err == nil && v != nil {
		c.mu.Lock()
		if c.files == nil {
			c.files = map[string]cached{}
		}
		c.files[e.rel] = cached{fi, !fi.ModTime().Before(now.Add(-racyWindow)), v, probs}
		c.mu.Unlock()
	}
	return v, probs
}

// keep forgets files that are no longer in the tree.
func (c *Cache) keep(entries []entry) {
	if c == nil {
		return
	}
	live := make(map[string]bool, len(entries))
	for _, e := range entries {
		live[e.rel] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.files {
		if !live[p] {
			delete(c.files, p)
		}
	}
}
