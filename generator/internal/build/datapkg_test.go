package build_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// frictionless is where `make frictionless` installs Frictionless Data's
// JavaScript library (npm datapackage, as testdata/frictionless pins it),
// from this package's directory.
const frictionless = "../../../.cache/frictionless/node_modules"

// validatePackage runs testdata/frictionless/validate.js on the data
// package under dir, returning its output and whether it passed.
func validatePackage(t *testing.T, dir string) (string, bool) {
	t.Helper()
	node, nerr := exec.LookPath("node")
	_, merr := os.Stat(filepath.Join(frictionless, "datapackage"))
	if nerr != nil || merr != nil {
		msg := "validating the data package needs node and .cache/frictionless (run `make frictionless`)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s, and CI=true: node: %v; library: %v", msg, nerr, merr)
		}
		t.Skip(msg)
	}
	lib, err := filepath.Abs(frictionless)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "testdata/frictionless/validate.js", filepath.Join(dir, "datapackage.json"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+lib)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running node: %v", err)
	}
	return string(out), err == nil
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

type pkgDescriptor struct {
	Version  string `json:"version"`
	AsOf     string `json:"data_as_of"`
	Licenses []struct {
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"licenses"`
	Resources []struct {
		Name   string `json:"name"`
		Path   string `json:"path"`
		Schema struct {
			Fields []struct {
				Name string `json:"name"`
			} `json:"fields"`
		} `json:"schema"`
	} `json:"resources"`
}

// TestDataPackage builds the fixture site and the bundled content, and
// validates each one's data package with Frictionless's own library. It
// then checks what the library cannot know: every file is listed, the
// counts agree with each other, and the /data/ page shows every column.
func TestDataPackage(t *testing.T) {
	for _, c := range []struct{ name, src, license, licenseURL string }{
		{"fixture", extract(t, "testdata/site.txtar"), "cc0-1.0", "https://spdx.org/licenses/CC0-1.0.html"},
		{"content", "../../..", "cc-by-4.0", "https://creativecommons.org/licenses/by/4.0/"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			// A day after the bundled report's last edition has ended, so
			// that its editions are published.
			if _, err := build.Build(build.Options{Src: c.src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 12, 4)}); err != nil {
				t.Fatalf("build: %v", err)
			}
			data := filepath.Join(out, "data")

			var pkg pkgDescriptor
			b, err := os.ReadFile(filepath.Join(data, "datapackage.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &pkg); err != nil {
				t.Fatal(err)
			}
			if len(pkg.Licenses) != 1 || pkg.Licenses[0].Name != c.license || pkg.Licenses[0].Path != c.licenseURL {
				t.Errorf("licenses = %+v, want %s at %s", pkg.Licenses, c.license, c.licenseURL)
			}
			releases := readCSV(t, filepath.Join(data, "releases.csv"))
			newest := ""
			for _, r := range releases[1:] {
				if r[3] > newest {
					newest = r[3]
				}
			}
			if pkg.AsOf != newest {
				t.Errorf("data_as_of = %q, want the newest release's date %q", pkg.AsOf, newest)
			}
			var parts []string
			for _, p := range strings.Split(newest, "-") {
				n, _ := strconv.Atoi(p)
				parts = append(parts, strconv.Itoa(n))
			}
			if want := strings.Join(parts, "."); pkg.Version != want {
				t.Errorf("version = %q, want %q, the as-of date", pkg.Version, want)
			}

			names := map[string]bool{}
			page, err := os.ReadFile(filepath.Join(data, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range pkg.Resources {
				names[r.Path] = true
				rows := readCSV(t, filepath.Join(data, filepath.FromSlash(r.Path)))
				var head []string
				for _, f := range r.Schema.Fields {
					head = append(head, f.Name)
					if !bytes.Contains(page, []byte("<code>"+f.Name+"</code>")) {
						t.Errorf("/data/ does not show %s's column %s", r.Path, f.Name)
					}
				}
				if strings.Join(rows[0], ",") != strings.Join(head, ",") {
					t.Errorf("%s: header %v, schema %v", r.Path, rows[0], head)
				}
				if !bytes.Contains(page, []byte(`href="/report/data/`+r.Path+`"`)) && !bytes.Contains(page, []byte(`href="/data/`+r.Path+`"`)) {
					t.Errorf("/data/ does not link %s", r.Path)
				}
			}
			for _, want := range []string{"releases.csv", "orgs.csv", "licenses.csv", "buckets.csv", "sources.csv"} {
				if !names[want] {
					t.Errorf("datapackage.json lacks %s", want)
				}
			}
			reports, _ := filepath.Glob(filepath.Join(data, "reports", "*.json"))
			if len(reports) == 0 {
				t.Fatal("no report JSON")
			}
			for _, r := range reports {
				id := strings.TrimSuffix(filepath.Base(r), ".json")
				if !names["reports/"+id+".csv"] {
					t.Errorf("datapackage.json lacks reports/%s.csv", id)
				}
				if !bytes.Contains(page, []byte("data/reports/"+id+".json\"")) {
					t.Errorf("/data/ does not link reports/%s.json", id)
				}
			}

			// sources.csv has one row per URL each release says it cites.
			col := func(rows [][]string, name string) int {
				for i, h := range rows[0] {
					if h == name {
						return i
					}
				}
				t.Fatalf("no column %s in %v", name, rows[0])
				return -1
			}
			cited := map[string]int{}
			for _, r := range readCSV(t, filepath.Join(data, "sources.csv"))[1:] {
				cited[r[0]]++
			}
			ci := col(releases, "cited_urls")
			for _, r := range releases[1:] {
				if n, _ := strconv.Atoi(r[ci]); n != cited[r[0]] {
					t.Errorf("%s: cited_urls %s, sources.csv has %d rows", r[0], r[ci], cited[r[0]])
				}
			}
			// buckets.csv's releases add up to the whole, and so do orgs.csv's.
			sum := func(file, column string) int {
				rows := readCSV(t, filepath.Join(data, file))
				i, n := col(rows, column), 0
				for _, r := range rows[1:] {
					v, _ := strconv.Atoi(r[i])
					n += v
				}
				return n
			}
			if got, want := sum("buckets.csv", "releases"), len(releases)-1; got != want {
				t.Errorf("buckets.csv counts %d releases, releases.csv has %d", got, want)
			}
			if got, want := sum("orgs.csv", "releases"), len(releases)-1; got != want {
				t.Errorf("orgs.csv counts %d releases, releases.csv has %d", got, want)
			}

			home, err := os.ReadFile(filepath.Join(out, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(home, []byte(`data as of <time datetime="`+newest+`">`)) || !bytes.Contains(home, []byte(`rel="license"`)) {
				t.Errorf("the footer does not give the data's license and date %s", newest)
			}

			msg, ok := validatePackage(t, data)
			if !ok || !strings.HasPrefix(msg, "valid: ") {
				t.Fatalf("the data package is not valid:\n%s", msg)
			}
			t.Log(strings.TrimSpace(msg))
		})
	}
}

// TestDataPackageInvalid corrupts a valid package in three ways the
// Table Schemas forbid, and expects the validator to name each.
func TestDataPackageInvalid(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, extract(t, "testdata/site.txtar"), out)
	data := filepath.Join(out, "data")
	path := filepath.Join(data, "releases.csv")
	rows := readCSV(t, path)
	idx := func(name string) int {
		for i, h := range rows[0] {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	rows[1][idx("score_maker")] = "lots"        // not an integer
	rows[2][idx("slug")] = rows[3][idx("slug")] // a duplicate primary key
	rows[4][idx("org")] = "nobody"              // an org orgs.csv lacks
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	msg, ok := validatePackage(t, data)
	if ok {
		t.Fatalf("the validator passed a corrupt package:\n%s", msg)
	}
	for _, want := range []string{`"lots"`, "unique", "Foreign key"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the validator's report lacks %q:\n%s", want, msg)
		}
	}
}
