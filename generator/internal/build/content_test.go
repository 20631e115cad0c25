package build_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestBundledContent checks the report's own content: it passes check with
// no errors and no warnings, every release cites an http(s) source, every
// bucket has at least 15 releases, and the headline chart runs from 2023-Q1
// to 2026-Q4 with six monthly editions.
func TestBundledContent(t *testing.T) {
	res, err := build.Check(build.Options{Src: "../../..", Today: load.NewDate(2026, 11, 23)})
	for _, p := range res.Problems {
		t.Errorf("content problem: %s", p)
	}
	if err != nil {
		t.Fatal(err)
	}
	cat := res.Catalog
	if len(cat.Releases) < 90 || len(cat.Orgs) < 40 {
		t.Errorf("%d releases and %d orgs, want at least 90 and 40", len(cat.Releases), len(cat.Orgs))
	}
	perBucket := map[string]int{}
	for _, r := range cat.Releases {
		perBucket[r.Bucket]++
		ok := false
		for _, s := range r.Sources {
			if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s cites no http(s) source", r.File)
		}
	}
	for _, b := range cat.Buckets {
		if perBucket[b.ID] < 15 {
			t.Errorf("bucket %s has %d releases, want at least 15", b.ID, perBucket[b.ID])
		}
	}
	for _, o := range cat.Orgs {
		if o.Kind == "" || o.Country == "" || len(strings.TrimSpace(string(o.HTML))) == 0 {
			t.Errorf("%s lacks kind, country or a description", o.File)
		}
		if o.Bucket == "" && o.BucketNote == "" {
			t.Errorf("%s has no default bucket and no bucket_note saying why", o.File)
		}
	}
	if len(cat.Reports) != 6 {
		t.Errorf("%d reports, want 6", len(cat.Reports))
	}
	coverage(t, cat)
	agreement(t, cat)

	out := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Src: "../../..", Out: out, Theme: repoTheme}); err != nil {
		t.Fatal(err)
	}
	home, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var share struct {
		Meta struct{ Keys []string } `json:"whyopen"`
	}
	if err := json.Unmarshal([]byte(chartOptions(t, string(home))["share-over-time"]), &share); err != nil {
		t.Fatal(err)
	}
	keys := share.Meta.Keys
	if len(keys) == 0 || keys[0] != "2023-Q1" || keys[len(keys)-1] != "2026-Q4" {
		t.Errorf("headline chart runs %v, want 2023-Q1 to 2026-Q4", keys)
	}
	checkEditions(t, out)
	checkReadings(t, cat, out)
}

// checkReadings checks that the bundled site ships seed 001's reading
// beside seed 000's, with the seed's own placements, and that /readings/
// lists each of Cohere's releases where the two readings part with both
// buckets and both seeds' reasons.
func checkReadings(t *testing.T, cat *classify.Catalog, out string) {
	t.Helper()
	sc := cat.Scheme("seed-001")
	if sc == nil || !cat.Schemes[0].Primary || cat.Schemes[0].ID != "seed-000" || len(sc.Buckets) != 3 {
		t.Fatalf("schemes = %v, want seed-000 primary and seed-001's three groups", cat.Schemes)
	}
	for org, want := range map[string]string{"nvidia": "shovel-seller", "alibaba": "shovel-seller", "cohere": "frontier-chaser", "poolside": "frontier-chaser",
		"zyphra": "frontier-chaser", "zhipu": "frontier-chaser", "jetbrains": "pragmatist", "photoroom": "pragmatist"} {
		o := cat.OrgByID[org]
		if o == nil {
			t.Errorf("no org %s", org)
			continue
		}
		if o.Buckets["seed-001"] != want || !strings.Contains(o.BucketNotes["seed-001"], "Seed 001") {
			t.Errorf("%s: seed-001 bucket %q, want %s with a note citing the seed", org, o.Buckets["seed-001"], want)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "readings/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range cat.Releases {
		if r.Release.Org != "cohere" {
			continue
		}
		// /readings/ lists the releases where the readings part: a
		// release the declared correspondence places is only counted.
		p, o := r.Readings[0], r.In("seed-001")
		if o.Bucket != "" && p.Bucket != "" && slices.Contains(sc.Corresponds(o.Bucket), p.Bucket) {
			continue
		}
		n++
		row := byAttr(doc, "data-release", r.ID)
		if row == nil {
			t.Errorf("/readings/ does not list Cohere's %s", r.ID)
			continue
		}
		text := textOf(row)
		for _, want := range []string{sc.BucketTitle(o.Bucket), cat.Schemes[0].BucketTitle(p.Bucket), o.Note, p.Note} {
			if want == "" || !strings.Contains(text, want) {
				t.Errorf("/readings/ row of %s lacks %q", r.ID, want)
			}
		}
	}
	if n < 3 {
		t.Errorf("%d Cohere releases where the readings part, want at least 3", n)
	}
}

func byAttr(n *html.Node, key, val string) *html.Node {
	if n.Type == html.ElementNode && attr(n, key) == val {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := byAttr(c, key, val); f != nil {
			return f
		}
	}
	return nil
}

// TestEditionsMatchRecount recounts every edition of the fixture site from
// /data/releases.json.
func TestEditionsMatchRecount(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out)
	if n := checkEditions(t, out); n != 2 {
		t.Errorf("checked %d editions, want 2", n)
	}
}

// checkEditions compares each /data/reports/*.json with a recount of
// /data/releases.json over its period and the previous edition's, and
// returns how many editions it checked.
func checkEditions(t *testing.T, out string) int {
	t.Helper()
	var recs []struct {
		Slug, Date, Bucket string
		LicenseClass       string `json:"license_class"`
	}
	b, err := os.ReadFile(filepath.Join(out, "data/releases.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	type edition struct {
		Report, From, To, Previous string
		Total                      int
		Small                      bool
		MinShareN                  int `json:"min_share_n"`
		Shares, Deltas             map[string]float64
		ClassDeltas                map[string]float64 `json:"license_class_deltas"`
	}
	files, _ := filepath.Glob(filepath.Join(out, "data/reports/*.json"))
	eds := map[string]edition{}
	for _, f := range files {
		var e edition
		b, _ := os.ReadFile(f)
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		eds[e.Report] = e
	}
	count := func(from, to string) (int, map[string]float64, map[string]float64) {
		n, bs, cs := 0, map[string]float64{}, map[string]float64{}
		for _, r := range recs {
			if r.Date >= from && r.Date <= to {
				n++
				b := r.Bucket
				if b == "" {
					b = "unclassified"
				}
				bs[b]++
				cs[r.LicenseClass]++
			}
		}
		for k := range bs {
			bs[k] /= float64(n)
		}
		for k := range cs {
			cs[k] /= float64(n)
		}
		return n, bs, cs
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.00051 }
	for id, e := range eds {
		n, shares, classes := count(e.From, e.To)
		if n != e.Total {
			t.Errorf("%s: total %d, recount %d", id, e.Total, n)
		}
		for k, v := range e.Shares {
			if !near(v, shares[k]) {
				t.Errorf("%s: share of %s = %v, recount %v", id, k, v, shares[k])
			}
		}
		if e.MinShareN < 1 {
			t.Errorf("%s: min_share_n = %d", id, e.MinShareN)
		}
		if small := n < e.MinShareN; e.Small != small {
			t.Errorf("%s: small = %v with %d releases and min_share_n %d", id, e.Small, n, e.MinShareN)
		}
		if e.Previous == "" {
			continue
		}
		p, ok := eds[e.Previous]
		if !ok {
			t.Errorf("%s: previous edition %s has no data file", id, e.Previous)
			continue
		}
		pn, prevShares, prevClasses := count(p.From, p.To)
		// Shares are compared only when both editions have enough
		// releases; otherwise the file carries no deltas at all.
		if n < e.MinShareN || pn < e.MinShareN {
			if e.Deltas != nil || e.ClassDeltas != nil {
				t.Errorf("%s: %d releases against %d, min_share_n %d, yet deltas %v %v", id, n, pn, e.MinShareN, e.Deltas, e.ClassDeltas)
			}
			continue
		}
		if len(e.Deltas) != len(e.Shares) {
			t.Errorf("%s: %d deltas for %d shares", id, len(e.Deltas), len(e.Shares))
		}
		for k, v := range e.Deltas {
			if !near(v, shares[k]-prevShares[k]) {
				t.Errorf("%s: delta of %s = %v, recount %v", id, k, v, shares[k]-prevShares[k])
			}
		}
		for k, v := range e.ClassDeltas {
			if !near(v, classes[k]-prevClasses[k]) {
				t.Errorf("%s: class delta of %s = %v, recount %v", id, k, v, classes[k]-prevClasses[k])
			}
		}
	}
	return len(eds)
}

// coverage holds the corpus to the report's coverage promise: at least
// 300 releases, at least 15 in every quarter from 2023-Q1 to the last
// complete one before the test's today (2026-11-23), and at least 3 in
// every month of 2026 up to October. November 2026 is left out: no public
// source yet dates a November open-weights release to the day.
func coverage(t *testing.T, cat *classify.Catalog) {
	t.Helper()
	if len(cat.Releases) < 300 {
		t.Errorf("%d releases, want at least 300", len(cat.Releases))
	}
	perQuarter, perMonth := map[string]int{}, map[string]int{}
	for _, r := range cat.Releases {
		d := r.Date.Time()
		perQuarter[fmt.Sprintf("%d-Q%d", d.Year(), (int(d.Month())+2)/3)]++
		perMonth[d.Format("2006-01")]++
	}
	for y := 2023; y <= 2026; y++ {
		for q := 1; q <= 4; q++ {
			if y == 2026 && q == 4 {
				break // under way on the test's today
			}
			if k := fmt.Sprintf("%d-Q%d", y, q); perQuarter[k] < 15 {
				t.Errorf("%s has %d releases, want at least 15", k, perQuarter[k])
			}
		}
	}
	for m := 1; m <= 10; m++ {
		if k := fmt.Sprintf("2026-%02d", m); perMonth[k] < 3 {
			t.Errorf("%s has %d releases, want at least 3", k, perMonth[k])
		}
	}
}

// agreement holds inference to the editors: it must agree on at least 85%
// of the releases an editor or an org default filed, and on at least 70%
// of those in every bucket. Falling below means a signal no longer says
// what the seeds say, or a bucket was set without the facts behind it.
func agreement(t *testing.T, cat *classify.Catalog) {
	t.Helper()
	judged, agree := map[string]int{}, map[string]int{}
	all, allAgree := 0, 0
	for _, r := range cat.Releases {
		if r.Source != classify.Editorial && r.Source != classify.FromOrg {
			continue
		}
		all++
		judged[r.Bucket]++
		if !r.Disagrees() {
			allAgree++
			agree[r.Bucket]++
		}
	}
	if all == 0 || allAgree*100 < all*85 {
		t.Errorf("inference agrees with the editors on %d of %d releases, want at least 85%%", allAgree, all)
	}
	for b, n := range judged {
		if agree[b]*100 < n*70 {
			t.Errorf("bucket %s: inference agrees on %d of %d, want at least 70%%", b, agree[b], n)
		}
	}
}
