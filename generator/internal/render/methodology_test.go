package render

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
)

// TestMethodologyListsNewestDisagreements checks that /methodology/ counts
// every disagreement but lists only the newest MaxDisagreements, and says so.
func TestMethodologyListsNewestDisagreements(t *testing.T) {
	rd, s := synthSite(t, 3000)
	var want []*classify.Release
	for _, r := range s.Cat.Releases {
		if (r.Source == classify.Editorial || r.Source == classify.FromOrg) && r.Disagrees() {
			want = append(want, r)
		}
	}
	if len(want) <= MaxDisagreements {
		t.Fatalf("the corpus has %d disagreements; the test needs more than %d", len(want), MaxDisagreements)
	}
	a := methodology(s).Agreement
	if a.Disagreed != len(want) {
		t.Errorf("Disagreed = %d, recount %d", a.Disagreed, len(want))
	}
	if len(a.Disagreements) != MaxDisagreements {
		t.Fatalf("%d disagreements listed, want %d", len(a.Disagreements), MaxDisagreements)
	}
	for i, r := range a.Disagreements {
		if r != want[i] {
			t.Fatalf("disagreement %d is %s, want %s (the newest first)", i, r.ID, want[i].ID)
		}
	}

	var pg *Page
	for _, p := range s.pages {
		if p.Kind == "methodology" {
			pg = p
		}
	}
	var out []byte
	w := &writer{rd: rd, emit: func(_ string, b []byte) error { out = bytes.Clone(b); return nil }}
	if err := w.page(pg); err != nil {
		t.Fatal(err)
	}
	page := string(out)
	if n := strings.Count(page, `<tr data-release="`); n != MaxDisagreements {
		t.Errorf("the page lists %d disagreements, want %d", n, MaxDisagreements)
	}
	for _, frag := range []string{
		"Where they disagree (" + strconv.Itoa(len(want)) + ")",
		"points elsewhere on " + strconv.Itoa(len(want)) + ".",
		"The 100 newest are listed here.",
	} {
		if !strings.Contains(page, frag) {
			t.Errorf("the page lacks %q", frag)
		}
	}
}

// TestScatterSamplesLargeSites checks that the size chart plots about
// figure.MaxScatterPoints releases of a bigger site, says so, and links each
// point it plots to that release's page.
func TestScatterSamplesLargeSites(t *testing.T) {
	for _, n := range []int{300, 6000} {
		_, s := synthSite(t, n)
		sized := 0
		for _, r := range s.Cat.Releases {
			if r.ParamsTotal > 0 {
				sized++
			}
		}
		c := scatterChart(s, figure.Size(s.Cat, s.Stats))
		plotted := 0
		for _, ps := range c.meta.Paths {
			plotted += len(ps)
		}
		sampled := strings.Contains(c.Caption, "sized release of each bucket")
		switch {
		case sized <= figure.MaxScatterPoints && (plotted != sized || sampled):
			t.Errorf("n=%d: %d of %d sized releases plotted (caption %q), want all", n, plotted, sized, c.Caption)
		case sized > figure.MaxScatterPoints && (plotted > figure.MaxScatterPoints+len(c.meta.Paths) || plotted < figure.MaxScatterPoints/2 || !sampled):
			t.Errorf("n=%d: %d of %d sized releases plotted (caption %q), want about %d and a note", n, plotted, sized, c.Caption, figure.MaxScatterPoints)
		}
		if sized > figure.MaxScatterPoints && !strings.Contains(c.Caption, strconv.Itoa(plotted)+" points in all") {
			t.Errorf("n=%d: the caption %q does not say %d points are plotted", n, c.Caption, plotted)
		}
		total := 0
		for _, row := range c.Table.Rows {
			k, _ := strconv.Atoi(row[1])
			total += k
		}
		if total != sized {
			t.Errorf("n=%d: the table counts %d sized releases, want %d", n, total, sized)
		}
	}
}
