package links_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/links"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// server answers like the sites the content cites, and counts requests.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string // "HEAD /ok"
}

func newServer(t *testing.T) *server {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/head-refused", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
	mux.HandleFunc("/head-404", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusNotFound) // wrongly: GET finds it
		}
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	mux.HandleFunc("/removed", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })
	mux.HandleFunc("/moved-away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/gone", http.StatusFound)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("/robots-not-welcome", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func fast(s *server) links.Options {
	return links.Options{Client: s.Client(), Timeout: 300 * time.Millisecond, Delay: 0, PerHost: 4}
}

// TestOutcomes covers every status a URL can end with.
func TestOutcomes(t *testing.T) {
	s := newServer(t)
	for _, tc := range []struct {
		path     string
		status   links.Status
		code     int
		final    string // path
		requests []string
	}{
		{"/ok", links.OK, 200, "", []string{"HEAD /ok"}},
		{"/head-refused", links.OK, 200, "", []string{"HEAD /head-refused", "GET /head-refused"}},
		{"/head-404", links.OK, 200, "", []string{"HEAD /head-404", "GET /head-404"}},
		{"/moved", links.Redirected, 200, "/ok", []string{"HEAD /moved", "HEAD /ok"}},
		{"/gone", links.Gone, 404, "", []string{"HEAD /gone", "GET /gone"}},
		{"/removed", links.Gone, 410, "", nil},
		{"/moved-away", links.Gone, 404, "/gone", nil},
		{"/broken", links.Failing, 502, "", nil},
		{"/robots-not-welcome", links.Failing, 403, "", nil},
		{"/slow", links.Failing, 0, "", []string{"HEAD /slow"}}, // a timeout is not asked again
		{"/loop", links.Failing, 0, "", nil},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			s.mu.Lock()
			s.requests = nil
			s.mu.Unlock()
			u := s.URL + tc.path
			got := links.Check(context.Background(), []string{u}, nil, fast(s))
			if len(got) != 1 {
				t.Fatalf("%d results, want 1", len(got))
			}
			r := got[0]
			want := ""
			if tc.final != "" {
				want = s.URL + tc.final
			}
			if r.URL != u || r.Status != tc.status || r.Code != tc.code || r.Final != want {
				t.Errorf("got %+v; want status %s, code %d, final %q", r, tc.status, tc.code, want)
			}
			if tc.status == links.Failing && tc.code == 0 && r.Err == "" {
				t.Errorf("a failing URL without a status says nothing: %+v", r)
			}
			if tc.requests != nil {
				s.mu.Lock()
				reqs := s.requests
				s.mu.Unlock()
				if !reflect.DeepEqual(reqs, tc.requests) {
					t.Errorf("requests %q, want %q", reqs, tc.requests)
				}
			}
			if r.Checked.IsZero() {
				t.Error("result not dated")
			}
		})
	}
}

func TestResultString(t *testing.T) {
	for _, tc := range []struct {
		r    links.Result
		want string
	}{
		{links.Result{Status: links.OK, Code: 200}, "ok (200)"},
		{links.Result{Status: links.Redirected, Code: 200, Final: "https://b.example/"}, "redirected (200) to https://b.example/"},
		{links.Result{Status: links.Gone, Code: 404}, "gone (404)"},
		{links.Result{Status: links.Gone, Code: 404, Final: "https://b.example/x"}, "gone (404, after redirects to https://b.example/x)"},
		{links.Result{Status: links.Failing, Code: 503}, "failing (503)"},
		{links.Result{Status: links.Failing, Err: "timeout: no answer in time"}, "failing: timeout: no answer in time"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
}

// TestCache asks only for URLs without a fresh result, and keeps what it
// learns.
func TestCache(t *testing.T) {
	s := newServer(t)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	opt := fast(s)
	opt.Now = func() time.Time { return now }
	opt.MaxAge = time.Hour
	urls := []string{s.URL + "/ok", s.URL + "/gone"}
	cache, err := links.ParseCache(nil)
	if err != nil {
		t.Fatal(err)
	}
	first := links.Check(context.Background(), urls, cache, opt)
	n := s.count()
	if n == 0 || first[0].Cached || first[1].Status != links.Gone {
		t.Fatalf("first run: %d requests, results %+v", n, first)
	}

	// Written and read back, the cache answers a rerun within MaxAge.
	cache, err = links.ParseCache(cache.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(59 * time.Minute)
	second := links.Check(context.Background(), urls, cache, opt)
	if s.count() != n {
		t.Errorf("a rerun within max-age made %d requests", s.count()-n)
	}
	for i := range second {
		if !second[i].Cached || second[i].Status != first[i].Status || second[i].Code != first[i].Code {
			t.Errorf("cached result %+v, want %+v from the cache", second[i], first[i])
		}
	}

	// Past MaxAge, it asks again.
	now = now.Add(2 * time.Minute)
	third := links.Check(context.Background(), urls[:1], cache, opt)
	if s.count() == n || third[0].Cached {
		t.Errorf("a stale result was reused: %+v", third[0])
	}
	if got := cache.Results[urls[0]].Checked; !got.Equal(now) {
		t.Errorf("cache not updated: checked %v, want %v", got, now)
	}

	// The cache file is deterministic and a broken one is an error.
	if a, b := cache.Marshal(), cache.Marshal(); string(a) != string(b) {
		t.Error("Marshal is not deterministic")
	}
	if _, err := links.ParseCache([]byte("{not json")); err == nil {
		t.Error("a broken cache parsed")
	}
}

// TestPolite bounds the requests to one host at once, and spaces them.
func TestPolite(t *testing.T) {
	var inFlight, most atomic.Int32
	var hold atomic.Bool
	hold.Store(true)
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		n := inFlight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		if hold.Load() {
			time.Sleep(20 * time.Millisecond)
		}
		inFlight.Add(-1)
	}))
	defer srv.Close()
	var urls []string
	for i := range 8 {
		urls = append(urls, srv.URL+"/page/"+string(rune('a'+i)))
	}
	opt := links.Options{Client: srv.Client(), Timeout: 5 * time.Second, Workers: 8, PerHost: 2}
	for _, r := range links.Check(context.Background(), urls, nil, opt) {
		if r.Status != links.OK {
			t.Errorf("%s: %s", r.URL, r)
		}
	}
	if m := most.Load(); m > 2 {
		t.Errorf("%d requests at once to one host, want at most 2", m)
	}

	// Answered at once, the requests are still spaced by Delay. The server
	// sees them a little later than they leave, by a varying few
	// milliseconds, hence the slack.
	hold.Store(false)
	starts = nil
	opt.PerHost, opt.Delay = 1, 60*time.Millisecond
	const slack = 15 * time.Millisecond
	links.Check(context.Background(), urls[:3], nil, opt)
	if len(starts) != 3 {
		t.Fatalf("%d requests, want 3", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < opt.Delay-slack {
			t.Errorf("requests %d and %d to one host %v apart, want at least %v", i-1, i, gap, opt.Delay)
		}
	}
}

// TestCollect finds every external URL, once, with every place it is
// cited, and leaves out the site's own and what is not http(s).
func TestCollect(t *testing.T) {
	c := &load.Content{Site: load.Site{BaseURL: "https://example.org/report/"}}
	r := new(load.Release)
	probs := load.Parse("content/releases/acme/acme-7b.md", []byte(`---
title: Acme 7B
sources:
  - https://acme.example.com/7b
  - https://example.org/report/releases/other/
  - not a url
links:
  weights: https://huggingface.co/acme/Acme-7B
benchmarks:
  - name: MMLU
    score: 1
    source: https://acme.example.com/7b
---
See [the card](https://huggingface.co/acme/Acme-7B) and [mail](mailto:a@example.com).
`), r)
	o := new(load.Org)
	probs = append(probs, load.Parse("content/orgs/acme.md", []byte("---\nname: Acme\nwebsite: https://acme.example.com/\nsources: [https://news.example.net/acme]\n---\n"), o)...)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	c.Releases, c.Orgs = []*load.Release{r}, []*load.Org{o}
	var got []string
	for _, tg := range links.Collect(c) {
		var at []string
		for _, p := range tg.At {
			at = append(at, p.String())
		}
		got = append(got, tg.URL+" "+strings.Join(at, " "))
	}
	want := []string{
		"https://acme.example.com/ content/orgs/acme.md:3:10",
		"https://acme.example.com/7b content/releases/acme/acme-7b.md:4:5 content/releases/acme/acme-7b.md:12:13",
		"https://huggingface.co/acme/Acme-7B content/releases/acme/acme-7b.md:8:12 content/releases/acme/acme-7b.md:14:16",
		"https://news.example.net/acme content/orgs/acme.md:4:11",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Collect:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
