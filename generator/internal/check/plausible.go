package check

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// date checks that a date is plausible: not before load.Earliest, and not
// more than a year after Options.Today. The message names neither today
// nor the bound, so that it does not change from day to day.
func (k *checker) date(d *load.Doc, path string, v load.Date) {
	if v.IsZero() {
		return
	}
	if v.Before(load.Earliest) {
		k.errorf(d.Pos(path), "%s: %s is before %s: nothing this site covers is that old", path, v, load.Earliest)
	} else if k.tooLate(v) {
		k.errorf(d.Pos(path), "%s: %s is more than a year in the future", path, v)
	}
}

// tooLate reports whether v is more than a year after Options.Today.
func (k *checker) tooLate(v load.Date) bool {
	if k.opt.Today.IsZero() {
		return false
	}
	t := k.opt.Today.Time()
	return v.After(load.NewDate(t.Year()+1, t.Month(), t.Day()))
}

// titleFields are the fields that name a document on the site: a heading,
// a link's text, a legend.
var titleFields = map[string]bool{"title": true, "name": true}

// title checks that the value of a title field shows as text: that it is
// not blank, and holds no control, bidirectional or other invisible
// formatting character, which would hide or reorder what a reader sees.
func (k *checker) title(d *load.Doc, path, s string) {
	if s == "" {
		return // load refused the value, or "" is absent: reported already
	}
	if strings.TrimSpace(s) == "" {
		k.errorf(d.Pos(path), "%s is blank", path)
		return
	}
	for _, r := range s {
		if invisible(r) {
			k.errorf(d.Pos(path), "%s holds the invisible character %U%s: remove it", path, r, invisibleName(r))
			return
		}
	}
}

// invisible reports whether r is a control or formatting character that
// a title may not hold. A tab, which shows as a space, and zero-width
// joiners and non-joiners, which some scripts need, are allowed.
func invisible(r rune) bool {
	return unicode.IsControl(r) && r != '\t' || unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d'
}

func invisibleName(r rune) string {
	switch {
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return " (a bidirectional control, which reorders the text around it)"
	case unicode.IsControl(r):
		return " (a control character)"
	}
	return " (a formatting character)"
}

// baseURL checks that the site's base URL is one its pages can be built
// on: http(s), with a host, a valid port, and a plain path. Whether it is
// an http(s) URL at all is the format tag's check.
func (k *checker) baseURL(s load.Site) {
	raw := s.BaseURL
	if raw == "" || IsPlaceholder(raw) || !isHTTP(raw) {
		return
	}
	for _, msg := range baseURLProblems(raw) {
		k.errorf(s.Pos("base_url"), "base_url: %s", msg)
	}
}

// baseURLProblems lists what keeps an http(s) URL from being a base URL:
// user info, a bad or empty port, no host, a query, a fragment, or a dot
// segment, percent-encoded or not. Both site.yaml's base_url and the
// -base-url flag are held to it.
func baseURLProblems(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil {
		return []string{fmt.Sprintf("%q is not a URL", clip(raw))}
	}
	var probs []string
	if u.User != nil {
		probs = append(probs, fmt.Sprintf("%q holds a user name or password: remove it", clip(raw)))
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			probs = append(probs, fmt.Sprintf("port %s is not a port: use 1 to 65535", port))
		}
	} else if strings.HasSuffix(u.Host, ":") {
		probs = append(probs, fmt.Sprintf("%q has an empty port: remove the colon", clip(raw)))
	}
	if u.Hostname() == "" {
		probs = append(probs, fmt.Sprintf("%q has no host", clip(raw)))
	}
	if u.RawQuery != "" || u.ForceQuery {
		probs = append(probs, fmt.Sprintf("%q has a query (?…): pages are built on the URL, so remove it", clip(raw)))
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		probs = append(probs, fmt.Sprintf("%q has a fragment (#…): pages are built on the URL, so remove it", clip(raw)))
	}
	// u.Path is decoded: %2e%2e is .. there.
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			probs = append(probs, fmt.Sprintf("%q has a %q segment in its path: write the path it stands for", clip(raw), seg))
			break
		}
	}
	return probs
}

// language checks one entry of a release's languages.
func (k *checker) language(d *load.Doc, path, l string) {
	if languages[l] || IsPlaceholder(l) {
		return
	}
	hint := load.DidYouMean(l, append([]string{Multilingual}, languageCodes...))
	if lower := strings.ToLower(l); languages[lower] {
		hint = fmt.Sprintf(" (did you mean %q?)", lower)
	}
	k.errorf(d.Pos(path), "%s: %q is not an ISO 639-1 language code or %q%s", path, l, Multilingual, hint)
}

// weight checks a signal's weight against the range classify counts.
func (k *checker) weight(b *load.Bucket, path string, w int) {
	if w < load.MinWeight || w > load.MaxWeight {
		k.errorf(b.Pos(path), "%s: %d is outside %d to %d", path, w, load.MinWeight, load.MaxWeight)
	}
}
