package aggregate

import (
	"reflect"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestCountries(t *testing.T) {
	org := func(country string) *load.Org { return &load.Org{Country: country} }
	cat := &classify.Catalog{Orgs: []*load.Org{org("US"), org("KR"), org("US"), org("AE"), org(""), org("QQ")}}
	got := Countries(cat)
	want := []Country{
		{Code: "QQ", Name: "QQ", Orgs: 1}, // no name: the code stands in
		{Code: "KR", Name: "South Korea", Orgs: 1},
		{Code: "AE", Name: "United Arab Emirates", Orgs: 1},
		{Code: "US", Name: "United States", Orgs: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Countries = %+v\nwant %+v", got, want)
	}
	if got := Countries(&classify.Catalog{}); got == nil || len(got) != 0 {
		t.Errorf("Countries of no orgs = %#v, want an empty list", got)
	}
}
