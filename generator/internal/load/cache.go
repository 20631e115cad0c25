package load

import (
	"os"
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
type Cache struct {
	mu    sync.Mutex
	files map[string]cached // by path relative to the root
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
