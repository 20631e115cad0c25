// Package links asks whether the pages the content cites are still there.
//
// It is a tool, like bench, not a stage of the build: it is the one
// package besides serve that talks to the network. It does not touch the
// file system; the command reads and writes its Cache.
//
// Collect finds every external http(s) URL in a content tree: the URL
// fields of every file's front matter (sources, links, benchmark sources,
// websites, license texts) and the links of every Markdown body, each
// with the file:line:col of every place it is cited. The site's own
// base_url is not external.
//
// Check requests each URL once, however often it is cited: HEAD, then
// GET where HEAD is refused or answers with an error, since many servers
// answer HEAD wrongly. Redirects are followed (up to ten). At most
// Options.PerHost requests run at once against one host, and each waits
// Options.Delay after the previous one to that host started, so a host
// cited a hundred times is asked politely. Each URL is then
//
//   - ok: it answers 2xx or 3xx where it is;
//   - redirected: it answers 2xx after redirects, to Result.Final, which
//     the content should cite instead;
//   - gone: it answers 4xx (after redirects, if any), except as below;
//   - failing: it answers 5xx, or 401, 403 or 429, which refuse a robot
//     rather than say the page is gone, or does not answer in time.
//
// A Cache keeps results, so that a rerun within Options.MaxAge asks
// again only for URLs it has no fresh result for.
package links

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// Status is what became of a URL.
type Status string

// The statuses, from best to worst.
const (
	OK         Status = "ok"
	Redirected Status = "redirected"
	Failing    Status = "failing"
	Gone       Status = "gone"
)

// Target is one URL and every place it is cited.
type Target struct {
	URL string
	At  []load.Pos
}

// Collect returns every external http(s) URL in c, sorted, each with the
// positions that cite it, in file order.
func Collect(c *load.Content) []Target {
	at := map[string][]load.Pos{}
	add := func(u string, p load.Pos) {
		u = strings.TrimSpace(u)
		if !external(u, c.Site.BaseURL) {
			return
		}
		at[u] = append(at[u], p)
	}
	var docs []any
	for _, r := range c.Releases {
		docs = append(docs, r)
	}
	for _, o := range c.Orgs {
		docs = append(docs, o)
	}
	for _, l := range c.Licenses {
		docs = append(docs, l)
	}
	for _, b := range c.Buckets {
		docs = append(docs, b)
	}
	for _, r := range c.Reports {
		docs = append(docs, r)
	}
	for _, x := range docs {
		d := x.(interface{ Document() *load.Doc }).Document()
		urls(reflect.ValueOf(x).Elem(), "", func(path, u string) { add(u, d.Pos(path)) })
		for _, l := range d.BodyLinks {
			add(l.URL, l.Pos)
		}
	}
	out := make([]Target, 0, len(at))
	for u, ps := range at {
		sort.Slice(ps, func(i, j int) bool { return less(ps[i], ps[j]) })
		out = append(out, Target{URL: u, At: ps})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}

// urls calls f with the path and value of every field of v tagged
// format:"uri", in structs and lists of them.
func urls(v reflect.Value, prefix string, f func(path, u string)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := sf.Tag.Get("yaml")
		if name == "" || name == "-" {
			continue
		}
		path, fv := prefix+name, v.Field(i)
		uri := sf.Tag.Get("format") == "uri"
		switch {
		case fv.Kind() == reflect.String && uri:
			f(path, fv.String())
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String && uri:
			for j := 0; j < fv.Len(); j++ {
				f(path+"."+strconv.Itoa(j), fv.Index(j).String())
			}
		case fv.Kind() == reflect.Struct && fv.Type().PkgPath() == t.PkgPath():
			urls(fv, path+".", f)
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct:
			for j := 0; j < fv.Len(); j++ {
				urls(fv.Index(j), path+"."+strconv.Itoa(j)+".", f)
			}
		}
	}
}

// external reports whether u is an http(s) URL outside the site.
func external(u, base string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || strings.ContainsAny(u, " \t\n<>\"") {
		return false
	}
	return base == "" || !strings.HasPrefix(u, base)
}

func less(a, b load.Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// Result is what one URL answered.
type Result struct {
	URL    string `json:"url"`
	Status Status `json:"status"`
	// Code is the last HTTP status code; 0 when there was no answer.
	Code int `json:"code,omitempty"`
	// Final is where the redirects ended, when there were any.
	Final string `json:"final,omitempty"`
	// Err says why a URL is failing without an HTTP status.
	Err     string    `json:"error,omitempty"`
	Checked time.Time `json:"checked"`
	// Cached is true when the result came from the cache.
	Cached bool `json:"-"`
}

// String describes r in words, without its URL.
func (r Result) String() string {
	switch {
	case r.Status == OK:
		return fmt.Sprintf("ok (%d)", r.Code)
	case r.Status == Redirected:
		return fmt.Sprintf("redirected (%d) to %s", r.Code, r.Final)
	case r.Code == 0:
		return "failing: " + r.Err
	case r.Final != "":
		return fmt.Sprintf("%s (%d, after redirects to %s)", r.Status, r.Code, r.Final)
	}
	return fmt.Sprintf("%s (%d)", r.Status, r.Code)
}

// Cache holds results by URL between runs.
type Cache struct {
	Results map[string]Result
}

type cacheFile struct {
	Version int      `json:"version"`
	Results []Result `json:"results"`
}

// ParseCache reads a cache written by Marshal. Empty data is an empty
// cache.
func ParseCache(data []byte) (*Cache, error) {
	c := &Cache{Results: map[string]Result{}}
	if len(strings.TrimSpace(string(data))) == 0 {
		return c, nil
	}
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("links cache: %v", err)
	}
	if f.Version != 1 {
		return c, nil // another version's results are asked for again
	}
	for _, r := range f.Results {
		c.Results[r.URL] = r
	}
	return c, nil
}

// Marshal writes the cache as JSON, sorted by URL.
func (c *Cache) Marshal() []byte {
	f := cacheFile{Version: 1, Results: []Result{}}
	for _, r := range c.Results {
		f.Results = append(f.Results, r)
	}
	sort.Slice(f.Results, func(i, j int) bool { return f.Results[i].URL < f.Results[j].URL })
	b, _ := json.MarshalIndent(f, "", " ")
	return append(b, '\n')
}

// Options tunes Check.
type Options struct {
	// Client makes the requests; nil means one with Timeout.
	Client *http.Client
	// Timeout bounds each request, redirects included (default 20s).
	Timeout time.Duration
	// Workers is how many requests run at once in all (default 8).
	Workers int
	// PerHost is how many run at once against one host (default 2).
	PerHost int
	// Delay is how long a request waits after the previous one to the
	// same host started (default 1s).
	Delay time.Duration
	// MaxAge is how old a cached result may be and still be used.
	MaxAge time.Duration
	// Now is the clock that dates results and ages the cache (default
	// time.Now). Delays between requests use the wall clock.
	Now func() time.Time
	// UserAgent names the tool to the servers it asks.
	UserAgent string
}

func (o *Options) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.Delay < 0 {
		o.Delay = 0
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.Timeout}
	}
	if o.UserAgent == "" {
		o.UserAgent = "whyopen-links (checks the sources a report cites)"
	}
}

// Check returns a result for each of urls, in their order, using and
// updating cache (which may be nil).
func Check(ctx context.Context, urls []string, cache *Cache, opt Options) []Result {
	opt.defaults()
	out := make([]Result, len(urls))
	var todo []int
	now := opt.Now()
	for i, u := range urls {
		if cache != nil {
			if r, ok := cache.Results[u]; ok && now.Sub(r.Checked) <= opt.MaxAge && now.Sub(r.Checked) >= 0 {
				r.Cached = true
				out[i] = r
				continue
			}
		}
		todo = append(todo, i)
	}
	var mu sync.Mutex
	hosts := map[string]*gate{}
	gateOf := func(u string) *gate {
		h := ""
		if p, err := url.Parse(u); err == nil {
			h = strings.ToLower(p.Host)
		}
		mu.Lock()
		defer mu.Unlock()
		g := hosts[h]
		if g == nil {
			g = &gate{slots: make(chan struct{}, opt.PerHost)}
			hosts[h] = g
		}
		return g
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(opt.Workers, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := ask(ctx, urls[i], gateOf(urls[i]), opt)
				r.Checked = opt.Now()
				out[i] = r
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	if cache != nil {
		if cache.Results == nil {
			cache.Results = map[string]Result{}
		}
		for _, i := range todo {
			cache.Results[urls[i]] = out[i]
		}
	}
	return out
}

// gate bounds and spaces the requests to one host.
type gate struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time // when the next request may start
}

// enter waits for a slot and for the host's delay; leave gives the slot
// back.
func (g *gate) enter(ctx context.Context, opt Options) error {
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	now := time.Now() // the wall clock, whatever Options.Now says
	wait := g.next.Sub(now)
	start := now
	if wait > 0 {
		start = g.next
	}
	g.next = start.Add(opt.Delay)
	g.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			<-g.slots
			return ctx.Err()
		}
	}
	return nil
}

func (g *gate) leave() { <-g.slots }

// ask requests u: HEAD, then GET where HEAD did not answer 2xx or 3xx.
func ask(ctx context.Context, u string, g *gate, opt Options) Result {
	r := request(ctx, http.MethodHead, u, g, opt)
	if r.Status == OK || r.Status == Redirected || (r.Code == 0 && isTimeout(r.Err)) {
		return r
	}
	return request(ctx, http.MethodGet, u, g, opt)
}

func isTimeout(msg string) bool {
	return strings.Contains(msg, "timeout") || strings.Contains(msg, "deadline exceeded")
}

func request(ctx context.Context, method, u string, g *gate, opt Options) Result {
	res := Result{URL: u}
	if err := g.enter(ctx, opt); err != nil {
		res.Status, res.Err = Failing, err.Error()
		return res
	}
	defer g.leave()
	rctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, u, nil)
	if err != nil {
		res.Status, res.Err = Failing, err.Error()
		return res
	}
	req.Header.Set("User-Agent", opt.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := opt.Client.Do(req)
	if err != nil {
		res.Status, res.Err = Failing, plain(err)
		return res
	}
	// Read a little of a GET's body, so the connection can be reused, and
	// no more.
	io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
	res.Code = resp.StatusCode
	if final := resp.Request.URL.String(); final != u {
		res.Final = final
	}
	switch c := resp.StatusCode; {
	case c < 400 && res.Final != "":
		res.Status = Redirected
	case c < 400:
		res.Status = OK
	case c == 401 || c == 403 || c == 429:
		res.Status = Failing
		res.Err = "refused"
	case c < 500:
		res.Status = Gone
	default:
		res.Status = Failing
	}
	return res
}

// plain is err without the method and URL that net/http repeats.
func plain(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timeout: no answer in time"
		}
		return ue.Err.Error()
	}
	return err.Error()
}
