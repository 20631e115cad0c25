// Package check validates a content tree that package load has read.
//
// It checks what one file cannot know about itself: that ids resolve
// (orgs and co_orgs, licenses by id, alias or name through
// load.LicenseIndex, buckets, report picks, a base_model slug, and, for
// further bucket schemes, scheme ids, each scheme's own bucket ids and the
// primary buckets its correspondence names), that slugs are
// unique and safe to use as paths, that enumerated fields hold allowed values,
// that every URL is http(s), and that required fields are present. Every
// problem carries the file:line:col of the offending value, and a
// did-you-mean where a near miss exists. A site without releases is an
// error, at content/releases: publishing it would replace a good site.
// Check reports every problem in one pass; problems of severity Warning do
// not stop a build. Releases are checked on all cores; with a Memo, only
// those that changed since the last run are checked again.
//
// The rules that follow from the struct tags of package load's types
// (required, enum, pattern and format:"uri") are applied by reflection, so
// the schema published by `whyopen schema` and the checks cannot drift:
// Schema generates that JSON Schema from the same tags.
//
// It also refuses values no real content holds (see load's package doc):
// dates before 1990-01-01 or more than a year after Options.Today, signal
// weights outside -100 to 100, languages that are not ISO 639-1 codes or
// "multilingual", blank titles and names or ones with control,
// bidirectional or invisible formatting characters, and a base_url with a
// user name, query, fragment, dot segment or bad port. Only pass or fail
// depends on Options.Today: no message names it.
//
// Check also holds releases to the source rule, with the kinds of
// package provenance: every URL a release cites (sources, links and
// benchmarks[].source) on a mirror listed in content/sources.yaml is an
// error that names the original URL where it can be derived; one on a
// farm listed there is a warning; and a release none of whose URLs is
// primary is an error. It checks sources.yaml's hosts, and the domains,
// huggingface and github names of orgs, for shape. A release's variants
// each name a license that resolves, and the release's license class is
// at least as restrictive as each of theirs (open < conditional <
// non-commercial).
// A release whose weights are closed is an error: the report covers open
// weights. Two releases that cite one Hugging Face model repository (in
// links.weights or the first huggingface.co model URL among their
// sources) or whose titles are one once case and punctuation are ignored
// are a warning: probably one model filed twice.
//
// A text value that is the placeholder "TODO" (see Placeholder), as
// written by `whyopen new` and `whyopen import`, is an error at its
// position saying what belongs there, in place of the field's other
// checks. So is everything else a scaffold leaves unfinished: a value
// that holds the word TODO, a TODO in a body, the body's placeholder
// comment (see PlaceholderComment), or any comment holding TODO, and a
// value marked "# unconfirmed" (see load.Unconfirmed), such as the date
// `whyopen new` sets to the day it ran.
// A report whose body still holds the word TODO, as the draft `whyopen
// new report` writes does, is an error at the body's first line.
// A release with draft: true, as `whyopen track -write` writes it, is a
// warning at that line: check -strict, which fails on warnings, refuses
// it until an editor has finished the entry and removed the line.
package check

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

// Options tunes the checks.
type Options struct {
	// Today is the date after which a release date is in the future. The
	// zero Date turns that warning off.
	Today load.Date
	// Memo, when set, keeps each release's problems between runs; see Memo.
	Memo *Memo
}

// SlugPattern is what every file name under content/ must match, so that
// it is safe as a URL path segment and as a directory name.
var SlugPattern = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// ValidSlug reports whether s matches SlugPattern, without the regexp: a
// site checks every file name on every build.
func ValidSlug(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		case c == '.' || c == '_' || c == '-':
			// A separator, between two letters or digits.
			if i == 0 || i == len(s)-1 || !isSlugChar(s[i-1]) || !isSlugChar(s[i+1]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isSlugChar(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// Check returns every problem in c, sorted by file, line and column.
func Check(c *load.Content, opt Options) []load.Problem {
	k := &checker{c: c, opt: opt}
	k.run()
	sort.SliceStable(k.probs, func(i, j int) bool { return Less(k.probs[i], k.probs[j]) })
	return k.probs
}

// Less orders problems by file, line, column and message.
func Less(a, b load.Problem) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Col != b.Pos.Col {
		return a.Pos.Col < b.Pos.Col
	}
	return a.Msg < b.Msg
}

type checker struct {
	c     *load.Content
	opt   Options
	probs []load.Problem
}

func (k *checker) errorf(p load.Pos, format string, args ...any) {
	k.probs = append(k.probs, load.Problem{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

func (k *checker) warnf(p load.Pos, format string, args ...any) {
	k.probs = append(k.probs, load.Problem{Pos: p, Severity: load.Warning, Msg: fmt.Sprintf(format, args...)})
}

func (k *checker) run() {
	c := k.c
	k.tags(&c.Site.Doc, reflect.ValueOf(c.Site), "")
	if c.Site.BaseURL != "" && !strings.HasSuffix(c.Site.BaseURL, "/") && !strings.ContainsAny(c.Site.BaseURL, "?#") {
		k.errorf(c.Site.Pos("base_url"), "base_url must end with \"/\"")
	}
	k.baseURL(c.Site)
	k.cadence()

	// An empty site is never published: it would replace a good one.
	// A tree load could not read at all has said so already.
	if len(c.Releases) == 0 && !(c.Site.Unread && len(c.Orgs)+len(c.Buckets)+len(c.Licenses)+len(c.Reports) == 0) {
		k.errorf(load.Pos{File: "content/releases"}, "no releases: a site needs at least one, and a build without any publishes nothing")
	}

	orgs := ids(k, "org", c.Orgs)
	buckets := ids(k, "bucket", c.Buckets)
	ids(k, "license", c.Licenses)
	releases := ids(k, "release", c.Releases)
	ids(k, "report", c.Reports)

	// License ids and aliases share one namespace.
	licenses := map[string]*load.License{}
	var licenseNames []string
	for _, l := range c.Licenses {
		licenses[l.ID] = l
		licenseNames = append(licenseNames, l.ID)
	}
	for _, l := range c.Licenses {
		if l.Name != "" {
			licenseNames = append(licenseNames, l.Name) // suggested, and accepted
		}
	}
	for _, l := range c.Licenses {
		for i, a := range l.Aliases {
			if other, ok := licenses[a]; ok && other != l {
				k.errorf(l.Pos("aliases."+strconv.Itoa(i)), "alias %q already names license %q (%s)", a, other.ID, other.File)
				continue
			}
			licenses[a] = l
			licenseNames = append(licenseNames, a)
		}
	}

	k.dataLicense(c.Site, licenses, licenseNames)

	for _, b := range c.Buckets {
		k.tags(&b.Doc, reflect.ValueOf(*b), "")
		k.signals(b)
	}
	for _, l := range c.Licenses {
		k.tags(&l.Doc, reflect.ValueOf(*l), "")
	}
	k.tags(&c.Sources.Doc, reflect.ValueOf(c.Sources), "")
	k.sources(&c.Sources)
	for _, o := range c.Orgs {
		k.tags(&o.Doc, reflect.ValueOf(*o), "")
		k.provenance(o)
		if o.Country != "" && !countries[o.Country] && regexp.MustCompile(`^[A-Z]{2}$`).MatchString(o.Country) {
			k.errorf(o.Pos("country"), "unknown country code %q: use ISO 3166-1 alpha-2, such as US, FR or KR, or %s for an international organisation", o.Country, International)
		}
		k.ref(&o.Doc, "bucket", o.Bucket, "bucket", buckets)
		k.orgBucket(o, c.Buckets)
		k.unfinished(&o.Doc)
	}
	orgByID := map[string]*load.Org{}
	for _, o := range c.Orgs {
		orgByID[o.ID] = o
	}
	schemes := k.schemes(buckets)
	for _, o := range c.Orgs {
		k.schemeRefs(&o.Doc, o.Buckets, o.BucketNotes, schemes, false)
	}
	rules := provenance.New(&c.Sources)
	index := k.licenseIndex()
	k.releases(func(w *checker, r *load.Release) {
		w.release(r, orgs, buckets, index, licenseNames)
		w.cites(r, rules, orgByID[r.Org], licenses)
		if !r.Unread {
			w.schemeRefs(&r.Doc, r.Buckets, r.BucketNotes, schemes, true)
		}
	})
	k.catalog()
	k.reports(releases)
}

func (k *checker) release(r *load.Release, orgs, buckets map[string]bool, licenses *load.LicenseIndex, licenseNames []string) {
	if r.Unread {
		return // load reported why; its fields are not missing
	}
	k.tags(&r.Doc, reflect.ValueOf(*r), "")
	k.ref(&r.Doc, "org", r.Org, "org", orgs)
	k.ref(&r.Doc, "bucket", r.Bucket, "bucket", buckets)
	k.catalogRelease(r, orgs)
	if r.License != "" && !IsPlaceholder(r.License) && licenses.Lookup(r.License) == nil {
		k.errorf(r.Pos("license"), "unknown license %q%s", r.License, load.DidYouMean(r.License, licenseNames))
	}
	httpSources := 0
	for i, s := range r.Sources {
		if isHTTP(s) || IsPlaceholder(s) {
			httpSources++ // a placeholder is reported where it stands
		} else if !strings.Contains(s, ":") {
			k.warnf(r.Pos("sources."+strconv.Itoa(i)), "source %q is not a URL: cite the model card, report or announcement by URL", s)
		}
	}
	if r.Has("sources") && r.Sources != nil && httpSources == 0 { // nil: not a list, as load reported
		k.errorf(r.Pos("sources"), "sources: needs at least one http(s) URL")
	}
	if r.ParamsTotal > 0 && r.ParamsActive > r.ParamsTotal {
		k.errorf(r.Pos("params_active"), "params_active (%s) is larger than params_total (%s)", r.ParamsActive, r.ParamsTotal)
	}
	k.variants(r, licenses, licenseNames)
	if r.Has("bucket_note") && !r.Has("bucket") {
		k.warnf(r.Pos("bucket_note"), "bucket_note without bucket: the note explains an editorial bucket")
	}
	if !r.Has("summary") {
		k.warnf(r.Start, "no summary: listings and the feed show the summary")
	}
	if r.Draft {
		k.warnf(r.Pos("draft"), "a draft written by whyopen track: check every field against the sources, write the body, then remove draft: true")
	}
	if !k.opt.Today.IsZero() && r.Date.After(k.opt.Today) && !k.tooLate(r.Date) {
		k.warnf(r.Pos("date"), "date %s is in the future", r.Date)
	}
	k.body(&r.Doc)
	k.unfinished(&r.Doc)
}

// cites checks where the URLs a release cites lead: never to a mirror,
// to a farm only with a warning, and to at least one primary source.
func (k *checker) cites(r *load.Release, rules *provenance.Rules, org *load.Org, licenses map[string]*load.License) {
	if r.Unread {
		return
	}
	ls := []*load.License{licenses[r.License]}
	for _, v := range r.Variants {
		ls = append(ls, licenses[v.License])
	}
	urls := rules.Release(r, org, ls)
	for _, u := range urls {
		what := u.Host
		if strings.Contains(u.Entry, "/") {
			what = u.Entry // a path on a shared host, such as one repository
		}
		if u.Note != "" {
			what += " (" + u.Note + ")"
		}
		switch u.Kind {
		case provenance.Mirror:
			fix := "cite the page it copies"
			if u.Original != "" {
				fix = "cite the original, " + u.Original
			}
			k.errorf(r.Pos(u.Field), "%s: %s is a mirror, never a source: %s", u.Field, what, fix)
		case provenance.Farm:
			k.warnf(r.Pos(u.Field), "%s: %s publishes generated or copied text, not evidence on its own: cite the maker or a reputable outlet instead", u.Field, what)
		}
	}
	if org == nil || len(r.Sources) == 0 || provenance.HasPrimary(urls) {
		return // an unknown org or missing sources are reported already
	}
	for _, s := range r.Sources {
		if IsPlaceholder(s) {
			return
		}
	}
	k.errorf(r.Pos("sources"), "no primary source: cite where %s speaks for itself (%s), the paper (arXiv, DOI) or the license text; if a URL here is %s's own, add it to %s",
		org.Name, ownPlaces(org), org.Name, org.File)
}

// ownPlaces names where org speaks for itself, as its org file says.
func ownPlaces(o *load.Org) string {
	var ps []string
	if h := provenance.Host(o.Website); h != "" {
		ps = append(ps, h)
	}
	ps = append(ps, o.Domains...)
	for _, n := range o.HuggingFace {
		ps = append(ps, "huggingface.co/"+n)
	}
	for _, n := range o.GitHub {
		ps = append(ps, "github.com/"+n)
	}
	if len(ps) == 0 {
		return "its org file names no website, domains, huggingface or github"
	}
	return strings.Join(ps, ", ")
}

// restrictive orders the license classes from least to most restrictive.
var restrictive = map[string]int{"open": 1, "conditional": 2, "non-commercial": 3}

// variants checks a family's members: each license resolves, and the
// release's license is at least as restrictive as each of theirs, since
// the release's is the one the report counts.
func (k *checker) variants(r *load.Release, licenses *load.LicenseIndex, licenseNames []string) {
	own := licenses.Lookup(r.License)
	names := map[string]int{}
	for i, v := range r.Variants {
		at := "variants." + strconv.Itoa(i)
		if j, dup := names[v.Name]; dup && v.Name != "" {
			k.errorf(r.Pos(at+".name"), "variant %q is listed twice (first as variants.%d)", v.Name, j)
		} else {
			names[v.Name] = i
		}
		if v.ParamsTotal > 0 && v.ParamsActive > v.ParamsTotal {
			k.errorf(r.Pos(at+".params_active"), "%s.params_active (%s) is larger than its params_total (%s)", at, v.ParamsActive, v.ParamsTotal)
		}
		if v.License == "" || IsPlaceholder(v.License) {
			continue
		}
		l := licenses.Lookup(v.License)
		if l == nil {
			k.errorf(r.Pos(at+".license"), "unknown license %q%s", v.License, load.DidYouMean(v.License, licenseNames))
			continue
		}
		if own != nil && restrictive[own.Class] > 0 && restrictive[own.Class] < restrictive[l.Class] {
			k.errorf(r.Pos("license"), "license %q is %s, less restrictive than variant %q's %q (%s): a release's license is its most restrictive variant's, here %q",
				r.License, own.Class, v.Name, v.License, l.Class, v.License)
		}
	}
}

func (k *checker) reports(releases map[string]bool) {
	bySlug := map[string]*load.Release{}
	var slugs []string
	for _, r := range k.c.Releases {
		bySlug[r.ID] = r
		slugs = append(slugs, r.ID)
	}
	numbers := map[int]*load.Report{}
	reps := append([]*load.Report(nil), k.c.Reports...)
	for _, rep := range reps {
		k.tags(&rep.Doc, reflect.ValueOf(*rep), "")
		k.body(&rep.Doc)
		if todo.MatchString(string(rep.HTML)) {
			k.errorf(load.Pos{File: rep.File, Line: rep.BodyLine, Col: 1}, "the body still holds a %s: write the editors' prose in its place, and delete the draft figures", Placeholder)
		}
		if rep.Has("number") {
			if other, ok := numbers[rep.Number]; ok {
				k.errorf(rep.Pos("number"), "report number %d is also used by %s", rep.Number, other.File)
			} else {
				numbers[rep.Number] = rep
			}
		}
		if !rep.From.IsZero() && !rep.To.IsZero() && rep.From.After(rep.To) {
			k.errorf(rep.Pos("from"), "from (%s) is after to (%s)", rep.From, rep.To)
		}
		for i, p := range rep.Picks {
			path := "picks." + strconv.Itoa(i) + ".release"
			r, ok := bySlug[p.Release]
			if p.Release == "" {
				continue
			}
			if !ok {
				k.errorf(rep.Pos(path), "pick names no release: %q%s", p.Release, load.DidYouMean(p.Release, slugs))
				continue
			}
			if !rep.From.IsZero() && !rep.To.IsZero() && (r.Date.Before(rep.From) || r.Date.After(rep.To)) {
				k.errorf(rep.Pos(path), "pick %q is dated %s, outside the report's period %s to %s", p.Release, r.Date, rep.From, rep.To)
			}
		}
	}
	sort.SliceStable(reps, func(i, j int) bool { return reps[i].From.Before(reps[j].From) })
	var a *load.Report // of the reports before b, the one that ends last
	for _, b := range reps {
		if b.From.IsZero() || b.To.IsZero() {
			continue
		}
		if a != nil && !b.From.After(a.To) {
			k.warnf(b.Pos("from"), "period %s to %s overlaps %s (%s to %s)", b.From, b.To, a.File, a.From, a.To)
		}
		if a == nil || b.To.After(a.To) {
			a = b
		}
	}
}

// todo finds the placeholder as a word in a rendered body.
var todo = regexp.MustCompile(`\b` + Placeholder + `\b`)

// ids checks the ids of one kind of document for shape and uniqueness.
func ids[T interface{ Document() *load.Doc }](k *checker, kind string, docs []T) map[string]bool {
	seen := map[string]*load.Doc{}
	for _, x := range docs {
		d := x.Document()
		if !ValidSlug(d.ID) {
			k.errorf(load.Pos{File: d.File}, "bad %s id %q in the file name: use lowercase letters, digits and single hyphens, dots or underscores between them", kind, d.ID)
			continue
		}
		if other, ok := seen[d.ID]; ok {
			k.errorf(load.Pos{File: d.File}, "duplicate %s id %q: %s has it too", kind, d.ID, other.File)
			continue
		}
		seen[d.ID] = d
	}
	out := make(map[string]bool, len(seen))
	for id := range seen {
		out[id] = true
	}
	return out
}

// ref checks that the id at field names a document in known.
func (k *checker) ref(d *load.Doc, field, id, kind string, known map[string]bool) {
	if id == "" || known[id] || IsPlaceholder(id) {
		return
	}
	var names []string
	for n := range known {
		names = append(names, n)
	}
	sort.Strings(names)
	k.errorf(d.Pos(field), "unknown %s %q%s", kind, id, load.DidYouMean(id, names))
}

var factValues = map[string][]string{
	"org.kind":                enumOf(load.Org{}, "Kind"),
	"org.state_backed":        {"true", "false"},
	"org.programme":           {"true", "false"},
	"national_language":       {"true", "false"},
	"trained_on_own_hardware": {"true", "false"},
	"license.class":           enumOf(load.License{}, "Class"),
	"architecture":            enumOf(load.Release{}, "Architecture"),
	"modality":                enumOf(load.Release{}, "ModalityIn"),
	"modality_in":             enumOf(load.Release{}, "ModalityIn"),
	"modality_out":            enumOf(load.Release{}, "ModalityOut"),
}

func enumOf(v any, field string) []string {
	f, _ := reflect.TypeOf(v).FieldByName(field)
	return strings.Split(f.Tag.Get("enum"), ",")
}

func (k *checker) signals(b *load.Bucket) {
	for i, s := range b.Signals {
		at := "signals." + strconv.Itoa(i)
		tests := 0
		for _, f := range []string{"in", "below", "at_least", "present"} {
			if b.Has(at + "." + f) {
				tests++
			}
		}
		if b.Has(at + ".weight") {
			k.weight(b, at+".weight", s.Weight)
		}
		if tests != 1 {
			k.errorf(b.Pos(at), "signal needs exactly one test: in, below, at_least or present")
			continue
		}
		numeric := s.Fact == "params_total" || s.Fact == "params_active"
		if (s.Below > 0 || s.AtLeast > 0) && !numeric {
			k.errorf(b.Pos(at+".fact"), "below and at_least apply only to params_total and params_active, not %q", s.Fact)
		}
		if len(s.In) > 0 && numeric {
			k.errorf(b.Pos(at+".in"), "%s is a number: test it with below or at_least", s.Fact)
		}
		if allowed, ok := factValues[s.Fact]; ok {
			for j, v := range s.In {
				if !contains(allowed, v) {
					k.errorf(b.Pos(at+".in."+strconv.Itoa(j)), "%s is never %q%s", s.Fact, v, load.DidYouMean(v, allowed))
				}
			}
		}
	}
}

// orgBucket asks for a bucket_note where an org's metadata and its
// default bucket pull apart: a state-backed org filed under a bucket that
// state backing does not point to, or a state programme that no state
// backs.
func (k *checker) orgBucket(o *load.Org, bs []*load.Bucket) {
	if o.Unread || o.BucketNote != "" {
		return
	}
	if o.Bucket == "" {
		return
	}
	if o.StateBacked {
		weight := map[string]int{}
		top := 0
		for _, b := range bs {
			for _, s := range b.Signals {
				if s.Fact == "org.state_backed" && contains(s.In, "true") {
					weight[b.ID] += s.Weight
				}
			}
			top = max(top, weight[b.ID])
		}
		if top > 0 && weight[o.Bucket] < top {
			k.warnf(o.Pos("bucket"), "%s is state-backed but filed under %q, which state backing does not point to: correct state_backed or the bucket, or say why in bucket_note", o.Name, o.Bucket)
		}
	} else if o.Kind == "state-program" {
		k.warnf(o.Pos("state_backed"), "%s is a state programme that no state backs: correct state_backed or kind, or say why in bucket_note", o.Name)
	}
}

// body checks the Markdown body's links for unsafe schemes.
func (k *checker) body(d *load.Doc) {
	for _, l := range d.BodyLinks {
		// Markdown resolves entities in URLs: judge the resolved one.
		if !safeURL(html.UnescapeString(l.URL)) {
			k.errorf(l.Pos, "link to %q: only http, https and mailto links are allowed", clip(l.URL))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// BaseURL checks a base URL given other than in site.yaml, such as the
// -base-url flag, by the rules site.yaml's base_url follows.
func BaseURL(s string) error {
	switch {
	case !isHTTP(s):
		return fmt.Errorf("%q is not an http(s) URL", clip(s))
	case !strings.HasSuffix(s, "/"):
		return fmt.Errorf("%q must end with \"/\"", clip(s))
	}
	if probs := baseURLProblems(s); len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\n<>\"")
}

// safeURL reports whether a link in a body may be rendered: http(s),
// mailto, or a relative reference with no scheme and none of the
// characters (space, quote, angle bracket, backslash) that no real path
// holds but markup injected into a link does.
func safeURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	case "":
		return !strings.ContainsAny(s, "\\\x00 \t\n\"'<>`") && !strings.HasPrefix(s, "//")
	}
	return false
}

// sources checks content/sources.yaml: each host is a plain host name,
// with an optional leading "*.", listed once.
func (k *checker) sources(s *load.Sources) {
	seen := map[string]string{}
	one := func(path, host string) {
		if host == "" || IsPlaceholder(host) {
			return
		}
		bare, rest, _ := strings.Cut(strings.TrimPrefix(host, "*."), "/")
		if !validHost(bare) || strings.HasSuffix(rest, "/") || strings.Contains(rest, "//") || strings.ContainsAny(rest, "?#") {
			k.errorf(s.Pos(path), "%s: %q is not a host name: write it as example.com, *.example.com for any subdomain, or example.com/path for one path", path, host)
			return
		}
		if other, dup := seen[host]; dup {
			k.errorf(s.Pos(path), "%s: %q is listed twice (also at %s)", path, host, other)
			return
		}
		seen[host] = path
	}
	for i, m := range s.Mirrors {
		p := "mirrors." + strconv.Itoa(i)
		one(p+".host", m.Host)
		if m.Original != "" && !validHost(strings.SplitN(m.Original, "/", 2)[0]) {
			k.errorf(s.Pos(p+".original"), "%s.original: %q is not a host with an optional path, such as huggingface.co or arxiv.org/abs", p, m.Original)
		}
		if m.Strip != "" && !strings.HasPrefix(m.Strip, "/") {
			k.errorf(s.Pos(p+".strip"), "%s.strip: %q is not a path: start it with /", p, m.Strip)
		}
	}
	for i, f := range s.Farms {
		one("farms."+strconv.Itoa(i)+".host", f.Host)
	}
}

// provenance checks the fields that say where an org speaks for itself.
func (k *checker) provenance(o *load.Org) {
	for i, d := range o.Domains {
		if !IsPlaceholder(d) && !validHost(d) {
			k.errorf(o.Pos("domains."+strconv.Itoa(i)), "domains: %q is not a host name: write a host name such as mistral.ai, not a URL or a path", d)
		} else if provenance.Shared(d) {
			k.errorf(o.Pos("domains."+strconv.Itoa(i)), "domains: %s is shared by many makers, so it cannot be %s's own: list the org's accounts under huggingface or github, or its own subdomain", d, o.Name)
		}
	}
	for field, names := range map[string][]string{"huggingface": o.HuggingFace, "github": o.GitHub} {
		for i, n := range names {
			if !IsPlaceholder(n) && !accountName.MatchString(n) {
				k.errorf(o.Pos(field+"."+strconv.Itoa(i)), "%s: %q is not an account name: write the name alone, as in the URL's first path segment", field, n)
			}
		}
	}
}

var accountName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$`)

// validHost reports whether s is a lower-case DNS host name with a dot.
func validHost(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
