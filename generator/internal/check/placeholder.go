package check

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// Placeholder is what `whyopen new` and `whyopen import` write where a
// required value is still to be filled in. A text value that is the
// placeholder, or starts with "TODO:", is an error pointing at it, so a
// half-filled entry never reaches the site.
const Placeholder = "TODO"

// IsPlaceholder reports whether s is a value still to be filled in.
func IsPlaceholder(s string) bool {
	s = strings.TrimSpace(s)
	return s == Placeholder || strings.HasPrefix(s, Placeholder+":")
}

// placeholder reports the placeholder at path, saying what belongs there
// from the field's doc tag.
func (k *checker) placeholder(at load.Pos, f reflect.StructField, path string) {
	what := strings.TrimSuffix(f.Tag.Get("doc"), ".")
	if what == "" {
		what = "a value"
		if f.Tag.Get("format") == "uri" {
			what = "an http(s) URL"
		}
	} else if r, n := utf8.DecodeRuneInString(what); n < len(what) {
		// "The release's name" → "the release's name", but keep "ISO…".
		if next, _ := utf8.DecodeRuneInString(what[n:]); !unicode.IsUpper(next) {
			what = string(unicode.ToLower(r)) + what[n:]
		}
	}
	k.errorf(at, "%s: still the placeholder %s: fill in %s", path, Placeholder, what)
}
