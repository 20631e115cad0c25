package build_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

// overlay writes the files of a txtar archive over the site in dir.
func overlay(t *testing.T, dir, name string) {
	t.Helper()
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOneSchemeUnchanged checks that a site with one scheme shows nothing
// of schemes: its data files and stylesheet are the goldens TestSite
// keeps, and no page links to /readings/ or has a scheme switcher.
func TestOneSchemeUnchanged(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out)
	files := tree(t, out)
	for name, file := range map[string]string{
		"releases.json": "data/releases.json", "releases.csv": "data/releases.csv", "explorer.json": "data/explorer.json",
		"buckets.css": "assets/buckets.css", "sitemap.xml": "sitemap.xml", "feed.xml": "feed.xml",
	} {
		want, err := os.ReadFile(filepath.Join("testdata", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(files[file], want) {
			t.Errorf("%s of a one-scheme site differs from testdata/golden/%s", file, name)
		}
	}
	for p, b := range files {
		if strings.HasPrefix(p, "readings/") || strings.HasPrefix(p, "schemes/") {
			t.Errorf("a one-scheme site has %s", p)
		}
		if strings.HasSuffix(p, ".html") && (bytes.Contains(b, []byte("readings/")) || bytes.Contains(b, []byte("scheme-switch")) || bytes.Contains(b, []byte("In every reading"))) {
			t.Errorf("%s of a one-scheme site shows schemes", p)
		}
	}
}

// TestTwoSchemes builds a site with a second scheme and a release the two
// schemes file differently, and follows it through the data files, its
// page, its bucket's page in the second scheme and /readings/.
func TestTwoSchemes(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	overlay(t, src, "testdata/schemes.txtar")
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out)
	files := tree(t, out)

	// releases.json: the primary bucket, and the other scheme's.
	var recs []struct {
		Slug, Bucket string
		Schemes      []struct{ Scheme, Bucket, BucketSource, InferredBucket string }
	}
	js := bytes.ReplaceAll(files["data/releases.json"], []byte(`"bucket_source"`), []byte(`"bucketsource"`))
	js = bytes.ReplaceAll(js, []byte(`"inferred_bucket"`), []byte(`"inferredbucket"`))
	if err := json.Unmarshal(js, &recs); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs {
		if len(r.Schemes) != 1 || r.Schemes[0].Scheme != "groups" {
			t.Fatalf("%s: schemes = %+v, want one, groups", r.Slug, r.Schemes)
		}
		s := r.Schemes[0]
		got[r.Slug] = r.Bucket + " " + s.Bucket + " " + s.BucketSource + " " + s.InferredBucket
	}
	for slug, want := range map[string]string{
		"chip-400b": "maker seller editorial seller",
		"lab-1":     "maker chaser org chaser",
		"app-mini":  "product builder inferred builder",
		"inst-1":    "  unclassified ", // no signal in either scheme
	} {
		if got[slug] != want {
			t.Errorf("releases.json: %s is %q, want %q", slug, got[slug], want)
		}
	}

	// releases.csv: three more columns, named with the scheme.
	rows, err := csv.NewReader(bytes.NewReader(files["data/releases.csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(rows[0], ",")
	if !strings.HasSuffix(head, ",cited_urls,bucket_groups,bucket_source_groups,inferred_bucket_groups") {
		t.Errorf("releases.csv header = %s", head)
	}
	found := false
	for _, row := range rows[1:] {
		if row[0] == "chip-400b" {
			found = true
			if b := strings.Join(row[len(row)-3:], " "); row[6] != "maker" || b != "seller editorial seller" {
				t.Errorf("releases.csv chip-400b: bucket %s, groups %q", row[6], b)
			}
		}
	}
	if !found {
		t.Error("releases.csv has no chip-400b")
	}

	// /readings/: chip-400b in the cell maker × seller, off the
	// correspondence, with both buckets, both notes and both evidence.
	doc := parse(t, files["readings/index.html"])
	cell := byID(doc, "cell-maker--seller")
	if cell == nil {
		t.Fatal("readings: no cell maker × seller")
	}
	text := textOf(cell)
	for _, want := range []string{"Chip 400B", "Model makers", "Sellers",
		"The editors think this one was about proving the lab.", "The second seed reads every chip vendor's model as a shovel.",
		"ChipCo is a chip-vendor: +3 upsell", "ChipCo is a chip-vendor: +3 seller"} {
		if !strings.Contains(text, want) {
			t.Errorf("readings cell maker × seller lacks %q:\n%s", want, text)
		}
	}
	// Lab One is on the correspondence (maker ≈ chaser): counted, not listed.
	if byID(doc, "cell-maker--chaser") != nil {
		t.Error("readings lists the cell maker × chaser, which the correspondence declares")
	}
	if c := byID(doc, "x-maker--chaser"); c == nil || !strings.HasPrefix(strings.TrimSpace(textOf(c)), "1") {
		t.Errorf("readings: cell maker × chaser should count Lab One")
	}
	if !bytes.Contains(files["readings/index.html"], []byte(`id="share-over-time-groups"`)) || !bytes.Contains(files["readings/index.html"], []byte(`id="share-over-time-motives"`)) {
		t.Error("readings lacks a share chart per scheme")
	}

	// The release page shows its bucket in every scheme.
	rp := string(files["releases/chip-400b/index.html"])
	for _, want := range []string{`data-scheme="motives" data-bucket="maker"`, `data-scheme="groups" data-bucket="seller"`, `class="chip chip-groups--seller" href="/report/schemes/groups/seller/"`} {
		if !strings.Contains(rp, want) {
			t.Errorf("release page lacks %s", want)
		}
	}
	// The other scheme's bucket page lists it; its stylesheet colours it.
	if !bytes.Contains(files["schemes/groups/seller/index.html"], []byte("Chip 400B")) {
		t.Error("schemes/groups/seller/ does not list Chip 400B")
	}
	if !bytes.Contains(files["assets/buckets.css"], []byte(".chip-groups--seller, .card-groups--seller { --c: #b45309; }")) {
		t.Error("buckets.css lacks the groups scheme's colours")
	}
	// The bucket index switches to the other scheme's.
	if !bytes.Contains(files["buckets/index.html"], []byte(`href="/report/schemes/groups/" data-scheme="groups"`)) {
		t.Error("buckets/ has no switch to the groups scheme")
	}
}

func parse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func byID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode && attr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := byID(c, id); f != nil {
			return f
		}
	}
	return nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
