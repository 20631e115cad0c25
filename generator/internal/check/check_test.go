package check_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/errors/*.txtar from the actual output")

// today is the date the fixtures are checked on.
var today = load.NewDate(2026, 11, 23)

// TestErrors runs load.Dir and Check on each site in testdata/errors and
// compares the problems with the lines of the archive's comment. Comment
// lines starting with "#" describe the fixture and are not compared.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "errors", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found %d fixtures in testdata/errors, want at least 30", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			golden(t, file)
		})
	}
}

// TestManyErrors checks that problems of many kinds in many files, found
// by load and by check, are all reported in one run, sorted by file, line
// and column.
func TestManyErrors(t *testing.T) {
	probs, want := golden(t, filepath.Join("testdata", "many.txtar"))
	if len(want) < 15 {
		t.Fatalf("many.txtar expects %d problems, want at least 15", len(want))
	}
	files := map[string]bool{}
	for _, p := range probs {
		files[p.Pos.File] = true
	}
	for _, f := range []string{
		"content/site.yaml",
		"content/buckets/maker.md",
		"content/licenses/apache-2.0.md",
		"content/orgs/acme.md",
		"content/releases/acme/acme-7b.md",
		"content/releases/acme/acme-8b.md",
		"content/releases/acme/acme-9b.md",
		"content/reports/2026-q1.md",
		"content/reports/2026-q2.md",
	} {
		if !files[f] {
			t.Errorf("no problem reported in %s", f)
		}
	}
	for i := 1; i < len(probs); i++ {
		a, b := probs[i-1].Pos, probs[i].Pos
		if a.File > b.File || a.File == b.File && (a.Line > b.Line || a.Line == b.Line && a.Col > b.Col) {
			t.Errorf("problems out of order:\n%s\n%s", probs[i-1], probs[i])
		}
	}
}

// golden checks the problems of the site in the txtar archive at file
// against its comment, or with -update rewrites the comment. It returns
// the problems and the expected lines.
func golden(t *testing.T, file string) ([]load.Problem, []string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	notes, want := splitComment(ar.Comment)
	c, probs := run(t, ar)
	got := lines(probs)
	if *update {
		ar.Comment = []byte(strings.Join(append(notes, got...), "\n") + "\n")
		if err := os.WriteFile(file, txtar.Format(ar), 0o666); err != nil {
			t.Fatal(err)
		}
		return probs, got
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems differ (-want +got):\n%s", diff(want, got))
	}
	// Whatever the problems, every content file is still read.
	if n, md := docs(c), countMD(ar); n != md {
		t.Errorf("loaded %d documents, the archive has %d .md files", n, md)
	}
	return probs, want
}

// run extracts ar into a temporary directory, loads and checks it, and
// returns the problems sorted the way the build reports them.
func run(t *testing.T, ar *txtar.Archive) (*load.Content, []load.Problem) {
	t.Helper()
	c, loadProbs, checkProbs := loadAndCheck(t, ar)
	if !sort.SliceIsSorted(checkProbs, func(i, j int) bool { return check.Less(checkProbs[i], checkProbs[j]) }) {
		t.Errorf("Check returned problems out of order:\n%s", strings.Join(lines(checkProbs), "\n"))
	}
	probs := append(loadProbs, checkProbs...)
	sort.SliceStable(probs, func(i, j int) bool { return check.Less(probs[i], probs[j]) })
	return c, probs
}

func loadAndCheck(t *testing.T, ar *txtar.Archive) (*load.Content, []load.Problem, []load.Problem) {
	t.Helper()
	root := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	c, loadProbs := load.Dir(root)
	return c, loadProbs, check.Check(c, check.Options{Today: today})
}

func splitComment(comment []byte) (notes, want []string) {
	for _, l := range strings.Split(string(comment), "\n") {
		switch {
		case strings.HasPrefix(l, "#"):
			notes = append(notes, l)
		case strings.TrimSpace(l) != "":
			want = append(want, l)
		}
	}
	return notes, want
}

func lines(probs []load.Problem) []string {
	var out []string
	for _, p := range probs {
		out = append(out, p.String())
	}
	return out
}

func docs(c *load.Content) int {
	n := len(c.Releases) + len(c.Orgs) + len(c.Buckets) + len(c.Licenses) + len(c.Reports)
	for _, sc := range c.Schemes {
		n += 1 + len(sc.Buckets)
	}
	return n
}

func countMD(ar *txtar.Archive) int {
	n := 0
	for _, f := range ar.Files {
		if strings.HasSuffix(f.Name, ".md") {
			n++
		}
	}
	return n
}

func diff(want, got []string) string {
	var b strings.Builder
	in := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, w := range want {
		if !in(got, w) {
			b.WriteString("- " + w + "\n")
		}
	}
	for _, g := range got {
		if !in(want, g) {
			b.WriteString("+ " + g + "\n")
		}
	}
	if b.Len() == 0 {
		b.WriteString("same lines, different order:\n  want:\n    " + strings.Join(want, "\n    ") + "\n  got:\n    " + strings.Join(got, "\n    ") + "\n")
	}
	return b.String()
}

// TestBOMAndCRLF checks that a file with a byte-order mark and CRLF line
// endings decodes to the same values and positions as a plain one.
func TestBOMAndCRLF(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "errors", "bom-crlf.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	for _, f := range ar.Files {
		if f.Name == "content/releases/acme/acme-7b.md" {
			raw = f.Data
		}
	}
	if !bytes.HasPrefix(raw, []byte("\ufeff---\r\n")) {
		t.Fatalf("fixture lost its BOM or CRLF line endings: %q", raw[:min(len(raw), 8)])
	}
	c, loadProbs, checkProbs := loadAndCheck(t, ar)
	if len(loadProbs)+len(checkProbs) != 0 {
		t.Fatalf("unexpected problems:\n%s", strings.Join(lines(append(loadProbs, checkProbs...)), "\n"))
	}
	if len(c.Releases) != 1 {
		t.Fatalf("loaded %d releases, want 1", len(c.Releases))
	}
	r := c.Releases[0]
	if r.Title != "Acme 7B" || r.Org != "acme" || r.Date != load.NewDate(2026, 3, 2) || r.ParamsTotal != 7e9 || r.Summary != "A small dense model." {
		t.Errorf("decoded title %q, org %q, date %s, params %s, summary %q", r.Title, r.Org, r.Date, r.ParamsTotal, r.Summary)
	}
	if len(r.Sources) != 1 || r.Sources[0] != "https://acme.example.com/acme-7b" {
		t.Errorf("sources = %q, want one URL with no trailing CR", r.Sources)
	}
	if want := (load.Pos{File: "content/releases/acme/acme-7b.md", Line: 2, Col: 8}); r.Pos("title") != want {
		t.Errorf(`Pos("title") = %v, want %v`, r.Pos("title"), want)
	}
	if want := (load.Pos{File: "content/releases/acme/acme-7b.md", Line: 9, Col: 5}); r.Pos("sources.0") != want {
		t.Errorf(`Pos("sources.0") = %v, want %v`, r.Pos("sources.0"), want)
	}
	if r.BodyLine != 11 || r.HTML != "<p>Acme's first model.</p>\n" {
		t.Errorf("body starts on line %d with %q, want line 11 with \"<p>Acme's first model.</p>\\n\"", r.BodyLine, r.HTML)
	}
	if c.Site.Title != "Test Report" || c.Site.BaseURL != "https://example.org/report/" {
		t.Errorf("site title %q, base_url %q", c.Site.Title, c.Site.BaseURL)
	}
}

// FuzzValidSlug checks ValidSlug against the pattern it stands for.
func FuzzValidSlug(f *testing.F) {
	for _, s := range []string{"", "a", "a-b", "a--b", "-a", "a-", "a.b_c-d", "A", "a b", "é", "a..b", "0", "a-.b", "ab12-x9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := check.ValidSlug(s), check.SlugPattern.MatchString(s); got != want {
			t.Errorf("ValidSlug(%q) = %v, SlugPattern says %v", s, got, want)
		}
	})
}
