package build_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestHonestStatistics builds a site with three releases in 2025-Q1 and
// two in 2025-Q2, which is under way on the build's day, with a minimum
// of three releases for a share. Every chart over time must leave Q2's
// shares out and mark it partial, every table must mark it, no caption
// may draw a finding from it, and the front page must lead with the
// complete Q1 edition while the Q2 edition stays unpublished.
func TestHonestStatistics(t *testing.T) {
	src := extract(t, "testdata/honest.txtar")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2025, 5, 20)}); err != nil {
		t.Fatal(err)
	}
	files := tree(t, out)

	type option struct {
		Meta struct {
			Keys    []string
			Totals  []int
			Min     int
			Partial []int
		} `json:"whyopen"`
		YAxis []struct{ Name string }   `json:"yAxis"`
		XAxis []struct{ Data []string } `json:"xAxis"`
		// A point is a number, "-" for a gap, or an object with a value.
		Series []struct {
			Name string
			Data []json.RawMessage
		}
	}
	value := func(raw json.RawMessage) string {
		var obj struct{ Value json.RawMessage }
		if json.Unmarshal(raw, &obj) == nil && obj.Value != nil {
			return string(obj.Value)
		}
		return string(raw)
	}
	charts, shares := 0, 0
	for path, data := range files {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		page := string(data)
		for id, js := range chartOptions(t, page) {
			var o option
			if err := json.Unmarshal([]byte(js), &o); err != nil {
				t.Fatalf("%s: %s: %v", path, id, err)
			}
			q2 := -1
			for i, k := range o.Meta.Keys {
				if k == "2025-Q2" {
					q2 = i
				}
			}
			if q2 < 0 {
				continue // not a chart over time, or not reaching Q2
			}
			charts++
			if len(o.Meta.Partial) != 1 || o.Meta.Partial[0] != q2 {
				t.Errorf("%s: %s: partial = %v, want [%d]", path, id, o.Meta.Partial, q2)
			}
			if label := o.XAxis[0].Data[q2]; label != "2025-Q2\nn=2, partial" {
				t.Errorf("%s: %s: axis label %q does not show n and partial", path, id, label)
			}
			if o.Meta.Min != 3 {
				t.Errorf("%s: %s: min = %d, want 3", path, id, o.Meta.Min)
			}
			if !strings.Contains(o.YAxis[0].Name, "%") {
				continue // counts, not shares
			}
			shares++
			for _, s := range o.Series {
				for i, raw := range s.Data {
					v := value(raw)
					small := o.Meta.Totals[i] < 3
					if small && v != `"-"` {
						t.Errorf("%s: %s: %s plots a share, %s, for %s with n=%d", path, id, s.Name, v, o.Meta.Keys[i], o.Meta.Totals[i])
					}
					if !small && v == `"-"` {
						t.Errorf("%s: %s: %s leaves out %s with n=%d", path, id, s.Name, o.Meta.Keys[i], o.Meta.Totals[i])
					}
				}
			}
		}
		// Tables name the period as partial wherever they list it.
		for _, m := range regexp.MustCompile(`<th scope="row">2025-Q2[^<]*</th>`).FindAllString(page, -1) {
			if !strings.Contains(m, "(partial)") {
				t.Errorf("%s: table row %s is not marked partial", path, m)
			}
		}
		// No caption draws a finding from the partial period.
		for _, m := range regexp.MustCompile(`<span class="chart-finding">([^<]*)</span>`).FindAllStringSubmatch(page, -1) {
			c := strings.ReplaceAll(m[1], "2025-Q2 is still under way and is not compared.", "")
			if strings.Contains(c, "2025-Q2") {
				t.Errorf("%s: caption draws on the partial period: %s", path, m[1])
			}
		}
	}
	// The home page's three charts over time, and a bucket's share.
	if charts < 4 || shares < 3 {
		t.Errorf("checked %d charts over time, %d of shares; want at least 4 and 3", charts, shares)
	}

	// Every page has an og:image, a 1200×630 PNG of the site; the front
	// page, the reports, the buckets and the figures have their own.
	ogRe := regexp.MustCompile(`<meta property="og:image" content="https://example.org/([^"]+)">`)
	for path, data := range files {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		m := ogRe.FindStringSubmatch(string(data))
		if m == nil {
			t.Errorf("%s has no og:image", path)
			continue
		}
		img, err := png.Decode(bytes.NewReader(files[m[1]]))
		if err != nil {
			t.Errorf("%s: og:image %s: %v", path, m[1], err)
		} else if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
			t.Errorf("%s: og:image is %v", path, b)
		}
		own := path == "index.html" || strings.HasPrefix(path, "reports/2025") || strings.HasPrefix(path, "buckets/") || path == "embed/share-over-time/index.html"
		if own && m[1] == "og/site.png" {
			t.Errorf("%s shows the site's card, not its own", path)
		}
	}

	// Term charts show only the buckets the term has releases in, and
	// captions count with plurals, capitals and all releases as the
	// denominator.
	var org option
	if err := json.Unmarshal([]byte(chartOptions(t, string(files["orgs/openlab/index.html"]))["org-releases"]), &org); err != nil {
		t.Fatal(err)
	}
	if len(org.Series) != 1 || org.Series[0].Name != "Model makers" {
		t.Errorf("OpenLab's chart has series %+v, want Model makers alone", org.Series)
	}
	for path, want := range map[string]string{
		"orgs/index.html":                "ChipCo leads with 3 of 5 releases (60%).",
		"licenses/index.html":            "Open leads with 5 of 5 releases (100%).",
		"orgs/openlab/index.html":        "All 2 releases fall in 2025-Q1.",
		"licenses/apache-2.0/index.html": "5 releases in all; the busiest quarter was 2025-Q1, with 3. 2025-Q2 is still under way and is not compared.",
	} {
		if !strings.Contains(string(files[path]), want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}

	home := string(files["index.html"])
	if !strings.Contains(home, `Latest report · No. 1</span> <a href="/reports/2025-q1/">The first quarter</a>`) {
		t.Errorf("the front page does not lead with the complete Q1 edition")
	}
	if !strings.Contains(home, "Model makers fell from") && !strings.Contains(home, "Upsell rose from") {
		// Q1 alone is complete and large enough: nothing to compare.
		if !strings.Contains(home, "Too few releases per quarter to compare shares over time") {
			t.Errorf("the share caption neither compares nor says why not")
		}
	}
	if _, ok := files["reports/2025-q2/index.html"]; ok {
		t.Errorf("the Q2 edition is published before its period ended")
	}
	if _, ok := files["reports/2025-q1/index.html"]; !ok {
		t.Errorf("the complete Q1 edition is missing")
	}
	if strings.Contains(string(files["feed.xml"]), "reports/2025-q2/") {
		t.Errorf("the feed lists the unpublished Q2 edition")
	}
}

// TestSmallEditionData builds the same site once 2025-Q2 has ended: its
// edition, with two releases against a minimum of three, is published,
// and its data files must carry no share deltas and must say why, while
// the complete shares stay.
func TestSmallEditionData(t *testing.T) {
	src := extract(t, "testdata/honest.txtar")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2025, 7, 5)}); err != nil {
		t.Fatal(err)
	}
	files := tree(t, out)
	var ed map[string]json.RawMessage
	if err := json.Unmarshal(files["data/reports/2025-q2.json"], &ed); err != nil {
		t.Fatal(err)
	}
	if string(ed["small"]) != "true" || string(ed["total"]) != "2" || string(ed["previous"]) != `"2025-q1"` || string(ed["min_share_n"]) != "3" {
		t.Errorf("2025-q2.json: small %s, total %s, previous %s, min_share_n %s", ed["small"], ed["total"], ed["previous"], ed["min_share_n"])
	}
	if _, ok := ed["deltas"]; ok {
		t.Errorf("2025-q2.json carries deltas: %s", ed["deltas"])
	}
	if _, ok := ed["license_class_deltas"]; ok {
		t.Errorf("2025-q2.json carries license class deltas: %s", ed["license_class_deltas"])
	}
	if !strings.Contains(string(ed["deltas_note"]), "2 of the 3 releases") {
		t.Errorf("2025-q2.json: deltas_note = %s", ed["deltas_note"])
	}
	if _, ok := ed["shares"]; !ok {
		t.Errorf("2025-q2.json lost its shares")
	}
	rows := strings.Split(strings.TrimSpace(string(files["data/reports/2025-q2.csv"])), "\n")
	if len(rows) < 2 || rows[0] != "dimension,key,releases,total,share,delta,small" {
		t.Fatalf("2025-q2.csv = %q", rows)
	}
	for _, row := range rows[1:] {
		f := strings.Split(row, ",")
		if len(f) != 7 || f[5] != "" || f[6] != "true" || f[3] != "2" {
			t.Errorf("2025-q2.csv row %q: want total 2, no delta, small true", row)
		}
	}
	// The first edition is not small: it has no previous one to compare
	// with, and says nothing about deltas.
	var first map[string]json.RawMessage
	if err := json.Unmarshal(files["data/reports/2025-q1.json"], &first); err != nil {
		t.Fatal(err)
	}
	if string(first["small"]) != "false" || first["deltas_note"] != nil {
		t.Errorf("2025-q1.json: small %s, deltas_note %s", first["small"], first["deltas_note"])
	}
}
