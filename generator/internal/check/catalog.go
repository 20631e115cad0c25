package check

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// The fields real catalogues hold (see load's package doc): lineage
// (base_model), co-developing orgs (co_orgs), whether the weights are
// open, and licenses named as catalogues name them.

// licenseIndex builds the one license lookup, and reports the ids and
// aliases that name two licenses once case and punctuation are ignored.
// An alias spelled exactly like another license's id or alias is reported
// by run.
func (k *checker) licenseIndex() *load.LicenseIndex {
	x := load.NewLicenseIndex(k.c.Licenses)
	for _, c := range x.Clashes {
		exact := c.Name == c.Other.ID
		for _, a := range c.Other.Aliases {
			exact = exact || a == c.Name
		}
		if exact {
			continue
		}
		k.errorf(c.License.Pos(c.Field), "%s %q names license %q (%s) too, once case and punctuation are ignored: remove it or make it distinct", strings.SplitN(c.Field, ".", 2)[0], c.Name, c.Other.ID, c.Other.File)
	}
	for _, l := range k.c.Licenses {
		if !l.Unread && !l.Has("url") && l.Class != "custom" && l.Class != "unknown" {
			k.errorf(l.Start, "missing required field \"url\": link the license text (only a custom or unknown license may go without)")
		}
	}
	return x
}

// catalogRelease checks a release's own catalogue fields: its co-orgs
// and its weights.
func (k *checker) catalogRelease(r *load.Release, orgs map[string]bool) {
	seen := map[string]bool{}
	for i, o := range r.CoOrgs {
		path := "co_orgs." + strconv.Itoa(i)
		switch {
		case o == r.Org:
			k.errorf(r.Pos(path), "%s: %q is the release's org already", path, o)
		case seen[o]:
			k.errorf(r.Pos(path), "%s: %q is listed twice", path, o)
		default:
			k.ref(&r.Doc, path, o, "org", orgs)
		}
		seen[o] = true
	}
	if r.Weights == "closed" {
		k.errorf(r.Pos("weights"), "weights: closed: this report covers releases whose weights can be downloaded; leave a closed model out")
	}
}

// catalog checks what relates releases to each other: that a base_model
// slug names a release (one with an owner/name is a Hugging Face
// repository, taken as written), and, as warnings, two releases with one
// Hugging Face repository or one title once normalised.
func (k *checker) catalog() {
	rs := k.c.Releases
	bySlug := map[string]*load.Release{}
	var slugs []string
	for _, r := range rs {
		bySlug[r.ID] = r
		slugs = append(slugs, r.ID)
	}
	sort.Strings(slugs)
	for _, r := range rs {
		b := r.BaseModel
		if r.Unread || b == "" || IsPlaceholder(b) || strings.Contains(b, "/") {
			continue
		}
		switch base, ok := bySlug[b]; {
		case !ok:
			k.errorf(r.Pos("base_model"), "base_model: no release has the slug %q%s; for a model outside the report, give its Hugging Face repository as owner/name", b, load.DidYouMean(b, slugs))
		case base == r:
			k.errorf(r.Pos("base_model"), "base_model: %q is this release itself", b)
		}
	}

	type first struct {
		r    *load.Release
		path string
	}
	repos, titles := map[string]first{}, map[string]first{}
	for _, r := range rs {
		if r.Unread {
			continue
		}
		if t := NormalTitle(r.Title); t != "" {
			if f, ok := titles[t]; ok {
				k.warnf(r.Pos("title"), "title %q is also that of %s (%s): the same model twice?", r.Title, f.r.ID, f.r.File)
			} else {
				titles[t] = first{r, "title"}
			}
		}
		seen := map[string]bool{}
		for _, c := range releaseRepos(r) {
			if seen[c.repo] {
				continue
			}
			seen[c.repo] = true
			if f, ok := repos[c.repo]; ok {
				k.warnf(r.Pos(c.path), "Hugging Face repository %s is also cited by %s (%s, %s): the same model twice?", c.repo, f.r.ID, f.r.File, f.path)
			} else {
				repos[c.repo] = first{r, c.path}
			}
		}
	}
}

// NormalTitle is a title as the duplicate check compares it: lowercase
// letters, digits and "+" only, so that "Acme-7B" and "acme 7b" are one
// but "Command A+" is not "Command A".
func NormalTitle(s string) string { return load.LicenseKey(s) }

type repoAt struct{ repo, path string }

// releaseRepos returns the Hugging Face model repositories a release
// stands for: that of links.weights and of the first Hugging Face model
// URL among its sources.
func releaseRepos(r *load.Release) []repoAt {
	var out []repoAt
	if repo := HFRepo(r.Links.Weights); repo != "" {
		out = append(out, repoAt{repo, "links.weights"})
	}
	for i, s := range r.Sources {
		if repo := HFRepo(s); repo != "" {
			out = append(out, repoAt{repo, "sources." + strconv.Itoa(i)})
			break
		}
	}
	return out
}

// HFRepo returns "owner/name", lowercased, of a huggingface.co model URL
// (https://huggingface.co/OWNER/NAME, with or without a path after it),
// or "". Datasets, spaces, papers, docs, blog posts and profile pages are
// not models.
func HFRepo(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	if h := strings.ToLower(u.Host); h != "huggingface.co" && h != "www.huggingface.co" {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	switch parts[0] {
	case "datasets", "spaces", "papers", "docs", "blog", "api", "collections", "organizations", "models", "settings", "join", "login", "posts", "learn", "tasks":
		return ""
	}
	switch parts[1] {
	case "activity", "models", "datasets", "spaces", "collections", "papers", "followers", "following", "posts", "likes":
		return "" // a tab of a profile page, huggingface.co/USER/activity
	}
	return strings.ToLower(parts[0] + "/" + parts[1])
}
