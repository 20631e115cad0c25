package render

import (
	"testing"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestURLOf(t *testing.T) {
	p := &Page{Site: &Site{BasePath: "/whyopen/"}}
	doc := load.Doc{ID: "x"}
	for _, tc := range []struct {
		v    any
		want string
	}{
		{&classify.Release{Release: &load.Release{Doc: doc}}, "/whyopen/releases/x/"},
		{&load.Org{Doc: doc}, "/whyopen/orgs/x/"},
		{&load.License{Doc: doc}, "/whyopen/licenses/x/"},
		{&load.Bucket{Doc: doc}, "/whyopen/buckets/x/"},
		{&load.Report{Doc: doc}, "/whyopen/reports/x/"},
	} {
		got, err := urlOf(p, tc.v)
		if err != nil || got != tc.want {
			t.Errorf("urlOf(%T) = %q, %v; want %q", tc.v, got, err, tc.want)
		}
	}
	// Anything else is a template's mistake, and fails the build.
	if got, err := urlOf(p, "x"); err == nil {
		t.Errorf("urlOf(string) = %q, want an error", got)
	}
}
