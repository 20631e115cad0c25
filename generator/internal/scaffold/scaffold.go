// Package scaffold writes new content files for contributors: an empty
// release or org (`whyopen new`), a release filled in from a Hugging
// Face model card, or from the model as the Hub gives it (`whyopen import
// hf`, and the drafts of `whyopen track`), a release for each row of a
// catalogue in the columns of releases.csv (`whyopen import csv`, see
// CSV), and the draft of the next edition of the report (`whyopen new
// report`, see Report).
//
// An entry lists every field of its kind, in the order of package load's
// types, but the buckets in further schemes (buckets, bucket_notes), which
// only a site with schemes needs, each with a short comment taken from the
// field's doc tag (and its allowed values, from the enum tag), so the file
// explains itself and never drifts from what load reads. A field imported
// from the Hub has instead a comment saying where its value came from. A
// field tagged scaffold:"set" (a release's draft) is written only when it
// has a value. A release is dated today, and the date is marked
// load.Unconfirmed until an editor checks it. A required
// field the command cannot know holds the placeholder check.Placeholder
// ("TODO"), which check reports as an error pointing at it until it is
// replaced; an optional field is left empty, which load reads as absent.
// The front matter starts with a yaml-language-server modeline naming the
// kind's JSON Schema, so that editors complete and validate the fields:
// by a path relative to the entry, to the schema/ directory at the site's
// root (Options.SchemaBase), so that it works in every clone and fork,
// offline, whatever base_url says. The build publishes the same schemas
// at /schema/<kind>.json.
//
// Scaffold takes values and returns values: the caller reads the content
// tree and the model card, and writes the file, refusing to overwrite one.
package scaffold

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Options are what every entry needs.
type Options struct {
	// Today dates a new release.
	Today load.Date
	// SchemaBase is where the site's schemas are: a directory relative
	// to the site's root, such as schema/, which the modeline reaches
	// from the entry with a relative path (so it works in any clone or
	// fork, offline), or the URL of one, such as
	// https://example.org/schema/. Empty leaves the modeline out.
	SchemaBase string
}

// Entry is a content file to write.
type Entry struct {
	Path string // relative to the site's root, slash-separated
	Data []byte
}

// Slug makes a file name from a title: lowercase ASCII letters and digits,
// with single hyphens for everything else. "Qwen3.5 27B" gives
// "qwen3-5-27b". It returns "" when the title has no ASCII letter or digit.
func Slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
	}
	return b.String()
}

// Release returns a new release entry titled title, by org, filed under
// slug (from the title when slug is ""). orgs are the known org ids: an
// org not among them is refused, with the closest ids.
func Release(title, org, slug string, orgs []string, opt Options) (Entry, error) {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return Entry{}, fmt.Errorf("the release needs a title, as in: whyopen new release \"Acme 7B\" -org acme")
	}
	slug, err := releaseSlug(title, slug)
	if err != nil {
		return Entry{}, err
	}
	if err := knownOrg(org, orgs); err != nil {
		return Entry{}, err
	}
	vals := map[string]any{"title": title, "org": org, "date": opt.Today.String()}
	return Entry{
		Path: "content/releases/" + org + "/" + slug + ".md",
		Data: entry("release", reflect.TypeOf(load.Release{}), vals, nil, releaseBody, opt),
	}, nil
}

// Org returns a new org entry with the given id.
func Org(id string, opt Options) (Entry, error) {
	if !check.SlugPattern.MatchString(id) {
		return Entry{}, fmt.Errorf("bad org id %q: use lowercase letters, digits and single hyphens, such as %q", id, orSlug(Slug(id), "acme-ai"))
	}
	return Entry{
		Path: "content/orgs/" + id + ".md",
		Data: entry("org", reflect.TypeOf(load.Org{}), nil, nil, orgBody, opt),
	}, nil
}

// unconfirmedComment marks a date set to the day the scaffold ran: check
// refuses it until an editor deletes the comment.
var unconfirmedComment = strings.TrimPrefix(load.Unconfirmed, "# ") + ": set to today by whyopen; check it against a source, then delete this comment"

// The bodies hold check.PlaceholderComment, which check refuses.
const (
	releaseBody = "<!-- Replace this comment with a paragraph or two: what was released, and why its maker\nprobably released it, citing the sources above. -->\n"
	orgBody     = "<!-- Replace this comment with a sentence or two on what the organisation is and makes. -->\n"
)

func orSlug(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func releaseSlug(title, slug string) (string, error) {
	if slug == "" {
		slug = Slug(title)
		if slug == "" {
			return "", fmt.Errorf("cannot make a file name from the title %q: pass one with -slug, such as -slug acme-7b", title)
		}
	}
	if !check.SlugPattern.MatchString(slug) {
		return "", fmt.Errorf("bad slug %q: use lowercase letters, digits and single hyphens, such as %q", slug, orSlug(Slug(slug), "acme-7b"))
	}
	return slug, nil
}

// knownOrg refuses an org id that is not among orgs.
func knownOrg(org string, orgs []string) error {
	if org == "" {
		return fmt.Errorf("which org released it? pass its id with -org, such as -org %s", orSlug(first(orgs), "acme"))
	}
	for _, o := range orgs {
		if o == org {
			return nil
		}
	}
	msg := fmt.Sprintf("unknown org %q", org)
	if near := load.Closest(org, orgs, 3); len(near) > 0 {
		msg += " (closest: " + strings.Join(near, ", ") + ")"
	}
	if check.SlugPattern.MatchString(org) {
		msg += fmt.Sprintf("; if it is new, add it first: whyopen new org %s", org)
	} else if id := Slug(org); id != "" {
		msg += fmt.Sprintf("; ids are lowercase: if it is new, add it first: whyopen new org %s", id)
	}
	return fmt.Errorf("%s", msg)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// entry writes the front matter of type t, with vals (keyed by field path:
// "title", "links.weights") filled in, then body. A field with a from
// note has it as its comment, saying where its value came from, instead
// of its doc. A field tagged scaffold:"set" is written only with a value.
func entry(kind string, t reflect.Type, vals map[string]any, from map[string]string, body string, opt Options) []byte {
	w := &writer{vals: vals, from: from, today: opt.Today.String()}
	if opt.SchemaBase != "" {
		w.modeline = modeline(kind, opt)
	}
	w.fields(t, "", "")
	var b bytes.Buffer
	b.WriteString("---\n")
	if w.modeline != "" {
		b.WriteString(w.modeline + "\n")
	}
	col := 0
	for _, l := range w.lines {
		if n := utf8.RuneCountInString(l.text); l.comment != "" && n <= maxAligned && n > col {
			col = n
		}
	}
	for _, l := range w.lines {
		b.WriteString(l.text)
		if l.comment != "" {
			pad := col + 2 - utf8.RuneCountInString(l.text)
			b.WriteString(strings.Repeat(" ", max(pad, 2)) + "# " + l.comment)
		}
		b.WriteByte('\n')
	}
	b.WriteString("---\n")
	b.WriteString(body)
	return b.Bytes()
}

// depth is how many directories below the site's root each kind's
// entries are: content/releases/ORG/SLUG.md, content/orgs/ID.md.
var depth = map[string]int{"release": 3, "org": 2, "report": 2}

// modeline names the schema of kind for an entry of that kind, from the
// entry's own directory when opt.SchemaBase is relative.
func modeline(kind string, opt Options) string {
	base := opt.SchemaBase
	if !strings.Contains(base, "://") {
		base = strings.Repeat("../", depth[kind]) + base
	}
	return "# yaml-language-server: $schema=" + base + kind + ".json"
}

// maxAligned is the longest line whose comment sets the comment column.
const maxAligned = 24

type line struct{ text, comment string }

type writer struct {
	vals     map[string]any
	from     map[string]string
	today    string // a date field set to this is marked unconfirmed
	modeline string
	lines    []line
}

func (w *writer) add(text, comment string) { w.lines = append(w.lines, line{text, comment}) }

var dateType = reflect.TypeOf(load.Date{})

// fields writes the yaml-tagged fields of struct type t.
func (w *writer) fields(t reflect.Type, prefix, indent string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Map {
			continue // buckets in further schemes: only sites that have them need them
		}
		path := prefix + name
		key := indent + name + ":"
		required := f.Tag.Get("required") == "true"
		comment := describe(f)
		if note := w.from[path]; note != "" {
			comment = note
		}
		v := w.vals[path]
		if f.Tag.Get("scaffold") == "set" && v == nil {
			continue
		}
		switch ft := f.Type; {
		case ft.Kind() == reflect.Bool && v == true:
			w.add(key+" true", comment)
		case ft.Kind() == reflect.Struct && ft != dateType:
			w.add(key, comment)
			w.fields(ft, path+".", indent+"  ")
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && v != nil:
			items, _ := v.([][][2]string) // each item's fields: name, value as YAML
			w.add(key, comment)
			for _, it := range items {
				for i, kv := range it {
					lead := indent + "    "
					if i == 0 {
						lead = indent + "  - "
					}
					w.add(lead+kv[0]+": "+kv[1], "")
				}
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			var names []string
			for _, sub := range visible(ft.Elem()) {
				names = append(names, sub+": …")
			}
			w.add(key, strings.TrimSuffix(comment, ".")+": a list of {"+strings.Join(names, ", ")+"}.")
		case ft.Kind() == reflect.Slice:
			items, _ := v.([]string)
			switch {
			case len(items) > 0 && f.Tag.Get("format") == "uri":
				w.add(key, comment)
				for _, it := range items {
					w.add(indent+"  - "+scalar(it), "")
				}
			case len(items) > 0:
				var qs []string
				for _, it := range items {
					qs = append(qs, flowScalar(it))
				}
				w.add(key+" ["+strings.Join(qs, ", ")+"]", comment)
			case required:
				w.add(key, comment)
				w.add(indent+"  - "+check.Placeholder, "")
			default:
				w.add(key, comment)
			}
		default:
			s, _ := v.(string)
			switch {
			case s != "" && ft == dateType:
				if s == w.today {
					comment = unconfirmedComment
				}
				w.add(key+" "+s, comment) // YYYY-MM-DD, unquoted like every date in content/
			case s != "" && f.Tag.Get("pattern") != "" && plainDigits(s):
				w.add(key+" "+s, comment) // a number where text may be one, such as context: 512
			case s != "":
				w.add(key+" "+scalar(s), comment)
			case required:
				w.add(key+" "+check.Placeholder, comment)
			default:
				w.add(key, comment)
			}
		}
	}
}

// visible returns the yaml names of t's fields.
func visible(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		if n := t.Field(i).Tag.Get("yaml"); n != "" && n != "-" {
			names = append(names, n)
		}
	}
	return names
}

// describe is a field's comment: its doc, with its allowed values when the
// doc does not already name them all.
func describe(f reflect.StructField) string {
	doc := f.Tag.Get("doc")
	if doc == "" && f.Tag.Get("format") == "uri" {
		doc = "An http(s) URL."
	}
	if enum := f.Tag.Get("enum"); enum != "" {
		vals := strings.Split(enum, ",")
		all := true
		for _, v := range vals {
			all = all && strings.Contains(doc, v)
		}
		if !all {
			doc = strings.TrimSuffix(doc, ".") + ": " + strings.Join(vals, ", ") + "."
		}
	}
	if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String && f.Tag.Get("format") != "uri" {
		doc += " A list: [a, b]."
	}
	return doc
}

// scalar formats s as a YAML value on one line, quoting it when needed.
func scalar(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	b, err := yaml.Marshal(s)
	out := strings.TrimSuffix(string(b), "\n")
	if err != nil || strings.Contains(out, "\n") {
		j, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
		return string(j)
	}
	return out
}

// flowScalar formats s as an item of a flow list such as [a, b].
func flowScalar(s string) string {
	out := scalar(s)
	if strings.ContainsAny(out, ",[]{}") && !strings.HasPrefix(out, `"`) && !strings.HasPrefix(out, "'") {
		j, _ := json.Marshal(s)
		return string(j)
	}
	return out
}

// plainDigits reports whether s is a plain decimal number, which YAML
// reads as a number but load reads as the text it needs.
func plainDigits(s string) bool {
	if s == "" || len(s) > 15 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
