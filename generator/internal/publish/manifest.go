package publish

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// sum is the hash of a file's bytes: the first 16 bytes of its SHA-256.
type sum [16]byte

func hashOf(data []byte) sum {
	full := sha256.Sum256(data)
	var s sum
	copy(s[:], full[:])
	return s
}

// entry is what a manifest knows of one file: its hash and size, and the
// modification time and inode it had when written, which tell whether
// anyone has touched it since.
type entry struct {
	Sum   sum
	Size  int64
	Mtime int64 // nanoseconds
	Ino   uint64
}

// stamp is what a manifest knows of one directory: its modification time
// and inode. A directory's time changes whenever an entry is added to it,
// removed or renamed, so while its stamp holds, it holds just the entries
// the manifest lists.
type stamp struct {
	Mtime int64 // nanoseconds
	Ino   uint64
}

// manifest lists every file of one output tree. Tree identifies the tree
// by the inode of its root directory, which survives the renames that swap
// trees, so a manifest can never be taken for another tree's. Dirs holds
// the stamps of the tree's directories (but its root) as they were when
// a build last found them to hold what the manifest lists; a directory
// whose stamp is missing or no longer matches must be read to be known.
type manifest struct {
	Tree  uint64
	Files map[string]entry
	Dirs  map[string]stamp
}

const manifestHeader = "whyopen-publish 2"

// inode returns the inode of path, or 0 when it cannot be read.
func inode(path string) uint64 {
	fi, err := os.Lstat(path)
	if err != nil {
		return 0
	}
	ino, _, _, _ := statOf(fi)
	return ino
}

// stampOf returns a directory's stamp, and whether the system gives one.
func stampOf(fi os.FileInfo) (stamp, bool) {
	ino, _, mtime, ok := statOf(fi)
	return stamp{Mtime: mtime, Ino: ino}, ok && ino != 0
}

// matches reports whether the file at path is still the one e describes.
func (e entry) matches(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	ino, size, mtime, ok := statOf(fi)
	return ok && ino == e.Ino && size == e.Size && mtime == e.Mtime
}

// encode writes m, sorted by path, so the same tree gives the same bytes.
func (m *manifest) encode() []byte {
	paths := make([]string, 0, len(m.Files))
	for p := range m.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	b.Grow(len(paths) * 96)
	fmt.Fprintf(&b, "%s %d\n", manifestHeader, m.Tree)
	for _, p := range paths {
		e := m.Files[p]
		b.WriteString(hex.EncodeToString(e.Sum[:]))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(e.Size, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(e.Mtime, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(e.Ino, 10))
		b.WriteByte(' ')
		b.WriteString(p)
		b.WriteByte('\n')
	}
	dirs := slices.Sorted(maps.Keys(m.Dirs))
	for _, d := range dirs {
		st := m.Dirs[d]
		fmt.Fprintf(&b, "dir %d %d %s\n", st.Mtime, st.Ino, d)
	}
	return b.Bytes()
}

// readManifest reads a manifest file; a damaged one is an error.
func readManifest(path string) (*manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("%s: empty", path)
	}
	head, tree, ok := strings.Cut(sc.Text(), manifestHeader+" ")
	if !ok || head != "" {
		return nil, fmt.Errorf("%s: not a manifest", path)
	}
	m := &manifest{Files: map[string]entry{}, Dirs: map[string]stamp{}}
	if m.Tree, err = strconv.ParseUint(tree, 10, 64); err != nil {
		return nil, fmt.Errorf("%s: bad header", path)
	}
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "dir "); ok {
			f := strings.SplitN(rest, " ", 3)
			var st stamp
			var err1, err2 error
			if len(f) == 3 {
				st.Mtime, err1 = strconv.ParseInt(f[0], 10, 64)
				st.Ino, err2 = strconv.ParseUint(f[1], 10, 64)
			}
			if len(f) != 3 || err1 != nil || err2 != nil || ValidPath(f[2]) != nil {
				return nil, fmt.Errorf("%s: bad line %q", path, sc.Text())
			}
			m.Dirs[f[2]] = st
			continue
		}
		f := strings.SplitN(sc.Text(), " ", 5)
		if len(f) != 5 || len(f[0]) != 32 {
			return nil, fmt.Errorf("%s: bad line %q", path, sc.Text())
		}
		var e entry
		if _, err := hex.Decode(e.Sum[:], []byte(f[0])); err != nil {
			return nil, fmt.Errorf("%s: bad hash", path)
		}
		var err1, err2, err3 error
		e.Size, err1 = strconv.ParseInt(f[1], 10, 64)
		e.Mtime, err2 = strconv.ParseInt(f[2], 10, 64)
		e.Ino, err3 = strconv.ParseUint(f[3], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || ValidPath(f[4]) != nil {
			return nil, fmt.Errorf("%s: bad line %q", path, sc.Text())
		}
		m.Files[f[4]] = e
	}
	return m, sc.Err()
}

// writeFileAtomic writes data to path through a temporary file and a
// rename, so that path holds either its old bytes or the new ones.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// manifestPath is where the manifest of the tree with root inode ino lives.
func manifestPath(cache string, ino uint64) string {
	return filepath.Join(cache, "tree-"+strconv.FormatUint(ino, 10)+".sum")
}
