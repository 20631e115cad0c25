// Command whyopen builds the "why open" report site from a content tree.
//
//	whyopen build [-src DIR] [-out DIR] [-base-url URL]
//	whyopen check [-src DIR] [-format text|github|json] [-strict]
//	whyopen serve [-src DIR] [-addr 127.0.0.1:8080]
//	whyopen bench [-n N]... [-keep DIR] [-runs R]
//	whyopen floor [-src DIR] [-out DIR]
//	whyopen new release "<Title>" -org ID [-slug SLUG] [-src DIR]
//	whyopen new org ID [-src DIR]
//	whyopen new report [PERIOD] [-src DIR]
//	whyopen import hf OWNER/NAME [-org ID] [-title T] [-slug SLUG] [-src DIR]
//	whyopen import hf README.md -org ID [-repo OWNER/NAME] [-title T] [-slug SLUG] [-src DIR]
//	whyopen import csv FILE [-src DIR]
//	whyopen track [-since DATE] [-org IDS] [-write] [-src DIR]
//	whyopen diff -base DIR [-src DIR]
//	whyopen schema [-out DIR] [KIND]
//	whyopen links [-src DIR] [-cache FILE] [-max-age D] [-per-host N] [-delay D] [-v]
//
// import hf OWNER/NAME and track read the Hugging Face Hub at HF_ENDPOINT
// (default https://huggingface.co), with HF_TOKEN for gated repositories.
//
// Exit status is 0 on success, 1 when the content has errors (or, with
// -strict, warnings), when the output directory is refused, or, for
// links, when a cited page is gone; and 2 for a usage error, such as a
// -base-url that is not an http(s) URL ending in "/".
//
// The clock is read here and nowhere else: today's date dates new entries
// and finds release dates in the future. The environment variable
// WHYOPEN_TODAY=YYYY-MM-DD sets it instead, for tests and for reproducing
// a past run.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/whyopen/whyopen"
	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/check"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/serve"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: whyopen <command> [flags]

commands:
  build   build the site into public/
  check   validate the content without building
  serve   build, serve on loopback, and rebuild on change
  bench   build synthetic sites of N releases and time them
  floor   build the plain site that bench compares whyopen with
  new     start a new entry: new release "<Title>" -org ID, new org ID,
          or draft the next edition from the data: new report [PERIOD]
  import  write release entries: from the Hub, import hf OWNER/NAME; from a
          model card, import hf README.md -org ID; from a catalogue in the
          columns of releases.csv, import csv FILE
  track   list what the orgs followed published on the Hub that no release cites
  diff    compare the content with a base tree, as Markdown for review
  schema  write the JSON Schema of each kind of content file
  links   ask whether every page the content cites is still there

Run 'whyopen <command> -h' for a command's flags.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if _, err := todayEnv(); err != nil {
		fmt.Fprintf(stderr, "whyopen: %v\n", err)
		return 2
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(args, stdout, stderr)
	case "bench":
		return cmdBench(args, stdout, stderr)
	case "floor":
		return cmdFloor(args, stdout, stderr)
	case "check":
		return cmdCheck(args, stdout, stderr)
	case "serve":
		return cmdServe(args, stdout, stderr)
	case "new":
		return cmdNew(args, stdout, stderr)
	case "import":
		return cmdImport(args, stdout, stderr)
	case "diff":
		return cmdDiff(args, stdout, stderr)
	case "track":
		return cmdTrack(args, stdout, stderr)
	case "schema":
		return cmdSchema(args, stdout, stderr)
	case "links":
		return cmdLinks(args, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "whyopen: unknown command %q\n\n%s", cmd, usage)
	return 2
}

func today() load.Date {
	if d, err := todayEnv(); err == nil && !d.IsZero() {
		return d
	}
	t := time.Now().UTC()
	return load.NewDate(t.Year(), t.Month(), t.Day())
}

// todayEnv returns the date WHYOPEN_TODAY sets, or the zero Date.
func todayEnv() (load.Date, error) {
	v := os.Getenv("WHYOPEN_TODAY")
	if v == "" {
		return load.Date{}, nil
	}
	d, err := load.ParseDate(v)
	if err != nil {
		return load.Date{}, fmt.Errorf("WHYOPEN_TODAY: %v", err)
	}
	return d, nil
}

// startCPUProfile profiles the process into path until the returned
// function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// startHeapProfile creates path now, so that a bad path fails before the
// build, and returns a function that writes the allocations made since
// the process started into it.
func startHeapProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return func() error {
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("whyopen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func cmdBuild(args []string, stdout, stderr io.Writer) int {
	fs := flags("build", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	out := fs.String("out", "public", "the output directory")
	baseURL := fs.String("base-url", "", "override site.yaml's base_url")
	stats := fs.String("stats", "", "also write counts and stage timings as JSON to this file")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to this file, for go tool pprof")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the build to this file, for go tool pprof")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	if *baseURL != "" {
		if err := check.BaseURL(*baseURL); err != nil {
			fmt.Fprintf(stderr, "whyopen build: -base-url: %v\n", err)
			return 2
		}
	}
	limitMemory()
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "whyopen: %v\n", err)
			return 1
		}
		defer stop()
	}
	if *memProfile != "" {
		write, err := startHeapProfile(*memProfile)
		if err != nil {
			fmt.Fprintf(stderr, "whyopen: %v\n", err)
			return 1
		}
		defer func() {
			if err := write(); err != nil {
				fmt.Fprintf(stderr, "whyopen: %v\n", err)
			}
		}()
	}
	start := time.Now()
	res, err := build.Build(build.Options{Src: *src, Out: *out, BaseURL: *baseURL, Today: today(), Theme: whyopen.Theme,
		Wait: lockWait, Waiting: func(msg string) { fmt.Fprintf(stderr, "whyopen: %s\n", msg) }})
	printProblems(stderr, res.Problems)
	if err != nil {
		if !errors.Is(err, build.ErrProblems) {
			fmt.Fprintf(stderr, "whyopen: %s\n", load.Printable(err.Error()))
		}
		fmt.Fprintln(stderr, res.Summary("build failed", time.Since(start))+"; "+*out+" left as it was")
		return 1
	}
	fmt.Fprintln(stdout, res.Summary("built "+*out, time.Since(start)))
	if *stats != "" {
		if err := writeStats(*stats, res); err != nil {
			fmt.Fprintf(stderr, "whyopen: %v\n", err)
			return 1
		}
	}
	return 0
}

// lockWait is how long a build waits for another build of the same
// output directory, or a server writing it, before it gives up.
const lockWait = 2 * time.Minute

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flags("check", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	format := fs.String("format", "text", "output format: text, github or json")
	strict := fs.Bool("strict", false, "fail on warnings as well as errors")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	start := time.Now()
	res, err := build.Check(build.Options{Src: *src, Today: today()})
	failed := err != nil || (*strict && res.Warnings() > 0)
	switch *format {
	case "text":
		printProblems(stdout, res.Problems)
		verb := "check passed"
		if failed {
			verb = "check failed"
		}
		fmt.Fprintln(stdout, res.Summary(verb, time.Since(start)))
	case "github":
		for _, p := range res.Problems {
			level := "error"
			if p.Severity == load.Warning {
				level = "warning"
			}
			at := ""
			if p.Pos.Line > 0 { // a problem with the whole file has no line
				at = fmt.Sprintf(",line=%d,col=%d", p.Pos.Line, p.Pos.Col)
			}
			fmt.Fprintf(stdout, "::%s file=%s%s::%s\n", level, ghEscape(p.Pos.File, true), at, ghEscape(p.Msg, false))
		}
	case "json":
		type jp struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Col      int    `json:"col"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := struct {
			OK       bool `json:"ok"`
			Releases int  `json:"releases"`
			Problems []jp `json:"problems"`
		}{OK: !failed, Releases: res.Releases, Problems: []jp{}}
		for _, p := range res.Problems {
			out.Problems = append(out.Problems, jp{p.Pos.File, p.Pos.Line, p.Pos.Col, p.Severity.String(), p.Msg})
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(b))
	default:
		fmt.Fprintf(stderr, "whyopen check: unknown format %q: use text, github or json\n", *format)
		return 2
	}
	if failed {
		return 1
	}
	return 0
}

// ghEscape escapes a value for a GitHub Actions workflow command: '%',
// CR and LF (and, in a property, ':' and ',') as GitHub decodes them, and
// the other control characters as load.Printable writes them, since
// GitHub has no escape for them.
func ghEscape(s string, property bool) string {
	r := []rune{}
	for _, c := range s {
		switch {
		case c == '%':
			r = append(r, []rune("%25")...)
		case c == '\r':
			r = append(r, []rune("%0D")...)
		case c == '\n':
			r = append(r, []rune("%0A")...)
		case property && c == ':':
			r = append(r, []rune("%3A")...)
		case property && c == ',':
			r = append(r, []rune("%2C")...)
		default:
			r = append(r, c)
		}
	}
	return load.Printable(string(r))
}

func printProblems(w io.Writer, probs []load.Problem) {
	for _, p := range probs {
		fmt.Fprintln(w, p)
	}
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := flags("serve", stderr)
	src := fs.String("src", ".", "the site's root, holding content/")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	out := fs.String("out", "", "output directory (default: a temporary directory)")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return 2
	}
	// SIGINT or SIGTERM stops the server cleanly; a second one kills it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	err := serve.Run(serve.Options{Src: *src, Addr: *addr, Out: *out, Theme: whyopen.Theme, Log: stderr, Today: today, Context: ctx})
	if err != nil {
		fmt.Fprintf(stderr, "whyopen serve: %v\n", err)
		return 1
	}
	return 0
}
