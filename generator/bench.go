package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/whyopen/whyopen"
	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/serve"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

// buildStats is what `whyopen build -stats FILE` writes, for the benchmark.
type buildStats struct {
	Releases int              `json:"releases"`
	Pages    int              `json:"pages"`
	Files    int              `json:"files"`
	Bytes    int64            `json:"bytes"`
	Linked   int              `json:"linked"`
	Stages   map[string]int64 `json:"stages_ns"`
	Order    []string         `json:"stages"`
}

func writeStats(path string, res *build.Result) error {
	st := buildStats{Releases: res.Releases, Pages: res.Pages, Files: res.Files, Bytes: res.Bytes, Linked: res.Linked, Stages: map[string]int64{}}
	for _, t := range res.Timings {
		if _, ok := st.Stages[t.Stage]; !ok {
			st.Order = append(st.Order, t.Stage)
		}
		st.Stages[t.Stage] += t.Duration.Nanoseconds()
	}
	b, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

type sizes []int

func (s *sizes) String() string { return fmt.Sprint(*s) }

func (s *sizes) Set(v string) error {
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	if err != nil || n < 1 {
		return fmt.Errorf("want a positive number of releases, got %q", v)
	}
	*s = append(*s, n)
	return nil
}

// benchRun is one measured build.
type benchRun struct {
	wall, cpu time.Duration
	rss       int64 // peak resident set, bytes
	stats     buildStats
}

func cmdBench(args []string, stdout, stderr io.Writer) int {
	fs := flags("bench", stderr)
	var ns sizes
	fs.Var(&ns, "n", "number of releases (repeat for several sizes)")
	keep := fs.String("keep", "", "leave the corpus (and its public/) in this directory; with several -n, in DIR/<n>")
	runs := fs.Int("runs", 3, "builds per size and kind; the table shows medians")
	src := fs.String("src", ".", "the site whose content/buckets and content/licenses the corpus uses")
	seed := fs.Uint64("seed", 1, "corpus seed")
	if fs.Parse(args) != nil || fs.NArg() > 0 || *runs < 1 {
		return 2
	}
	if len(ns) == 0 {
		ns = sizes{1000, 10000, 50000}
	}
	self, err := exec.LookPath(os.Args[0]) // the command as run, for tests that run it from $PATH
	if err != nil {
		if self, err = os.Executable(); err != nil {
			fmt.Fprintf(stderr, "whyopen bench: %v\n", err)
			return 1
		}
	}
	// The corpus directories are checked before anything is written:
	// bench replaces their content/ and public/.
	if *keep != "" {
		for _, n := range ns {
			dir := *keep
			if len(ns) > 1 {
				dir = filepath.Join(dir, strconv.Itoa(n))
			}
			if err := corpusDir(dir); err != nil {
				fmt.Fprintf(stderr, "whyopen bench: %v\n", err)
				return 1
			}
		}
	}
	type row struct {
		n                    int
		cold, warm           benchRun
		edit                 editRun
		floorCold, floorWarm benchRun
	}
	var rows []row
	for _, n := range ns {
		dir := *keep
		if dir == "" {
			tmp, err := os.MkdirTemp("", "whyopen-bench-")
			if err != nil {
				fmt.Fprintf(stderr, "whyopen bench: %v\n", err)
				return 1
			}
			defer os.RemoveAll(tmp)
			dir = tmp
		} else if len(ns) > 1 {
			dir = filepath.Join(dir, strconv.Itoa(n))
		}
		fmt.Fprintf(stderr, "whyopen bench: generating %d releases in %s\n", n, dir)
		if err := markCorpus(dir); err != nil {
			fmt.Fprintf(stderr, "whyopen bench: %v\n", err)
			return 1
		}
		if err := writeCorpus(*src, dir, n, *seed); err != nil {
			fmt.Fprintf(stderr, "whyopen bench: %v\n", err)
			return 1
		}
		out := filepath.Join(dir, "public")
		floorOut := filepath.Join(dir, "public-floor")
		// Each whyopen build is followed by the floor's, so that the two
		// see the machine at the same speed.
		var cold, warm, floorCold, floorWarm []benchRun
		for i := 0; i < *runs; i++ {
			os.RemoveAll(out)
			os.RemoveAll(filepath.Join(dir, ".public.whyopen")) // publish's earlier trees
			syncDisks()
			r, err := measure(self, "build", dir, out)
			if err != nil {
				fmt.Fprintf(stderr, "whyopen bench: %d releases: %v\n", n, err)
				return 1
			}
			cold = append(cold, r)
			os.RemoveAll(floorOut)
			syncDisks()
			if r, err = measure(self, "floor", dir, floorOut); err != nil {
				fmt.Fprintf(stderr, "whyopen bench: %d releases: the floor: %v\n", n, err)
				return 1
			}
			floorCold = append(floorCold, r)
		}
		for i := 0; i < *runs; i++ {
			r, err := measure(self, "build", dir, out)
			if err != nil {
				fmt.Fprintf(stderr, "whyopen bench: %d releases: %v\n", n, err)
				return 1
			}
			warm = append(warm, r)
			if r, err = measure(self, "floor", dir, floorOut); err != nil {
				fmt.Fprintf(stderr, "whyopen bench: %d releases: the floor: %v\n", n, err)
				return 1
			}
			floorWarm = append(floorWarm, r)
		}
		os.RemoveAll(floorOut)
		edit, err := measureEdits(dir, 2**runs+1)
		if err == nil {
			edit.reload, err = measureReloads(dir, 2**runs+1)
		}
		if err != nil {
			fmt.Fprintf(stderr, "whyopen bench: %d releases: %v\n", n, err)
			return 1
		}
		rows = append(rows, row{n, median(cold), median(warm), edit, median(floorCold), median(floorWarm)})
		fmt.Fprintf(stderr, "whyopen bench: %d releases: cold %s, warm %s, edit %s\n", n, rows[len(rows)-1].cold.wall.Round(time.Millisecond),
			rows[len(rows)-1].warm.wall.Round(time.Millisecond), edit.wall.Round(time.Millisecond))
	}

	fmt.Fprintf(stdout, "whyopen bench: %s/%s, %d CPUs, %s; median of %d builds each\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), *runs)
	fmt.Fprintln(stdout, "cold: into an empty output directory; warm: again, with the previous output in place")
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "releases\tbuild\twall\tCPU\tpeak RSS\tpages\tfiles\tMB out\tlinked\treleases/s\t")
	for _, r := range rows {
		for _, k := range []struct {
			name string
			r    benchRun
		}{{"cold", r.cold}, {"warm", r.warm}} {
			s := k.r.stats
			fmt.Fprintf(tw, "%d\t%s\t%.2fs\t%.2fs\t%d MB\t%d\t%d\t%.1f\t%d\t%.0f\t\n", r.n, k.name,
				k.r.wall.Seconds(), k.r.cpu.Seconds(), k.r.rss>>20, s.Pages, s.Files, float64(s.Bytes)/1e6, s.Linked,
				float64(r.n)/k.r.wall.Seconds())
		}
	}
	tw.Flush()
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "stage times in ms (median):")
	stages := rows[0].cold.stats.Order
	tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "releases\tbuild\t%s\t\n", strings.Join(stages, "\t"))
	for _, r := range rows {
		for _, k := range []struct {
			name string
			r    benchRun
		}{{"cold", r.cold}, {"warm", r.warm}} {
			fmt.Fprintf(tw, "%d\t%s", r.n, k.name)
			for _, st := range stages {
				fmt.Fprintf(tw, "\t%d", k.r.stats.Stages[st]/1e6)
			}
			fmt.Fprintln(tw, "\t")
		}
	}
	tw.Flush()
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "edit: the development server after a change to one release (median): the rebuild,")
	fmt.Fprintln(stdout, "and the time from the save to the reload message in the browser's event stream")
	tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "releases\trebuild\tsave to reload\tpages rendered\tfiles written\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%dms\t%dms\t%d of %d\t%d\t\n", r.n, r.edit.wall.Milliseconds(), r.edit.reload.Milliseconds(), r.edit.rendered, r.edit.pages, r.edit.written)
	}
	tw.Flush()
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "floor: the plain program of issue #7, run after each build above (whyopen floor):")
	fmt.Fprintln(stdout, "frontmatter and goldmark, one page per release, bucket, license and org, unchanged files skipped")
	tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "releases\tbuild\twall\tCPU\tpeak RSS\tpages\tunchanged\twhyopen/floor\t")
	for _, r := range rows {
		for _, k := range []struct {
			name       string
			r, whyopen benchRun
		}{{"cold", r.floorCold, r.cold}, {"warm", r.floorWarm, r.warm}} {
			fmt.Fprintf(tw, "%d\t%s\t%.2fs\t%.2fs\t%d MB\t%d\t%d\t%.2f×\t\n", r.n, k.name, k.r.wall.Seconds(), k.r.cpu.Seconds(), k.r.rss>>20,
				k.r.stats.Pages, k.r.stats.Linked, k.whyopen.wall.Seconds()/k.r.wall.Seconds())
		}
	}
	tw.Flush()
	if len(rows) > 1 {
		fmt.Fprintln(stdout)
	}
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		fmt.Fprintf(stdout, "%d→%d releases (%.1f×): time %.2f× cold, %.2f× warm; CPU %.2f× warm; peak RSS %.2f×\n", a.n, b.n, float64(b.n)/float64(a.n),
			b.cold.wall.Seconds()/a.cold.wall.Seconds(), b.warm.wall.Seconds()/a.warm.wall.Seconds(), b.warm.cpu.Seconds()/a.warm.cpu.Seconds(), float64(b.warm.rss)/float64(a.warm.rss))
	}
	return 0
}

// measureReloads runs the development server on dir's site, as a reader
// with the page open would, and times each save of a release until the
// server tells the page to reload: the watcher, the rebuild and the
// message. It returns the median.
func measureReloads(dir string, edits int) (time.Duration, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	rebuilt := make(chan error, 16)
	done := make(chan error, 1)
	out := filepath.Join(dir, "public-serve")
	go func() {
		done <- serve.Run(serve.Options{Src: dir, Addr: "127.0.0.1:0", Out: out, Theme: whyopen.Theme, Log: io.Discard,
			Today: today, Ready: ready, Rebuilt: rebuilt, Context: ctx})
	}()
	// Saved files are restored once the server is stopped: a restore it
	// saw would start a rebuild that outlives the benchmark.
	restore := map[string][]byte{}
	defer func() {
		cancel()
		<-done
		for f, data := range restore {
			os.WriteFile(f, data, 0o644)
		}
		os.RemoveAll(out)
		os.RemoveAll(filepath.Join(dir, ".public-serve.whyopen"))
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		return 0, err
	}
	resp, err := http.Get("http://" + addr + "/__whyopen/events")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	msgs := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if m, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				msgs <- m
			}
		}
		close(msgs)
	}()
	files, _ := filepath.Glob(filepath.Join(dir, "content", "releases", "*", "*.md"))
	if len(files) == 0 {
		return 0, errors.New("no releases to edit")
	}
	sort.Strings(files)
	var times []time.Duration
	for i := range edits + 1 { // the first rebuild reads the whole tree
		f := files[(i*7919+13)%len(files)]
		data, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		if _, ok := restore[f]; !ok {
			restore[f] = data
		}
		start := time.Now()
		if err := os.WriteFile(f, append(data, fmt.Sprintf("\nSaved for the benchmark, %d.\n", i)...), 0o644); err != nil {
			return 0, err
		}
		for m := ""; m != "reload"; {
			select {
			case m = <-msgs:
				if strings.HasPrefix(m, "error") {
					return 0, fmt.Errorf("the server failed to rebuild: %s", m)
				}
			case <-time.After(time.Minute):
				return 0, errors.New("no reload from the server")
			}
		}
		if i > 0 {
			times = append(times, time.Since(start))
		}
		// Let the rebuild finish before the next save: the server sends
		// the message when it is done, then reports on rebuilt.
		<-rebuilt
		time.Sleep(20 * time.Millisecond)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2], nil
}

// corpusMarker, in a directory, says that bench made it, and may replace
// the corpus and outputs in it.
const corpusMarker = ".whyopen-bench"

// corpusDir returns nil if bench may write a corpus into dir: it is
// absent, empty, or a corpus bench made. Anything else, such as a site
// whose content/ the corpus would replace, is refused.
func corpusDir(dir string) error {
	return mayWrite(dir, corpusMarker, "-keep %s: refusing to write the corpus there: it is not empty, and bench did not make it, "+
		"so its content/ and public/ would be replaced; choose an empty or new directory")
}

// markCorpus makes dir, if need be, and marks it as a corpus.
func markCorpus(dir string) error {
	return markDir(dir, corpusMarker, "A corpus of whyopen bench, which replaces what is here on every run.\n")
}

// mayWrite returns nil if dir is absent, empty, or holds the file marker;
// otherwise an error made of refusal and dir.
func mayWrite(dir, marker, refusal string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return nil
	}
	if fi, err := os.Lstat(filepath.Join(dir, marker)); err == nil && fi.Mode().IsRegular() {
		return nil
	}
	return fmt.Errorf(refusal, dir)
}

// markDir makes dir, if need be, and writes the file marker into it.
func markDir(dir, marker, text string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, marker), []byte(text), 0o644)
}

// writeCorpus writes a synthetic site of n releases into dir, with the
// buckets and licenses of the site at src.
func writeCorpus(src, dir string, n int, seed uint64) error {
	if err := os.RemoveAll(filepath.Join(dir, "content")); err != nil {
		return err
	}
	var files []synth.File
	ids := map[string][]string{}
	for _, kind := range []string{"buckets", "licenses"} {
		paths, _ := filepath.Glob(filepath.Join(src, "content", kind, "*.md"))
		if len(paths) == 0 {
			return fmt.Errorf("no %s in %s: run bench in a whyopen site, or pass -src", kind, filepath.Join(src, "content", kind))
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			name := filepath.Base(p)
			ids[kind] = append(ids[kind], strings.TrimSuffix(name, ".md"))
			files = append(files, synth.File{Path: "content/" + kind + "/" + name, Data: data})
		}
	}
	files = append(files, synth.Generate(synth.Options{Releases: n, Licenses: ids["licenses"], Buckets: ids["buckets"], Seed: seed})...)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		dirs     sync.Map
	)
	next := make(chan synth.File)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				p := filepath.Join(dir, filepath.FromSlash(f.Path))
				d := filepath.Dir(p)
				var err error
				if _, ok := dirs.Load(d); !ok {
					err = os.MkdirAll(d, 0o755)
					dirs.Store(d, true)
				}
				if err == nil {
					err = os.WriteFile(p, f.Data, 0o644)
				}
				if err != nil {
					mu.Lock()
					firstErr = cmp(firstErr, err)
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return firstErr
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// measure runs `whyopen build`, or `whyopen floor`, on dir in a child
// process, so that its peak RSS and CPU time are the build's alone.
func measure(self, command, dir, out string) (benchRun, error) {
	stats := filepath.Join(dir, ".bench-stats.json")
	os.Remove(stats)
	cmd := exec.Command(self, command, "-src", dir, "-out", out, "-stats", stats)
	var errb strings.Builder
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return benchRun{}, fmt.Errorf("%v\n%s", err, errb.String())
	}
	var r benchRun
	r.wall = wall
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r.rss = maxRSS(cmd.ProcessState)
	data, err := os.ReadFile(stats)
	if err != nil {
		return benchRun{}, err
	}
	if err := json.Unmarshal(data, &r.stats); err != nil {
		return benchRun{}, errors.New("bad stats file: " + err.Error())
	}
	return r, nil
}

// median returns the run with the median wall time; its peak RSS and CPU
// time are replaced by their own medians.
func median(rs []benchRun) benchRun {
	sorted := func(less func(a, b benchRun) bool) benchRun {
		c := append([]benchRun(nil), rs...)
		sort.Slice(c, func(i, j int) bool { return less(c[i], c[j]) })
		return c[len(c)/2]
	}
	m := sorted(func(a, b benchRun) bool { return a.wall < b.wall })
	m.cpu = sorted(func(a, b benchRun) bool { return a.cpu < b.cpu }).cpu
	m.rss = sorted(func(a, b benchRun) bool { return a.rss < b.rss }).rss
	stages := map[string]int64{}
	for st := range m.stats.Stages {
		stages[st] = sorted(func(a, b benchRun) bool { return a.stats.Stages[st] < b.stats.Stages[st] }).stats.Stages[st]
	}
	m.stats.Stages = stages
	return m
}

// editRun is the median rebuild after editing one release.
type editRun struct {
	wall                     time.Duration
	pages, rendered, written int
	reload                   time.Duration // from the save to the server's reload message
}

// measureEdits builds dir's site with a watched build.Session, as the
// development server does, then appends a sentence to one release at a
// time, tells the session which, and times each rebuild.
func measureEdits(dir string, edits int) (editRun, error) {
	var sess build.Session
	out := filepath.Join(dir, "public-serve")
	opt := build.Options{Src: dir, Out: out, Theme: whyopen.Theme, Today: today(), LiveReload: true, BaseURL: "http://127.0.0.1:8080/", Session: &sess}
	for range 2 { // the first builds, the second fills publish's spare tree
		if _, err := build.Build(opt); err != nil {
			return editRun{}, err
		}
	}
	// As the server does: its watcher names each file that changed.
	sess.Watch()
	if _, err := build.Build(opt); err != nil {
		return editRun{}, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "releases", "*", "*.md"))
	if len(files) == 0 {
		return editRun{}, errors.New("no releases to edit")
	}
	sort.Strings(files)
	var runs []editRun
	for i := range edits {
		f := files[(i*7919)%len(files)]
		data, err := os.ReadFile(f)
		if err != nil {
			return editRun{}, err
		}
		if err := os.WriteFile(f, append(data, fmt.Sprintf("\nEdited for the benchmark, %d.\n", i)...), 0o644); err != nil {
			return editRun{}, err
		}
		start := time.Now()
		rel, _ := filepath.Rel(dir, f)
		sess.Changed(rel)
		res, err := build.Build(opt)
		if err != nil {
			return editRun{}, err
		}
		e := editRun{wall: time.Since(start), pages: res.Pages, rendered: res.Pages - res.Kept}
		e.written = res.Files - res.Linked
		runs = append(runs, e)
		defer os.WriteFile(f, data, 0o644)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].wall < runs[j].wall })
	os.RemoveAll(out)
	os.RemoveAll(filepath.Join(dir, ".public-serve.whyopen"))
	return runs[len(runs)/2], nil
}
