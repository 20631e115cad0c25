// Package whyopen holds the default theme, so that the whyopen binary can
// build a site that has no templates/ or static/ directory of its own.
// The generator itself lives under generator/.
package whyopen

import "embed"

// Theme holds templates/ and static/ as they were when the binary was built.
//
//go:embed templates static
var Theme embed.FS
