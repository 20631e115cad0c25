package main

// The links command: are the pages the content cites still there?

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/whyopen/whyopen/generator/internal/links"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// cmdLinks requests every external URL of the content and reports those
// that are gone, failing or redirected at each place they are cited. It
// exits 1 when a URL is gone. Results are kept in a cache file, so a rerun
// within -max-age asks again only for what it has not asked lately.
func cmdLinks(args []string, stdout, stderr io.Writer) int {
	fs := flags("links", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	cachePath := fs.String("cache", filepath.Join(".cache", "links.json"), "the cache file; empty for none")
	maxAge := fs.Duration("max-age", 24*time.Hour, "reuse cached results younger than this")
	perHost := fs.Int("per-host", 2, "requests at once to one host")
	delay := fs.Duration("delay", time.Second, "wait between two requests to one host")
	timeout := fs.Duration("timeout", 20*time.Second, "time limit of each request")
	workers := fs.Int("workers", 8, "requests at once in all")
	verbose := fs.Bool("v", false, "report the URLs that are ok too")
	format := fs.String("format", "text", "output format: text or github")
	if fs.Parse(args) != nil || fs.NArg() > 0 || (*format != "text" && *format != "github") {
		if *format != "text" && *format != "github" {
			fmt.Fprintf(stderr, "whyopen links: unknown format %q: use text or github\n", *format)
		}
		return 2
	}
	if fi, err := os.Stat(filepath.Join(*src, "content")); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "whyopen links: no content/ directory in %s: run whyopen in the site's root, or pass -src\n", *src)
		return 2
	}
	c, _ := load.Dir(*src) // check reports the content's problems; links asks about what it could read
	targets := links.Collect(c)

	cache := &links.Cache{Results: map[string]links.Result{}}
	if *cachePath != "" {
		data, err := os.ReadFile(*cachePath)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stderr, "whyopen links: %v\n", err)
			return 1
		}
		if cache, err = links.ParseCache(data); err != nil {
			fmt.Fprintf(stderr, "whyopen links: %s: %v; delete it to start afresh\n", *cachePath, err)
			return 1
		}
	}
	urls := make([]string, len(targets))
	for i, t := range targets {
		urls[i] = t.URL
	}
	start := time.Now()
	results := links.Check(context.Background(), urls, cache, links.Options{
		Timeout: *timeout, Workers: *workers, PerHost: *perHost, Delay: *delay, MaxAge: *maxAge, Now: time.Now,
	})
	if *cachePath != "" {
		if err := writeCache(*cachePath, cache.Marshal()); err != nil {
			fmt.Fprintf(stderr, "whyopen links: cannot keep the results: %v\n", err)
		}
	}

	type line struct {
		at load.Pos
		r  links.Result
	}
	var lines []line
	count := map[links.Status]int{}
	cached := 0
	for i, r := range results {
		count[r.Status]++
		if r.Cached {
			cached++
		}
		if r.Status == links.OK && !*verbose {
			continue
		}
		for _, at := range targets[i].At {
			lines = append(lines, line{at, r})
		}
	}
	sortLines := func(i, j int) bool {
		a, b := lines[i].at, lines[j].at
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	}
	sort.SliceStable(lines, sortLines)
	for _, l := range lines {
		switch *format {
		case "github":
			level := "notice"
			switch l.r.Status {
			case links.Gone:
				level = "error"
			case links.Failing, links.Redirected:
				level = "warning"
			}
			fmt.Fprintf(stdout, "::%s file=%s,line=%d,col=%d::%s\n", level, ghEscape(l.at.File, true), l.at.Line, l.at.Col, ghEscape(l.r.URL+": "+l.r.String(), false))
		default:
			fmt.Fprintf(stdout, "%s: %s %s\n", l.at, l.r.URL, l.r)
		}
	}
	verb := "links passed"
	if count[links.Gone] > 0 {
		verb = "links failed"
	}
	fmt.Fprintf(stdout, "%s: %d URLs: %d ok, %d redirected, %d gone, %d failing (%d from the cache) in %s\n",
		verb, len(results), count[links.OK], count[links.Redirected], count[links.Gone], count[links.Failing], cached, time.Since(start).Round(time.Millisecond))
	if count[links.Gone] > 0 {
		return 1
	}
	return 0
}

// writeCache writes the cache file whole or not at all.
func writeCache(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".links-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
