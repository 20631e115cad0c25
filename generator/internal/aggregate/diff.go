package aggregate

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Diff is what changed between two catalogs, such as a pull request's
// base and head, in the terms a reviewer of the report cares about.
// Releases are matched by slug.
type Diff struct {
	Unit Unit // head's period: a quarter or a month
	// Buckets are the bucket ids of both sides, head's order first, then
	// Unclassified when either side uses it.
	Buckets []string
	Added   []*classify.Release // in head only, newest first
	Removed []*classify.Release // in base only, newest first
	// Changed are the releases on both sides whose file differs.
	Changed []Change
	// Moved are the releases on both sides whose bucket or license class
	// differs, whether their own file, an org, a license or a bucket's
	// signals changed.
	Moved []Change
	// SchemeMoved are the releases on both sides whose bucket in a further
	// scheme that both sides have differs, by scheme in head's order, then
	// as Moved; SchemesAdded and SchemesRemoved are the further schemes
	// of one side only.
	SchemeMoved    []SchemeMove
	SchemesAdded   []string
	SchemesRemoved []string
	// Periods are the periods holding a release that was added, removed
	// or moved, or whose date changed, on either side; oldest first.
	Periods []PeriodChange
}

// Change is one release present on both sides.
type Change struct {
	Before, After *classify.Release
	// Fields are the front matter fields that differ, in the order of
	// load.Release, then "body" and "file" (the path) when they differ.
	Fields []string
}

// SchemeMove is a release whose bucket in one further scheme changed.
type SchemeMove struct {
	Scheme        *classify.Scheme // head's
	R             *classify.Release
	Before, After *classify.Reading
}

// PeriodChange is one period's counts before and after. A side with no
// release in the period has an empty Period (Total 0).
type PeriodChange struct {
	Key           string
	Before, After *Period
}

// Compare returns what changed from base to head.
func Compare(base, head *classify.Catalog) *Diff {
	d := &Diff{Unit: Quarter}
	if head.Site.Period == "month" {
		d.Unit = Month
	}
	for _, cat := range []*classify.Catalog{head, base} {
		for _, b := range cat.Buckets {
			if !contains(d.Buckets, b.ID) {
				d.Buckets = append(d.Buckets, b.ID)
			}
		}
	}
	affected := map[string]bool{}
	touch := func(r *classify.Release) { affected[Key(r.Date, d.Unit)] = true }
	for _, r := range head.Releases {
		b := base.ReleaseByID[r.ID]
		if b == nil {
			d.Added = append(d.Added, r)
			touch(r)
			continue
		}
		c := Change{Before: b, After: r, Fields: changedFields(b.Release, r.Release)}
		if len(c.Fields) > 0 {
			d.Changed = append(d.Changed, c)
		}
		if b.Bucket != r.Bucket || b.Class != r.Class {
			d.Moved = append(d.Moved, c)
		}
		if b.Bucket != r.Bucket || b.Class != r.Class || b.Date != r.Date {
			touch(b)
			touch(r)
		}
	}
	for _, r := range base.Releases {
		if head.ReleaseByID[r.ID] == nil {
			d.Removed = append(d.Removed, r)
			touch(r)
		}
	}
	compareSchemes(d, base, head)
	before := index(Tally(base.Releases, d.Unit))
	after := index(Tally(head.Releases, d.Unit))
	var keys []string
	for k := range affected {
		keys = append(keys, k)
	}
	sort.Strings(keys) // "2026-Q1" and "2026-01" sort in time order
	unclassified := false
	for _, k := range keys {
		pc := PeriodChange{Key: k, Before: before[k], After: after[k]}
		for _, p := range []**Period{&pc.Before, &pc.After} {
			if *p == nil {
				*p = newPeriod(k, load.Date{}, load.Date{})
			}
			unclassified = unclassified || (*p).Bucket[Unclassified] > 0
		}
		d.Periods = append(d.Periods, pc)
	}
	if unclassified {
		d.Buckets = append(d.Buckets, Unclassified)
	}
	return d
}

// compareSchemes finds the releases whose bucket in a further scheme
// changed, and the schemes one side lacks.
func compareSchemes(d *Diff, base, head *classify.Catalog) {
	for _, sc := range head.Schemes[min(1, len(head.Schemes)):] {
		old := base.Scheme(sc.ID)
		if old == nil || old.Primary {
			d.SchemesAdded = append(d.SchemesAdded, sc.ID)
			continue
		}
		for _, r := range head.Releases {
			b := base.ReleaseByID[r.ID]
			if b == nil {
				continue
			}
			x, y := b.In(sc.ID), r.In(sc.ID)
			if x != nil && y != nil && x.Bucket != y.Bucket {
				d.SchemeMoved = append(d.SchemeMoved, SchemeMove{Scheme: sc, R: r, Before: x, After: y})
			}
		}
	}
	for _, sc := range base.Schemes[min(1, len(base.Schemes)):] {
		if now := head.Scheme(sc.ID); now == nil || now.Primary {
			d.SchemesRemoved = append(d.SchemesRemoved, sc.ID)
		}
	}
}

func index(ps []*Period) map[string]*Period {
	m := make(map[string]*Period, len(ps))
	for _, p := range ps {
		m[p.Key] = p
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// changedFields lists the fields in which a and b differ.
func changedFields(a, b *load.Release) []string {
	var out []string
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	t := va.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if dx, ok := x.(load.Date); ok {
			if dx.String() != y.(load.Date).String() {
				out = append(out, name)
			}
			continue
		}
		if !reflect.DeepEqual(x, y) && !(isEmpty(va.Field(i)) && isEmpty(vb.Field(i))) {
			out = append(out, name)
		}
	}
	if strings.TrimSpace(string(a.HTML)) != strings.TrimSpace(string(b.HTML)) {
		out = append(out, "body")
	}
	if a.File != b.File {
		out = append(out, "file")
	}
	return out
}

// isEmpty treats a nil and an empty list alike.
func isEmpty(v reflect.Value) bool {
	return (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.Len() == 0
}

// Empty reports whether nothing a reviewer would see changed.
func (d *Diff) Empty() bool {
	return len(d.Added)+len(d.Removed)+len(d.Changed)+len(d.Moved)+len(d.SchemeMoved)+len(d.SchemesAdded)+len(d.SchemesRemoved) == 0
}

// Markdown formats d for a pull request's review, such as a GitHub job
// summary. Titles are escaped, so contributed text stays text.
func (d *Diff) Markdown() string {
	var b strings.Builder
	b.WriteString("## Content changes\n\n")
	if d.Empty() {
		b.WriteString("No release was added, removed or changed.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%s added, %s removed, %s changed; %s moved to another bucket or license class.\n",
		count(len(d.Added), "release"), count(len(d.Removed), "release"), count(len(d.Changed), "release"), count(len(d.Moved), "release"))
	releases := func(title string, rs []*classify.Release) {
		if len(rs) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n| Release | Org | Date | Bucket | License |\n| --- | --- | --- | --- | --- |\n", title, len(rs))
		for _, r := range rs {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", name(r), esc(r.Release.Org), r.Date, bucket(r), class(r))
		}
	}
	releases("Added", d.Added)
	releases("Removed", d.Removed)
	if len(d.Changed) > 0 {
		fmt.Fprintf(&b, "\n### Changed (%d)\n\n| Release | Fields |\n| --- | --- |\n", len(d.Changed))
		for _, c := range d.Changed {
			fmt.Fprintf(&b, "| %s | %s |\n", name(c.After), strings.Join(c.Fields, ", "))
		}
	}
	if len(d.Moved) > 0 {
		fmt.Fprintf(&b, "\n### Bucket or license class changed (%d)\n\n| Release | Bucket | License class |\n| --- | --- | --- |\n", len(d.Moved))
		for _, c := range d.Moved {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name(c.After), arrow(bucket(c.Before), bucket(c.After)), arrow(class(c.Before), class(c.After)))
		}
	}
	if len(d.SchemeMoved) > 0 {
		fmt.Fprintf(&b, "\n### Bucket changed in a further scheme (%d)\n\n| Release | Scheme | Bucket |\n| --- | --- | --- |\n", len(d.SchemeMoved))
		for _, m := range d.SchemeMoved {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", name(m.R), esc(m.Scheme.ID), arrow(schemeBucket(m.Before), schemeBucket(m.After)))
		}
	}
	for _, id := range d.SchemesAdded {
		fmt.Fprintf(&b, "\nScheme `%s` added.\n", strings.ReplaceAll(load.Printable(id), "`", ""))
	}
	for _, id := range d.SchemesRemoved {
		fmt.Fprintf(&b, "\nScheme `%s` removed.\n", strings.ReplaceAll(load.Printable(id), "`", ""))
	}
	if len(d.Periods) > 0 {
		fmt.Fprintf(&b, "\n### Bucket shares by %s\n\nBefore and after this change; the change is in percentage points.\n", d.Unit)
		for _, p := range d.Periods {
			fmt.Fprintf(&b, "\n#### %s\n\n| Bucket | Before | After | Change |\n| --- | ---: | ---: | ---: |\n", p.Key)
			for _, k := range d.Buckets {
				x, y := p.Before.Bucket[k], p.After.Bucket[k]
				if x == 0 && y == 0 {
					continue
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", k, share(p.Before, x), share(p.After, y), points(p.After.Share(y)-p.Before.Share(x)))
			}
			fmt.Fprintf(&b, "| all releases | %d | %d | %+d |\n", p.Before.Total, p.After.Total, p.After.Total-p.Before.Total)
		}
	}
	return b.String()
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func name(r *classify.Release) string {
	return esc(r.Title) + " (`" + strings.ReplaceAll(load.Printable(r.ID), "`", "") + "`)"
}

func bucket(r *classify.Release) string {
	if r.Bucket == "" {
		return Unclassified
	}
	return esc(r.Bucket) + " (" + string(r.Source) + ")"
}

// schemeBucket is a release's bucket in one scheme, as bucket does.
func schemeBucket(g *classify.Reading) string {
	if g.Bucket == "" {
		return Unclassified
	}
	return esc(g.Bucket) + " (" + string(g.Source) + ")"
}

func class(r *classify.Release) string {
	c := r.Class
	if c == "" {
		c = "unknown"
	}
	return esc(r.Release.License) + " (" + c + ")"
}

func arrow(a, b string) string {
	if a == b {
		return a
	}
	return a + " → " + b
}

func share(p *Period, n int) string {
	return fmt.Sprintf("%.1f%% (%d)", 100*p.Share(n), n)
}

func points(d float64) string {
	if math.Abs(d) < 0.0005 {
		return "0.0 pp"
	}
	return fmt.Sprintf("%+.1f pp", 100*d)
}

// esc makes contributed text literal in Markdown: it escapes every ASCII
// character that could start markup or end a table cell, writes runs of
// white space as one space and other control characters as load.Printable
// does.
func esc(s string) string {
	var b strings.Builder
	for _, r := range load.Printable(strings.Join(strings.Fields(s), " ")) {
		if strings.ContainsRune("\\`*_{}[]()<>#!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
