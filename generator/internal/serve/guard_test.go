package serve_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/serve"
)

// run starts the server with opt, filled in with a small site, 127.0.0.1:0
// and a context, and returns its address and a function that stops it and
// returns Run's error.
func run(t *testing.T, opt serve.Options) (string, func() error) {
	t.Helper()
	if opt.Src == "" {
		opt.Src = site(t, 20)
	}
	opt.Addr = "127.0.0.1:0"
	opt.Theme = os.DirFS(repo)
	opt.Today = func() load.Date { return load.NewDate(2026, 10, 1) }
	ready := make(chan string, 1)
	opt.Ready = ready
	ctx, cancel := context.WithCancel(context.Background())
	opt.Context = ctx
	done := make(chan error, 1)
	go func() { done <- serve.Run(opt) }()
	stopped := false
	var err error
	stop := func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the server did not stop")
			}
		}
		return err
	}
	t.Cleanup(func() { stop() })
	select {
	case addr := <-ready:
		return addr, stop
	case err := <-done:
		t.Fatal(err)
	case <-time.After(60 * time.Second):
		t.Fatal("the server never became ready")
	}
	return "", nil
}

// request sends a GET of target with the given Host header on c and
// returns the response, its body read.
func request(t *testing.T, c net.Conn, host, target string) (*http.Response, string) {
	t.Helper()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s (Host: %s): %v", target, host, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closed reports whether the server closes c within d, reading and
// dropping anything it sends first.
func closed(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

// TestHostCheck: the server answers the names of its own address, and
// refuses any other Host, the event stream's included, with 421 and a
// closed connection, so that a rebound DNS name cannot read it.
func TestHostCheck(t *testing.T) {
	addr, _ := run(t, serve.Options{})
	_, port, _ := net.SplitHostPort(addr)
	for _, host := range []string{addr, "localhost:" + port, "LocalHost:" + port, "127.0.0.1:" + port, "[::1]:" + port} {
		for _, target := range []string{"/", "/releases/", "/__whyopen/live.js"} {
			resp, body := request(t, dial(t, addr), host, target)
			if resp.StatusCode != 200 || body == "" {
				t.Errorf("GET %s, Host %s: %s, %d bytes; want 200", target, host, resp.Status, len(body))
			}
		}
	}
	for _, host := range []string{
		"evil.example:" + port,
		"evil.example",
		"localhost",                // port 80, not the server's
		"localhost:1",              // another port
		"127.0.0.1.nip.io:" + port, // a name that resolves to loopback
		"localhost.:" + port,
		"[::2]:" + port,
		"10.0.0.1:" + port, // an IP address is allowed only when listening on all
		"",
	} {
		for _, target := range []string{"/", "/releases/", "/__whyopen/events", "/__whyopen/live.js"} {
			c := dial(t, addr)
			resp, body := request(t, c, host, target)
			if resp.StatusCode != http.StatusMisdirectedRequest {
				t.Errorf("GET %s, Host %q: %s, want 421", target, host, resp.Status)
			}
			if strings.Contains(body, "<html") || strings.Contains(body, "data:") || strings.Contains(body, "EventSource") {
				t.Errorf("GET %s, Host %q: the body holds the site: %.80q", target, host, body)
			}
			if !closed(c, 5*time.Second) {
				t.Errorf("GET %s, Host %q: the connection is kept open", target, host)
			}
		}
	}
	// The event stream with the right name streams.
	c := dial(t, addr)
	fmt.Fprintf(c, "GET /__whyopen/events HTTP/1.1\r\nHost: localhost:%s\r\n\r\n", port)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("the event stream with Host localhost: %v %v", resp, err)
	}
}

// TestRedirectStaysOnHost: a directory asked for without its final slash
// is redirected to its cleaned path on the same host, never to "//name/",
// which a browser reads as another host.
func TestRedirectStaysOnHost(t *testing.T) {
	addr, _ := run(t, serve.Options{})
	for target, want := range map[string]string{
		"/releases":         "/releases/",
		"//releases":        "/releases/",
		"///releases":       "/releases/",
		"//releases?x=1":    "/releases/?x=1",
		"/./releases":       "/releases/",
		"//buckets//upsell": "/buckets/upsell/",
		"/%2F%2Freleases":   "/releases/",
		"//%2Freleases":     "/releases/",
		"/releases%2F%2E/":  "", // already ends in a slash: served
	} {
		resp, _ := request(t, dial(t, addr), addr, target)
		loc := resp.Header.Get("Location")
		if want == "" {
			if resp.StatusCode != 200 {
				t.Errorf("GET %s: %s, want 200", target, resp.Status)
			}
			continue
		}
		if resp.StatusCode != http.StatusMovedPermanently || loc != want {
			t.Errorf("GET %s: %s to %q, want 301 to %q", target, resp.Status, loc, want)
		}
		if u, err := url.Parse(loc); err != nil || u.Host != "" || strings.HasPrefix(loc, "//") {
			t.Errorf("GET %s: Location %q leaves the host", target, loc)
		}
	}
}

// TestTimeouts: an idle kept-alive connection, a request that never
// finishes its headers and a response its client does not read are cut
// off after the timeouts, while the event stream outlives them and still
// gets its messages.
func TestTimeouts(t *testing.T) {
	src := site(t, 20)
	// More than the loopback socket buffers hold.
	const big = 32 << 20
	if err := os.WriteFile(filepath.Join(src, "static", "big.bin"), make([]byte, big), 0o644); err != nil {
		t.Fatal(err)
	}
	const d = 300 * time.Millisecond
	addr, _ := run(t, serve.Options{Src: src, ReadTimeout: d, WriteTimeout: d, IdleTimeout: d, Settle: time.Millisecond})

	stream := events(t, "http://"+addr+"/")

	idle := dial(t, addr)
	if resp, _ := request(t, idle, addr, "/"); resp.StatusCode != 200 {
		t.Fatalf("GET /: %s", resp.Status)
	}
	start := time.Now()
	if !closed(idle, 10*time.Second) {
		t.Errorf("an idle connection is still open after 10s; the idle timeout is %s", d)
	}
	t.Logf("an idle connection closed after %s", time.Since(start).Round(time.Millisecond))

	slow := dial(t, addr)
	fmt.Fprintf(slow, "GET / HTTP/1.1\r\nHost: %s\r\n", addr) // and never the blank line
	start = time.Now()
	if !closed(slow, 5*time.Second) {
		t.Errorf("a request without its end is still read after 5s; the read timeout is %s", d)
	}
	t.Logf("an unfinished request closed after %s", time.Since(start).Round(time.Millisecond))

	stalled := dial(t, addr)
	fmt.Fprintf(stalled, "GET /big.bin HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	time.Sleep(5 * d) // read nothing for a while
	stalled.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, _ := io.Copy(io.Discard, stalled)
	if n > big {
		t.Errorf("a client that did not read for %s got all %d bytes; the write timeout is %s", 5*d, n, d)
	}
	t.Logf("a stalled client got %d of %d bytes", n, big)

	// Well past every timeout, the stream is open and tells of a change.
	rels, _ := filepath.Glob(filepath.Join(src, "content/releases/*/*.md"))
	data, _ := os.ReadFile(rels[0])
	os.WriteFile(rels[0], []byte(strings.Replace(string(data), "\ntitle: ", "\ntitle: Retitled ", 1)), 0o644)
	await(t, stream, "reload on a stream older than the timeouts", isReload)
}

// TestConnectionCap: with a cap of two connections, a third is not served
// until one of the two closes.
func TestConnectionCap(t *testing.T) {
	addr, _ := run(t, serve.Options{MaxConns: 2})
	a, b := dial(t, addr), dial(t, addr)
	for _, c := range []net.Conn{a, b} {
		if resp, _ := request(t, c, addr, "/"); resp.StatusCode != 200 {
			t.Fatalf("GET /: %s", resp.Status)
		}
	}
	third := dial(t, addr) // the kernel accepts it; the server does not
	fmt.Fprintf(third, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	r := bufio.NewReader(third)
	third.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := r.ReadByte(); err == nil {
		t.Fatal("a third connection was served while two were open")
	}
	a.Close()
	third.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("the third connection, once one closed: %v", err)
	}
	if resp.StatusCode != 200 {
		t.Errorf("the third connection: %s", resp.Status)
	}
	resp.Body.Close()
}

// TestStopRemovesTemporary: when the context ends, the server closes the
// event streams, returns, and removes the temporary directory it built
// the site in.
func TestStopRemovesTemporary(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	src := site(t, 20) // before TMPDIR is read by Run, but site uses t.TempDir
	addr, stop := run(t, serve.Options{Src: src})
	made, _ := filepath.Glob(filepath.Join(tmp, "whyopen-serve-*", "public", "index.html"))
	if len(made) != 1 {
		t.Fatalf("the site is not in a temporary directory under %s: %v", tmp, made)
	}
	resp, err := http.Get("http://" + addr + "/__whyopen/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ended := make(chan struct{})
	go func() { io.Copy(io.Discard, resp.Body); close(ended) }()
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the event stream is still open after the server stopped")
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the server left %v in %s", left, tmp)
	}
}

// TestOverlayPathsRelative: the problems sent to the browser name files
// relative to the site, never by absolute path.
func TestOverlayPathsRelative(t *testing.T) {
	src := site(t, 20)
	addr, _ := run(t, serve.Options{Src: src, Settle: time.Millisecond})
	msgs := events(t, "http://"+addr+"/")
	content := filepath.Join(src, "content")
	if err := os.Rename(content, content+"-moved"); err != nil {
		t.Fatal(err)
	}
	m := await(t, msgs, "a problem after content/ went", func(m string) bool { return strings.HasPrefix(m, "error\n") })
	if !strings.Contains(m, "\ncontent: missing: the site needs a content directory") {
		t.Errorf("the problem is %q", m)
	}
	real, _ := filepath.EvalSymlinks(src)
	for _, abs := range []string{src, filepath.ToSlash(src), real, os.TempDir()} {
		if strings.Contains(m, abs) {
			t.Errorf("the overlay names the absolute path %s: %q", abs, m)
		}
	}
}
