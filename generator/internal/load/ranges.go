package load

import "unicode/utf8"

// Plausible ranges of values. Load refuses a parameter count out of range
// as it decodes it; check enforces the others.
const (
	// MinWeight and MaxWeight bound a bucket signal's weight, so that no
	// sum of weights can overflow a score.
	MinWeight = -100
	MaxWeight = 100
	// MaxCount is the bound a parameter count must be under: 100T.
	MaxCount Count = 100e12
)

// Earliest is the earliest plausible date of a release or report. The
// latest is a year after the day of the build (check.Options.Today).
var Earliest = NewDate(1990, 1, 1)

// clipCount shortens a long parameter count for a message.
func clipCount(s string) string {
	if utf8.RuneCountInString(s) <= 24 {
		return s
	}
	return string([]rune(s)[:24]) + "…"
}
