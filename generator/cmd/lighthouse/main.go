// Command lighthouse scores a built site's pages with Lighthouse, for
// `make bench`: it serves the site on loopback, runs Lighthouse (pinned in
// package-lock.json beside this file, installed into .cache/lighthouse)
// with its mobile defaults in headless Chromium on the front page, the
// explorer, the newest report, the first bucket and the newest release,
// and prints each page's performance and accessibility scores with the
// metrics behind them, as a Markdown table.
//
//	go run ./generator/cmd/lighthouse -site DIR [-runs 3]
//
// The server compresses text with gzip, as any static host does, and sends
// no other headers of note. With -runs above 1 each score is the median
// run's. Scores under the targets (performance 95, accessibility 100) are
// listed below the table with the audits that cost the points; they do
// not fail the command, which measures.
package main

import (
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	site := flag.String("site", "", "the built site to serve")
	runs := flag.Int("runs", 1, "Lighthouse runs per page; the median run counts")
	lh := flag.String("lighthouse", ".cache/lighthouse/node_modules/lighthouse/cli/index.js", "Lighthouse's command-line script")
	chrome := flag.String("chrome", "/usr/bin/chromium", "the Chromium to run")
	flag.Parse()
	if err := run(*site, *lh, *chrome, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "lighthouse:", err)
		os.Exit(1)
	}
}

// page is one page to score.
type page struct{ Name, Path string }

// pages picks the pages from the site's sitemap: the first of each kind
// it lists, which is the newest release and report and the first bucket.
func pages(dir string) ([]page, error) {
	b, err := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	if err != nil {
		return nil, err
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		return nil, fmt.Errorf("sitemap.xml: %w", err)
	}
	base := ""
	if len(sm.URLs) > 0 {
		base = sm.URLs[0].Loc
	}
	ps := []page{{"Home", "/"}, {"Explorer", "/releases/"}}
	for _, kind := range []struct{ name, prefix string }{{"Report", "reports/"}, {"Bucket", "buckets/"}, {"Release", "releases/"}} {
		for _, u := range sm.URLs {
			rel := strings.TrimPrefix(u.Loc, base)
			if rest, ok := strings.CutPrefix(rel, kind.prefix); ok && rest != "" && !strings.HasPrefix(rest, "page/") {
				ps = append(ps, page{kind.name, "/" + rel})
				break
			}
		}
	}
	if len(ps) != 5 {
		return nil, fmt.Errorf("sitemap.xml lists %d of the 5 page kinds", len(ps))
	}
	return ps, nil
}

// gzipped serves dir, compressing what a browser accepts compressed.
func gzipped(dir string) http.Handler {
	fs := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			fs.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		gz := gzip.NewWriter(w)
		defer gz.Close()
		fs.ServeHTTP(gzWriter{w, gz}, r)
	})
}

type gzWriter struct {
	http.ResponseWriter
	gz io.Writer
}

func (g gzWriter) Write(b []byte) (int, error) { return g.gz.Write(b) }

func (g gzWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

// result is one Lighthouse run's figures.
type result struct {
	Perf, A11y         float64
	FCP, LCP, TBT, CLS float64
	SI                 float64
	Bytes              float64
	PerfMiss, A11yMiss []string
}

func run(site, lh, chrome string, runs int) error {
	if site == "" {
		return fmt.Errorf("usage: lighthouse -site DIR")
	}
	if _, err := os.Stat(lh); err != nil {
		return fmt.Errorf("%v (run `make lighthouse`)", err)
	}
	ps, err := pages(site)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: gzipped(site)}
	go srv.Serve(ln)
	defer srv.Close()
	origin := "http://" + ln.Addr().String()

	tmp, err := os.MkdirTemp("", "whyopen-lighthouse-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Println("| Page | Path | Performance | Accessibility | FCP | LCP | TBT | CLS | Speed Index | Transfer |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	var notes []string
	for _, p := range ps {
		var rs []result
		for i := range runs {
			out := filepath.Join(tmp, fmt.Sprintf("%s-%d.json", strings.ToLower(p.Name), i))
			u := origin + (&url.URL{Path: p.Path}).EscapedPath()
			cmd := exec.Command("node", lh, u, "--output=json", "--output-path="+out, "--quiet",
				"--only-categories=performance,accessibility",
				"--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage")
			cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
			cmd.Stderr = os.Stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s: %v", p.Path, err)
			}
			r, err := read(out)
			if err != nil {
				return fmt.Errorf("%s: %v", p.Path, err)
			}
			rs = append(rs, r)
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].Perf < rs[j].Perf })
		r := rs[len(rs)/2]
		fmt.Printf("| %s | %s | %.0f | %.0f | %.2f s | %.2f s | %.0f ms | %.3f | %.2f s | %.0f KB |\n",
			p.Name, p.Path, r.Perf*100, r.A11y*100, r.FCP/1000, r.LCP/1000, r.TBT, r.CLS, r.SI/1000, r.Bytes/1024)
		if r.Perf*100 < 95 {
			notes = append(notes, fmt.Sprintf("%s: performance %.0f < 95; costly audits: %s", p.Name, r.Perf*100, strings.Join(r.PerfMiss, ", ")))
		}
		if r.A11y*100 < 100 {
			notes = append(notes, fmt.Sprintf("%s: accessibility %.0f < 100; failed audits: %s", p.Name, r.A11y*100, strings.Join(r.A11yMiss, ", ")))
		}
	}
	fmt.Println()
	if len(notes) == 0 {
		fmt.Println("Every page meets the targets: performance ≥ 95, accessibility 100.")
	}
	for _, n := range notes {
		fmt.Println("- " + n)
	}
	return nil
}

// read takes the figures out of a Lighthouse JSON report.
func read(file string) (result, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return result{}, err
	}
	var rep struct {
		Categories map[string]struct {
			Score *float64 `json:"score"`
			Refs  []struct {
				ID     string  `json:"id"`
				Weight float64 `json:"weight"`
			} `json:"auditRefs"`
		} `json:"categories"`
		Audits map[string]struct {
			Score        *float64 `json:"score"`
			NumericValue float64  `json:"numericValue"`
		} `json:"audits"`
		RuntimeError *struct{ Message string } `json:"runtimeError"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return result{}, err
	}
	if rep.RuntimeError != nil && rep.RuntimeError.Message != "" {
		return result{}, fmt.Errorf("lighthouse: %s", rep.RuntimeError.Message)
	}
	score := func(c string) float64 {
		if s := rep.Categories[c].Score; s != nil {
			return *s
		}
		return 0
	}
	miss := func(c string) []string {
		var out []string
		for _, ref := range rep.Categories[c].Refs {
			a, ok := rep.Audits[ref.ID]
			if ok && ref.Weight > 0 && a.Score != nil && *a.Score < 0.9 {
				out = append(out, fmt.Sprintf("%s (%.2f)", ref.ID, *a.Score))
			}
		}
		return out
	}
	a := rep.Audits
	return result{Perf: score("performance"), A11y: score("accessibility"),
		FCP: a["first-contentful-paint"].NumericValue, LCP: a["largest-contentful-paint"].NumericValue,
		TBT: a["total-blocking-time"].NumericValue, CLS: a["cumulative-layout-shift"].NumericValue,
		SI: a["speed-index"].NumericValue, Bytes: a["total-byte-weight"].NumericValue,
		PerfMiss: miss("performance"), A11yMiss: miss("accessibility")}, nil
}
