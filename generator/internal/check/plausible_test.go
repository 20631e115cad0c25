package check_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// withSite returns the clean site of testdata/errors/ok.txtar with its
// site.yaml replaced.
func withSite(t *testing.T, site string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "errors", "ok.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range ar.Files {
		if f.Name == "content/site.yaml" {
			ar.Files[i].Data = []byte(site)
		}
	}
	return ar
}

// TestBaseURL checks that base_url is refused unless every page's links
// can be built on it.
func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want []string // problems at site.yaml:2:11
	}{
		{"https://example.org/report/", nil},
		{"http://example.org/", nil},
		{"https://example.org:8443/a/b/", nil},
		{"http://[::1]:8080/", nil},
		{"https://example.org/%7Euser/", nil},
		{"https://example.org/report/?", []string{"has a query"}},
		{"https://example.org/report/?x=1", []string{"has a query"}},
		{"https://example.org/report/#top", []string{"has a fragment"}},
		{"https://example.org/report/#", []string{"has a fragment"}},
		{"https://user:pass@example.org/", []string{"holds a user name or password"}},
		{"https://user@example.org/", []string{"holds a user name or password"}},
		{"https://example.org:99999/", []string{"port 99999 is not a port"}},
		{"https://example.org:0/", []string{"port 0 is not a port"}},
		{"https://example.org:/", []string{"has an empty port"}},
		{"https://example.org/a/../", []string{`has a ".." segment`}},
		{"https://example.org/%2e%2e/", []string{`has a ".." segment`}},
		{"https://example.org/%2E%2E/", []string{`has a ".." segment`}},
		{"https://example.org/./", []string{`has a "." segment`}},
		{"https://example.org/a/.%2e/", []string{`has a ".." segment`}},
		{"https://u@example.org:70000/x/?q#f", []string{"holds a user name", "port 70000", "has a query", "has a fragment"}},
		// Not http(s): the format check's error, and no other.
		{"ftp://example.org/", []string{"only http(s) URLs"}},
		{"example.org/", []string{"not an http(s) URL"}},
	} {
		t.Run(tc.url, func(t *testing.T) {
			_, loadProbs, checkProbs := loadAndCheck(t, withSite(t, "title: Test\nbase_url: "+tc.url+"\n"))
			var got []string
			for _, p := range append(loadProbs, checkProbs...) {
				if p.Pos.File != "content/site.yaml" || p.Pos.Line != 2 || p.Pos.Col != 11 {
					t.Errorf("problem elsewhere: %s", p)
					continue
				}
				got = append(got, p.Msg)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d about %q", got, len(tc.want), tc.want)
			}
			for _, w := range tc.want {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, w)
				}
				if !found {
					t.Errorf("problems %q, none about %q", got, w)
				}
			}
		})
	}
}

// TestTitles checks the title or name of every kind of document.
func TestTitles(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"Test Report", ""},
		{"Modèle 7B", ""},
		{`"نموذج\u200c"`, ""}, // a zero-width non-joiner, which Persian needs
		{`"   "`, "title is blank"},
		{`""`, `missing required field "title"`},
		{`"a\u202Eb"`, "U+202E (a bidirectional control"},
		{`"a\u2066b"`, "U+2066 (a bidirectional control"},
		{`"a\u200Fb"`, "U+200F (a bidirectional control"},
		{`"a\u200Bb"`, "U+200B (a formatting character)"},
		{`"a\u0085b"`, "U+0085 (a control character)"},
		{`"a\nb"`, "U+000A (a control character)"},
		{`"a\x07b"`, "U+0007 (a control character)"},
		{`"a\tb"`, ""}, // shows as a space
		{`"\t"`, "title is blank"},
		{"!!binary QQ==", "expected text, got binary data"},
	} {
		t.Run(tc.title, func(t *testing.T) {
			_, loadProbs, checkProbs := loadAndCheck(t, withSite(t, "title: "+tc.title+"\nbase_url: https://example.org/\n"))
			probs := append(loadProbs, checkProbs...)
			if tc.want == "" {
				if len(probs) > 0 {
					t.Errorf("refused: %v", probs)
				}
				return
			}
			if len(probs) != 1 || !strings.Contains(probs[0].Msg, tc.want) {
				t.Fatalf("problems %v, want one about %q", probs, tc.want)
			}
		})
	}
}
