package figure

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Percent formats a share as "13%".
func Percent(f float64) string {
	return fmt.Sprintf("%.0f%%", math.Round(f*100))
}

// Plural spells a count with its noun: "1 release", "3 releases".
func Plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %s", n, plural(noun))
}

func plural(noun string) string {
	switch {
	case strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ey"):
		return noun[:len(noun)-1] + "ies"
	case strings.HasSuffix(noun, "s"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "ch"):
		return noun + "es"
	}
	return noun + "s"
}

// Capital capitalises the first letter of a sentence.
func Capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Names joins names as prose: "A", "A and B", "A, B and C".
func Names(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Leader states who leads a total, naming every name tied for the lead:
// "DeepSeek leads with 8 of 145 releases (6%)." or "A, B and C tie for the
// lead with 8 of 145 releases each (6% each)." More than five are
// counted, not named.
func Leader(names []string, n, total int, noun string) string {
	if len(names) == 0 || total == 0 || n == 0 {
		return fmt.Sprintf("No %s yet.", plural(noun))
	}
	share := Percent(float64(n) / float64(total))
	switch {
	case len(names) == 1:
		return fmt.Sprintf("%s leads with %d of %s (%s).", Capital(names[0]), n, Plural(total, noun), share)
	case len(names) > 5: // too many to name
		return fmt.Sprintf("%d tie for the lead with %d of %s each (%s each).", len(names), n, Plural(total, noun), share)
	}
	return fmt.Sprintf("%s tie for the lead with %d of %s each (%s each).", Capital(Names(names)), n, Plural(total, noun), share)
}

// Point is a share with its numerator and denominator, in a named period.
type Point struct {
	Key  string
	N, D int
}

// Share is the point's share, or 0 without a denominator.
func (p Point) Share() float64 {
	if p.D == 0 {
		return 0
	}
	return float64(p.N) / float64(p.D)
}

func (p Point) String() string {
	return fmt.Sprintf("%s (%d of %d)", Percent(p.Share()), p.N, p.D)
}

// Change states how name's share moved from a to b, with both counts:
// "Upsell rose from 20% (2 of 10) in 2024 to 35% (7 of 20) in 2025."
func Change(name string, a, b Point) string {
	from, to := math.Round(a.Share()*100), math.Round(b.Share()*100)
	switch {
	case to > from:
		return fmt.Sprintf("%s rose from %s in %s to %s in %s.", Capital(name), a, a.Key, b, b.Key)
	case to < from:
		return fmt.Sprintf("%s fell from %s in %s to %s in %s.", Capital(name), a, a.Key, b, b.Key)
	}
	return fmt.Sprintf("%s held at %s of releases: %d of %d in %s, %d of %d in %s.", Capital(name), Percent(b.Share()), a.N, a.D, a.Key, b.N, b.D, b.Key)
}

// Busiest states a volume chart's total and its busiest periods, naming
// ties: "12 releases in all; the busiest quarter was 2024-Q3, with 5."
// With one release it says when that was.
func Busiest(total int, unit string, keys []string, n int) string {
	switch {
	case total == 0 || len(keys) == 0:
		return "No releases yet."
	case total == 1:
		return fmt.Sprintf("1 release, in %s.", keys[0])
	case total == n && len(keys) == 1:
		return fmt.Sprintf("All %s fall in %s.", Plural(total, "release"), keys[0])
	case len(keys) == 1:
		return fmt.Sprintf("%s in all; the busiest %s was %s, with %d.", Capital(Plural(total, "release")), unit, keys[0], n)
	}
	return fmt.Sprintf("%s in all; the busiest %s were %s, with %d each.", Capital(Plural(total, "release")), plural(unit), Names(keys), n)
}

// Gaps explains the periods whose shares are not plotted: "Shares are not
// plotted for the 5 quarters with fewer than 8 releases."
func Gaps(n int, unit string, min int) string {
	if n == 0 {
		return ""
	}
	if n == 1 {
		return fmt.Sprintf("Shares are not plotted for the one %s with fewer than %d releases.", unit, min)
	}
	return fmt.Sprintf("Shares are not plotted for the %d %s with fewer than %d releases.", n, plural(unit), min)
}

// Partial says that a period is still under way and is left out of the
// comparison: "2026-Q4 is still under way and is not compared."
func Partial(key string) string {
	if key == "" {
		return ""
	}
	return fmt.Sprintf("%s is still under way and is not compared.", key)
}

// Join joins sentences with spaces, leaving out empty ones.
func Join(sentences ...string) string {
	var out []string
	for _, s := range sentences {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}
