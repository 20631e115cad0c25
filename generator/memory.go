package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit is the size at which `whyopen build` has the garbage
// collector work harder, unless GOMEMLIMIT sets another. Below it the
// collector runs as usual (the heap grows to twice what is live); near it,
// it collects more often instead of growing. A 50,000-release site then
// peaks at about 860 MB rather than 1.1 GB, for no measurable time. A
// site whose live heap nears the limit (several times that size) builds
// more slowly, the collector taking up to half the CPU: raise the limit
// with GOMEMLIMIT, or lift it with GOMEMLIMIT=off.
const softMemoryLimit = 900 << 20

func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
