//go:build unix

package load

import (
	"io/fs"
	"syscall"
)

// readFile reads the regular file at path into buf, growing it as needed,
// unless the file is larger than limit: then it returns a tooLarge error with
// the file's size. It makes four system calls (open, fstat, read, close)
// where os.ReadFile makes about ten, registering each file with the
// network poller only to find it cannot be polled; over tens of thousands
// of content files that is a measurable share of the load stage.
func readFile(path string, limit int64, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	if st.Size > limit {
		return nil, tooLarge(st.Size)
	}
	// One byte more than the size, so that a file that grew since fstat
	// is read to its end rather than cut short.
	want := int(st.Size) + 1
	if cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, tooLarge(int64(len(buf)))
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) == st.Size && len(buf) < cap(buf) {
			// The whole file, as fstat sized it: a second read would
			// only say so.
			return buf, nil
		}
	}
}
