package serve_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/serve"
)

// startServer runs the server on 127.0.0.1:0 with its output in dir/public
// and returns its address; the server stops when the test ends.
func startServer(t *testing.T, dir string) string {
	t.Helper()
	src := site(t, 30)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(serve.Options{Src: src, Addr: "127.0.0.1:0", Out: filepath.Join(dir, "public"), Theme: os.DirFS(repo),
			Today: func() load.Date { return load.NewDate(2026, 10, 1) }, Ready: ready, Context: ctx})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("the server did not stop")
		}
	})
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		t.Fatal(err)
	case <-time.After(60 * time.Second):
		t.Fatal("the server never became ready")
	}
	return ""
}

// rawGet sends target as the request line's path, byte for byte, so that
// no client cleans it first, and returns the status code and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %q: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestLoopbackOnly checks that the server listens on the loopback address
// it was given, and on no other interface.
func TestLoopbackOnly(t *testing.T) {
	addr := startServer(t, t.TempDir())
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() || ip.To4() == nil {
		t.Fatalf("listening on %s, want 127.0.0.1", addr)
	}
	if code, _ := rawGet(t, addr, "/"); code != 200 {
		t.Errorf("GET / on %s: %d", addr, code)
	}
	// Every other address of this machine refuses the port.
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.To4() == nil {
			continue
		}
		tried++
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), port), time.Second)
		if err == nil {
			c.Close()
			t.Errorf("the server answers on %s", ipn.IP)
		}
	}
	t.Logf("checked %d non-loopback addresses", tried)
}

// TestPathTraversal sends requests that try to leave the output directory
// and checks that none reaches a file beside it.
func TestPathTraversal(t *testing.T) {
	dir := t.TempDir()
	const secret = "secret-beside-the-output"
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := startServer(t, dir)
	if code, body := rawGet(t, addr, "/releases/"); code != 200 || !strings.Contains(body, "<html") {
		t.Fatalf("GET /releases/: %d", code)
	}
	for _, target := range []string{
		"/../secret.txt",
		"/releases/../../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt",
		"/releases/%2e%2e/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/releases/..%2f..%2fsecret.txt",
		"/.%2e/secret.txt",
		"/%2e./secret.txt",
		"/..\\secret.txt",
		"/releases\\..\\..\\secret.txt",
		"/%5c..%5csecret.txt",
		"/releases/%5C..%5C..%5Csecret.txt",
		"/..%5csecret.txt",
		"/%252e%252e/secret.txt",
		"/....//secret.txt",
		"//../secret.txt",
		"/./../secret.txt",
		"/releases/..;/..;/secret.txt",
		"/%00/../secret.txt",
		"/index.html%00/../../secret.txt",
		"http://" + addr + "/../secret.txt",
		"http://" + addr + "/%2e%2e/secret.txt",
	} {
		code, body := rawGet(t, addr, target)
		if strings.Contains(body, secret) {
			t.Errorf("GET %q served the file beside the output", target)
		}
		if code == 200 {
			t.Errorf("GET %q: 200, want an error status", target)
		}
	}
}

// TestConcurrentGets sends 200 GETs, at most 20 at a time, and checks that
// every one succeeds with the page's bytes.
func TestConcurrentGets(t *testing.T) {
	addr := startServer(t, t.TempDir())
	base := "http://" + addr + "/"
	paths := []string{"", "releases/", "buckets/", "licenses/", "orgs/", "reports/", "methodology/", "feed.xml", "sitemap.xml", "assets/site.css"}
	want := map[string]string{}
	for _, p := range paths {
		want[p] = get(t, base+p)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 20}}
	defer client.CloseIdleConnections()
	const total, workers = 200, 20
	jobs := make(chan int)
	errs := make(chan error, total)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := paths[i%len(paths)]
				resp, err := client.Get(base + p)
				if err != nil {
					errs <- err
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case err != nil:
					errs <- fmt.Errorf("GET /%s: %v", p, err)
				case resp.StatusCode != 200:
					errs <- fmt.Errorf("GET /%s: %s", p, resp.Status)
				case string(body) != want[p]:
					errs <- fmt.Errorf("GET /%s: %d bytes, want %d", p, len(body), len(want[p]))
				}
			}
		}()
	}
	for i := 0; i < total; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 10 {
			t.Error(err)
		}
	}
	if n > 0 {
		t.Errorf("%d of %d requests failed", n, total)
	}
	t.Logf("%d GETs, %d at a time, in %s", total, workers, time.Since(start))
}
