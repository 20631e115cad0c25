// Package build knows the order of the pipeline and nothing else:
//
//	load → check → classify → aggregate → figure → render → publish
//
// Build runs all of it; Check stops after check and classify, for the
// `whyopen check` command. A build with any error-severity problem publishes
// nothing, so the previous output stays exactly as it was. Nor does a
// build publish a site without releases (check reports it), or into an
// output directory publish refuses: one that is, holds or lies inside the
// site's content/, templates/ or static/, or one whyopen did not make.
// One build at a time writes an output directory (publish's lock); the
// development server holds the lock for as long as it runs (Lock). A
// build also publishes the JSON Schema of each content kind
// (check.Schema) at /schema/<kind>.json.
//
// A Session carries what one build learned to the next, for the
// development server: with one, a build parses, checks and renders only
// what changed, and its output is the same as a build's without.
package build

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/whyopen/whyopen/generator/internal/aggregate"
	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/publish"
	"github.com/whyopen/whyopen/generator/internal/render"
)

// Options configures a build.
type Options struct {
	Src string // the site's root: it holds content/, templates/, static/
	Out string // the output directory
	// BaseURL, when set, overrides site.yaml's base_url.
	BaseURL string
	// Today is the date after which release dates are in the future.
	Today load.Date
	// Theme is the fallback for a site without templates/ or static/.
	Theme fs.FS
	// LiveReload adds the development server's reload script.
	LiveReload bool
	// Session, when set, makes the build reuse what the last build with
	// the same session learned; see Session.
	Session *Session
	// Lock, when set, is the output's lock (see Lock), held by the caller
	// for all its builds. Otherwise each build takes it for itself,
	// waiting up to Wait for another process's build to finish, and
	// calling Waiting, if set, when it starts to wait.
	Lock    *publish.Lock
	Wait    time.Duration
	Waiting func(msg string)
}

// Lock checks that opt.Out may be written (see package publish: it is
// not one of the site's sources, and is empty, absent or whyopen's) and
// takes its lock, for a caller that builds into it again and again, as
// the development server does. The caller must release it.
func Lock(opt Options) (*publish.Lock, error) {
	return publish.Acquire(opt.Out, publish.Options{Sources: sources(opt.Src), Wait: opt.Wait, Waiting: opt.Waiting})
}

// sources are the directories of the site at src that a build reads.
func sources(src string) []string {
	return []string{filepath.Join(src, "content"), filepath.Join(src, "templates"), filepath.Join(src, "static")}
}

// Timing is how long one stage took.
type Timing struct {
	Stage    string
	Duration time.Duration
}

// Result summarises a build or a check.
type Result struct {
	Releases int
	Pages    int
	Files    int
	Bytes    int64
	Linked   int // files unchanged from an earlier output, so not written
	Kept     int // pages not rendered again, with a Session
	Problems []load.Problem
	Timings  []Timing
	Catalog  *classify.Catalog
	Stats    *aggregate.Stats
}

// ErrProblems is returned when the content has errors.
var ErrProblems = errors.New("content has errors")

// Errors counts the problems of severity Error.
func (r *Result) Errors() int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == load.Error {
			n++
		}
	}
	return n
}

// Warnings counts the problems of severity Warning.
func (r *Result) Warnings() int { return len(r.Problems) - r.Errors() }

type clock struct {
	res  *Result
	last time.Time
}

func (c *clock) lap(stage string) {
	now := time.Now()
	c.res.Timings = append(c.res.Timings, Timing{stage, now.Sub(c.last)})
	c.last = now
}

// Check loads, checks and classifies the content at opt.Src.
func Check(opt Options) (*Result, error) {
	res := &Result{}
	ck := &clock{res: res, last: time.Now()}
	var content *load.Content
	var probs []load.Problem
	copt := check.Options{Today: opt.Today}
	if opt.Session != nil {
		content, probs = opt.Session.load.Dir(opt.Src)
		copt.Memo = &opt.Session.check
	} else {
		content, probs = load.Dir(opt.Src)
	}
	ck.lap("load")
	if opt.BaseURL != "" {
		// The flag's problems are the flag's, not site.yaml's.
		if err := check.BaseURL(opt.BaseURL); err != nil {
			probs = append(probs, load.Problem{Pos: load.Pos{File: "-base-url"}, Msg: err.Error()})
		} else {
			content.Site.BaseURL = opt.BaseURL
		}
	}
	for _, p := range check.Check(content, copt) {
		if opt.BaseURL != "" && content.Site.BaseURL == opt.BaseURL && p.Pos.File == content.Site.File && p.Msg == `missing required field "base_url"` {
			continue // the flag gives it
		}
		probs = append(probs, p)
	}
	ck.lap("check")
	res.Releases = len(content.Releases)
	hasErrors := false
	for _, p := range probs {
		if p.Severity == load.Error {
			hasErrors = true
		}
	}
	if !hasErrors {
		if opt.Session != nil {
			res.Catalog = classify.ClassifyWith(content, &opt.Session.classify)
		} else {
			res.Catalog = classify.Classify(content)
		}
		ck.lap("classify")
		// An editor who overrides the signals should say why: an editorial
		// bucket that disagrees with inference and has no bucket_note is a
		// warning. Org defaults that disagree are shown on the site instead.
		for _, r := range res.Catalog.Releases {
			if r.Source == classify.Editorial && r.Disagrees() && r.BucketNote == "" {
				inferred := fmt.Sprintf("the inferred %q", r.Inferred)
				if r.Inferred == "" {
					inferred = "inference, which finds no clear bucket"
				}
				probs = append(probs, load.Problem{Pos: r.Pos("bucket"), Severity: load.Warning,
					Msg: fmt.Sprintf("editorial bucket %q disagrees with %s: add a bucket_note saying why", r.Bucket, inferred)})
			}
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return check.Less(probs[i], probs[j]) })
	res.Problems = probs
	if opt.Session == nil {
		// Nothing after this reports a position, and a build without a
		// session owns its content: let the collector have the releases'
		// field positions, once a fifth of what a build kept live.
		for _, r := range content.Releases {
			r.At = load.Positions{}
		}
	}
	if hasErrors {
		return res, ErrProblems
	}
	return res, nil
}

// Build builds the site at opt.Src into opt.Out.
func Build(opt Options) (*Result, error) {
	// What render and publish need besides the content (the theme, the
	// parsed templates, a staging tree checked against its manifest) does
	// not depend on it: prepare it while the content loads.
	ready := make(chan prepared, 1)
	go func() { ready <- prepare(opt) }()
	res, err := Check(opt)
	prep := <-ready
	if err == nil {
		err = prep.err
	}
	if err != nil {
		if prep.stage != nil {
			prep.stage.Abort()
		}
		return res, err
	}
	ck := &clock{res: res, last: time.Now()}
	res.Stats = aggregate.Aggregate(res.Catalog)
	ck.lap("aggregate")
	// Today decides which period is partial and which editions are
	// published: the output depends on the content and Today alone.
	figs := figure.Build(res.Catalog, res.Stats, figure.Options{Today: opt.Today, MinShareN: res.Catalog.Site.MinShareN})
	ck.lap("figure")
	rd, stage := prep.rd, prep.stage
	var inc render.Incremental
	if opt.Session != nil {
		inc = render.Incremental{Memo: &opt.Session.render, Keep: stage.Keep}
	}
	out, err := rd.RenderIncremental(res.Catalog, figs, stage.Write, inc)
	ck.lap("render")
	if err == nil {
		if err = stage.Commit(); err != nil {
			stage.Abort()
		}
	} else {
		stage.Abort()
	}
	if inc.Memo != nil && err != nil {
		inc.Memo.Forget()
	}
	if err != nil {
		return res, err
	}
	ck.lap("publish")
	res.Kept = out.Kept
	res.Pages = out.Pages
	res.Files, res.Bytes, res.Linked = stage.Stats()
	return res, nil
}

// prepared is what a build needs besides its content.
type prepared struct {
	rd    *render.Renderer
	stage *publish.Stage
	err   error
}

func prepare(opt Options) prepared {
	templates, static, err := load.Theme(opt.Src, opt.Theme)
	if err != nil {
		return prepared{err: err}
	}
	// The content schemas are published with the static files, at
	// /schema/<kind>.json, for the editors of contributors.
	for _, kind := range check.SchemaKinds() {
		s, err := check.Schema(kind)
		if err != nil {
			return prepared{err: err}
		}
		static = append(static, load.File{Path: "schema/" + kind + ".json", Data: s})
	}
	rd, err := opt.Session.renderer(render.Options{Templates: templates, Static: static, LiveReload: opt.LiveReload})
	if err != nil {
		return prepared{err: err}
	}
	popt := publish.Options{Sources: sources(opt.Src), Lock: opt.Lock, Wait: opt.Wait, Waiting: opt.Waiting}
	if opt.Session != nil {
		popt.Cache = &opt.Session.publish
	}
	stage, err := publish.BeginWith(opt.Out, popt)
	return prepared{rd: rd, stage: stage, err: err}
}

// Summary is the one-line summary the commands print.
func (r *Result) Summary(verb string, d time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", verb, figure.Plural(r.Releases, "release"))
	if r.Pages > 0 {
		fmt.Fprintf(&b, ", %s, %s", figure.Plural(r.Pages, "page"), figure.Plural(r.Files, "file"))
	}
	if e := r.Errors(); e > 0 {
		fmt.Fprintf(&b, ", %s", figure.Plural(e, "error"))
	}
	if w := r.Warnings(); w > 0 {
		fmt.Fprintf(&b, ", %s", figure.Plural(w, "warning"))
	}
	fmt.Fprintf(&b, " in %s", d.Round(time.Millisecond))
	return b.String()
}
