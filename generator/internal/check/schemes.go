package check

import (
	"reflect"
	"sort"
	"strconv"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// schemes checks the further bucket schemes: their ids, files and
// buckets, and the correspondence each declares to the primary scheme's
// buckets, given as primary. It returns each scheme's bucket ids by
// scheme id.
func (k *checker) schemes(primary map[string]bool) map[string]map[string]bool {
	c := k.c
	out := map[string]map[string]bool{}
	pid := c.Site.PrimarySchemeID()
	for _, sc := range c.Schemes {
		if !ValidSlug(sc.ID) {
			k.errorf(load.Pos{File: sc.File}, "bad scheme id %q in the directory name: use lowercase letters, digits and single hyphens, dots or underscores between them", sc.ID)
			continue
		}
		if sc.ID == pid {
			k.errorf(load.Pos{File: sc.File}, "scheme id %q is the primary scheme's (content/buckets/): rename the directory or site.yaml's scheme", sc.ID)
			continue
		}
		k.tags(&sc.Doc, reflect.ValueOf(*sc), "")
		k.body(&sc.Doc)
		if len(sc.Buckets) == 0 {
			k.errorf(load.Pos{File: sc.File}, "scheme %q has no buckets: add one file per bucket beside scheme.md", sc.ID)
		}
		known := ids(k, "bucket", sc.Buckets)
		for _, b := range sc.Buckets {
			k.tags(&b.Doc, reflect.ValueOf(*b), "")
			k.signals(b)
			k.body(&b.Doc)
		}
		for _, id := range sortedKeys(sc.Corresponds) {
			k.ref(&sc.Doc, "corresponds."+id, id, "bucket of scheme "+sc.ID, known)
			for i, p := range sc.Corresponds[id] {
				k.ref(&sc.Doc, "corresponds."+id+"."+strconv.Itoa(i), p, "bucket of the primary scheme", primary)
			}
		}
		out[sc.ID] = known
	}
	return out
}

// schemeRefs checks an org's or release's buckets and notes in the
// further schemes: each key must name a scheme and each bucket one of
// its buckets. For a release, a note without a bucket is a warning, as
// bucket_note without bucket is.
func (k *checker) schemeRefs(d *load.Doc, buckets, notes map[string]string, schemes map[string]map[string]bool, release bool) {
	if len(buckets)+len(notes) == 0 {
		return
	}
	var names []string
	for id := range schemes {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range sortedKeys(buckets) {
		known, ok := schemes[id]
		if !ok {
			k.errorf(d.Pos("buckets."+id), "unknown scheme %q%s", id, load.DidYouMean(id, names))
			continue
		}
		k.ref(d, "buckets."+id, buckets[id], "bucket of scheme "+id, known)
	}
	for _, id := range sortedKeys(notes) {
		if _, ok := schemes[id]; !ok {
			k.errorf(d.Pos("bucket_notes."+id), "unknown scheme %q%s", id, load.DidYouMean(id, names))
			continue
		}
		if _, ok := buckets[id]; release && !ok {
			k.warnf(d.Pos("bucket_notes."+id), "bucket_notes.%s without buckets.%s: the note explains an editorial bucket", id, id)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
