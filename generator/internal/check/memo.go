package check

import (
	"crypto/sha256"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// Memo keeps the problems of each release between runs of Check over a
// tree read through a load.Cache, where an unchanged file yields the same
// *load.Release. A release's problems depend only on the release and on
// what it may refer to (the ids of orgs, buckets and licenses, where each
// org speaks for itself, each license's class and URL, the hosts of
// content/sources.yaml, and Options.Today), so Check reuses them while
// both are unchanged. The
// development server keeps one across rebuilds.
type Memo struct {
	mu      sync.Mutex
	context [32]byte
	probs   map[*load.Release][]load.Problem
}

// releases checks every release on all cores, each worker with its own
// list of problems; Check sorts them all at the end.
func (k *checker) releases(check func(*checker, *load.Release)) {
	rs := k.c.Releases
	m := k.opt.Memo
	if m != nil {
		m.begin(k.c, k.opt.Today)
	}
	out := make([][]load.Problem, len(rs))
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if p, ok := m.lookup(rs[i]); ok {
					out[i] = p
					continue
				}
				w := &checker{c: k.c, opt: k.opt}
				check(w, rs[i])
				out[i] = w.probs
				m.store(rs[i], w.probs)
			}
		}()
	}
	for i := range rs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, p := range out {
		k.probs = append(k.probs, p...)
	}
	m.keep(rs)
}

// begin forgets everything when what releases may refer to has changed.
func (m *Memo) begin(c *load.Content, today load.Date) {
	var names []string
	for _, o := range c.Orgs {
		names = append(names, "org "+o.ID)
	}
	for _, b := range c.Buckets {
		names = append(names, "bucket "+b.ID)
	}
	for _, o := range c.Orgs {
		// Where an org speaks for itself decides which sources are
		// primary.
		names = append(names, "org "+o.ID+" speaks at "+o.Website+" "+strings.Join(o.Domains, " ")+
			" hf "+strings.Join(o.HuggingFace, " ")+" gh "+strings.Join(o.GitHub, " "))
	}
	for _, m := range c.Sources.Mirrors {
		names = append(names, "mirror "+m.Host+" "+m.Original+" "+m.Strip+" "+m.Note)
	}
	for _, f := range c.Sources.Farms {
		names = append(names, "farm "+f.Host+" "+f.Note)
	}
	for _, sc := range c.Schemes {
		for _, b := range sc.Buckets {
			names = append(names, "scheme "+sc.ID+" "+b.ID)
		}
	}
	for _, l := range c.Licenses {
		names = append(names, "license "+l.ID+" "+l.Class+" "+l.URL, "license name "+l.Name+" "+l.ID)
		for _, a := range l.Aliases {
			names = append(names, "alias "+a+" "+l.ID)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	h.Write([]byte(today.String() + "\n"))
	for _, n := range names {
		h.Write([]byte(n + "\n"))
	}
	var ctx [32]byte
	h.Sum(ctx[:0])
	m.mu.Lock()
	defer m.mu.Unlock()
	if ctx != m.context || m.probs == nil {
		m.context, m.probs = ctx, map[*load.Release][]load.Problem{}
	}
}

func (m *Memo) lookup(r *load.Release) ([]load.Problem, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.probs[r]
	return p, ok
}

func (m *Memo) store(r *load.Release, p []load.Problem) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.probs[r] = p
	m.mu.Unlock()
}

// keep forgets releases that are gone.
func (m *Memo) keep(rs []*load.Release) {
	if m == nil {
		return
	}
	live := make(map[*load.Release]bool, len(rs))
	for _, r := range rs {
		live[r] = true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for r := range m.probs {
		if !live[r] {
			delete(m.probs, r)
		}
	}
}
