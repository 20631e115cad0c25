package load

import (
	"sort"
	"strings"
)

// Closest returns up to n candidates nearest to s, nearest first: those
// that contain s or that s contains come first, then the rest by edit
// distance, ties broken alphabetically. Candidates too far from s to be a
// likely mistake are left out, so the result may be empty.
func Closest(s string, candidates []string, n int) []string {
	type scored struct {
		c string
		d int
	}
	ls := strings.ToLower(s)
	var out []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := distance(ls, lc)
		if ls != "" && (strings.Contains(lc, ls) || strings.Contains(ls, lc)) {
			d = 0
		} else if d > max(2, len([]rune(s))/2) {
			continue
		}
		out = append(out, scored{c, d})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].c < out[j].c
	})
	names := []string{}
	for i := 0; i < len(out) && i < n; i++ {
		names = append(names, out[i].c)
	}
	return names
}
