package synth

import (
	"strings"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// Parse decodes files, as Generate returns them, into a content tree
// without touching the disk, the way load.Dir would read them. Benchmarks
// use it to measure a stage without measuring the disk.
func Parse(files []File) (*load.Content, []load.Problem) {
	c := &load.Content{}
	var probs []load.Problem
	for _, f := range files {
		var v any
		switch {
		case f.Path == "content/site.yaml":
			probs = append(probs, load.ParseYAML(f.Path, f.Data, &c.Site)...)
			continue
		case strings.HasPrefix(f.Path, "content/releases/"):
			r := new(load.Release)
			c.Releases = append(c.Releases, r)
			v = r
		case strings.HasPrefix(f.Path, "content/orgs/"):
			o := new(load.Org)
			c.Orgs = append(c.Orgs, o)
			v = o
		case strings.HasPrefix(f.Path, "content/buckets/"):
			b := new(load.Bucket)
			c.Buckets = append(c.Buckets, b)
			v = b
		case strings.HasPrefix(f.Path, "content/licenses/"):
			l := new(load.License)
			c.Licenses = append(c.Licenses, l)
			v = l
		case strings.HasPrefix(f.Path, "content/reports/"):
			r := new(load.Report)
			c.Reports = append(c.Reports, r)
			v = r
		default:
			continue
		}
		probs = append(probs, load.Parse(f.Path, f.Data, v)...)
	}
	return c, probs
}
