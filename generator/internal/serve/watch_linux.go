package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

const watchMask = unix.IN_CREATE | unix.IN_DELETE | unix.IN_MODIFY | unix.IN_CLOSE_WRITE | unix.IN_MOVED_FROM |
	unix.IN_MOVED_TO | unix.IN_ATTRIB | unix.IN_DELETE_SELF | unix.IN_MOVE_SELF

// inotify watches directory trees with Linux's inotify, so that a save is
// seen at once, whatever the size of the tree.
type inotify struct {
	f  *os.File
	mu sync.Mutex
	wd map[int]string
}

// watchTrees reports on changed every change under the roots (and the
// creation of a missing root inside parent) until stop is closed, and
// records in seen the path of each, or that it cannot name them all. It
// returns false when it cannot watch, and the caller should poll.
func watchTrees(parent string, roots []string, seen *changes, changed chan<- struct{}, stop <-chan struct{}) bool {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return false
	}
	w := &inotify{f: os.NewFile(uintptr(fd), "inotify"), wd: map[int]string{}}
	if _, err := unix.InotifyAddWatch(fd, parent, unix.IN_CREATE|unix.IN_MOVED_TO|unix.IN_ONLYDIR); err != nil {
		w.f.Close()
		return false
	}
	for _, r := range roots {
		w.addTree(r)
	}
	go func() {
		<-stop
		w.f.Close()
	}()
	go w.loop(parent, roots, seen, changed)
	return true
}

// addTree watches dir and every directory under it.
func (w *inotify) addTree(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		wd, err := unix.InotifyAddWatch(int(w.f.Fd()), p, watchMask|unix.IN_ONLYDIR)
		if err == nil {
			w.mu.Lock()
			w.wd[wd] = p
			w.mu.Unlock()
		}
		return nil
	})
}

func (w *inotify) loop(parent string, roots []string, seen *changes, changed chan<- struct{}) {
	buf := make([]byte, 64<<10)
	for {
		n, err := w.f.Read(buf)
		if err != nil {
			return
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := ""
			if ev.Len > 0 {
				raw := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
				for i, c := range raw {
					if c == 0 {
						raw = raw[:i]
						break
					}
				}
				name = string(raw)
			}
			off += unix.SizeofInotifyEvent + int(ev.Len)
			if ev.Mask&unix.IN_Q_OVERFLOW != 0 { // events were lost
				seen.rescan()
				notify(changed)
				continue
			}
			w.mu.Lock()
			dir, known := w.wd[int(ev.Wd)]
			w.mu.Unlock()
			if !known { // the parent: a root appeared
				for _, r := range roots {
					if filepath.Join(parent, name) == r {
						w.addTree(r)
						seen.rescan()
						notify(changed)
					}
				}
				continue
			}
			switch {
			case ev.Mask&unix.IN_ISDIR != 0 && ev.Mask&(unix.IN_CREATE|unix.IN_MOVED_TO) != 0:
				// Files may have arrived in it before its watch did.
				w.addTree(filepath.Join(dir, name))
				seen.rescan()
			case ev.Mask&(unix.IN_ISDIR|unix.IN_DELETE_SELF|unix.IN_MOVE_SELF|unix.IN_IGNORED) != 0:
				seen.rescan()
			default:
				seen.add(filepath.Join(dir, name))
			}
			notify(changed)
		}
	}
}

func notify(changed chan<- struct{}) {
	select {
	case changed <- struct{}{}:
	default:
	}
}
