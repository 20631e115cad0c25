//go:build unix

package publish

import (
	"os"
	"syscall"
)

// statOf returns the inode, size and modification time of a file.
func statOf(fi os.FileInfo) (ino uint64, size, mtime int64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, false
	}
	return uint64(st.Ino), fi.Size(), fi.ModTime().UnixNano(), true
}
