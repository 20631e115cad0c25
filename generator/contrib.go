package main

// The contributor's commands: new, import, diff and schema.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/scaffold"
)

// parseAll parses flags that may come before, between or after the
// positional arguments, which it returns.
func parseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// siteInfo reads what new entries need from the content tree at src: the
// org ids, the licenses and the directory of the schemas, relative to src.
func siteInfo(src string) (orgs []string, licenses []*load.License, schemaBase string, err error) {
	if fi, err := os.Stat(filepath.Join(src, "content")); err != nil || !fi.IsDir() {
		return nil, nil, "", fmt.Errorf("no content/ directory in %s: run whyopen in the site's root, or pass -src", src)
	}
	c, _ := load.Dir(src) // check reports the content's problems; new entries need only ids
	for _, o := range c.Orgs {
		orgs = append(orgs, o.ID)
	}
	return orgs, c.Licenses, schemaDir, nil
}

// schemaDir is where, under the site's root, the schemas are that new
// entries name with a relative path: in the repository, so the path works
// in every clone and fork, offline, whatever base_url says. `whyopen
// schema -out schema` writes them.
const schemaDir = "schema/"

// ensureSchema writes the schema of kind under src's schemaDir when it is
// not there, so that a new entry's modeline names a file that exists. A
// file already there is left alone.
func ensureSchema(src, kind string) {
	p := filepath.Join(src, filepath.FromSlash(schemaDir), kind+".json")
	if _, err := os.Lstat(p); err == nil {
		return
	}
	s, err := check.Schema(kind)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(p), 0o777) == nil {
		writeNew(src, scaffold.Entry{Path: schemaDir + kind + ".json", Data: s})
	}
}

// writeNew writes an entry under src, refusing to overwrite a file.
func writeNew(src string, e scaffold.Entry) (string, error) {
	p := filepath.Join(src, filepath.FromSlash(e.Path))
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return p, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return p, fmt.Errorf("%s already exists; edit it, or choose another name", filepath.ToSlash(p))
	}
	if err != nil {
		return p, err
	}
	if _, err := f.Write(e.Data); err != nil {
		f.Close()
		return p, err
	}
	return p, f.Close()
}

func nextSteps(w io.Writer, src, path string) {
	checkCmd := "whyopen check"
	if src != "." {
		checkCmd += " -src " + src
	}
	fmt.Fprintf(w, "next: fill in every TODO in %s, then run %s\n", filepath.ToSlash(path), checkCmd)
}

const newUsage = `usage: whyopen new release "<Title>" -org ID [-slug SLUG] [-src DIR]
       whyopen new org ID [-src DIR]
       whyopen new report [PERIOD] [-src DIR]
`

func cmdNew(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "report" {
		return cmdNewReport(args[1:], stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "release" && args[0] != "org") {
		fmt.Fprint(stderr, newUsage)
		return 2
	}
	kind := args[0]
	fs := flags("new "+kind, stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	var org, slug *string
	if kind == "release" {
		org = fs.String("org", "", "the id of the org that released it (required)")
		slug = fs.String("slug", "", "the file name, when not the one made from the title")
	}
	pos, err := parseAll(fs, args[1:])
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, newUsage)
		return 2
	}
	orgs, _, schemaBase, err := siteInfo(*src)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen new: %v\n", err)
		return 1
	}
	opt := scaffold.Options{Today: today(), SchemaBase: schemaBase}
	var e scaffold.Entry
	if kind == "release" {
		e, err = scaffold.Release(pos[0], *org, *slug, orgs, opt)
	} else {
		e, err = scaffold.Org(pos[0], opt)
	}
	if err != nil {
		fmt.Fprintf(stderr, "whyopen new %s: %v\n", kind, err)
		return 1
	}
	p, err := writeNew(*src, e)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen new %s: %v\n", kind, err)
		return 1
	}
	ensureSchema(*src, kind)
	fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
	nextSteps(stdout, *src, p)
	return 0
}

// cmdNewReport drafts the next edition from the data.
func cmdNewReport(args []string, stdout, stderr io.Writer) int {
	fs := flags("new report", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	pos, err := parseAll(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) > 1 {
		fmt.Fprint(stderr, newUsage)
		return 2
	}
	if fi, err := os.Stat(filepath.Join(*src, "content")); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "whyopen new report: no content/ directory in %s: run whyopen in the site's root, or pass -src\n", *src)
		return 1
	}
	now := today()
	var from, to load.Date
	var unit aggregate.Unit
	if len(pos) == 1 {
		if from, to, unit, err = aggregate.ParsePeriod(pos[0]); err != nil {
			fmt.Fprintf(stderr, "whyopen new report: %v\n", err)
			return 2
		}
		if msg := partial(from, to, unit, now); msg != "" {
			fmt.Fprintf(stderr, "whyopen new report: %s\n", msg)
			return 1
		}
	}
	res, err := build.Check(build.Options{Src: *src, Today: now})
	if err != nil {
		printProblems(stderr, res.Problems)
		fmt.Fprintf(stderr, "whyopen new report: the content has %d %s: the figures would be wrong; fix them first (whyopen check)\n", res.Errors(), countWord(res.Errors(), "error", "errors"))
		return 1
	}
	cat := res.Catalog
	switch {
	case len(pos) == 1:
	case len(cat.Reports) > 0: // the period after the latest edition, of the same length
		latest := cat.Reports[0]
		unit = aggregate.UnitOf(latest.From, latest.To)
		from, to = aggregate.After(latest.To, unit)
	default: // the last whole period of the site's unit
		unit = aggregate.Quarter
		if cat.Site.Period == "month" {
			unit = aggregate.Month
		}
		f, _ := aggregate.Bounds(now, unit)
		before := f.Time().AddDate(0, 0, -1)
		from, to = aggregate.Bounds(load.NewDate(before.Year(), before.Month(), before.Day()), unit)
	}
	key := aggregate.Key(from, unit)
	if msg := partial(from, to, unit, now); msg != "" {
		fmt.Fprintf(stderr, "whyopen new report: %s\n", msg)
		return 1
	}
	number := 1
	for _, r := range cat.Reports {
		if r.From == from && r.To == to {
			fmt.Fprintf(stderr, "whyopen new report: %s already covers %s (%s to %s); edit it instead\n", r.File, key, from, to)
			return 1
		}
		number = max(number, r.Number+1)
	}
	rep := &load.Report{Number: number, From: from, To: to, Published: now}
	st := aggregate.Aggregate(cat)
	ed := aggregate.Next(cat, st, rep)
	titles := map[string]string{}
	for _, b := range cat.Buckets {
		titles[b.ID] = b.Title
	}
	_, _, schemaBase, _ := siteInfo(*src)
	e := scaffold.Report(ed, unit, st.Buckets, titles, scaffold.Options{Today: now, SchemaBase: schemaBase})
	p, err := writeNew(*src, e)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen new report: %v\n", err)
		return 1
	}
	ensureSchema(*src, "report")
	fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
	fmt.Fprintf(stdout, "edition %d, %s to %s: %d %s as candidate picks", number, from, to, ed.Period.Total, countWord(ed.Period.Total, "release", "releases"))
	if ed.PreviousReport != nil {
		fmt.Fprintf(stdout, ", compared with edition %d (n = %d)\n", ed.PreviousReport.Number, ed.Previous.Total)
	} else {
		fmt.Fprintln(stdout, ", and no earlier edition to compare with")
	}
	nextSteps(stdout, *src, p)
	return 0
}

// partial says why the period from..to cannot have an edition yet, or "".
func partial(from, to load.Date, u aggregate.Unit, now load.Date) string {
	if to.Before(now) {
		return ""
	}
	return fmt.Sprintf("%s runs to %s, and today is %s: an edition never headlines a partial period; draft it once the period is over", aggregate.Key(from, u), to, now)
}

func countWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

const importUsage = `usage: whyopen import hf OWNER/NAME [-org ID] [-title T] [-slug SLUG] [-src DIR]
       whyopen import hf README.md -org ID [-repo OWNER/NAME] [-title T] [-slug SLUG] [-src DIR]
       whyopen import csv FILE [-src DIR]
`

// maxCard is the largest model card import reads.
const maxCard = 4 << 20

func cmdImport(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "csv" {
		return cmdImportCSV(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "hf" {
		fmt.Fprint(stderr, importUsage)
		return 2
	}
	fs := flags("import hf", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	org := fs.String("org", "", "the id of the org that released it (for OWNER/NAME, default: the org whose huggingface is OWNER)")
	repo := fs.String("repo", "", "with a README.md, the Hugging Face repository, owner/name: becomes the first source and the weights link")
	title := fs.String("title", "", "the release's title, when not the repository's name or the card's first heading")
	slug := fs.String("slug", "", "the file name, when not the one made from the title")
	pos, err := parseAll(fs, args[1:])
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, importUsage)
		return 2
	}
	if isRepo(pos[0]) {
		if *repo != "" {
			fmt.Fprintln(stderr, "whyopen import hf: -repo is for a README.md file; OWNER/NAME already names the repository")
			return 2
		}
		return cmdImportHub(pos[0], *src, *org, *title, *slug, stdout, stderr)
	}
	card, err := readCard(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %v\n", err)
		return 1
	}
	orgs, licenses, schemaBase, err := siteInfo(*src)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %v\n", err)
		return 1
	}
	e, unmapped, err := scaffold.ImportHF(card, scaffold.Import{
		Options:  scaffold.Options{Today: today(), SchemaBase: schemaBase},
		Org:      *org,
		Orgs:     orgs,
		Licenses: licenses,
		Title:    *title,
		Slug:     *slug,
		Repo:     *repo,
	})
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %s: %v\n", pos[0], err)
		return 1
	}
	p, err := writeNew(*src, e)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %v\n", err)
		return 1
	}
	ensureSchema(*src, "release")
	fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
	printUnmapped(stdout, unmapped, nil)
	nextSteps(stdout, *src, p)
	return 0
}

// cmdImportCSV writes a release for each row of a catalogue in the
// columns of releases.csv, or, when any row has an error, nothing.
func cmdImportCSV(args []string, stdout, stderr io.Writer) int {
	fs := flags("import csv", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	pos, err := parseAll(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprint(stderr, importUsage)
		return 2
	}
	if fi, err := os.Stat(filepath.Join(*src, "content")); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "whyopen import csv: no content/ directory in %s: run whyopen in the site's root, or pass -src\n", *src)
		return 1
	}
	data, err := readLimited(pos[0], scaffold.MaxCSV, "a catalogue")
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import csv: %v\n", err)
		return 1
	}
	content, _ := load.Dir(*src) // check reports the tree's own problems; only the rows' are reported here
	file := filepath.ToSlash(pos[0])
	entries, probs := scaffold.CSV(file, data, content, scaffold.Options{Today: today(), SchemaBase: schemaDir})
	errs := 0
	for _, p := range probs {
		if p.Severity == load.Error {
			errs++
		}
	}
	// A row whose file is already there is refused before anything is
	// written, so that the catalogue comes in whole or not at all.
	if errs == 0 {
		for _, e := range entries {
			p := filepath.Join(*src, filepath.FromSlash(e.Path))
			if _, err := os.Lstat(p); err == nil {
				probs = append(probs, load.Problem{Pos: load.Pos{File: file}, Msg: fmt.Sprintf("%s already exists; edit it, or drop its row", filepath.ToSlash(p))})
				errs++
			}
		}
	}
	printProblems(stderr, probs)
	if errs > 0 {
		fmt.Fprintf(stderr, "whyopen import csv: %d %s in %s; nothing written\n", errs, countWord(errs, "error", "errors"), file)
		return 1
	}
	var written []string
	for _, e := range entries {
		p, err := writeNew(*src, e)
		if err != nil {
			fmt.Fprintf(stderr, "whyopen import csv: %v\n", err)
			for _, w := range written { // they are whyopen's, from this run
				os.Remove(w)
			}
			fmt.Fprintln(stderr, "whyopen import csv: nothing written")
			return 1
		}
		written = append(written, p)
		fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
	}
	ensureSchema(*src, "release")
	fmt.Fprintf(stdout, "imported %d %s from %s\n", len(entries), countWord(len(entries), "release", "releases"), file)
	checkCmd := "whyopen check"
	if *src != "." {
		checkCmd += " -src " + *src
	}
	fmt.Fprintf(stdout, "next: write each release's body in place of its placeholder comment, then run %s\n", checkCmd)
	return 0
}

// readLimited reads the file name, refusing one larger than limit.
func readLimited(name string, limit int, what string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB: is it %s?", name, limit>>20, what)
	}
	return data, nil
}

func readCard(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCard+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCard {
		return nil, fmt.Errorf("%s is larger than %d MiB: is it a model card?", name, maxCard>>20)
	}
	return data, nil
}

func cmdDiff(args []string, stdout, stderr io.Writer) int {
	fs := flags("diff", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	base := fs.String("base", "", "the root of the tree to compare with, such as a checkout of the base branch (required)")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	if *base == "" {
		fmt.Fprintln(stderr, "whyopen diff: -base is required: the root of the tree to compare with")
		return 2
	}
	sides := []struct {
		name, dir string
		res       *build.Result
	}{{"base", *base, nil}, {"content", *src, nil}}
	for i := range sides {
		s := &sides[i]
		res, err := build.Check(build.Options{Src: s.dir, Today: today()})
		if err != nil {
			for _, p := range res.Problems {
				p.Pos.File = filepath.ToSlash(filepath.Join(s.dir, p.Pos.File))
				fmt.Fprintln(stderr, p)
			}
			errs := "errors"
			if res.Errors() == 1 {
				errs = "error"
			}
			fmt.Fprintf(stderr, "whyopen diff: the %s in %s has %d %s; run whyopen check -src %s\n", s.name, s.dir, res.Errors(), errs, s.dir)
			return 1
		}
		s.res = res
	}
	fmt.Fprint(stdout, aggregate.Compare(sides[0].res.Catalog, sides[1].res.Catalog).Markdown())
	return 0
}

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := flags("schema", stderr)
	out := fs.String("out", "", "write every kind's schema to DIR/<kind>.json")
	if fs.Parse(args) != nil || fs.NArg() > 1 || (fs.NArg() == 0) == (*out == "") {
		fmt.Fprintf(stderr, "usage: whyopen schema KIND   (print one; the kinds are %s)\n       whyopen schema -out DIR\n", strings.Join(check.SchemaKinds(), ", "))
		return 2
	}
	if fs.NArg() == 1 {
		s, err := check.Schema(fs.Arg(0))
		if err != nil {
			fmt.Fprintf(stderr, "whyopen schema: %v\n", err)
			return 2
		}
		stdout.Write(s)
		return 0
	}
	if err := os.MkdirAll(*out, 0o777); err != nil {
		fmt.Fprintf(stderr, "whyopen schema: %v\n", err)
		return 1
	}
	for _, kind := range check.SchemaKinds() {
		s, _ := check.Schema(kind)
		p := filepath.Join(*out, kind+".json")
		if err := os.WriteFile(p, s, 0o666); err != nil {
			fmt.Fprintf(stderr, "whyopen schema: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
	}
	return 0
}
