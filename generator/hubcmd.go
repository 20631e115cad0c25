package main

// The commands that read the Hugging Face Hub: import hf OWNER/NAME and
// track. Package hub talks to the Hub; package track groups what it lists.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/scaffold"
	"github.com/whyopen/whyopen/generator/internal/track"
)

// site is what the Hub commands read of the content tree.
type site struct {
	content    *load.Content
	orgs       []string
	schemaBase string
}

func readSite(src string) (*site, error) {
	orgs, _, schemaBase, err := siteInfo(src)
	if err != nil {
		return nil, err
	}
	c, _ := load.Dir(src)
	return &site{content: c, orgs: orgs, schemaBase: schemaBase}, nil
}

// orgFor returns the id of the org whose huggingface field names owner.
func (s *site) orgFor(owner string) (string, error) {
	var ids []string
	for _, o := range s.content.Orgs {
		for _, n := range o.HFNames() {
			if strings.EqualFold(n, owner) {
				ids = append(ids, o.ID)
			}
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		msg := fmt.Sprintf("no org in content/orgs has huggingface: %s", owner)
		if near := load.Closest(owner, s.orgs, 3); len(near) > 0 {
			msg += " (closest ids: " + strings.Join(near, ", ") + ")"
		}
		id := scaffold.Slug(owner)
		if id == "" {
			id = "ID"
		}
		return "", fmt.Errorf("%s: pass the org with -org ID, or if it is new, add it first: whyopen new org %s, and give it huggingface: %s", msg, id, owner)
	}
	return "", fmt.Errorf("orgs %s all have huggingface: %s: pass one with -org", strings.Join(ids, ", "), owner)
}

// hubImport makes a release entry of repo, read from the Hub.
func hubImport(ctx context.Context, c *hub.Client, s *site, repo, org, title, slug string, draft bool) (scaffold.Entry, []scaffold.Unmapped, []string, error) {
	b, err := c.Fetch(ctx, repo)
	if err != nil {
		return scaffold.Entry{}, nil, nil, err
	}
	if org == "" {
		owner := b.Repo[:strings.IndexByte(b.Repo, '/')]
		if org, err = s.orgFor(owner); err != nil {
			return scaffold.Entry{}, nil, b.Notes, err
		}
	}
	e, unmapped, err := scaffold.ImportHF(nil, scaffold.Import{
		Options:  scaffold.Options{Today: today(), SchemaBase: s.schemaBase},
		Org:      org,
		Orgs:     s.orgs,
		Licenses: s.content.Licenses,
		Title:    title,
		Slug:     slug,
		Hub:      b,
		Draft:    draft,
	})
	if err != nil {
		err = fmt.Errorf("%s: %w", b.Repo, err) // as the file form names its file
	}
	return e, unmapped, b.Notes, err
}

// isRepo reports whether arg names a Hub repository rather than a file.
func isRepo(arg string) bool {
	if !hub.RepoPattern.MatchString(arg) {
		return false
	}
	_, err := os.Stat(arg)
	return errors.Is(err, fs.ErrNotExist)
}

func newClient() (*hub.Client, error) { return hub.New(os.Getenv) }

func printUnmapped(w io.Writer, unmapped []scaffold.Unmapped, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "could not read %s\n", load.Printable(n))
	}
	if len(unmapped) > 0 {
		what := "fields; check them"
		if len(unmapped) == 1 {
			what = "field; check it"
		}
		fmt.Fprintf(w, "could not map %d card %s by hand:\n", len(unmapped), what)
		for _, u := range unmapped {
			fmt.Fprintf(w, "  %s\n", load.Printable(u.String())) // the card's text, escaped
		}
	}
}

func cmdImportHub(repo, src, org, title, slug string, stdout, stderr io.Writer) int {
	c, err := newClient()
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %v\n", err)
		return 2
	}
	s, err := readSite(src)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %v\n", err)
		return 1
	}
	e, unmapped, notes, err := hubImport(context.Background(), c, s, repo, org, title, slug, false)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %s\n", load.Printable(err.Error()))
		return 1
	}
	p, err := writeNew(src, e)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen import hf: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", filepath.ToSlash(p))
	printUnmapped(stdout, unmapped, notes)
	nextSteps(stdout, src, p)
	return 0
}

func cmdTrack(args []string, stdout, stderr io.Writer) int {
	fs := flags("track", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	sinceFlag := fs.String("since", "", "list models created on or after this date, YYYY-MM-DD (default: each org's latest release)")
	only := fs.String("org", "", "track only these orgs: ids, comma-separated")
	write := fs.Bool("write", false, "import each new model as a draft release entry")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	var since load.Date
	if *sinceFlag != "" {
		d, err := load.ParseDate(*sinceFlag)
		if err != nil {
			fmt.Fprintf(stderr, "whyopen track: -since: %v\n", err)
			return 2
		}
		since = d
	}
	c, err := newClient()
	if err != nil {
		fmt.Fprintf(stderr, "whyopen track: %v\n", err)
		return 2
	}
	s, err := readSite(*src)
	if err != nil {
		fmt.Fprintf(stderr, "whyopen track: %v\n", err)
		return 1
	}
	want := map[string]bool{}
	for _, id := range strings.Split(*only, ",") {
		if id = strings.TrimSpace(id); id != "" {
			want[id] = true
		}
	}
	for id := range want {
		if !contains(s.orgs, id) {
			fmt.Fprintf(stderr, "whyopen track: -org: unknown org %q (closest: %s)\n", id, strings.Join(load.Closest(id, s.orgs, 3), ", "))
			return 2
		}
	}
	latest := map[string]load.Date{}
	for _, r := range s.content.Releases {
		if r.Date.After(latest[r.Org]) {
			latest[r.Org] = r.Date
		}
	}
	cited := track.Cited(s.content.Releases)
	ctx := context.Background()
	var groups []track.Group
	failed := false
	followed := 0
	for _, o := range s.content.Orgs {
		if len(o.HFNames()) == 0 || (len(want) > 0 && !want[o.ID]) {
			continue
		}
		from := since
		if from.IsZero() {
			from = latest[o.ID]
		}
		if from.IsZero() {
			fmt.Fprintf(stderr, "whyopen track: %s has no release yet: pass -since to list its models\n", o.ID)
			continue
		}
		followed++
		t := from.Time()
		var models []hub.Model
		for _, name := range o.HFNames() {
			ms, err := c.List(ctx, name, t)
			if err != nil {
				fmt.Fprintf(stderr, "whyopen track: %s: %s\n", o.ID, load.Printable(err.Error()))
				failed = true
			}
			models = append(models, ms...)
		}
		groups = append(groups, track.Groups(o.ID, models, cited)...)
	}
	news := 0
	for _, g := range groups {
		if g.New() {
			news++
		}
	}
	orgs := fmt.Sprintf("%d %s tracked", followed, plural(followed, "org", "orgs"))
	if len(groups) == 0 {
		fmt.Fprintf(stdout, "nothing new from %s\n", orgs)
	} else {
		track.Table(stdout, groups)
		fmt.Fprintf(stdout, "%d new %s, %d cited with new variants, from %s\n", news, plural(news, "model", "models"), len(groups)-news, orgs)
	}
	if *write {
		for _, g := range groups {
			if !g.New() {
				continue
			}
			e, unmapped, notes, err := hubImport(ctx, c, s, g.Base.Model.ID, g.Org, "", "", true)
			if err != nil {
				fmt.Fprintf(stderr, "whyopen track: %s: %s\n", g.Base.Model.ID, load.Printable(err.Error()))
				failed = true
				continue
			}
			p, err := writeNew(*src, e)
			if err != nil {
				fmt.Fprintf(stderr, "whyopen track: %s: %v\n", g.Base.Model.ID, err)
				failed = true
				continue
			}
			fmt.Fprintf(stdout, "wrote draft %s\n", filepath.ToSlash(p))
			printUnmapped(stdout, unmapped, notes)
		}
	}
	if failed {
		return 1
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
