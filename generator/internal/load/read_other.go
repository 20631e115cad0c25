//go:build !unix

package load

import (
	"io/fs"
	"os"
)

// readFile reads the regular file at path, unless it is larger than
// limit: then it returns a tooLarge error with the file's size.
func readFile(path string, limit int64, buf []byte) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errNotRegular}
	}
	if fi.Size() > limit {
		return nil, tooLarge(fi.Size())
	}
	data, err := os.ReadFile(path)
	if err == nil && int64(len(data)) > limit {
		return nil, tooLarge(int64(len(data)))
	}
	return data, err
}
