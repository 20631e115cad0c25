package render

import (
	"bytes"
	"runtime"
	"strings"
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

// Each worker renders with its own copy of the templates, and a render
// never waits for one: past the copies, it shares the first set.
func TestTakeNeverWaits(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	rd, s := synthSite(t, 20)
	if got := cap(rd.spare); got != 2 {
		t.Fatalf("%d spare template sets for 3 procs, want 2", got)
	}
	a, doneA := rd.take()
	b, doneB := rd.take()
	c, doneC := rd.take() // none left: the shared set
	if a["release"] == b["release"] || a["release"] == rd.pages["release"] || b["release"] == rd.pages["release"] {
		t.Error("the spare sets are not copies of their own")
	}
	if c["release"] != rd.pages["release"] {
		t.Error("with no spare left, take did not share the first set")
	}
	// Every set renders a page the same.
	var out []string
	for _, p := range s.pages {
		if p.Kind != "release" {
			continue
		}
		p.lazy(true)
		for _, set := range []templateSet{a, b, c} {
			var buf bytes.Buffer
			p.set = set
			if err := set[p.Kind].ExecuteTemplate(&buf, "base", p); err != nil {
				t.Fatal(err)
			}
			out = append(out, buf.String())
		}
		break
	}
	doneA()
	doneB()
	doneC()
	if len(out) != 3 || out[0] != out[1] || out[1] != out[2] {
		t.Errorf("%d renders, not all the same", len(out))
	}
	if len(rd.spare) != 2 {
		t.Errorf("%d spare sets after giving them back, want 2", len(rd.spare))
	}
}

// A fragment is rendered once per build for each value, and reused
// whatever the page; values are known by identity, so they must be
// pointers.
func TestFragment(t *testing.T) {
	_, s := synthSite(t, 20)
	p := s.pages[0]
	org := s.Cat.Orgs[0]
	org.Name = `R&D <Lab>`
	want := `<a href="/orgs/` + org.ID + `/">R&amp;D &lt;Lab&gt;</a>`
	got, err := s.rows.fragment("org-link", p, org)
	if err != nil || string(got) != want {
		t.Fatalf("org-link = %q, %v; want %q", got, err, want)
	}
	// The cache answers for the same org, even on a page whose base path
	// differs: fragments may depend on nothing that pages do not share.
	other := *p
	other.Site = &Site{BasePath: "/elsewhere/", rows: s.rows}
	if got, err := s.rows.fragment("org-link", &other, org); err != nil || string(got) != want {
		t.Errorf("org-link again = %q, %v; want the cached %q", got, err, want)
	}
	// Another org is another fragment.
	if got, _ := s.rows.fragment("org-link", p, s.Cat.Orgs[1]); string(got) == want {
		t.Errorf("a second org got the first one's fragment %q", got)
	}
	// A release no bucket claims has a chip too.
	var none *load.Bucket
	if got, err := s.rows.fragment("bucket-chip", p, none); err != nil || !strings.Contains(string(got), "chip-unclassified") {
		t.Errorf("bucket-chip of no bucket = %q, %v", got, err)
	}
	for _, v := range []any{"x", *org, 3} {
		if got, err := s.rows.fragment("org-link", p, v); err == nil {
			t.Errorf("fragment of a %T = %q, want an error", v, got)
		}
	}
}
