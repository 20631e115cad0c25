package render

import (
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestBibKey(t *testing.T) {
	for in, want := range map[string]string{
		"Why Open-2026-q2":        "why-open-2026-q2",
		"  Ünïcode & Co!-2025":    "n-code-co-2025",
		"plain":                   "plain",
		"--trailing--":            "trailing",
		"The \"Open\" Report-x_y": "the-open-report-x-y",
	} {
		if got := bibKey(in); got != want {
			t.Errorf("bibKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCitationEscapes(t *testing.T) {
	s := &Site{Title: "Why {Open}", BaseURL: "https://example.org/r/"}
	r := &Report{Report: &load.Report{Number: 3, Title: `50% of } "models" & {more} #1_a\b`,
		From: load.NewDate(2026, time.April, 1), To: load.NewDate(2026, time.June, 30), Published: load.NewDate(2026, time.July, 2)},
		Path: "reports/2026-q2/"}
	r.ID = "2026-q2"
	c := citation(s, r)
	if c.URL != "https://example.org/r/reports/2026-q2/" || c.Date != "2 July 2026" || c.Number != 3 {
		t.Errorf("citation = %+v", c)
	}
	for _, want := range []string{
		"@techreport{why-open-2026-q2,\n",
		`title       = {50\% of \} "models" \& \{more\} \#1\_a\textbackslash{}b},`,
		`author      = {{Why \{Open\}}},`,
		"month       = jul,", "year        = 2026,", "number      = 3,",
		"url         = {https://example.org/r/reports/2026-q2/},",
		"note        = {Covers releases dated 2026-04-01 to 2026-06-30}\n}",
	} {
		if !strings.Contains(c.BibTeX, want) {
			t.Errorf("BibTeX lacks %q:\n%s", want, c.BibTeX)
		}
	}
	// Braces must balance, or the entry swallows what follows it.
	depth := 0
	for i, ch := range c.BibTeX {
		if i > 0 && c.BibTeX[i-1] == '\\' {
			continue
		}
		switch ch {
		case '{':
			depth++
		case '}':
			depth--
		}
		if depth < 0 {
			t.Fatalf("unbalanced braces at %d:\n%s", i, c.BibTeX)
		}
	}
	if depth != 0 {
		t.Errorf("braces do not balance (depth %d):\n%s", depth, c.BibTeX)
	}
}

// TestCitationStatesCount checks that the BibTeX note says what the
// edition counted, and that an early edition says it is one.
func TestCitationStatesCount(t *testing.T) {
	s := &Site{Title: "Why Open", BaseURL: "https://example.org/"}
	r := &Report{Report: &load.Report{Number: 6, Title: "November", From: load.NewDate(2026, time.November, 1),
		To: load.NewDate(2026, time.November, 30), Published: load.NewDate(2026, time.November, 23)}, Path: "reports/2026-11/",
		Count: &figure.Edition{Edition: &aggregate.Edition{Period: &aggregate.Period{Total: 1}}, Early: true}}
	r.ID = "2026-11"
	want := "note        = {Covers releases dated 2026-11-01 to 2026-11-30 (1 release); an early edition, published before the period ended}"
	if c := citation(s, r); !strings.Contains(c.BibTeX, want) {
		t.Errorf("BibTeX lacks %q:\n%s", want, c.BibTeX)
	}
}
