package load

import (
	"strings"
	"unicode"
)

// LicenseIndex finds a license by what a release or a model card calls
// it: its id, an alias, or its name, compared without regard to case or
// punctuation ("LLaMA 2" is llama2, "CC BY NC 4.0" is cc-by-nc-4.0). It is
// the one lookup check, classify and the importers share.
type LicenseIndex struct {
	exact map[string]*License // ids and aliases as written
	key   map[string]*License // LicenseKey of ids, aliases, then names
	// Clashes are the ids, aliases and names that, compared as keys,
	// name two licenses; the first one keeps the key.
	Clashes []LicenseClash
}

// LicenseClash is a name that, as a LicenseKey, is taken by another
// license.
type LicenseClash struct {
	License *License
	Field   string // "id", "aliases.N" or "name"
	Name    string
	Other   *License
}

// NewLicenseIndex indexes ls. Ids win over aliases, and aliases over
// names; among equals, the license first in ls wins.
func NewLicenseIndex(ls []*License) *LicenseIndex {
	x := &LicenseIndex{exact: map[string]*License{}, key: map[string]*License{}}
	add := func(l *License, field, name string, exact bool) {
		if exact {
			if _, ok := x.exact[name]; !ok {
				x.exact[name] = l
			}
		}
		k := LicenseKey(name)
		if k == "" {
			return
		}
		if other, ok := x.key[k]; ok {
			if other != l && field != "name" {
				x.Clashes = append(x.Clashes, LicenseClash{l, field, name, other})
			}
			return
		}
		x.key[k] = l
	}
	for _, l := range ls {
		add(l, "id", l.ID, true)
	}
	for _, l := range ls {
		for i, a := range l.Aliases {
			add(l, "aliases."+itoa(i), a, true)
		}
	}
	for _, l := range ls {
		add(l, "name", l.Name, false)
	}
	return x
}

// Lookup returns the license s names, or nil.
func (x *LicenseIndex) Lookup(s string) *License {
	if x == nil {
		return nil
	}
	if l, ok := x.exact[s]; ok {
		return l
	}
	return x.key[LicenseKey(s)]
}

// LicenseKey is how LicenseIndex compares names: lowercase letters,
// digits and "+" (which tells openrail++ from openrail), nothing else.
func LicenseKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
