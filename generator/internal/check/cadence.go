package check

import (
	"regexp"
	"strings"
)

// cadenceWords are what a site's description may call its report, and
// the longest edition, in days, each fits.
var cadenceWords = []struct {
	word string
	days int
}{{"weekly", 7}, {"monthly", 31}, {"quarterly", 92}, {"yearly", 366}, {"annual", 366}}

var cadenceRe = regexp.MustCompile(`(?i)\b(weekly|monthly|quarterly|yearly|annual)\b`)

// cadence checks that what the site says of itself agrees with its
// editions: a description that calls the report monthly must have
// editions of a month. (An edition published before its period ends is
// no error: its page says it is early, and it never leads the front
// page.) It also checks min_share_n.
func (k *checker) cadence() {
	c := k.c
	if c.Site.Has("min_share_n") && c.Site.MinShareN < 1 {
		k.errorf(c.Site.Pos("min_share_n"), "min_share_n must be at least 1, not %d", c.Site.MinShareN)
	}
	m := cadenceRe.FindString(c.Site.Description)
	if m == "" || len(c.Reports) == 0 {
		return
	}
	days := 0
	for _, w := range cadenceWords {
		if w.word == strings.ToLower(m) {
			days = w.days
		}
	}
	fits, n := 0, 0
	for _, rep := range c.Reports {
		if rep.From.IsZero() || rep.To.IsZero() {
			continue
		}
		n++
		span := int(rep.To.Time().Sub(rep.From.Time()).Hours()/24) + 1
		if span <= days && span*2 > days {
			fits++
		}
	}
	if n > 0 && fits*2 <= n {
		k.warnf(c.Site.Pos("description"), "the description calls the report %s, but %d of %d editions are not: say how often editions come out", strings.ToLower(m), n-fits, n)
	}
}
