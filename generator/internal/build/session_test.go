package build_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

// synthSite writes a synthetic site of n releases, with the repository's
// buckets, licenses and theme, and dates every file an hour back, as a
// site that has been sitting on disk.
func synthSite(t testing.TB, n, orgs int) string {
	t.Helper()
	src := t.TempDir()
	var files []synth.File
	ids := map[string][]string{}
	for _, kind := range []string{"buckets", "licenses"} {
		paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "content", kind, "*.md"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			id := strings.TrimSuffix(filepath.Base(p), ".md")
			ids[kind] = append(ids[kind], id)
			files = append(files, synth.File{Path: "content/" + kind + "/" + id + ".md", Data: data})
		}
	}
	files = append(files, synth.Generate(synth.Options{Releases: n, Orgs: orgs, Licenses: ids["licenses"], Buckets: ids["buckets"], Seed: 5})...)
	for _, dir := range []string{"templates", "static"} {
		filepath.Walk(filepath.Join("..", "..", "..", dir), func(p string, fi os.FileInfo, err error) error {
			if err == nil && !fi.IsDir() {
				rel, _ := filepath.Rel(filepath.Join("..", "..", ".."), p)
				data, _ := os.ReadFile(p)
				files = append(files, synth.File{Path: filepath.ToSlash(rel), Data: data})
			}
			return nil
		})
	}
	old := time.Now().Add(-time.Hour)
	for _, f := range files {
		p := filepath.Join(src, filepath.FromSlash(f.Path))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	return src
}

// edit is one step of the script: a change to the source tree, and whether
// the session must then have kept (not rendered again) most pages.
type edit struct {
	name   string
	do     func(t *testing.T, src string)
	keeps  int  // 1: most pages kept (not rendered again); 0: none; -1: any
	broken bool // the build must fail
}

func rewrite(t *testing.T, src, rel string, f func(string) string) {
	t.Helper()
	p := filepath.Join(src, filepath.FromSlash(rel))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	out := f(string(data))
	if out == string(data) {
		t.Fatalf("%s: the edit changed nothing", rel)
	}
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

func field(name, value string) func(string) string {
	re := regexp.MustCompile(`(?m)^` + name + `: .*$`)
	return func(s string) string { return re.ReplaceAllString(s, name+": "+value) }
}

// releaseFiles lists the site's release files, sorted.
func releaseFiles(t *testing.T, src string) []string {
	t.Helper()
	ps, _ := filepath.Glob(filepath.Join(src, "content/releases/*/*.md"))
	var out []string
	for _, p := range ps {
		rel, _ := filepath.Rel(src, p)
		out = append(out, filepath.ToSlash(rel))
	}
	sort.Strings(out)
	return out
}

// sources describes every file and directory under src, by path relative
// to it: enough to tell which changed, as a watcher would.
func sources(t *testing.T, src string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			m[rel] = "dir"
			return nil
		}
		fi, _ := d.Info()
		data, _ := os.ReadFile(p)
		m[rel] = fmt.Sprintf("%v %d %v %x", fi.Mode(), fi.Size(), fi.ModTime(), sha256.Sum256(data))
		return nil
	})
	return m
}

// changedSince lists the paths that differ between two descriptions.
func changedSince(before, after map[string]string) []string {
	var out []string
	for p, a := range after {
		if before[p] != a {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// TestSessionEqualsFull edits, adds and removes content, templates and
// static files step by step, rebuilding after each step both with a
// session (as the development server does) and from scratch, and checks
// that the two outputs are byte for byte the same.
func TestSessionEqualsFull(t *testing.T) {
	src := synthSite(t, 700, 20)
	// Reports pick releases, which must stay where they are: edit others.
	picked := map[string]bool{}
	reports, _ := filepath.Glob(filepath.Join(src, "content/reports/*.md"))
	for _, r := range reports {
		data, _ := os.ReadFile(r)
		for _, m := range regexp.MustCompile(`release: (\S+)`).FindAllStringSubmatch(string(data), -1) {
			picked[m[1]] = true
		}
	}
	orgOf := func(rel string) string { return strings.Split(rel, "/")[2] }
	var rels []string
	pickedOrg := map[string]bool{}
	for _, r := range releaseFiles(t, src) {
		if picked[strings.TrimSuffix(filepath.Base(r), ".md")] {
			pickedOrg[orgOf(r)] = true
		} else {
			rels = append(rels, r)
		}
	}
	a, b, c := rels[10], rels[len(rels)/2], rels[len(rels)*4/5]
	var gone string // an org none of whose releases is picked
	for _, r := range rels {
		if !pickedOrg[orgOf(r)] && orgOf(r) != orgOf(a) && orgOf(r) != orgOf(c) {
			gone = orgOf(r)
		}
	}
	if gone == "" {
		t.Fatal("every org has a pick: the script needs one that has none")
	}
	var sess build.Session
	out := filepath.Join(t.TempDir(), "public")
	// A second session is told what each step changed, as the development
	// server's watcher tells it, and reads nothing else.
	var watched build.Session
	wout := filepath.Join(t.TempDir(), "public")
	script := []edit{
		{"nothing", func(*testing.T, string) {}, 1, false},
		{"a release's body", func(t *testing.T, src string) {
			rewrite(t, src, a, func(s string) string { return s + "\nOne more sentence.\n" })
		}, 1, false},
		{"the same file again, same size, at once", func(t *testing.T, src string) {
			rewrite(t, src, a, func(s string) string { return strings.Replace(s, "One more sentence.", "One more sentencE.", 1) })
		}, 1, false},
		{"a title, shown on its neighbours' pages", func(t *testing.T, src string) {
			rewrite(t, src, b, field("title", "A Renamed Release"))
		}, 1, false},
		{"a date: the release moves between pages and periods", func(t *testing.T, src string) {
			rewrite(t, src, b, field("date", "2023-01-02"))
		}, 1, false},
		{"a license", func(t *testing.T, src string) { rewrite(t, src, c, field("license", "mit")) }, 1, false},
		{"an editorial bucket", func(t *testing.T, src string) {
			rewrite(t, src, c, func(s string) string {
				return strings.Replace(s, "\n---\n", "\nbucket: sovereign\nbucket_note: A test.\n---\n", 1)
			})
		}, 1, false},
		{"an error, then the same file fixed", func(t *testing.T, src string) {
			rewrite(t, src, a, func(s string) string { return strings.Replace(s, "title:", "titel:", 1) })
		}, -1, true},
		{"the fix", func(t *testing.T, src string) {
			rewrite(t, src, a, func(s string) string { return strings.Replace(s, "titel:", "title:", 1) })
		}, 1, false},
		{"a new release", func(t *testing.T, src string) {
			data, _ := os.ReadFile(filepath.Join(src, a))
			p := filepath.Join(src, "content/releases", orgOf(a), "brand-new.md")
			os.WriteFile(p, []byte(strings.Replace(string(data), "date: ", "date: 2026-09-29\nx: ", 1)), 0o644)
			rewrite(t, src, "content/releases/"+orgOf(a)+"/brand-new.md", func(s string) string {
				return regexp.MustCompile(`(?m)^x: .*\n`).ReplaceAllString(s, "")
			})
		}, 1, false},
		{"the newest release takes up a modality no release used: every explorer row's later indexes move", func(t *testing.T, src string) {
			var ex struct {
				Modalities []string `json:"modalities"`
				Rows       [][]any  `json:"rows"`
			}
			data, _ := os.ReadFile(filepath.Join(out, "data/explorer.json"))
			if err := json.Unmarshal(data, &ex); err != nil || len(ex.Modalities) < 2 || len(ex.Rows) == 0 {
				t.Fatalf("explorer.json: %v, %d modalities", err, len(ex.Modalities))
			}
			m, _ := filepath.Glob(filepath.Join(src, "content/releases/*", ex.Rows[0][0].(string)+".md"))
			if len(m) != 1 {
				t.Fatalf("no file for the newest release, %v", ex.Rows[0][0])
			}
			rel, _ := filepath.Rel(src, m[0])
			unused := ""
			for _, m := range load.Modalities() {
				if !slices.Contains(ex.Modalities, m) {
					unused = m
					break
				}
			}
			if unused == "" || unused == load.Modalities()[len(load.Modalities())-1] {
				t.Fatalf("explorer.json lists %v: the script needs a modality no release uses, before the last", ex.Modalities)
			}
			rewrite(t, src, rel, field("modality_in", "["+unused+"]"))
		}, 1, false},
		{"a release removed", func(t *testing.T, src string) { os.Remove(filepath.Join(src, rels[50])) }, 1, false},
		{"the oldest release of a paged bucket removed: earlier pages keep their releases, not their count", func(t *testing.T, src string) {
			third, _ := filepath.Glob(filepath.Join(out, "buckets/*/page/3/index.html"))
			if len(third) == 0 {
				t.Fatal("no bucket has a third page")
			}
			bucket := filepath.Dir(filepath.Dir(filepath.Dir(third[0])))
			n := 3
			for {
				if _, err := os.Stat(filepath.Join(bucket, "page", fmt.Sprint(n+1), "index.html")); err != nil {
					break
				}
				n++
			}
			last := filepath.Join(bucket, "page", fmt.Sprint(n), "index.html")
			page, _ := os.ReadFile(last)
			ids := regexp.MustCompile(`href="/releases/([^/"]+)/"`).FindAllSubmatch(page, -1)
			if len(ids) == 0 {
				t.Fatalf("%s lists no release", last)
			}
			// The oldest release listed that no report picks: removing a
			// pick would break the report, not test the pages.
			oldest := ""
			for i := len(ids) - 1; i >= 0 && oldest == ""; i-- {
				if !picked[string(ids[i][1])] {
					oldest = string(ids[i][1])
				}
			}
			m, _ := filepath.Glob(filepath.Join(src, "content/releases/*", oldest+".md"))
			if len(m) != 1 {
				t.Fatalf("no file for release %q", oldest)
			}
			os.Remove(m[0])
		}, 1, false},
		{"a release saved by rename", func(t *testing.T, src string) {
			p := filepath.Join(src, rels[60])
			data, _ := os.ReadFile(p)
			os.WriteFile(p+".tmp", []byte(field("context", "2M")(string(data))), 0o644)
			os.Rename(p+".tmp", p)
		}, 1, false},
		{"every release of an org removed", func(t *testing.T, src string) {
			for _, r := range releaseFiles(t, src) {
				if orgOf(r) == gone {
					os.Remove(filepath.Join(src, r))
				}
			}
		}, -1, false},
		{"an org", func(t *testing.T, src string) {
			rewrite(t, src, "content/orgs/"+orgOf(a)+".md", field("name", "Renamed Org"))
		}, 0, false},
		{"a report", func(t *testing.T, src string) {
			ps, _ := filepath.Glob(filepath.Join(src, "content/reports/*.md"))
			rel, _ := filepath.Rel(src, ps[0])
			rewrite(t, src, rel, field("summary", "A new summary."))
		}, 0, false},
		{"a template", func(t *testing.T, src string) {
			rewrite(t, src, "templates/release.html", func(s string) string { return strings.Replace(s, "<h1>", "<h1 class=\"edited\">", 1) })
		}, 0, false},
		{"a static file", func(t *testing.T, src string) {
			rewrite(t, src, "static/favicon.svg", func(s string) string { return s + "\n" })
		}, 0, false},
		{"site.yaml", func(t *testing.T, src string) { rewrite(t, src, "content/site.yaml", field("title", "Renamed Site")) }, 0, false},
		{"a secondary source", func(t *testing.T, src string) {
			rewrite(t, src, c, func(s string) string {
				return strings.Replace(s, "sources:\n", "sources:\n  - https://news.example.net/story\n", 1)
			})
		}, 1, false},
		{"sources.yaml: that source's host becomes a farm", func(t *testing.T, src string) {
			if err := os.WriteFile(filepath.Join(src, "content/sources.yaml"), []byte("farms:\n  - host: news.example.net\n    note: a test farm\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, 0, false},
		{"a release after all that", func(t *testing.T, src string) {
			rewrite(t, src, c, func(s string) string { return s + "\nAnd a final word.\n" })
		}, 1, false},
	}

	opt := build.Options{Src: src, Out: out, Theme: repoTheme, Today: load.NewDate(2026, 10, 1), Session: &sess}
	wopt := opt
	wopt.Out, wopt.Session = wout, &watched
	for _, o := range []build.Options{opt, wopt} {
		if _, err := build.Build(o); err != nil {
			t.Fatal(err)
		}
	}
	watched.Watch()
	if _, err := build.Build(wopt); err != nil {
		t.Fatal(err)
	}
	// The script must reach pages the memo keeps with care: later pages
	// of a bucket's releases, and reports.
	for _, pattern := range []string{"buckets/*/page/3/index.html", "reports/*/index.html"} {
		if m, _ := filepath.Glob(filepath.Join(out, pattern)); len(m) == 0 {
			t.Fatalf("the site has no %s", pattern)
		}
	}
	for i, step := range script {
		t.Run(fmt.Sprintf("%02d %s", i, step.name), func(t *testing.T) {
			before := tree(t, out)
			seen := sources(t, src)
			step.do(t, src)
			watched.Changed(changedSince(seen, sources(t, src))...)
			wres, werr := build.Build(wopt)
			res, err := build.Build(opt)
			if (err == nil) != (werr == nil) {
				t.Fatalf("the watched session's build gave %v, the other's %v", werr, err)
			}
			if step.broken {
				if err == nil {
					t.Fatal("the build succeeded")
				}
				after := tree(t, out)
				if len(after) != len(before) {
					t.Fatalf("a failed build changed the output")
				}
				for p := range before {
					if !bytes.Equal(before[p], after[p]) {
						t.Fatalf("a failed build changed %s", p)
					}
				}
				return
			}
			if err != nil {
				for _, p := range res.Problems {
					t.Log(p)
				}
				t.Fatal(err)
			}
			full := filepath.Join(t.TempDir(), "public")
			fopt := opt
			fopt.Out, fopt.Session = full, nil
			fres, err := build.Build(fopt)
			if err != nil {
				t.Fatal(err)
			}
			got, want := tree(t, out), tree(t, full)
			// The other session also parses again the files it saw
			// change less than a second ago; the watched one need not.
			if wres.Pages != res.Pages || wres.Kept < res.Kept {
				t.Errorf("the watched session rendered %d of %d pages, the other %d of %d", wres.Pages-wres.Kept, wres.Pages, res.Pages-res.Kept, res.Pages)
			}
			for p, w := range tree(t, wout) {
				if !bytes.Equal(w, want[p]) {
					t.Fatalf("the watched session's %s differs from a full build", p)
				}
			}
			var diffs []string
			for p := range want {
				if _, ok := got[p]; !ok {
					diffs = append(diffs, "missing "+p)
				} else if !bytes.Equal(got[p], want[p]) {
					diffs = append(diffs, "differs "+p)
				}
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					diffs = append(diffs, "extra "+p)
				}
			}
			sort.Strings(diffs)
			if len(diffs) > 0 {
				if len(diffs) > 20 {
					diffs = append(diffs[:20], "…")
				}
				t.Fatalf("the incremental build differs from a full one:\n%s", strings.Join(diffs, "\n"))
			}
			if res.Pages != fres.Pages || res.Files != fres.Files {
				t.Errorf("incremental build: %d pages, %d files; full: %d, %d", res.Pages, res.Files, fres.Pages, fres.Files)
			}
			if step.keeps == 1 && res.Kept < res.Pages*3/4 {
				t.Errorf("rendered %d of %d pages again, for a change to one release", res.Pages-res.Kept, res.Pages)
			}
			if step.keeps == 0 && res.Kept > 0 {
				t.Errorf("kept %d pages, for a change that touches every page", res.Kept)
			}
		})
	}
}
