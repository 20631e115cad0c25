// Package serve is the development server: it builds the site, serves it
// on a loopback address, watches content/, templates/ and static/, rebuilds
// on every change and tells open pages to reload.
//
// Rebuilds are incremental (see build.Session): the server keeps what the
// last build parsed, checked and rendered, so after a save it parses only
// the changed files and renders only the pages that depend on them, and the
// output is the same as a full build's. On Linux it learns of changes
// through inotify, at once; elsewhere it polls every Options.Poll. A burst
// of changes (an editor's save, a checkout) is one rebuild once the files
// have been quiet for Options.Settle.
//
// A change that breaks the content does not stop the server: it keeps
// serving the last good site, and open pages show the problems, with
// file:line:col, in an overlay until the next good build.
//
// The server holds its output directory's lock (build.Lock) for as long
// as it runs, so nothing else writes it meanwhile, and it refuses an
// output directory that whyopen may not write, as a build does.
//
// The server serves only the built output directory. Requests for paths
// outside it, with ".." segments or backslashes, are refused.
package serve

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/publish"
)

// Options configures the server.
type Options struct {
	Src   string
	Addr  string
	Out   string // empty: a temporary directory
	Theme fs.FS
	Log   io.Writer
	Today func() load.Date
	// Poll is how often the sources are scanned for changes where they
	// cannot be watched.
	Poll time.Duration
	// Settle is how long the sources must be quiet after a change before
	// the rebuild starts; 10ms when zero.
	Settle time.Duration
	// Rebuilt, if set, receives the result of every rebuild after the
	// first: nil, or the error the overlay shows.
	Rebuilt chan<- error
	// Ready, if set, receives the listening address once serving.
	Ready chan<- string
	// Context stops the server when done; nil means never.
	Context context.Context
}

// Server is a running development server.
type Server struct {
	opt     Options
	out     string
	sess    build.Session // what the last build learned, for the next
	lock    *publish.Lock // on out, for as long as the server runs
	mu      sync.Mutex
	version int
	errText string
	subs    map[chan string]bool
}

// Run builds, serves and watches until the context ends.
func Run(opt Options) error {
	if opt.Poll == 0 {
		opt.Poll = 200 * time.Millisecond
	}
	if opt.Settle == 0 {
		opt.Settle = 10 * time.Millisecond
	}
	if opt.Context == nil {
		opt.Context = context.Background()
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	host, _, err := net.SplitHostPort(opt.Addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(opt.Log, "whyopen serve: warning: %s is not a loopback address; the site is reachable from other machines\n", host)
	}
	out := opt.Out
	if out == "" {
		tmp, err := os.MkdirTemp("", "whyopen-serve-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		out = filepath.Join(tmp, "public")
	}
	// Hold the output for as long as the server runs: the session trusts
	// that nothing else writes it.
	lock, err := build.Lock(build.Options{Src: opt.Src, Out: out})
	if err != nil {
		return err
	}
	defer lock.Release()
	ln, err := net.Listen("tcp", opt.Addr)
	if err != nil {
		return err
	}
	s := &Server{opt: opt, out: out, lock: lock, subs: map[chan string]bool{}}
	// Watch before the first build, so that a save made while it runs,
	// or just after the address is printed, is never missed.
	w := s.startWatching()
	s.rebuild("http://" + ln.Addr().String() + "/")
	if w.named {
		// The watcher names what changed, so a rebuild need not look at
		// every file.
		s.sess.Watch()
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-opt.Context.Done()
		srv.Close()
	}()
	go s.watch("http://"+ln.Addr().String()+"/", w)
	fmt.Fprintf(opt.Log, "serving http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	if opt.Ready != nil {
		opt.Ready <- ln.Addr().String()
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// rebuild builds the site again and tells open pages: reload, or show the
// problems. It returns the problems as an error, or nil.
func (s *Server) rebuild(baseURL string) error {
	start := time.Now()
	today := load.Date{}
	if s.opt.Today != nil {
		today = s.opt.Today()
	}
	res, err := build.Build(build.Options{Src: s.opt.Src, Out: s.out, BaseURL: baseURL, Theme: s.opt.Theme, LiveReload: true, Today: today, Session: &s.sess, Lock: s.lock})
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		var b strings.Builder
		for _, p := range res.Problems {
			if p.Severity == load.Error {
				fmt.Fprintln(&b, p)
			}
		}
		if !errors.Is(err, build.ErrProblems) {
			fmt.Fprintln(&b, err)
		}
		s.errText = b.String()
		fmt.Fprint(s.opt.Log, s.errText)
		fmt.Fprintln(s.opt.Log, res.Summary("build failed", time.Since(start))+"; still serving the last good site")
		s.broadcast("error\n" + s.errText)
		return errors.New(s.errText)
	}
	s.errText = ""
	s.version++
	fmt.Fprintln(s.opt.Log, res.Summary("rebuilt", time.Since(start)))
	s.broadcast("reload")
	return nil
}

func (s *Server) broadcast(msg string) {
	for ch := range s.subs {
		select {
		case ch <- msg:
		default:
		}
	}
}

// fingerprint summarises the names, sizes and times of every source file.
func (s *Server) fingerprint() string {
	h := sha256.New()
	for _, dir := range []string{"content", "templates", "static"} {
		filepath.WalkDir(filepath.Join(s.opt.Src, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if info, err := d.Info(); err == nil {
				fmt.Fprintf(h, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return string(h.Sum(nil))
}

// watching is a watch on the sources.
type watching struct {
	changed chan struct{} // something changed
	stop    chan struct{} // closed to stop watching
	seen    *changes
	named   bool // seen names the changes: the watch is not polling
}

func (s *Server) startWatching() *watching {
	w := &watching{changed: make(chan struct{}, 1), stop: make(chan struct{}), seen: &changes{}}
	var roots []string
	for _, dir := range []string{"content", "templates", "static"} {
		roots = append(roots, filepath.Join(s.opt.Src, dir))
	}
	w.named = watchTrees(filepath.Clean(s.opt.Src), roots, w.seen, w.changed, w.stop)
	if !w.named {
		go s.poll(w.changed, w.stop)
	}
	return w
}

// watch rebuilds after each burst of changes, until the server stops.
func (s *Server) watch(baseURL string, w *watching) {
	defer close(w.stop)
	changed, seen := w.changed, w.seen
	for {
		select {
		case <-s.opt.Context.Done():
			return
		case <-changed:
		}
		// Let the burst of events one save makes settle.
		for quiet := false; !quiet; {
			select {
			case <-changed:
			case <-time.After(s.opt.Settle):
				quiet = true
			}
		}
		if paths, all := seen.take(); all {
			s.sess.Rescan()
		} else {
			for _, p := range paths {
				if rel, err := filepath.Rel(s.opt.Src, p); err == nil {
					s.sess.Changed(rel)
				}
			}
		}
		err := s.rebuild(baseURL)
		if s.opt.Rebuilt != nil {
			s.opt.Rebuilt <- err
		}
	}
}

// changes collects the paths a watcher saw change between two builds.
type changes struct {
	mu    sync.Mutex
	paths map[string]bool
	all   bool // some change could not be named
}

func (c *changes) add(p string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.paths == nil {
		c.paths = map[string]bool{}
	}
	c.paths[p] = true
}

func (c *changes) rescan() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = true
}

// take returns the paths seen since the last take, sorted, or all: the
// changes could not all be named.
func (c *changes) take() (paths []string, all bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for p := range c.paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	all = c.all
	c.paths, c.all = nil, false
	return paths, all
}

// poll reports a change whenever the fingerprint of the sources changes.
func (s *Server) poll(changed chan<- struct{}, stop <-chan struct{}) {
	last := s.fingerprint()
	t := time.NewTicker(s.opt.Poll)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if fp := s.fingerprint(); fp != last {
			last = fp
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	}
}

const liveJS = `(function () {
  "use strict";
  var es = new EventSource("/__whyopen/events");
  function overlay(text) {
    var o = document.getElementById("whyopen-overlay");
    if (!o) {
      o = document.createElement("pre");
      o.id = "whyopen-overlay";
      o.setAttribute("role", "alert");
      o.className = "whyopen-overlay";
      document.body.appendChild(o);
    }
    o.textContent = "whyopen: the last change broke the build; still showing the last good site.\n\n" + text;
  }
  es.onmessage = function (e) {
    if (e.data === "reload") { location.reload(); return; }
    if (e.data.indexOf("error\n") === 0) { overlay(e.data.slice(6)); }
  };
})();
`

// ServeHTTP serves the built site, the reload script and its event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/__whyopen/live.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, liveJS)
		return
	case "/__whyopen/events":
		s.events(w, r)
		return
	}
	p := r.URL.Path
	if strings.Contains(p, "\\") || strings.Contains(p, "\x00") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
	}
	clean := path.Clean("/" + p)
	file := filepath.Join(s.out, filepath.FromSlash(clean))
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		if !strings.HasSuffix(p, "/") {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		file = filepath.Join(file, "index.html")
	}
	f, err := os.Open(file)
	if err != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		if nf, err := os.Open(filepath.Join(s.out, "404.html")); err == nil {
			io.Copy(w, nf)
			nf.Close()
		}
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, "cannot read", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan string, 4)
	s.mu.Lock()
	s.subs[ch] = true
	pending := s.errText
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	send := func(msg string) {
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintf(w, "data: %s\n", line)
		}
		fmt.Fprint(w, "\n")
		fl.Flush()
	}
	if pending != "" {
		send("error\n" + pending)
	} else {
		fmt.Fprint(w, ": connected\n\n")
		fl.Flush()
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-ch:
			send(msg)
		}
	}
}
