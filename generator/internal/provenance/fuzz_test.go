package provenance_test

import (
	"net/url"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

// FuzzJudge judges any text as a URL: it never panics, gives one of the
// four kinds, and derives for a mirror only an http(s) URL, or nothing.
func FuzzJudge(f *testing.F) {
	for _, s := range []string{
		"https://hf-mirror.com/acme-ai/Acme-7B/blob/main/README.md",
		"https://voozh.deno.dev/url/https://huggingface.co/acme-ai/Acme-7B",
		"https://apis.example.workers.dev/https-en.wikipedia.org/wiki/Acme_(model)",
		"https://www.arxiv-vanity.com/papers/2403.15484",
		"https://huggingface.co/acme-ai",
		"https://HuggingFace.co./acme-ai/Acme-7B?x=1#y",
		"https://acme-labs.github.io/",
		"http://[::1]:80/x",
		"https://x.workers.dev/http:/",
		"not a url",
		"",
	} {
		f.Add(s)
	}
	rules := provenance.New(sources)
	f.Fuzz(func(t *testing.T, s string) {
		u := rules.Judge(s, org, []*load.License{license})
		switch u.Kind {
		case provenance.Primary, provenance.Secondary, provenance.Farm:
			if u.Original != "" {
				t.Errorf("%q: a %s with an original %q", s, u.Kind, u.Original)
			}
		case provenance.Mirror:
			if u.Original != "" {
				p, err := url.Parse(u.Original)
				if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
					t.Errorf("%q: derived original %q is not an http(s) URL", s, u.Original)
				}
			}
		default:
			t.Errorf("%q: kind %q", s, u.Kind)
		}
	})
}
