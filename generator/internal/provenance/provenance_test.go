package provenance_test

import (
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/provenance"
)

var sources = &load.Sources{
	Mirrors: []load.Mirror{
		{Host: "hf-mirror.com", Original: "huggingface.co", Note: "Hugging Face mirror"},
		{Host: "*.workers.dev"},
		{Host: "hf.example.workers.dev", Original: "huggingface.co"},
		{Host: "arxiv-vanity.com", Original: "arxiv.org/abs", Strip: "/papers"},
		{Host: "gr.example.rip", Original: "huggingface.co", Strip: "/models"},
		{Host: "voozh.deno.dev"},
		{Host: "apis.example.workers.dev"},
	},
	Farms: []load.Farm{
		{Host: "aiwiki.ai", Note: "AI-written wiki"},
		{Host: "raw.githubusercontent.com/catalogue/models.dev"},
		{Host: "alphaxiv.org/overview"},
	},
}

var org = &load.Org{
	Name:        "Acme AI",
	Website:     "https://www.acme.example.com/",
	Domains:     []string{"acme.ai"},
	HuggingFace: load.Names{"acme-ai", "Acme-Community"},
	GitHub:      []string{"acme-labs"},
}

var license = &load.License{URL: "https://acme.example.net/license/"}

func TestJudge(t *testing.T) {
	rules := provenance.New(sources)
	for _, tc := range []struct {
		url      string
		kind     provenance.Kind
		original string // for mirrors
	}{
		// The org's own places.
		{url: "https://www.acme.example.com/news/acme-7b", kind: provenance.Primary},
		{url: "https://acme.example.com/", kind: provenance.Primary},
		{url: "https://docs.acme.example.com/x", kind: provenance.Primary},
		{url: "https://acme.ai/blog", kind: provenance.Primary},
		{url: "https://research.acme.ai/blog", kind: provenance.Primary},
		{url: "https://huggingface.co/acme-ai/Acme-7B", kind: provenance.Primary},
		{url: "https://huggingface.co/acme-community/Acme-7B", kind: provenance.Primary}, // names compare without case
		{url: "https://HuggingFace.co./acme-ai/Acme-7B", kind: provenance.Primary},
		{url: "https://huggingface.co:443/acme-ai", kind: provenance.Primary},
		{url: "https://huggingface.co/datasets/acme-ai/corpus", kind: provenance.Primary},
		{url: "https://huggingface.co/spaces/acme-ai/demo", kind: provenance.Primary},
		{url: "https://huggingface.co/blog/acme-ai/acme-7b", kind: provenance.Primary},
		{url: "https://github.com/acme-labs/acme", kind: provenance.Primary},
		{url: "https://raw.githubusercontent.com/acme-labs/acme/main/README.md", kind: provenance.Primary},
		{url: "https://acme-labs.github.io/acme-7b/", kind: provenance.Primary},
		// Papers and the license text.
		{url: "https://arxiv.org/abs/2601.00001", kind: provenance.Primary},
		{url: "https://doi.org/10.1000/xyz", kind: provenance.Primary},
		{url: "http://acme.example.net/license", kind: provenance.Primary},
		// Anything else.
		{url: "https://acme.example.net/other", kind: provenance.Secondary},
		{url: "https://notacme.ai/x", kind: provenance.Secondary},
		{url: "https://huggingface.co/someone/Acme-7B-GGUF", kind: provenance.Secondary},
		{url: "https://huggingface.co/blog/acme-7b", kind: provenance.Secondary}, // Hugging Face's own post
		{url: "https://huggingface.co/papers/2601.00001", kind: provenance.Secondary},
		{url: "https://github.com/someone-else/acme", kind: provenance.Secondary},
		{url: "https://raw.githubusercontent.com/catalogue/models.dev2/x", kind: provenance.Secondary},
		{url: "https://alphaxiv.org/abs/2601.00001", kind: provenance.Secondary},
		{url: "https://workers.dev/", kind: provenance.Secondary}, // *. is subdomains only
		{url: "https://huggingface.co/collections/acme-ai/acme-7b", kind: provenance.Primary},
		{url: "https://github.com/orgs/acme-labs/repositories", kind: provenance.Primary},
		{url: "https://github.com/orgs/someone-else/repositories", kind: provenance.Secondary},
		// Farms, by host and by path.
		{url: "https://aiwiki.ai/wiki/acme", kind: provenance.Farm},
		{url: "https://de.aiwiki.ai/wiki/acme", kind: provenance.Farm},
		{url: "https://raw.githubusercontent.com/catalogue/models.dev/main/acme.toml", kind: provenance.Farm},
		{url: "https://alphaxiv.org/overview/2601.00001", kind: provenance.Farm},
		// Mirrors, with the original derived where it can be.
		{url: "https://hf-mirror.com/acme-ai/Acme-7B/blob/main/README.md", kind: provenance.Mirror, original: "https://huggingface.co/acme-ai/Acme-7B/blob/main/README.md"},
		{url: "https://api-inference.hf-mirror.com/acme-ai/Acme-7B", kind: provenance.Mirror, original: "https://huggingface.co/acme-ai/Acme-7B"},
		{url: "https://hf-mirror.com", kind: provenance.Mirror, original: "https://huggingface.co/"},
		{url: "https://hf.example.workers.dev/acme-ai/Acme-7B/resolve/main/README.md?download=true", kind: provenance.Mirror, original: "https://huggingface.co/acme-ai/Acme-7B/resolve/main/README.md?download=true"},
		{url: "https://other.workers.dev/acme-ai/Acme-7B", kind: provenance.Mirror},
		{url: "https://www.arxiv-vanity.com/papers/2403.15484", kind: provenance.Mirror, original: "https://arxiv.org/abs/2403.15484"},
		{url: "https://gr.example.rip/models/acme-ai/Acme-7B", kind: provenance.Mirror, original: "https://huggingface.co/acme-ai/Acme-7B"},
		{url: "https://voozh.deno.dev/url/https://huggingface.co/acme-ai/Acme-7B", kind: provenance.Mirror, original: "https://huggingface.co/acme-ai/Acme-7B"},
		{url: "https://apis.example.workers.dev/https-en.wikipedia.org/wiki/Acme_(model)", kind: provenance.Mirror, original: "https://en.wikipedia.org/wiki/Acme_(model)"},
		// A mirror of the org's own pages is still a mirror.
		{url: "https://hf-mirror.com/acme-ai/Acme-7B", kind: provenance.Mirror, original: "https://huggingface.co/acme-ai/Acme-7B"},
	} {
		got := rules.Judge(tc.url, org, []*load.License{license})
		if got.Kind != tc.kind || got.Original != tc.original {
			t.Errorf("Judge(%s) = %s, original %q; want %s, original %q", tc.url, got.Kind, got.Original, tc.kind, tc.original)
		}
	}
}

// TestEntry names the sources.yaml entry that judged a URL.
func TestEntry(t *testing.T) {
	rules := provenance.New(sources)
	for url, want := range map[string]string{
		"https://other.workers.dev/x":                                   "*.workers.dev",
		"https://hf.example.workers.dev/x":                              "hf.example.workers.dev",
		"https://api-inference.hf-mirror.com/x":                         "hf-mirror.com",
		"https://raw.githubusercontent.com/catalogue/models.dev/main/x": "raw.githubusercontent.com/catalogue/models.dev",
		"https://news.example.net/x":                                    "",
	} {
		if got := rules.Judge(url, org, nil).Entry; got != want {
			t.Errorf("Judge(%s).Entry = %q, want %q", url, got, want)
		}
	}
}

// TestJudgeUnknownOrg: without an org, only papers and the license text
// are primary.
func TestJudgeUnknownOrg(t *testing.T) {
	rules := provenance.New(nil)
	for url, want := range map[string]provenance.Kind{
		"https://arxiv.org/abs/2601.00001":      provenance.Primary,
		"https://huggingface.co/acme-ai/Acme":   provenance.Secondary,
		"https://hf-mirror.com/acme-ai/Acme-7B": provenance.Secondary, // no sources.yaml: no mirrors
	} {
		if got := rules.Judge(url, nil, nil).Kind; got != want {
			t.Errorf("Judge(%s) = %s, want %s", url, got, want)
		}
	}
}

// TestRelease judges the URLs of every citing field, in order, and skips
// values that are not http(s) URLs.
func TestRelease(t *testing.T) {
	r := &load.Release{
		Sources:    []string{"https://huggingface.co/acme-ai/Acme-7B", "not a url", "https://aiwiki.ai/wiki/acme"},
		Links:      load.Links{Weights: "https://huggingface.co/acme-ai/Acme-7B", Announcement: "https://hf-mirror.com/blog/acme-ai/x"},
		Benchmarks: []load.Benchmark{{Name: "MMLU", Score: 1, Source: "https://news.example.net/x"}, {Name: "GSM8K", Score: 2}},
	}
	got := provenance.New(sources).Release(r, org, nil)
	want := []struct {
		field string
		kind  provenance.Kind
	}{
		{"sources.0", provenance.Primary},
		{"sources.2", provenance.Farm},
		{"links.weights", provenance.Primary},
		{"links.announcement", provenance.Mirror},
		{"benchmarks.0.source", provenance.Secondary},
	}
	if len(got) != len(want) {
		t.Fatalf("judged %d URLs, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Field != w.field || got[i].Kind != w.kind {
			t.Errorf("URL %d: %s %s, want %s %s", i, got[i].Field, got[i].Kind, w.field, w.kind)
		}
	}
	if !provenance.HasPrimary(got) || provenance.HasPrimary(got[1:2]) {
		t.Error("HasPrimary is wrong")
	}
}

// TestSharedHosts: a website or domain on a host many makers share does
// not make the whole host the org's own.
func TestSharedHosts(t *testing.T) {
	small := &load.Org{Website: "https://github.com/small-lab", Domains: []string{"huggingface.co", "small-lab.github.io"}}
	rules := provenance.New(nil)
	for url, want := range map[string]provenance.Kind{
		"https://github.com/someone-else/x":     provenance.Secondary,
		"https://huggingface.co/someone-else/x": provenance.Secondary,
		"https://small-lab.github.io/blog/x":    provenance.Primary,
		"https://other-lab.github.io/blog/x":    provenance.Secondary,
		"https://www.huggingface.co/someone/x":  provenance.Secondary,
	} {
		if got := rules.Judge(url, small, nil).Kind; got != want {
			t.Errorf("Judge(%s) = %s, want %s", url, got, want)
		}
	}
}
