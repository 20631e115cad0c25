package build_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSourceKinds builds a site whose release cites a primary, a
// secondary and a farm source and lists variants: the release page shows
// each URL's kind and the variants, and /methodology/ reports how the
// corpus is sourced.
func TestSourceKinds(t *testing.T) {
	src := extract(t, "testdata/site.txtar")
	write := func(name, data string) {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/sources.yaml", "farms:\n  - host: aiwiki.ai\n    note: AI-written wiki\n")
	p := filepath.Join(src, "content", "releases", "chipco", "chip-7b.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	release := strings.Replace(string(data), "sources: [https://example.com/chip-7b]",
		"sources: [https://example.com/chip-7b, https://news.example.net/chip, https://aiwiki.ai/wiki/chip]\nvariants:\n  - name: Chip 7B Base\n    license: apache2\n    params_total: 7B\n  - name: Chip 3B\n    params_total: 3B\n    params_active: 1B", 1)
	write("content/releases/chipco/chip-7b.md", release)

	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, src, out) // check's warning about the farm is tested in package check
	page := read(t, filepath.Join(out, "releases", "chip-7b", "index.html"))
	for _, want := range []string{
		`<a href="https://example.com/chip-7b" rel="noopener">https://example.com/chip-7b</a> <span class="kind kind-primary">primary</span>`,
		`<a href="https://news.example.net/chip" rel="noopener">https://news.example.net/chip</a> <span class="kind kind-secondary">secondary</span>`,
		`<a href="https://aiwiki.ai/wiki/chip" rel="noopener">https://aiwiki.ai/wiki/chip</a> <span class="kind kind-farm" title="AI-written wiki">farm</span>`,
		`<tr><th scope="row">Chip 7B Base</th><td><a href="/report/licenses/apache-2.0/">Apache License 2.0</a> <span class="class class-open">open</span></td><td class="num">7B</td></tr>`,
		`<tr><th scope="row">Chip 3B</th><td><a href="/report/licenses/community/">Community License</a>`, // the release's
		`<td class="num">3B (1B active)</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("release page lacks %s", want)
		}
	}
	m := read(t, filepath.Join(out, "methodology", "index.html"))
	for _, re := range []string{
		`<p class="sourcing-overall" data-releases="(\d+)" data-primary="(\d+)">`,
		`<tr data-kind="farm" data-n="1">`,
		`<tr data-kind="secondary" data-n="1">`,
		`<tr data-band="all" data-n="\d+">`,
		`<tr data-host="example.com"><th scope="row">example.com</th><td class="num">\d+</td>`,
		`<tr data-host="aiwiki.ai">`,
	} {
		if !regexp.MustCompile(re).MatchString(m) {
			t.Errorf("methodology lacks %s", re)
		}
	}
	if sm := regexp.MustCompile(`data-releases="(\d+)" data-primary="(\d+)"`).FindStringSubmatch(m); sm == nil || sm[1] != sm[2] || sm[1] == "0" {
		t.Errorf("every fixture release cites its org's own site, but methodology says %v", sm)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
