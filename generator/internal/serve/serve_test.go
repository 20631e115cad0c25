package serve_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/build"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/serve"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

var repo = filepath.Join("..", "..", "..")

// site writes a synthetic site with the repository's buckets, licenses,
// templates and static files.
func site(t *testing.T, n int) string {
	t.Helper()
	src := t.TempDir()
	var files []synth.File
	ids := map[string][]string{}
	for _, dir := range []string{"content/buckets", "content/licenses", "templates", "static"} {
		filepath.WalkDir(filepath.Join(repo, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(repo, p)
			data, _ := os.ReadFile(p)
			files = append(files, synth.File{Path: filepath.ToSlash(rel), Data: data})
			if kind := filepath.Base(dir); strings.HasPrefix(dir, "content/") {
				ids[kind] = append(ids[kind], strings.TrimSuffix(filepath.Base(p), ".md"))
			}
			return nil
		})
	}
	files = append(files, synth.Generate(synth.Options{Releases: n, Orgs: 12, Licenses: ids["licenses"], Buckets: ids["buckets"], Seed: 9})...)
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

// events reads the server's event stream into messages.
func events(t *testing.T, url string) <-chan string {
	t.Helper()
	resp, err := http.Get(url + "__whyopen/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		var msg []string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "data: "):
				msg = append(msg, strings.TrimPrefix(line, "data: "))
			case line == "" && msg != nil:
				ch <- strings.Join(msg, "\n")
				msg = nil
			}
		}
		close(ch)
	}()
	return ch
}

func next(t *testing.T, ch <-chan string) (string, time.Duration) {
	t.Helper()
	start := time.Now()
	select {
	case m := <-ch:
		return m, time.Since(start)
	case <-time.After(20 * time.Second):
		t.Fatal("no message from the server")
	}
	return "", 0
}

// await waits for the first message that ok accepts, and returns it. An
// editor that writes a file in place empties it first, and a build that
// starts in between reports the empty file: await passes over such
// passing states, and fails if what ok wants never comes.
func await(t *testing.T, ch <-chan string, want string, ok func(string) bool) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	var passed []string
	for {
		select {
		case m, open := <-ch:
			if !open {
				t.Fatalf("the event stream ended before the %s; it sent %q", want, passed)
			}
			if ok(m) {
				return m
			}
			passed = append(passed, m)
		case <-deadline:
			t.Fatalf("no %s from the server; it sent %q", want, passed)
			return ""
		}
	}
}

func isReload(m string) bool { return m == "reload" }

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return string(b)
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			m[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return nil
	})
	return m
}

// TestServe edits a release while the server runs: the page reloads with
// the change; a broken file shows its problem, with file:line:col, while
// the last good site is still served; the fix reloads; and the output is
// then what a full build gives.
func TestServe(t *testing.T) {
	src := site(t, 150)
	out := filepath.Join(t.TempDir(), "public")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	today := func() load.Date { return load.NewDate(2026, 10, 1) }
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(serve.Options{Src: src, Addr: "127.0.0.1:0", Out: out, Theme: os.DirFS(repo), Today: today, Ready: ready, Context: ctx})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	url := "http://" + addr + "/"
	msgs := events(t, url)

	rels, _ := filepath.Glob(filepath.Join(src, "content/releases/*/*.md"))
	file := rels[7]
	slug := strings.TrimSuffix(filepath.Base(file), ".md")
	page := url + "releases/" + slug + "/"
	if !strings.Contains(get(t, page), "/__whyopen/live.js") {
		t.Errorf("the page lacks the reload script")
	}
	if js := get(t, url+"__whyopen/live.js"); !strings.Contains(js, "whyopen-overlay") || !strings.Contains(js, "location.reload") {
		t.Errorf("the reload script lacks the overlay or the reload")
	}

	data, _ := os.ReadFile(file)
	title := regexp.MustCompile(`(?m)^title: .*$`)
	os.WriteFile(file, title.ReplaceAll(data, []byte("title: Edited While Serving")), 0o644)
	await(t, msgs, "reload after an edit", isReload)
	if !strings.Contains(get(t, page), "Edited While Serving") {
		t.Errorf("the page does not show the edit")
	}

	// A broken file: the problem, with its position, and the last good site.
	broken := bytes.Replace(data, []byte("\nlicense: "), []byte("\nlicence: "), 1)
	os.WriteFile(file, broken, 0o644)
	rel, _ := filepath.Rel(src, file)
	problem := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(filepath.ToSlash(rel)) + `:\d+:\d+: unknown field "licence"`)
	await(t, msgs, "problem at file:line:col after breaking the file", func(m string) bool {
		return strings.HasPrefix(m, "error\n") && problem.MatchString(m)
	})
	if !strings.Contains(get(t, page), "Edited While Serving") {
		t.Errorf("the last good site is not served after a failed build")
	}
	// A page opened now learns of the problem at once.
	late := events(t, url)
	if m, _ := next(t, late); !strings.HasPrefix(m, "error\n") {
		t.Errorf("a page opened after the failure got %q, want the problem", m)
	}

	os.WriteFile(file, data, 0o644)
	await(t, msgs, "reload after the fix", isReload)
	if strings.Contains(get(t, page), "Edited While Serving") {
		t.Errorf("the page still shows the old edit")
	}

	var reports []byte
	ps, _ := filepath.Glob(filepath.Join(src, "content/reports/*.md"))
	for _, p := range ps {
		b, _ := os.ReadFile(p)
		reports = append(reports, b...)
	}
	unpicked := ""
	for _, r := range rels {
		pick := regexp.MustCompile(`(?m)release: ` + regexp.QuoteMeta(strings.TrimSuffix(filepath.Base(r), ".md")) + `$`)
		if r != file && !pick.Match(reports) {
			unpicked = r
		}
	}
	if unpicked == "" {
		t.Fatal("every release is a report's pick")
	}

	// The watcher names the files that change, and the server reads no
	// others: each of these changes must still reach the site.
	changes := []struct {
		name string
		do   func()
	}{
		{"a new release", func() {
			os.WriteFile(filepath.Join(filepath.Dir(file), "new-one.md"), title.ReplaceAll(data, []byte("title: A New One")), 0o644)
		}},
		{"a release saved by rename", func() {
			tmp := filepath.Join(filepath.Dir(file), ".new-one.md.swp")
			os.WriteFile(tmp, title.ReplaceAll(data, []byte("title: A Renamed One")), 0o644)
			os.Rename(tmp, filepath.Join(filepath.Dir(file), "new-one.md"))
		}},
		{"a release removed", func() { os.Remove(unpicked) }},
		{"a new directory with a release in it", func() {
			dir := filepath.Join(src, "content/releases/zz-new")
			os.Mkdir(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "newer-one.md"), title.ReplaceAll(data, []byte("title: A Newer One")), 0o644)
		}},
	}
	for _, c := range changes {
		c.do()
		await(t, msgs, "reload after "+c.name, isReload)
	}
	for _, want := range []string{"A Renamed One", "A Newer One"} {
		if !strings.Contains(get(t, url+"releases/"), want) && !strings.Contains(get(t, url+"data/explorer.json"), want) {
			t.Errorf("the site lacks %q", want)
		}
	}
	full := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Src: src, Out: full, BaseURL: url, Theme: os.DirFS(repo), LiveReload: true, Today: today()}); err != nil {
		t.Fatal(err)
	}
	got, want := readTree(t, out), readTree(t, full)
	if len(got) != len(want) {
		t.Errorf("served %d files, a full build makes %d", len(got), len(want))
	}
	for p, w := range want {
		if !bytes.Equal(got[p], w) {
			t.Errorf("%s differs from a full build", p)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
