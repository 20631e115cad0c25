package scaffold

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/classify"
)

// Report returns the draft of the edition ed counts (see aggregate.Next),
// for a period of unit u: its number, dates and publication date (today),
// every release of the period as a candidate pick with its bucket and
// license in a comment, and the figures the edition will show, with their
// n. The title, the summary, each blurb and the body are placeholders: the
// editors' prose replaces them, and check refuses the report until it
// has. Every figure comes from ed; Report only formats.
func Report(ed *aggregate.Edition, u aggregate.Unit, buckets []string, titles map[string]string, opt Options) Entry {
	rep := ed.Report
	var b bytes.Buffer
	b.WriteString("---\n")
	if opt.SchemaBase != "" {
		b.WriteString(modeline("report", opt) + "\n")
	}
	fmt.Fprintf(&b, "number: %d\n", rep.Number)
	fmt.Fprintf(&b, "title: %s  # the edition's title\n", check.Placeholder)
	fmt.Fprintf(&b, "from: %s\n", rep.From)
	fmt.Fprintf(&b, "to: %s\n", rep.To)
	fmt.Fprintf(&b, "published: %s  # drafted today: set the day it goes out\n", opt.Today)
	fmt.Fprintf(&b, "summary: %s  # a sentence for listings and feeds\n", check.Placeholder)
	if len(ed.Releases) > 0 {
		b.WriteString("# Every release dated in the period is a candidate: keep those worth a\n# blurb, newest first, and delete the others.\n")
		b.WriteString("picks:\n")
		for _, r := range ed.Releases {
			fmt.Fprintf(&b, "  - release: %s  # %s; %s\n", r.ID, bucketOf(r), licenseOf(r))
			fmt.Fprintf(&b, "    blurb: %s\n", check.Placeholder)
		}
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "%s: write the edition here, in place of this paragraph and the draft figures below: what was released in the period, by whom, and probably why. The edition's page shows its own tables; the figures are here to write from.\n\n", check.Placeholder)
	b.WriteString(strings.TrimRight(reportFigures(ed, buckets, titles), "\n") + "\n")
	return Entry{Path: "content/reports/" + strings.ToLower(aggregate.Key(rep.From, u)) + ".md", Data: b.Bytes()}
}

func bucketOf(r *classify.Release) string {
	if r.Bucket == "" {
		return "unclassified"
	}
	return r.Bucket + " (" + string(r.Source) + ")"
}

func licenseOf(r *classify.Release) string {
	if r.License == nil {
		return r.Release.License
	}
	return r.License.ID + " (" + r.Class + ")"
}

// reportFigures writes the draft's figures: counts and shares of each bucket
// and license class, with n, and their change against the previous
// edition.
func reportFigures(ed *aggregate.Edition, buckets []string, titles map[string]string) string {
	var b strings.Builder
	p, prev := ed.Period, ed.Previous
	fmt.Fprintf(&b, "## %s: draft figures\n\n", check.Placeholder)
	fmt.Fprintf(&b, "This period, %s to %s: n = %d %s.", p.From, p.To, p.Total, releasesWord(p.Total))
	if prev != nil {
		fmt.Fprintf(&b, " The previous edition, number %d, %s to %s: n = %d.", ed.PreviousReport.Number, prev.From, prev.To, prev.Total)
	} else {
		b.WriteString(" There is no previous edition to compare with.")
	}
	b.WriteString("\n\n")
	if p.Total == 0 {
		b.WriteString("No release dated in the period is in the corpus yet: there are no shares to report.\n")
		return b.String()
	}
	table := func(head string, keys []string, title func(string) string, count func(*aggregate.Period, string) int, delta map[string]float64) {
		fmt.Fprintf(&b, "| %s | This period | Previous edition | Change in share |\n|---|---|---|---|\n", head)
		for _, k := range keys {
			n, m := count(p, k), 0
			if prev != nil {
				m = count(prev, k)
			}
			if n == 0 && m == 0 {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", title(k), share(n, p.Total), prevShare(m, prev), change(delta, k, prev))
		}
		b.WriteString("\n")
	}
	table("Bucket", buckets, func(k string) string {
		if t := titles[k]; t != "" {
			return t
		}
		return k
	}, func(q *aggregate.Period, k string) int { return q.Bucket[k] }, ed.BucketDelta)
	table("License class", aggregate.Classes, func(k string) string { return k }, func(q *aggregate.Period, k string) int { return q.Class[k] }, ed.ClassDelta)
	if len(ed.NewOrgs) > 0 {
		fmt.Fprintf(&b, "Orgs with their first release in the corpus: %s.\n", strings.Join(ed.NewOrgs, ", "))
	}
	return b.String()
}

func share(n, total int) string {
	return fmt.Sprintf("%d of %d (%s)", n, total, percent(float64(n)/float64(total)))
}

func prevShare(m int, prev *aggregate.Period) string {
	switch {
	case prev == nil:
		return "none"
	case prev.Total == 0:
		return "0 of 0"
	}
	return share(m, prev.Total)
}

func change(delta map[string]float64, k string, prev *aggregate.Period) string {
	if prev == nil || prev.Total == 0 {
		return "none: no releases to compare with"
	}
	d := math.Round(delta[k] * 100)
	if d == 0 {
		return "no change"
	}
	return fmt.Sprintf("%+.0f points", d)
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", math.Round(f*100)) }

func releasesWord(n int) string {
	if n == 1 {
		return "release"
	}
	return "releases"
}
