package build_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// vnuJar is the Nu HTML Checker that `make vnu` fetches, from this
// package's directory.
const vnuJar = "../../../.cache/vnu/vnu.jar"

// vnuPages lists one built page of every page kind under out, as paths
// relative to out. Term pages are the first of their kind by name.
func vnuPages(t *testing.T, out string) []string {
	t.Helper()
	first := func(dir string) string {
		es, err := os.ReadDir(filepath.Join(out, dir))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			if e.IsDir() && e.Name() != "page" {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		if len(names) == 0 {
			t.Fatalf("%s: no term pages under %s/", out, dir)
		}
		return dir + "/" + names[0] + "/index.html"
	}
	pages := []string{
		"index.html", "releases/index.html", first("releases"),
		"buckets/index.html", first("buckets"), "licenses/index.html", first("licenses"),
		"orgs/index.html", first("orgs"), "reports/index.html", first("reports"),
		"methodology/index.html", "data/index.html", "404.html",
	}
	if _, err := os.Stat(filepath.Join(out, "releases/page/2/index.html")); err == nil {
		pages = append(pages, "releases/page/2/index.html")
	}
	for _, p := range pages {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("page kind missing: %v", err)
		}
	}
	return pages
}

// vnuMessage is one message of the checker's JSON output.
type vnuMessage struct {
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	URL       string `json:"url"`
	LastLine  int    `json:"lastLine"`
	FirstCol  int    `json:"firstColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
	LastCol   int    `json:"lastColumn"`
	HiliteLen int    `json:"hiliteLength"`
}

// TestVnu checks one page of every kind, of the fixture site and of the
// repository's own content, with the Nu HTML Checker: none may have an
// error.
func TestVnu(t *testing.T) {
	java, jerr := exec.LookPath("java")
	_, ferr := os.Stat(vnuJar)
	if jerr != nil || ferr != nil {
		msg := "the Nu HTML Checker needs java and .cache/vnu/vnu.jar (run `make vnu`)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s, and CI=true: java: %v; jar: %v", msg, jerr, ferr)
		}
		t.Skip(msg)
	}

	fixture := filepath.Join(t.TempDir(), "public")
	buildSite(t, extract(t, "testdata/site.txtar"), fixture)
	real := filepath.Join(t.TempDir(), "public")
	// After the last edition's period, so that every edition is published.
	if _, err := build.Build(build.Options{Src: "../../..", Out: real, Theme: repoTheme, Today: load.NewDate(2027, 1, 1)}); err != nil {
		t.Fatal(err)
	}

	var files []string
	for _, out := range []string{fixture, real} {
		for _, p := range vnuPages(t, out) {
			files = append(files, filepath.Join(out, filepath.FromSlash(p)))
		}
	}

	args := append([]string{"-jar", vnuJar, "--errors-only", "--format", "json"}, files...)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(java, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // vnu exits 1 when it finds errors; the report says which

	// The JSON report goes to stderr.
	report := stderr.Bytes()
	if len(bytes.TrimSpace(report)) == 0 {
		report = stdout.Bytes()
	}
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(report, &res); err != nil {
		t.Fatalf("reading the checker's report: %v (exit: %v)\n%s%s", err, runErr, stdout.Bytes(), stderr.Bytes())
	}
	for _, m := range res.Messages {
		if m.Type != "error" && m.SubType != "fatal" {
			continue
		}
		file := strings.TrimPrefix(m.URL, "file:")
		for _, out := range []string{fixture, real} {
			if rel, err := filepath.Rel(out, file); err == nil && !strings.HasPrefix(rel, "..") {
				name := "fixture"
				if out == real {
					name = "content"
				}
				file = name + ":" + filepath.ToSlash(rel)
			}
		}
		t.Errorf("%s:%d:%d: %s\n\t%s", file, m.LastLine, m.FirstCol, m.Message, strings.TrimSpace(m.Extract))
	}
	if runErr != nil && !t.Failed() {
		t.Errorf("the checker failed without an error message: %v\n%s", runErr, stderr.Bytes())
	}
	t.Logf("checked %d pages", len(files))
}
