package aggregate

import (
	"sort"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Country is a country that orgs of the catalog are based in.
type Country struct {
	Code string // ISO 3166-1 alpha-2
	Name string // from load.CountryNames; the code when it has no name
	Orgs int
}

// Countries lists the countries of cat's orgs, by name, then code.
func Countries(cat *classify.Catalog) []Country {
	n := map[string]int{}
	for _, o := range cat.Orgs {
		if o.Country != "" {
			n[o.Country]++
		}
	}
	out := make([]Country, 0, len(n))
	for code, orgs := range n {
		name := load.CountryNames[code]
		if name == "" {
			name = code
		}
		out = append(out, Country{Code: code, Name: name, Orgs: orgs})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Code < out[j].Code
	})
	return out
}
