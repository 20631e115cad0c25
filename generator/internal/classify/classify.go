// Package classify resolves each release's org and license and gives it a
// bucket: the motivation its maker most probably had for releasing it.
//
// The bucket's source is the first of these that applies:
//
//  1. editorial: the release's own bucket field;
//  2. org: its org's bucket field, the editors' default for the org;
//  3. inferred: the bucket with the highest positive score from the
//     weighted signals declared in content/buckets/*.md;
//  4. unclassified: none of the above, or a tie for the highest score.
//
// The facts a signal can test are those of load.Signal. Two need a word:
// org.programme holds for a release published on or after the day its org
// joined one of its Programmes, and national_language holds when the
// release's languages include one of its org's NationalLanguages other
// than English, which every frontier model covers.
//
// An unclassified release carries in Why the reason in words: a tie, or no
// signal at all, and, for a research institute or nonprofit that no state
// backs, that being one is no motive of its own.
//
// Inference runs for every release, even where an editor chose the bucket,
// so the site can show where the two agree. Each signal that holds becomes
// a line of evidence in plain words, such as
// "NVIDIA is a chip-vendor: +3 upsell".
//
// A site may hold further bucket schemes (content/schemes/<id>/): other
// readings of the same releases. Each release is classified in every
// scheme the same way, from the editors' buckets for that scheme
// (load.Release.Buckets and load.Org.Buckets) and that scheme's signals,
// into one Reading per scheme. The primary scheme's reading is also in
// Release's own fields, which keep their meaning.
//
// Classify takes a checked content tree. Given an unchecked one it does not
// fail: unknown orgs, licenses and buckets simply contribute no evidence,
// and a weight outside load.MinWeight to load.MaxWeight, which check
// refuses, counts as the nearer bound, so that no sum of weights
// overflows a score.
package classify

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

// Source says where a release's bucket came from.
type Source string

// The sources, in order of precedence.
const (
	Editorial    Source = "editorial"
	FromOrg      Source = "org"
	Inferred     Source = "inferred"
	Unclassified Source = "unclassified"
)

// Evidence is one signal that held for a release.
type Evidence struct {
	Bucket string // bucket id
	Weight int
	Fact   string // e.g. "NVIDIA is a chip-vendor"
}

// String returns the evidence in plain words: "NVIDIA is a chip-vendor: +3 upsell".
func (e Evidence) String() string {
	return fmt.Sprintf("%s: %+d %s", e.Fact, e.Weight, e.Bucket)
}

// Score is a bucket's total from the signals that held.
type Score struct {
	Bucket string
	Score  int
}

// Release is a release with its references resolved and its bucket.
type Release struct {
	*load.Release
	Org     *load.Org     // nil only for unchecked content
	License *load.License // nil only for unchecked content
	// Class is the license's class: open, conditional or non-commercial.
	Class string
	// Bucket is the bucket id the site files the release under; "" when
	// unclassified.
	Bucket string
	Source Source
	// Inferred is the bucket the signals point to; "" when no bucket
	// scores above zero or the top score is tied.
	Inferred string
	Scores   []Score // one per bucket, in bucket order
	Evidence []Evidence
	// Why says in words why an unclassified release has no bucket; it is
	// empty for every other release.
	Why string
	// Cited is every URL the release cites, with its kind; see package
	// provenance.
	Cited []provenance.URL

	// Readings are the release's classification in every scheme, in the
	// order of Catalog.Schemes: the primary scheme's first.
	Readings []*Reading
}

// Reading is a release's classification in one scheme.
type Reading struct {
	Scheme   *Scheme
	Bucket   string // "" when unclassified
	Source   Source
	Inferred string
	Scores   []Score
	Evidence []Evidence
	Why      string
	// Note is the editors' note on the bucket: the release's when the
	// source is editorial, the org's when it is the org's.
	Note string
}

// Disagrees reports whether an editor's or org's bucket differs from the
// inferred one in this scheme.
func (g *Reading) Disagrees() bool {
	return (g.Source == Editorial || g.Source == FromOrg) && g.Bucket != g.Inferred
}

// In returns the release's reading in the scheme with the given id, or
// nil.
func (r *Release) In(scheme string) *Reading {
	for _, g := range r.Readings {
		if g.Scheme.ID == scheme {
			return g
		}
	}
	return nil
}

// Scheme is one bucket scheme: the primary one from content/buckets/, or
// a further one from content/schemes/<id>/.
type Scheme struct {
	ID      string
	Title   string
	Primary bool
	// Doc is the further scheme's scheme.md; nil for the primary scheme.
	Doc        *load.Scheme
	Buckets    []*load.Bucket // by order, then id
	BucketByID map[string]*load.Bucket
}

// Corresponds returns the primary scheme's buckets that bucket b of this
// scheme is declared to map to; for the primary scheme, b itself.
func (sc *Scheme) Corresponds(b string) []string {
	if sc.Primary {
		return []string{b}
	}
	if sc.Doc == nil {
		return nil
	}
	return sc.Doc.Corresponds[b]
}

// BucketTitle returns bucket id's title, or the id when it has none.
func (sc *Scheme) BucketTitle(id string) string {
	if b := sc.BucketByID[id]; b != nil {
		return b.Title
	}
	return id
}

// Disagrees reports whether an editor's or org's bucket differs from the
// inferred one.
func (r *Release) Disagrees() bool {
	return (r.Source == Editorial || r.Source == FromOrg) && r.Bucket != r.Inferred
}

// Catalog is the classified site: every list sorted for output.
type Catalog struct {
	Site     load.Site
	Releases []*Release      // newest first, then by slug
	Orgs     []*load.Org     // by id
	Buckets  []*load.Bucket  // by order, then id
	Licenses []*load.License // by id
	Reports  []*load.Report  // newest first
	// Sources is content/sources.yaml, and Provenance its rules.
	Sources    load.Sources
	Provenance *provenance.Rules

	OrgByID     map[string]*load.Org
	BucketByID  map[string]*load.Bucket
	LicenseByID map[string]*load.License // ids and aliases
	// LicenseIndex also finds a license by its name, and ignores case
	// and punctuation, as check does.
	LicenseIndex *load.LicenseIndex
	ReleaseByID  map[string]*Release
	// Schemes are the bucket schemes, the primary one first, then the
	// further ones by order and id. Buckets and BucketByID are the
	// primary scheme's.
	Schemes []*Scheme
}

// Further reports whether the site has schemes besides the primary one.
func (c *Catalog) Further() bool { return len(c.Schemes) > 1 }

// Scheme returns the scheme with the given id, or nil.
func (c *Catalog) Scheme(id string) *Scheme {
	for _, sc := range c.Schemes {
		if sc.ID == id {
			return sc
		}
	}
	return nil
}

// schemes builds the catalog's schemes from c's.
func schemes(c *load.Content, primary []*load.Bucket, byID map[string]*load.Bucket) []*Scheme {
	title := c.Site.SchemeTitle
	if title == "" {
		title = "Motivations"
	}
	out := []*Scheme{{ID: c.Site.PrimarySchemeID(), Title: title, Primary: true, Buckets: primary, BucketByID: byID}}
	further := append([]*load.Scheme(nil), c.Schemes...)
	sort.SliceStable(further, func(i, j int) bool {
		if further[i].Order != further[j].Order {
			return further[i].Order < further[j].Order
		}
		return further[i].ID < further[j].ID
	})
	for _, ls := range further {
		sc := &Scheme{ID: ls.ID, Title: ls.Title, Doc: ls, Buckets: append([]*load.Bucket(nil), ls.Buckets...), BucketByID: map[string]*load.Bucket{}}
		sortBuckets(sc.Buckets)
		for _, b := range sc.Buckets {
			sc.BucketByID[b.ID] = b
		}
		out = append(out, sc)
	}
	return out
}

func sortBuckets(bs []*load.Bucket) {
	sort.Slice(bs, func(i, j int) bool {
		a, b := bs[i], bs[j]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.ID < b.ID
	})
}

// Classify resolves and classifies every release in c, and judges the
// URLs each cites (see package provenance).
func Classify(c *load.Content) *Catalog { return ClassifyWith(c, nil) }

// ClassifyWith is Classify, reusing from m the classification of every
// release that has not changed since the last call; see Memo.
func ClassifyWith(c *load.Content, m *Memo) *Catalog {
	cat := &Catalog{
		Site:        c.Site,
		Sources:     c.Sources,
		Provenance:  provenance.New(&c.Sources),
		Orgs:        append([]*load.Org(nil), c.Orgs...),
		Buckets:     append([]*load.Bucket(nil), c.Buckets...),
		Licenses:    append([]*load.License(nil), c.Licenses...),
		Reports:     append([]*load.Report(nil), c.Reports...),
		OrgByID:     map[string]*load.Org{},
		BucketByID:  map[string]*load.Bucket{},
		LicenseByID: map[string]*load.License{},
		ReleaseByID: map[string]*Release{},
	}
	sort.Slice(cat.Orgs, func(i, j int) bool { return cat.Orgs[i].ID < cat.Orgs[j].ID })
	sortBuckets(cat.Buckets)
	sort.Slice(cat.Licenses, func(i, j int) bool { return cat.Licenses[i].ID < cat.Licenses[j].ID })
	sort.Slice(cat.Reports, func(i, j int) bool {
		a, b := cat.Reports[i], cat.Reports[j]
		if !a.From.Time().Equal(b.From.Time()) {
			return a.From.After(b.From)
		}
		return a.ID < b.ID
	})
	for _, o := range cat.Orgs {
		cat.OrgByID[o.ID] = o
	}
	for _, b := range cat.Buckets {
		cat.BucketByID[b.ID] = b
	}
	cat.Schemes = schemes(c, cat.Buckets, cat.BucketByID)
	for _, l := range cat.Licenses {
		for _, a := range l.Aliases {
			if _, taken := cat.LicenseByID[a]; !taken {
				cat.LicenseByID[a] = l
			}
		}
	}
	for _, l := range cat.Licenses {
		cat.LicenseByID[l.ID] = l // ids win over aliases
	}
	cat.LicenseIndex = load.NewLicenseIndex(cat.Licenses)
	cat.Releases = make([]*Release, len(c.Releases))
	m.begin(c)
	for i, lr := range c.Releases {
		r := m.one(cat, lr)
		cat.Releases[i] = r
		cat.ReleaseByID[r.ID] = r
	}
	SortReleases(cat.Releases)
	m.keep(cat.Releases)
	return cat
}

// SortReleases sorts newest first, then by slug.
// Lists that are sorted already, as most are, cost one pass.
func SortReleases(rs []*Release) {
	if !slices.IsSortedFunc(rs, CompareReleases) {
		slices.SortFunc(rs, CompareReleases)
	}
}

// CompareReleases orders releases as SortReleases does.
func CompareReleases(a, b *Release) int {
	if c := b.Date.Time().Compare(a.Date.Time()); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// One classifies a single release against the catalog's orgs, licenses
// and schemes.
func One(cat *Catalog, lr *load.Release) *Release {
	r := &Release{Release: lr, Org: cat.OrgByID[lr.Org], License: cat.license(lr.License)}
	if r.License != nil {
		r.Class = r.License.Class
	}
	rules := cat.Provenance
	if rules == nil {
		rules = provenance.New(&cat.Sources)
	}
	licenses := []*load.License{r.License}
	for _, v := range lr.Variants {
		licenses = append(licenses, cat.LicenseByID[v.License])
	}
	r.Cited = rules.Release(lr, r.Org, licenses)
	scs := cat.Schemes
	if len(scs) == 0 { // a Catalog built by hand
		scs = []*Scheme{{Primary: true, Buckets: cat.Buckets, BucketByID: cat.BucketByID}}
	}
	for _, sc := range scs {
		var edit, editNote, org, orgNote string
		if sc.Primary {
			edit, editNote = lr.Bucket, lr.BucketNote
			if r.Org != nil {
				org, orgNote = r.Org.Bucket, r.Org.BucketNote
			}
		} else {
			edit, editNote = lr.Buckets[sc.ID], lr.BucketNotes[sc.ID]
			if r.Org != nil {
				org, orgNote = r.Org.Buckets[sc.ID], r.Org.BucketNotes[sc.ID]
			}
		}
		r.Readings = append(r.Readings, read(r, sc, edit, editNote, org, orgNote))
	}
	p := r.Readings[0]
	r.Bucket, r.Source, r.Inferred, r.Scores, r.Evidence, r.Why = p.Bucket, p.Source, p.Inferred, p.Scores, p.Evidence, p.Why
	return r
}

// read classifies r in one scheme, given the editors' bucket for the
// release and for its org in that scheme, with their notes.
func read(r *Release, sc *Scheme, edit, editNote, org, orgNote string) *Reading {
	g := &Reading{Scheme: sc}
	best, tied := 0, false
	for _, b := range sc.Buckets {
		s := Score{Bucket: b.ID}
		for _, sig := range b.Signals {
			fact, ok := test(r, sig)
			if !ok {
				continue
			}
			w := min(max(sig.Weight, load.MinWeight), load.MaxWeight)
			s.Score += w
			g.Evidence = append(g.Evidence, Evidence{Bucket: b.ID, Weight: w, Fact: fact})
		}
		g.Scores = append(g.Scores, s)
		switch {
		case s.Score > best:
			best, tied, g.Inferred = s.Score, false, b.ID
		case s.Score == best && best > 0:
			tied = true
		}
	}
	if tied {
		g.Inferred = ""
	}
	switch {
	case edit != "":
		g.Bucket, g.Source, g.Note = edit, Editorial, editNote
	case org != "":
		g.Bucket, g.Source, g.Note = org, FromOrg, orgNote
	case g.Inferred != "":
		g.Bucket, g.Source = g.Inferred, Inferred
	default:
		g.Source = Unclassified
		g.Why = why(sc, r, g, best)
	}
	return g
}

// why explains why r, which no editor filed, has no bucket in scheme sc:
// a tie, or no signal that holds. In the primary scheme, a research
// institute or nonprofit that no state backs is said to be one, since
// being one is no motive of its own.
func why(sc *Scheme, r *Release, g *Reading, best int) string {
	var s string
	if best > 0 {
		var tied []string
		for _, score := range g.Scores {
			if score.Score == best {
				tied = append(tied, sc.BucketTitle(score.Bucket))
			}
		}
		s = fmt.Sprintf("The signals tie between %s at %d each, and no editor has chosen.", andList(tied), best)
	} else {
		s = "No signal points to a bucket, and no editor has chosen one."
	}
	if o := r.Org; sc.Primary && o != nil && !o.StateBacked && (o.Kind == "research" || o.Kind == "nonprofit") {
		kind := "a research institute"
		if o.Kind == "nonprofit" {
			kind = "a nonprofit"
		}
		s += fmt.Sprintf(" %s is %s that no state backs: that is not sovereign AI, and it says nothing of motive on its own.", o.Name, kind)
	}
	return s
}

// andList joins words as "a", "a and b" or "a, b and c", as figure.Names
// does for captions; classify runs before figure, so it cannot call it.
func andList(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// test applies one signal to r. It returns the evidence in plain words and
// whether the signal holds.
func test(r *Release, s load.Signal) (string, bool) {
	org := r.Org
	orgName := r.Release.Org
	if org != nil {
		orgName = org.Name
	}
	var values []string // the fact's values; nil when unknown
	var phrase func(v string) string
	switch s.Fact {
	case "org.kind":
		if org != nil {
			values = []string{org.Kind}
		}
		phrase = func(v string) string { return fmt.Sprintf("%s is %s %s", orgName, article(v), v) }
	case "org.state_backed":
		if org != nil {
			values = []string{fmt.Sprint(org.StateBacked)}
		}
		phrase = func(v string) string {
			if v == "true" {
				return orgName + " is state-backed"
			}
			return orgName + " is not state-backed"
		}
	case "org.programme":
		// A programme holds for the releases published since the org
		// joined it; an earlier release owes it nothing.
		if org != nil {
			values = []string{"false"}
			for _, pr := range org.Programmes {
				if !r.Date.Time().Before(pr.Since.Time()) {
					values = []string{"true"}
					phrase = func(string) string {
						return fmt.Sprintf("%s takes part in %s (since %s)", orgName, pr.Name, pr.Since)
					}
					break
				}
			}
		}
		if phrase == nil {
			phrase = func(string) string { return orgName + " takes part in no government programme at release" }
		}
	case "national_language":
		// English is every frontier model's default, so covering it says
		// nothing about a national mission: only other languages count.
		if org != nil && len(r.Languages) > 0 {
			values = []string{"false"}
			for _, l := range r.Languages {
				if l != "en" && slices.Contains(org.NationalLanguages, l) {
					values = []string{"true"}
					phrase = func(string) string {
						return fmt.Sprintf("covers %s, a national language of %s's country", l, orgName)
					}
					break
				}
			}
		}
		if phrase == nil {
			phrase = func(string) string { return "covers no national language of " + orgName + "'s country but English" }
		}
	case "org.country":
		if org != nil {
			values = []string{org.Country}
		}
		phrase = func(v string) string { return orgName + " is based in " + v }
	case "license":
		if r.License != nil {
			values = []string{r.License.ID}
		}
		phrase = func(string) string { return "licensed under " + r.License.Name }
	case "license.class":
		if r.License != nil {
			values = []string{r.License.Class}
		}
		phrase = func(v string) string { return fmt.Sprintf("%s is %s %s license", r.License.Name, article(v), v) }
	case "trained_on":
		if r.TrainedOn != "" {
			values = []string{r.TrainedOn}
		}
		phrase = func(v string) string { return "trained on " + v }
	case "trained_on_own_hardware":
		if r.TrainedOn != "" && org != nil {
			values = []string{fmt.Sprint(ownHardware(org, r.TrainedOn))}
		}
		phrase = func(v string) string {
			if v == "true" {
				return fmt.Sprintf("trained on %s's own hardware (%s)", orgName, r.TrainedOn)
			}
			return fmt.Sprintf("trained on another vendor's hardware (%s)", r.TrainedOn)
		}
	case "params_total", "params_active":
		n := r.ParamsTotal
		what := "total"
		if s.Fact == "params_active" {
			n, what = r.ParamsActive, "active"
		}
		if n <= 0 {
			return "", false
		}
		if s.Below > 0 && n < s.Below {
			return fmt.Sprintf("%s %s parameters, under %s", n, what, s.Below), true
		}
		if s.AtLeast > 0 && n >= s.AtLeast {
			return fmt.Sprintf("%s %s parameters, at least %s", n, what, s.AtLeast), true
		}
		if s.Present != nil && *s.Present {
			return fmt.Sprintf("%s %s parameters", n, what), true
		}
		return "", false
	case "architecture":
		if r.Architecture != "" {
			values = []string{r.Architecture}
		}
		phrase = func(v string) string { return "architecture is " + v }
	case "modality_in":
		values = r.ModalityIn
		phrase = func(v string) string { return "takes " + v }
	case "modality_out":
		values = r.ModalityOut
		phrase = func(v string) string { return "makes " + v }
	case "modality":
		values = append(append([]string(nil), r.ModalityIn...), r.ModalityOut...)
		phrase = func(v string) string { return "takes or makes " + v }
	case "product":
		if r.Product != "" {
			values = []string{r.Product}
		}
		phrase = func(v string) string { return "ships in a product: " + v }
	default:
		return "", false
	}
	if s.Present != nil {
		if *s.Present == (len(values) > 0) {
			if len(values) > 0 {
				return phrase(values[0]), true
			}
			return "no " + factWords.Replace(s.Fact) + " given", true
		}
		return "", false
	}
	for _, v := range values {
		for _, want := range s.In {
			if strings.EqualFold(v, want) {
				return phrase(v), true
			}
		}
	}
	return "", false
}

// factWords names a fact in a sentence.
var factWords = strings.NewReplacer("modality_in", "input modality", "modality_out", "output modality", "_", " ")

// ownHardware reports whether trainedOn names the org itself, as in NVIDIA
// on NVIDIA or Google on "Google TPU".
func ownHardware(org *load.Org, trainedOn string) bool {
	t := strings.ToLower(trainedOn)
	return strings.Contains(t, strings.ToLower(org.Name)) || strings.Contains(t, strings.ToLower(org.ID))
}

func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

// license returns the license a release names, as check resolves it.
func (cat *Catalog) license(s string) *load.License {
	if l, ok := cat.LicenseByID[s]; ok {
		return l
	}
	return cat.LicenseIndex.Lookup(s)
}
