package browser

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestExplorerCSV filters the explorer, downloads the selection as CSV
// and checks it against /data/releases.csv: the same columns where
// explorer.json carries them, every matching release (not only the rows
// drawn), and each cell as releases.csv has it.
func TestExplorerCSV(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	full, err := csv.NewReader(bytes.NewReader(real.file(t, "data/releases.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range full[0] {
		col[h] = i
	}
	bySlug := map[string][]string{}
	for _, r := range full[1:] {
		bySlug[r[col["slug"]]] = r
	}

	tb := newTab(t, real)
	tb.openExplorer(real, "")
	// The file is caught as the page makes it, and an error in the page
	// ends the wait.
	grab := `new Promise(resolve => {
		const make = URL.createObjectURL;
		URL.createObjectURL = blob => { URL.createObjectURL = make; blob.text().then(resolve); return make(blob); };
		window.addEventListener("error", e => resolve("ERROR " + e.message), {once: true});
		document.querySelector(".ex-csv").click();
	})`
	for _, c := range []struct {
		name   string
		choose func()
		keep   func(exRow) bool
	}{
		{"all", func() {}, func(exRow) bool { return true }},
		{"bucket", func() { tb.choose("bucket", rows[0].Bucket) }, func(r exRow) bool { return r.Bucket == rows[0].Bucket }},
	} {
		c.choose()
		var text string
		tb.eval(grab, &text)
		if strings.HasPrefix(text, "ERROR ") {
			t.Fatalf("%s: the download failed: %s", c.name, text)
		}
		got, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil {
			t.Fatalf("%s: the CSV does not parse: %v\n%.300s", c.name, err, text)
		}
		for _, h := range got[0] {
			if _, ok := col[h]; !ok {
				t.Errorf("%s: column %q is not one of releases.csv's", c.name, h)
			}
		}
		if len(got[0]) < 10 {
			t.Errorf("%s: only %d columns: %v", c.name, len(got[0]), got[0])
		}
		want := slugs(rows, c.keep)
		var have []string
		for _, r := range got[1:] {
			have = append(have, r[0])
			exp := bySlug[r[0]]
			if exp == nil {
				t.Errorf("%s: row for unknown release %q", c.name, r[0])
				continue
			}
			for i, h := range got[0] {
				if r[i] != exp[col[h]] {
					t.Errorf("%s: %s: %s = %q, releases.csv has %q", c.name, r[0], h, r[i], exp[col[h]])
				}
			}
		}
		if strings.Join(have, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the CSV holds %d releases %v, want the %d that match %v", c.name, len(have), first(have, 5), len(want), first(want, 5))
		}
		if c.name == "bucket" && len(want) <= exStep && len(rows) > exStep {
			t.Logf("the bucket shows all its %d rows at once", len(want))
		}
	}
	tb.do(chromedp.Click(chromedp.CSS(`.ex-reset`)))
}
