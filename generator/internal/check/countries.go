package check

import "github.com/whyopen/whyopen/generator/internal/load"

// International is the country of an international organisation that
// no one country hosts, such as a consortium of labs in many countries.
// It is no ISO 3166-1 code; charts by country show it as international.
const International = "INT"

// countries is the set of ISO 3166-1 alpha-2 codes: the codes of
// load.CountryNames, which also names them for the pages.
var countries = func() map[string]bool {
	m := make(map[string]bool, len(load.CountryNames))
	for c := range load.CountryNames {
		m[c] = true
	}
	return m
}()
