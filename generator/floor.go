package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/adrg/frontmatter"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// The floor is the plain Go program that issue #7 sets as the time to
// beat: it parses every release with frontmatter and goldmark, renders
// one page per release and one per bucket, license and org it names, and
// writes them, skipping files whose bytes are unchanged. It does no
// checking, classifying, aggregating, pagination, charts, data files or
// feeds, and it uses none of whyopen's pipeline, so a change to the
// pipeline cannot make it faster. `whyopen bench` times it beside each
// build, in turn, so that the ratio of the two holds on a machine whose
// speed drifts.

// floorEntry is the front matter the floor reads.
type floorEntry struct {
	Title   string `yaml:"title"`
	Org     string `yaml:"org"`
	Date    string `yaml:"date"`
	License string `yaml:"license"`
	Bucket  string `yaml:"bucket"`
	Summary string `yaml:"summary"`
	Slug    string `yaml:"-"`
	Body    template.HTML
}

var (
	floorPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1>
<p><a href="/orgs/{{.Org}}/">{{.Org}}</a> · {{.Date}} · <a href="/licenses/{{.License}}/">{{.License}}</a></p>
<p>{{.Summary}}</p>
{{.Body}}
</body></html>
`))
	floorTerm = template.Must(template.New("term").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Name}}</title></head>
<body><h1>{{.Name}}</h1>
<ul>{{range .Entries}}
<li><a href="/releases/{{.Slug}}/">{{.Title}}</a> {{.Date}}</li>{{end}}
</ul></body></html>
`))
)

func cmdFloor(args []string, stdout, stderr io.Writer) int {
	fs := flags("floor", stderr)
	src := fs.String("src", ".", "the site to build")
	out := fs.String("out", "public-floor", "the output directory")
	stats := fs.String("stats", "", "write the page counts to this file, as JSON")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	st, err := floor(*src, *out)
	if err == nil && *stats != "" {
		var b []byte
		if b, err = json.Marshal(st); err == nil {
			err = os.WriteFile(*stats, b, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "whyopen floor: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "floor: %d releases, %d pages, %d unchanged\n", st.Releases, st.Pages, st.Linked)
	return 0
}

// floorMarker, in a directory, says that floor wrote it.
const floorMarker = ".whyopen-floor"

// floor builds the floor's site from src's releases into out, which must
// be absent, empty, or an earlier output of floor: it overwrites pages.
func floor(src, out string) (buildStats, error) {
	if err := mayWrite(out, floorMarker, "-out %s: refusing to write there: it is not empty, and floor did not make it, "+
		"so files in it could be overwritten; choose an empty or new directory"); err != nil {
		return buildStats{}, err
	}
	var paths []string
	err := filepath.WalkDir(filepath.Join(src, "content", "releases"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return buildStats{}, err
	}
	entries := make([]floorEntry, len(paths))
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	err = inParallel(len(paths), func(i int) error {
		data, err := os.ReadFile(paths[i])
		if err != nil {
			return err
		}
		e := &entries[i]
		body, err := frontmatter.Parse(bytes.NewReader(data), e)
		if err != nil {
			return fmt.Errorf("%s: %v", paths[i], err)
		}
		var html bytes.Buffer
		if err := md.Convert(body, &html); err != nil {
			return err
		}
		e.Body = template.HTML(html.String())
		e.Slug = strings.TrimSuffix(filepath.Base(paths[i]), ".md")
		return nil
	})
	if err != nil {
		return buildStats{}, err
	}
	if err := markDir(out, floorMarker, "The output of whyopen floor, which overwrites its pages here on every run.\n"); err != nil {
		return buildStats{}, err
	}

	type page struct {
		path string
		tmpl *template.Template
		data any
	}
	type term struct {
		Name    string
		Entries []*floorEntry
	}
	var pages []page
	terms := map[string]*term{}
	for i := range entries {
		e := &entries[i]
		pages = append(pages, page{"releases/" + e.Slug + "/index.html", floorPage, e})
		for _, t := range [...]string{"buckets/" + e.Bucket, "licenses/" + e.License, "orgs/" + e.Org} {
			if strings.HasSuffix(t, "/") {
				continue
			}
			if terms[t] == nil {
				terms[t] = &term{Name: t}
			}
			terms[t].Entries = append(terms[t].Entries, e)
		}
	}
	for path, t := range terms {
		// Newest first; entries are in path order, which breaks ties.
		sort.SliceStable(t.Entries, func(i, j int) bool { return t.Entries[i].Date > t.Entries[j].Date })
		pages = append(pages, page{path + "/index.html", floorTerm, t})
	}
	var unchanged, size atomic.Int64
	err = inParallel(len(pages), func(i int) error {
		// Org, license and bucket ids come from the files unchecked.
		if !fs.ValidPath(pages[i].path) {
			return fmt.Errorf("%q is not a path inside the output", pages[i].path)
		}
		var b bytes.Buffer
		if err := pages[i].tmpl.Execute(&b, pages[i].data); err != nil {
			return err
		}
		size.Add(int64(b.Len()))
		p := filepath.Join(out, filepath.FromSlash(pages[i].path))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, b.Bytes()) {
			unchanged.Add(1)
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, b.Bytes(), 0o644)
	})
	return buildStats{Releases: len(entries), Pages: len(pages), Files: len(pages), Bytes: size.Load(), Linked: int(unchanged.Load())}, err
}

// inParallel calls f(0) … f(n-1) on one goroutine per CPU and returns the
// first error.
func inParallel(n int, f func(int) error) error {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := f(i); err != nil {
					mu.Lock()
					firstErr = cmp(firstErr, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}
