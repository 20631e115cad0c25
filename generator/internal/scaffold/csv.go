package scaffold

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// CSVColumns are the columns of the site's /data/releases.csv, which
// CSV reads. slug may be left out (it is made from the title), and
// license_class, bucket_source and inferred_bucket are ignored: whyopen
// works them out. url is the release's page on the site in
// releases.csv; any other URL there becomes the release's first source.
var CSVColumns = []string{"slug", "title", "org", "date", "license", "license_class", "bucket", "bucket_source", "inferred_bucket", "params_total", "params_active", "url"}

// MaxCSV is the largest catalogue CSV reads.
const MaxCSV = 10 << 20

// CSV returns a release entry for each row of a catalogue in the columns
// of releases.csv (see CSVColumns), or every problem with the rows. A
// column may also be any other field of a release that takes text, a
// number, a date or a list (sources, summary, architecture, languages,
// tags...); a list's items are separated by ";", "," or spaces.
//
// Every row gets the checks a release file gets, in the content tree c
// with every row added: each problem is reported at file:line:col, the
// line being the row's and the column the cell's, the header's for a
// column that is missing. A row that leaves a required value empty gets
// an error saying what belongs there. CSV returns no entry when any row
// has an error, so a catalogue comes in whole or not at all; warnings
// (such as a row with no summary) come with the entries.
//
// Each entry is the file `whyopen new release` writes, with the row's
// values filled in.
func CSV(file string, data []byte, c *load.Content, opt Options) ([]Entry, []load.Problem) {
	at := func(line, col int) load.Pos { return load.Pos{File: file, Line: line, Col: col} }
	if len(data) > MaxCSV {
		return nil, []load.Problem{{Pos: at(1, 1), Msg: fmt.Sprintf("file is %d bytes; the limit is %d (10 MiB)", len(data), MaxCSV)}}
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1 // a short row is reported, not fatal
	head, err := r.Read()
	if err != nil {
		return nil, []load.Problem{{Pos: at(1, 1), Msg: csvError(err, "no header row: the first line names the columns, as in releases.csv: "+strings.Join(CSVColumns, ","))}}
	}
	cols, probs := header(head, func(i int) load.Pos { l, c := r.FieldPos(i); return at(l, c) })
	if len(probs) > 0 {
		return nil, probs // every row would be wrong in the same way
	}

	var rows []*csvRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line, col := 0, 1
			if errors.As(err, &pe) {
				line, col = pe.Line, max(pe.Column, 1)
			}
			probs = append(probs, load.Problem{Pos: at(line, col), Msg: csvError(err, "")})
			break // the reader cannot go on after a syntax error
		}
		row := &csvRow{cells: rec, pos: make([]load.Pos, len(rec))}
		for i := range rec {
			l, c := r.FieldPos(i)
			row.pos[i] = at(l, c)
		}
		row.line = row.pos[0].Line
		if blank(rec) {
			continue
		}
		if len(rec) != len(head) {
			probs = append(probs, load.Problem{Pos: at(row.line, 1), Msg: fmt.Sprintf("row has %d cells; the header names %d columns", len(rec), len(head))})
			continue
		}
		probs = append(probs, row.fill(cols, c.Site.BaseURL)...)
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(probs) == 0 {
		return nil, []load.Problem{{Pos: at(1, 1), Msg: "no rows under the header: nothing to import"}}
	}

	// Check the rows as release files, in the site with every row added.
	// Each is checked under a name of its own, which the messages give as
	// its row: an entry may have the path of a file already there.
	site := *c
	site.Releases = append([]*load.Release(nil), c.Releases...)
	byFile := map[string]*csvRow{}
	var names []string
	for _, row := range rows {
		row.entry = row.write(opt)
		name := row.entry.Path + "#row" + strconv.Itoa(row.line)
		names = append(names, name, fmt.Sprintf("row %d of %s", row.line, file))
		rel := &load.Release{}
		// The body is the scaffold's, not the row's: check the front matter.
		fm := row.entry.Data[:bytes.LastIndex(row.entry.Data, []byte("\n---\n"))+5]
		for _, p := range load.Parse(name, fm, rel) {
			if q, field := row.at(p, rel); !row.bad[field] {
				probs = append(probs, q)
			}
		}
		row.rel = rel
		byFile[name] = row
		site.Releases = append(site.Releases, rel)
	}
	rowNames := strings.NewReplacer(names...)
	for _, p := range check.Check(&site, check.Options{Today: opt.Today}) {
		if row := byFile[p.Pos.File]; row != nil {
			if q, field := row.at(p, row.rel); !row.bad[field] {
				q.Msg = rowNames.Replace(q.Msg)
				probs = append(probs, q)
			}
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return check.Less(probs[i], probs[j]) })
	var entries []Entry
	for _, p := range probs {
		if p.Severity == load.Error {
			return nil, probs
		}
	}
	for _, row := range rows {
		entries = append(entries, row.entry)
	}
	return entries, probs
}

// csvError words a csv.Reader error without its own position, which the
// problem carries.
func csvError(err error, eof string) string {
	if err == io.EOF && eof != "" {
		return eof
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "not CSV: " + pe.Err.Error()
	}
	return err.Error()
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// csvField is a release field a column can fill.
type csvField struct {
	list bool // a list of strings
	date bool
}

// csvFields are the release's fields a column may name: its top-level
// fields of text, numbers, dates and lists of text.
var csvFields = func() map[string]csvField {
	fs := map[string]csvField{}
	t := reflect.TypeOf(load.Release{})
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		switch k := f.Type.Kind(); {
		case f.Type == dateType:
			fs[name] = csvField{date: true}
		case k == reflect.String, k == reflect.Int64, k == reflect.Float64, k == reflect.Int:
			fs[name] = csvField{}
		case k == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			fs[name] = csvField{list: true}
		}
	}
	return fs
}()

// header maps each known column to its index, and reports unknown and
// repeated columns, and required fields no column gives.
func header(head []string, pos func(int) load.Pos) (map[string]int, []load.Problem) {
	var probs []load.Problem
	known := append([]string(nil), CSVColumns...)
	for f := range csvFields {
		if !contains(known, f) {
			known = append(known, f)
		}
	}
	sort.Strings(known)
	cols := map[string]int{}
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(h))
		_, field := csvFields[name]
		switch {
		case name == "":
			probs = append(probs, load.Problem{Pos: pos(i), Msg: "empty column name"})
		case !field && retiredField(name) != "":
			probs = append(probs, load.Problem{Pos: pos(i), Msg: fmt.Sprintf("column %q is retired: %s", name, retiredField(name))})
		case !field && !contains(CSVColumns, name):
			probs = append(probs, load.Problem{Pos: pos(i), Msg: fmt.Sprintf("unknown column %q%s: the columns are those of releases.csv (%s) and the release's fields", load.Printable(h), load.DidYouMean(name, known), strings.Join(CSVColumns, ","))})
		default:
			if _, ok := cols[name]; ok {
				probs = append(probs, load.Problem{Pos: pos(i), Msg: fmt.Sprintf("column %q is given twice", name)})
				continue
			}
			cols[name] = i
		}
	}
	for _, need := range []string{"title", "org", "date", "license"} {
		if _, ok := cols[need]; !ok && len(probs) == 0 {
			probs = append(probs, load.Problem{Pos: pos(0), Msg: fmt.Sprintf("no %s column: every release needs one", need)})
		}
	}
	_, url := cols["url"]
	_, sources := cols["sources"]
	if !url && !sources && len(probs) == 0 {
		probs = append(probs, load.Problem{Pos: pos(0), Msg: "no url or sources column: every release cites a source"})
	}
	return cols, probs
}

// retiredField says what replaces a release field that is retired.
func retiredField(name string) string {
	how, _ := load.Retired(load.Release{}, name)
	return how
}

// csvRow is one row of a catalogue, and the release made from it.
type csvRow struct {
	line  int
	cells []string
	pos   []load.Pos // of each cell
	vals  map[string]any
	from  map[string]int  // the column each field's value came from; sources.N too
	bad   map[string]bool // fields whose cell fill reported
	org   string
	slug  string
	entry Entry
	rel   *load.Release
}

// fill reads the row's values into vals, reporting what cannot be
// written into a release file at all.
func (row *csvRow) fill(cols map[string]int, baseURL string) []load.Problem {
	var probs []load.Problem
	row.vals, row.from, row.bad = map[string]any{}, map[string]int{}, map[string]bool{}
	cell := func(name string) (string, int, bool) {
		i, ok := cols[name]
		if !ok {
			return "", -1, false
		}
		return unCSVSafe(strings.TrimSpace(row.cells[i])), i, true
	}
	var sources []string
	if u, i, ok := cell("url"); ok {
		row.from["sources"] = i // a missing source is reported here, unless a sources column says more
		if u != "" && !(baseURL != "" && strings.HasPrefix(u, baseURL)) {
			row.from["sources."+strconv.Itoa(len(sources))] = i
			sources = append(sources, u)
		}
	}
	editorial := true
	if s, _, ok := cell("bucket_source"); ok && s != "" && s != "editorial" {
		editorial = false // the org's or the inferred bucket: whyopen works it out again
	}
	for name, f := range csvFields {
		v, i, ok := cell(name)
		if !ok {
			continue
		}
		row.from[name] = i
		switch {
		case v == "":
		case name == "bucket" && !editorial:
		case name == "sources":
			for _, s := range splitList(v) {
				row.from["sources."+strconv.Itoa(len(sources))] = i
				sources = append(sources, s)
			}
		case f.list:
			row.vals[name] = splitList(v)
		case f.date:
			if _, err := load.ParseDate(v); err != nil {
				probs = append(probs, load.Problem{Pos: row.pos[i], Msg: fmt.Sprintf("%s: %v", name, err)})
				row.bad[name] = true
				continue
			}
			row.vals[name] = v
		default:
			row.vals[name] = v
		}
	}
	if len(sources) > 0 {
		row.vals["sources"] = sources
	} else if u, i, _ := cell("url"); u != "" {
		probs = append(probs, load.Problem{Pos: row.pos[i], Msg: fmt.Sprintf("url %q is the release's page on this site, not a source: give the model card, report or announcement in url or sources", u)})
		row.bad["sources"] = true
	}
	row.org, _ = row.vals["org"].(string)
	title, _ := row.vals["title"].(string)
	slug, i, _ := cell("slug")
	if slug == "" {
		slug, i = Slug(title), cols["title"]
	}
	row.from["slug"] = i
	row.slug = slug
	if slug != "" && !check.ValidSlug(slug) {
		probs = append(probs, load.Problem{Pos: row.pos[i], Msg: fmt.Sprintf("bad slug %q: use lowercase letters, digits and single hyphens, such as %q", slug, orSlug(Slug(slug), "acme-7b"))})
	}
	return probs
}

// unCSVSafe undoes what releases.csv does to a cell that a spreadsheet
// would read as a formula: a leading "'" before =, +, -, @, tab or CR.
func unCSVSafe(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// splitList splits a cell holding a list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// write makes the row's release entry. A slug or org that is not safe as
// a path is filed under a name that is, and check reports it.
func (row *csvRow) write(opt Options) Entry {
	org, slug := row.org, row.slug
	if !check.ValidSlug(org) {
		org = "unknown-org"
	}
	if !check.ValidSlug(slug) {
		slug = fmt.Sprintf("row-%d", row.line)
	}
	vals := map[string]any{}
	for k, v := range row.vals {
		vals[k] = v
	}
	return Entry{
		Path: "content/releases/" + org + "/" + slug + ".md",
		Data: entry("release", reflect.TypeOf(load.Release{}), vals, nil, releaseBody, opt),
	}
}

// quotedField finds the field a message names, as in `missing required
// field "title"`.
var quotedField = regexp.MustCompile(`^(?:missing required field "([a-z_]+)"|([a-z_]+)(?:\.[0-9]+)?: )`)

// at moves a problem found in the row's release file to the row's cell:
// the cell of the field the problem is at, else the cell the message
// names, else the row's first cell. It returns the field too.
func (row *csvRow) at(p load.Problem, rel *load.Release) (load.Problem, string) {
	field := ""
	for path, pos := range rel.At.All() {
		if pos.Line == p.Pos.Line && (pos.Col == p.Pos.Col || field == "") {
			field = path
		}
	}
	if field == "" {
		if m := quotedField.FindStringSubmatch(p.Msg); m != nil {
			field = m[1] + m[2]
		}
	}
	switch {
	case field != "":
	case strings.Contains(p.Msg, " id "):
		field = "slug" // the file name is the slug
	case strings.HasPrefix(p.Msg, "no summary"):
		field = "summary"
	}
	out := p
	out.Pos = row.pos[0]
	i, ok := row.from[field]
	if !ok {
		i, ok = row.from[strings.SplitN(field, ".", 2)[0]]
	}
	if ok && i >= 0 && i < len(row.pos) {
		out.Pos = row.pos[i]
	}
	// The row never held the placeholder the file would: say it is empty.
	out.Msg = strings.Replace(out.Msg, ": still the placeholder "+check.Placeholder+": fill in ", ": empty: fill in ", 1)
	return out, strings.SplitN(field, ".", 2)[0]
}
