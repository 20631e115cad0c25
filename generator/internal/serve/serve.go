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
// outside it, with ".." segments or backslashes, are refused. A request
// for a directory without its final slash is redirected to the cleaned
// path on the same host: "//releases" goes to "/releases/", never to
// "//releases/", which a browser reads as the host "releases".
//
// It answers only requests whose Host header names it: the address it
// listens on, or localhost, 127.0.0.1 or [::1], with its port (and any IP
// address, when it listens on all of them). Others, the event stream's
// included, get 421 Misdirected Request and a closed connection, so that
// a page on another site cannot read it through DNS rebinding. The
// problems the overlay shows name files relative to the site's root and
// the output directory's parent, never by absolute path; the terminal
// log keeps the full paths.
//
// Every connection is bounded: reading a request, writing a response and
// waiting idle for the next request each have a timeout
// (Options.ReadTimeout, WriteTimeout, IdleTimeout), and at most
// Options.MaxConns connections are open at once; others wait in the
// listen queue until one closes. The event stream lives as long as its
// page: it has no read deadline, and each message it sends must be
// written within the write timeout.
//
// When the context ends (the command passes one that SIGINT and SIGTERM
// end), the server stops accepting, closes the event streams, waits for
// the requests in flight and a rebuild under way, and removes the
// temporary output directory it made.
package serve

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/netutil"

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
	// ReadTimeout bounds the reading of a request, WriteTimeout the
	// writing of a response (or of one event), IdleTimeout the wait for
	// the next request on a kept-alive connection; zero means 30s, 30s
	// and 60s.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConns caps the connections open at once; zero means 100.
	MaxConns int
}

// Server is a running development server.
type Server struct {
	opt     Options
	ctx     context.Context // ends when the server stops
	out     string
	hosts   hosts
	private relativizer   // makes the paths in browser texts relative
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
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = 30 * time.Second
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = 30 * time.Second
	}
	if opt.IdleTimeout == 0 {
		opt.IdleTimeout = 60 * time.Second
	}
	if opt.MaxConns == 0 {
		opt.MaxConns = 100
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
	defer ln.Close()
	ctx, cancel := context.WithCancel(opt.Context)
	defer cancel()
	s := &Server{opt: opt, ctx: ctx, out: out, lock: lock, subs: map[chan string]bool{},
		hosts: allowHosts(host, ln.Addr()), private: newRelativizer(opt.Src, out)}
	// Watch before the first build, so that a save made while it runs,
	// or just after the address is printed, is never missed.
	w := s.startWatching()
	s.rebuild("http://" + ln.Addr().String() + "/")
	if w.named {
		// The watcher names what changed, so a rebuild need not look at
		// every file.
		s.sess.Watch()
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: min(10*time.Second, opt.ReadTimeout),
		ReadTimeout:       opt.ReadTimeout,
		WriteTimeout:      opt.WriteTimeout,
		IdleTimeout:       opt.IdleTimeout,
		ErrorLog:          log.New(opt.Log, "whyopen serve: ", 0),
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		if opt.Context.Err() != nil {
			fmt.Fprintln(opt.Log, "stopping")
		}
		// The event streams end with the context; the requests in flight
		// get a few seconds to finish.
		wait, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(wait) != nil {
			srv.Close()
		}
	}()
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		s.watch("http://"+ln.Addr().String()+"/", w)
	}()
	if ctx.Err() == nil { // not stopped during the first build
		fmt.Fprintf(opt.Log, "serving http://%s/ (Ctrl-C to stop)\n", ln.Addr())
		if opt.Ready != nil {
			opt.Ready <- ln.Addr().String()
		}
	}
	err = srv.Serve(netutil.LimitListener(ln, opt.MaxConns))
	cancel()
	<-stopped
	// A rebuild under way writes into the output: let it finish before
	// the temporary directory goes.
	<-watched
	if !errors.Is(err, http.ErrServerClosed) {
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
			fmt.Fprintln(&b, load.Printable(err.Error()))
		}
		fmt.Fprint(s.opt.Log, b.String())
		fmt.Fprintln(s.opt.Log, res.Summary("build failed", time.Since(start))+"; still serving the last good site")
		// The browser learns no more of the file system than the site.
		s.errText = s.private.relative(b.String())
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
		case <-s.ctx.Done():
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
			select {
			case s.opt.Rebuilt <- err:
			case <-s.ctx.Done():
				return
			}
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
	if !s.hosts.allow(r.Host) {
		// A name that is not the server's may be an attacker's name that
		// now resolves to loopback: answer nothing, and keep no
		// connection open for it.
		w.Header().Set("Connection", "close")
		http.Error(w, "whyopen serve answers only to "+s.hosts.want+"; open the address it printed", http.StatusMisdirectedRequest)
		return
	}
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
			// The cleaned path starts with one slash, so the redirect
			// stays on this host.
			to := url.URL{Path: strings.TrimSuffix(clean, "/") + "/", RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, to.String(), http.StatusMovedPermanently)
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
	// The stream lasts as long as its page, beyond the write timeout: each
	// message gets it afresh. (A request being served has no read
	// deadline once its body is read.)
	rc := http.NewResponseController(w)
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
	send := func(msg string) error {
		rc.SetWriteDeadline(time.Now().Add(s.opt.WriteTimeout))
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintf(w, "data: %s\n", line)
		}
		fmt.Fprint(w, "\n")
		return rc.Flush()
	}
	if pending == "" {
		rc.SetWriteDeadline(time.Now().Add(s.opt.WriteTimeout))
		fmt.Fprint(w, ": connected\n\n")
		if rc.Flush() != nil {
			return
		}
	} else if send("error\n"+pending) != nil {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		case msg := <-ch:
			if send(msg) != nil {
				return
			}
		}
	}
}

// hosts is what the Host header of a request may name.
type hosts struct {
	port  string
	names map[string]bool // lower case, IPv6 without brackets
	anyIP bool            // the server listens on every address
	want  string          // the allowed hosts, for the refusal
}

// allowHosts returns the hosts of a server that was asked to listen on
// host and listens on addr: addr itself, the host asked for, localhost,
// 127.0.0.1 and ::1, each with addr's port; and, when it listens on every
// address, any IP address with that port, which no DNS name can stand for.
func allowHosts(host string, addr net.Addr) hosts {
	h := hosts{names: map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}}
	if tcp, ok := addr.(*net.TCPAddr); ok {
		h.port = strconv.Itoa(tcp.Port)
		h.names[tcp.IP.String()] = true
		h.anyIP = tcp.IP.IsUnspecified()
	}
	if host != "" {
		h.names[strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))] = true
	}
	var names []string
	for n := range h.names {
		if ip := net.ParseIP(n); ip == nil || !ip.IsUnspecified() {
			names = append(names, net.JoinHostPort(n, h.port))
		}
	}
	sort.Strings(names)
	h.want = strings.Join(names, ", ")
	if h.anyIP {
		h.want += " and any IP address with port " + h.port
	}
	return h
}

// allow reports whether a request's Host header names the server.
func (h hosts) allow(hostport string) bool {
	name, port, err := net.SplitHostPort(hostport)
	if err != nil {
		// No port: the default one, which must then be the server's.
		name, port = strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), "80"
	}
	if port != h.port || name == "" {
		return false
	}
	name = strings.ToLower(name)
	if h.names[name] {
		return true
	}
	ip := net.ParseIP(name)
	return h.anyIP && ip != nil && !ip.IsUnspecified()
}

// relativizer makes the absolute paths in a text relative. It holds the
// roots it strips, the longest first.
type relativizer []string

// newRelativizer returns a relativizer for the paths under the site's root
// src, written relative to it, and those beside the output directory out,
// written relative to out's parent: "/home/me/site/content/x.md" becomes
// "content/x.md", "/tmp/whyopen-serve-1/public/x" becomes "public/x".
func newRelativizer(src, out string) relativizer {
	seen := map[string]bool{}
	var roots relativizer
	for _, dir := range []string{src, filepath.Dir(out)} {
		abs, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		forms := []string{abs}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			forms = append(forms, real)
		}
		for _, f := range forms {
			for _, g := range []string{f, filepath.ToSlash(f)} {
				if !seen[g] && strings.Trim(g, `/\`) != "" && !strings.HasSuffix(g, `:\`) {
					seen[g] = true
					roots = append(roots, g)
				}
			}
		}
	}
	sort.Slice(roots, func(i, j int) bool { return len(roots[i]) > len(roots[j]) })
	return roots
}

// relative returns text with each root, where it starts a path, dropped
// with the separator after it, or written "." where the path is the root.
func (rz relativizer) relative(text string) string {
	pathByte := func(c byte) bool {
		return c == '/' || c == '\\' || c == '.' || c == '-' || c == '_' || c == '~' ||
			'0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
	}
	for _, root := range rz {
		var b strings.Builder
		for {
			i := strings.Index(text, root)
			if i < 0 {
				b.WriteString(text)
				break
			}
			b.WriteString(text[:i])
			rest := text[i+len(root):]
			switch {
			case i > 0 && pathByte(text[i-1]):
				b.WriteString(root) // inside a longer path
			case rest != "" && (rest[0] == '/' || rest[0] == filepath.Separator):
				rest = rest[1:]
			case rest == "" || !pathByte(rest[0]):
				b.WriteString(".")
			default:
				b.WriteString(root) // a longer name that starts like the root
			}
			text = rest
		}
		text = b.String()
	}
	return text
}
