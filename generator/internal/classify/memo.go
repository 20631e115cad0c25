package classify

import "github.com/whyopen/whyopen/generator/internal/load"

// Memo keeps each release's classification between runs over a tree read
// through a load.Cache, where an unchanged file yields the same
// *load.Release. A release's classification depends only on the release
// and on the orgs, licenses, buckets and schemes, so it is reused while
// they are the same values and content/sources.yaml says the same. The
// development server keeps one across rebuilds.
type Memo struct {
	context []any
	rs      map[*load.Release]*Release
}

// begin forgets everything when the orgs, licenses or buckets changed.
func (m *Memo) begin(c *load.Content) {
	if m == nil {
		return
	}
	var ctx []any
	for _, o := range c.Orgs {
		ctx = append(ctx, o)
	}
	for _, l := range c.Licenses {
		ctx = append(ctx, l)
	}
	for _, b := range c.Buckets {
		ctx = append(ctx, b)
	}
	// sources.yaml is read anew each time: compare what it says.
	for _, m := range c.Sources.Mirrors {
		ctx = append(ctx, m)
	}
	for _, f := range c.Sources.Farms {
		ctx = append(ctx, f)
	}
	for _, sc := range c.Schemes {
		ctx = append(ctx, sc)
		for _, b := range sc.Buckets {
			ctx = append(ctx, b)
		}
	}
	same := len(ctx) == len(m.context)
	for i := 0; same && i < len(ctx); i++ {
		same = ctx[i] == m.context[i]
	}
	if !same || m.rs == nil {
		m.context, m.rs = ctx, map[*load.Release]*Release{}
	}
}

func (m *Memo) one(cat *Catalog, lr *load.Release) *Release {
	if m == nil {
		return One(cat, lr)
	}
	if r, ok := m.rs[lr]; ok {
		return r
	}
	r := One(cat, lr)
	m.rs[lr] = r
	return r
}

// keep forgets releases that are gone.
func (m *Memo) keep(rs []*Release) {
	if m == nil || len(m.rs) == len(rs) {
		return
	}
	live := make(map[*load.Release]bool, len(rs))
	for _, r := range rs {
		live[r.Release] = true
	}
	for lr := range m.rs {
		if !live[lr] {
			delete(m.rs, lr)
		}
	}
}
