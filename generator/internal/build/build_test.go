package build_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repoTheme is the repository's own templates/ and static/.
var repoTheme = os.DirFS("../../..")

// extract writes a txtar archive into a new temporary directory.
func extract(t testing.TB, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func buildSite(t testing.TB, src, out string) *build.Result {
	t.Helper()
	res, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 1, 1)})
	if err != nil {
		for _, p := range res.Problems {
			t.Log(p)
		}
		t.Fatalf("build: %v", err)
	}
	return res
}

// tree reads every file under dir into a map keyed by slash path.
func tree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		m[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file (run go test -update if the change is intended)\n--- got ---\n%s", name, got)
	}
}

func TestSite(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	res := buildSite(t, src, out)
	files := tree(t, out)

	if res.Releases != 6 {
		t.Errorf("Releases = %d, want 6", res.Releases)
	}
	for _, p := range []string{
		"index.html", "404.html", "feed.xml", "sitemap.xml", "favicon.svg",
		"assets/site.css", "assets/site.js", "assets/buckets.css",
		"data/releases.json", "data/releases.csv", "data/reports/2025-q3.json",
		"releases/index.html", "buckets/index.html", "licenses/index.html", "orgs/index.html", "reports/index.html",
		"releases/chip-7b/index.html", "releases/chip-400b/index.html", "releases/lab-1/index.html",
		"releases/app-mini/index.html", "releases/inst-1/index.html", "releases/xss/index.html",
		"buckets/maker/index.html", "buckets/upsell/index.html", "buckets/product/index.html",
		"licenses/apache-2.0/index.html", "licenses/community/index.html", "licenses/research/index.html",
		"orgs/chipco/index.html", "orgs/openlab/index.html", "orgs/appco/index.html", "orgs/institute/index.html",
		"reports/2025-q3/index.html", "reports/2025-q2/index.html",
	} {
		if _, ok := files[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	pages := 0
	for p := range files {
		if strings.HasSuffix(p, ".html") {
			pages++
		}
	}
	if res.Pages != pages {
		t.Errorf("Result.Pages = %d, but %d HTML files were written", res.Pages, pages)
	}

	golden(t, "releases.json", files["data/releases.json"])
	golden(t, "releases.csv", files["data/releases.csv"])
	golden(t, "explorer.json", files["data/explorer.json"])
	golden(t, "feed.xml", files["feed.xml"])
	golden(t, "sitemap.xml", files["sitemap.xml"])
	golden(t, "report-2025-q3.json", files["data/reports/2025-q3.json"])
	golden(t, "buckets.css", files["assets/buckets.css"])

	// Every chart's option JSON, one golden file per chart on the front page.
	home := string(files["index.html"])
	opts := chartOptions(t, home)
	want := []string{"share-over-time", "releases-per-period", "license-class-share", "bucket-license-matrix", "size-over-time"}
	if got := sortedKeys(opts); strings.Join(got, ",") != strings.Join(sortedCopy(want), ",") {
		t.Fatalf("front page charts = %v, want %v", got, want)
	}
	for _, id := range want {
		var pretty bytes.Buffer
		json.Indent(&pretty, []byte(opts[id]), "", " ")
		golden(t, "chart-"+id+".json", append(pretty.Bytes(), '\n'))
	}

	// The headline chart: one series per bucket plus unclassified, and the
	// third quarter split two thirds product, one third unclassified.
	var share struct {
		Meta   struct{ Keys []string } `json:"whyopen"`
		Series []struct {
			ID   string `json:"id"`
			Name string
			Type string
			Data []struct{ Value float64 }
		}
	}
	if err := json.Unmarshal([]byte(opts["share-over-time"]), &share); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(share.Meta.Keys, ","); got != "2025-Q1,2025-Q2,2025-Q3" {
		t.Errorf("share chart periods = %s", got)
	}
	got := map[string][]float64{}
	for _, s := range share.Series {
		for _, d := range s.Data {
			got[s.ID] = append(got[s.ID], d.Value)
		}
		if s.Type != "line" {
			t.Errorf("series %s type = %s, want line", s.ID, s.Type)
		}
	}
	wantShares := map[string][]float64{
		"maker":        {0, 100, 0},
		"upsell":       {100, 0, 0},
		"product":      {0, 0, 66.7},
		"unclassified": {0, 0, 33.3},
	}
	for b, w := range wantShares {
		if g := got[b]; len(g) != 3 || g[0] != w[0] || g[1] != w[1] || g[2] != w[2] {
			t.Errorf("share of %s = %v, want %v", b, g, w)
		}
	}
	if !strings.Contains(home, "Upsell fell from 100% (1 of 1) in 2025-Q1 to 0% (0 of 3) in 2025-Q3.") {
		t.Errorf("share chart caption missing the finding")
	}

	// Classification, its source and its evidence, in plain words.
	for slug, want := range map[string][]string{
		"chip-7b":   {"inferred from the signals below", "ChipCo is a chip-vendor: &#43;3 upsell", "trained on ChipCo&#39;s own hardware (ChipCo): &#43;2 upsell", "7B total parameters, under 10B: &#43;1 product"},
		"chip-400b": {"chosen by the editors for this release", "The editors think this one was about proving the lab.", "inference says"},
		"lab-1":     {"the editors&#39; default for this org", "Inference agrees.", "OpenLab is a lab: &#43;3 maker", `<dt>Built on it</dt><dd><a href="/report/releases/app-mini/">App Mini</a></dd>`},
		"app-mini": {"inferred from the signals below", "ships in a product: AppCo autocomplete: &#43;3 product",
			`<dt>Built on</dt><dd><a href="/report/releases/lab-1/">Lab One</a></dd>`, `<dt>With</dt><dd><a href="/report/orgs/institute/">Institute</a></dd>`,
			`<dt>Weights</dt><dd>gated</dd>`, `<dt>Takes</dt><dd>text, image</dd>`, `<div class="align-center">`, `<p>Kept <b>raw</b> HTML, and a <a href="https://example.com/card">card</a>.</p>`},
		"inst-1": {"unclassified: no editor", "chip-unclassified"},
	} {
		page := string(files["releases/"+slug+"/index.html"])
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("releases/%s: missing %q", slug, w)
			}
		}
	}

	// The report counts its period against the previous report's.
	var ed struct {
		Total    int
		Releases []string
		Shares   map[string]float64
		Deltas   map[string]float64
		NewOrgs  []string `json:"new_orgs"`
		Previous string
	}
	if err := json.Unmarshal(files["data/reports/2025-q3.json"], &ed); err != nil {
		t.Fatal(err)
	}
	if ed.Total != 3 || ed.Previous != "2025-q2" || ed.Deltas["maker"] != -1 || ed.Deltas["product"] != 0.6667 || strings.Join(ed.NewOrgs, ",") != "appco,institute" {
		t.Errorf("edition = %+v", ed)
	}
}

func TestClassificationSources(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	res, err := build.Check(build.Options{Src: src})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{ // slug → bucket, source, inferred
		"chip-7b":   {"upsell", "inferred", "upsell"},
		"chip-400b": {"maker", "editorial", "upsell"},
		"lab-1":     {"maker", "org", "maker"},
		"app-mini":  {"product", "inferred", "product"},
		"inst-1":    {"", "unclassified", ""},
		"xss":       {"product", "inferred", "product"},
	}
	for _, r := range res.Catalog.Releases {
		w, ok := want[r.ID]
		if !ok {
			t.Errorf("unexpected release %s", r.ID)
			continue
		}
		if got := [3]string{r.Bucket, string(r.Source), r.Inferred}; got != w {
			t.Errorf("%s: bucket, source, inferred = %v, want %v", r.ID, got, w)
		}
	}
}

// chartOptions returns each chart's option JSON from a page, by chart id.
func chartOptions(t *testing.T, page string) map[string]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" && attr(n, "type") == "application/json" {
			id := strings.TrimSuffix(attr(n, "id"), "-option")
			if n.FirstChild != nil {
				out[id] = n.FirstChild.Data
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// TestDeterministic builds the same content twice, under different time
// zones, GOMAXPROCS values and file modification times, and compares the
// trees byte for byte.
func TestDeterministic(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	a := filepath.Join(t.TempDir(), "a")
	buildSite(t, src, a)

	oldLocal, oldProcs := time.Local, runtime.GOMAXPROCS(1)
	defer func() { time.Local = oldLocal; runtime.GOMAXPROCS(oldProcs) }()
	time.Local = time.FixedZone("UTC+13", 13*3600)
	// Touch the files in reverse name order, so that anything keyed on
	// modification time or creation order would show.
	var names []string
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	for i, p := range names {
		ts := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour)
		os.Chtimes(p, ts, ts)
	}
	b := filepath.Join(t.TempDir(), "b")
	buildSite(t, src, b)

	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) {
		t.Fatalf("builds wrote %d and %d files", len(ta), len(tb))
	}
	for p, data := range ta {
		if !bytes.Equal(data, tb[p]) {
			t.Errorf("%s differs between builds", p)
		}
	}
}

// TestFailedBuildKeepsOutput checks that a build with a content error leaves
// the previous output exactly as it was, and no staging directory behind.
func TestFailedBuildKeepsOutput(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	buildSite(t, src, out)
	before := tree(t, out)

	bad := filepath.Join(src, "content/releases/appco/broken.md")
	os.WriteFile(bad, []byte("---\ntitle: Broken\nlicence: apache-2.0\n---\n"), 0o644)
	res, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme})
	if err == nil {
		t.Fatal("build with errors succeeded")
	}
	var msgs []string
	for _, p := range res.Problems {
		msgs = append(msgs, p.String())
	}
	joined := strings.Join(msgs, "\n")
	for _, w := range []string{
		`content/releases/appco/broken.md:3:1: unknown field "licence" (did you mean "license"?)`,
		`content/releases/appco/broken.md:1:1: missing required field "org"`,
	} {
		if !strings.Contains(joined, w) {
			t.Errorf("problems lack %q; got:\n%s", w, joined)
		}
	}
	after := tree(t, out)
	if len(after) != len(before) {
		t.Errorf("output had %d files, now %d", len(before), len(after))
	}
	for p, data := range before {
		if !bytes.Equal(data, after[p]) {
			t.Errorf("%s changed after a failed build", p)
		}
	}
	// Beside the output there is only publish's cache of earlier trees.
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 || entries[0].Name() != ".public.whyopen" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the output: %v, want only .public.whyopen and public", names)
	}
}

// TestHostileTitleIsInert checks that a release whose text fields try to
// end a script element stays text on every page, in every chart and feed.
func TestHostileTitleIsInert(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out)
	files := tree(t, out)
	sawTitle := 0
	for p, data := range files {
		// CSV is data, not markup: it carries the title as written.
		if strings.HasPrefix(p, "assets/vendor/") || strings.HasSuffix(p, ".csv") {
			continue
		}
		s := string(data)
		if strings.Contains(s, "<script>alert(") {
			t.Errorf("%s contains a live <script>alert(", p)
		}
		if strings.Contains(s, "javascript:") {
			t.Errorf("%s contains a javascript: URL", p)
		}
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if strings.Contains(s, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(s, `\u003c/script\u003e\u003cscript\u003ealert(1)`) {
			sawTitle++
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("%s: <%s %s=...> event handler attribute", p, n.Data, a.Key)
					}
				}
				if n.Data == "script" {
					src, typ := attr(n, "src"), attr(n, "type")
					if !(typ == "application/json" && src == "") && !strings.HasPrefix(src, "/report/assets/") {
						t.Errorf("%s: script not from /assets/ nor a JSON block: src=%q type=%q", p, src, typ)
					}
					if typ == "application/json" && n.FirstChild != nil && !json.Valid([]byte(n.FirstChild.Data)) {
						t.Errorf("%s: JSON block does not parse", p)
					}
				}
				if n.Data == "img" {
					t.Errorf("%s: unexpected <img>", p)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	// The title appears, escaped, at least on its own page, the release
	// list, its org, bucket and license pages, the front page and a chart.
	if sawTitle < 6 {
		t.Errorf("escaped hostile title seen on %d pages, want at least 6", sawTitle)
	}
	if !strings.Contains(string(files["feed.xml"]), "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("feed does not carry the title as escaped text")
	}
}
