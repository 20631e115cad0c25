package main

import (
	"os"
	"syscall"
)

// maxRSS is the peak resident set of a finished child, in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // Linux counts KiB
	}
	return 0
}

// syncDisks writes dirty pages back, so that a cold build does not pay for
// the previous run's writes.
func syncDisks() { syscall.Sync() }
