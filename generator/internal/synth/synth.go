// Package synth makes a synthetic content tree for benchmarks and scale
// tests: any number of releases in the real schema, deterministic for a
// given seed.
//
// Generate returns files as values (a path under the site's root and its
// bytes); it never touches the file system, so the caller decides where
// they go. The tree it returns holds content/site.yaml, content/orgs/,
// content/releases/ and content/reports/. Buckets and licenses are not
// invented: the caller passes the ids of the real ones (the shipped
// content/buckets and content/licenses) and copies those files beside the
// generated ones.
//
// The corpus looks like the real one, only bigger:
//
//   - about 300 orgs of every kind, from a dozen countries, a third with an
//     editors' default bucket, mostly the one their kind suggests (when the
//     buckets are the shipped ones); release counts per org follow a Zipf law, so
//     the largest org has about a sixth of all releases (8,000 of 50,000);
//   - releases dated from 2023-01-01 to 2026-09-30, every license used;
//   - front matter like a hand-written entry (sources, links, benchmarks,
//     tags, parameter counts) and a Markdown body with paragraphs, a list,
//     a table and links: about 1.8 KB a file;
//   - one report per quarter with three picks from its period.
package synth

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// File is one generated file.
type File struct {
	Path string // slash-separated, relative to the site's root
	Data []byte
}

// Options says what to generate.
type Options struct {
	Releases int
	// Orgs is the number of orgs; 0 means 300, and there are never more
	// orgs than releases (but at least one).
	Orgs int
	// Licenses and Buckets are the ids of the site's licenses and buckets.
	// Every license is used when there are enough releases. Buckets are
	// used for org defaults and editorial overrides; with none, no org
	// or release names a bucket.
	Licenses []string
	Buckets  []string
	// Seed varies the corpus; the same seed gives the same bytes.
	Seed uint64
}

// First and Last bound the generated release dates.
var (
	First = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	Last  = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
)

var (
	kinds     = []string{"lab", "chip-vendor", "cloud", "bigtech", "product-company", "state-program", "research", "nonprofit"}
	countries = []string{"US", "CN", "FR", "DE", "GB", "KR", "JP", "AE", "IN", "CA", "SG", "IL", "CH", "SE"}
	syllables = []string{"ka", "zo", "ri", "mer", "lu", "vex", "sa", "tor", "nia", "qu", "bel", "dra", "fin", "go", "hal", "ix", "jun", "ko", "lor", "mi", "nor", "pa", "ren", "sol", "tek", "ul", "vo", "wen", "yar", "zen"}
	hardware  = []string{"NVIDIA", "AMD", "Google TPU", "Intel Gaudi", "AWS Trainium", "Huawei Ascend"}
	archs     = []string{"dense", "moe", "hybrid", "other"}
	// Every modality but code, so that a test can bring one in.
	modals   = []string{"text", "image", "video", "audio", "speech", "3d", "time-series", "tabular", "embedding", "action", "labels"}
	langs    = []string{"en", "fr", "de", "zh", "ja", "ko", "ar", "hi", "es", "pt", "multilingual"}
	tags     = []string{"reasoning", "small", "fine-tune", "base", "instruct", "long-context", "agentic", "multimodal", "distilled", "open-recipe", "on-device", "research"}
	benches  = []string{"MMLU", "GPQA", "MATH-500", "HumanEval", "AIME 24", "LiveCodeBench", "SWE-bench Verified", "IFEval"}
	suffixes = []string{"Base", "Instruct", "Chat", "Coder", "Vision", "Reasoner", "Mini", "Flash", "Pro", "Omni"}
	sizes    = []string{"135M", "360M", "1B", "1.5B", "3B", "4B", "7B", "8B", "12B", "14B", "24B", "32B", "70B", "120B", "235B", "405B", "671B", "1T"}
	words    = strings.Fields(`the model was trained on a mixture of public web text code and synthetic data with a
curriculum that favours harder examples late in training and the team reports careful deduplication filtering
and evaluation against held out sets while the release includes weights tokenizer configuration and a short
technical note describing the recipe the maker says it will keep publishing checkpoints as the work continues`)
)

// likely is the bucket of the shipped scheme an org's kind suggests.
var likely = map[string]string{
	"lab": "model-maker", "research": "model-maker", "nonprofit": "model-maker",
	"chip-vendor": "upsell", "cloud": "upsell", "bigtech": "upsell",
	"state-program": "sovereign", "product-company": "product",
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// org is a generated org and the facts its releases draw on.
type org struct {
	id, name, kind, country, bucket, hf string
	state                               bool
}

// Generate returns the content tree described by opt, sorted by path.
func Generate(opt Options) []File {
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	nOrgs := opt.Orgs
	if nOrgs == 0 {
		nOrgs = 300
	}
	nOrgs = max(1, min(nOrgs, opt.Releases))

	var files []File
	add := func(p, s string) { files = append(files, File{p, []byte(s)}) }
	add("content/site.yaml", "title: Why Open (synthetic)\nbase_url: https://whyopen.example.org/\n"+
		"description: A synthetic corpus for benchmarks.\nperiod: quarter\n")

	orgs := make([]org, nOrgs)
	seen := map[string]bool{}
	for i := range orgs {
		o := &orgs[i]
		for {
			n := 2 + rng.IntN(2)
			var b strings.Builder
			for range n {
				b.WriteString(syllables[rng.IntN(len(syllables))])
			}
			o.id = b.String()
			if !seen[o.id] {
				break
			}
		}
		seen[o.id] = true
		o.name = strings.ToUpper(o.id[:1]) + o.id[1:] + []string{" AI", " Labs", "", " Research", " Systems"}[rng.IntN(5)]
		o.kind = kinds[i%len(kinds)]
		o.country = countries[rng.IntN(len(countries))]
		o.state = o.kind == "state-program" || rng.IntN(20) == 0
		if len(opt.Buckets) > 0 && rng.IntN(3) == 0 {
			// Editors mostly agree with what the org's kind suggests.
			o.bucket = likely[o.kind]
			if !contains(opt.Buckets, o.bucket) || rng.IntN(5) == 0 {
				o.bucket = opt.Buckets[rng.IntN(len(opt.Buckets))]
			}
		}
		o.hf = strings.ToUpper(o.id[:1]) + o.id[1:]
		add("content/orgs/"+o.id+".md", orgFile(rng, o))
	}

	// Zipf weights: org k gets a share proportional to 1/(k+1).
	cum := make([]float64, nOrgs)
	total := 0.0
	for k := range cum {
		total += 1 / float64(k+1)
		cum[k] = total
	}
	days := int(Last.Sub(First).Hours()/24) + 1
	type rel struct {
		slug string
		date time.Time
	}
	var rels []rel
	for i := range opt.Releases {
		// Every org has at least one release; the rest follow the law.
		k := i
		if i >= nOrgs {
			x := rng.Float64() * total
			k = sort.SearchFloat64s(cum, x)
			k = min(k, nOrgs-1)
		}
		o := &orgs[k]
		lic := ""
		if len(opt.Licenses) > 0 {
			if i < len(opt.Licenses) {
				lic = opt.Licenses[i]
			} else {
				lic = opt.Licenses[rng.IntN(len(opt.Licenses))]
			}
		}
		date := First.AddDate(0, 0, rng.IntN(days))
		slug := fmt.Sprintf("%s-%s-%d", o.id, strings.ToLower(suffixes[rng.IntN(len(suffixes))]), i)
		rels = append(rels, rel{slug, date})
		add("content/releases/"+o.id+"/"+slug+".md", releaseFile(rng, o, i, lic, date, opt.Buckets))
	}

	// One report per quarter with releases, with the first three of each
	// quarter (by slug) as picks.
	sort.Slice(rels, func(i, j int) bool { return rels[i].slug < rels[j].slug })
	number := 0
	for q := First; q.Before(Last); q = q.AddDate(0, 3, 0) {
		to := q.AddDate(0, 3, -1)
		var picks []string
		for _, r := range rels {
			if !r.date.Before(q) && !r.date.After(to) {
				picks = append(picks, r.slug)
				if len(picks) == 3 {
					break
				}
			}
		}
		if len(picks) == 0 {
			continue
		}
		number++
		id := fmt.Sprintf("%d-q%d", q.Year(), (int(q.Month())-1)/3+1)
		var b strings.Builder
		fmt.Fprintf(&b, "---\nnumber: %d\ntitle: Open releases, %d Q%d\nfrom: %s\nto: %s\npublished: %s\n",
			number, q.Year(), (int(q.Month())-1)/3+1, day(q), day(to), day(to.AddDate(0, 0, 14)))
		b.WriteString("summary: What was released this quarter, and why.\npicks:\n")
		for _, p := range picks {
			fmt.Fprintf(&b, "  - release: %s\n    blurb: A pick of the quarter, for its recipe and its license.\n", p)
		}
		b.WriteString("---\n")
		b.WriteString(paragraph(rng, 60) + "\n\n" + paragraph(rng, 60) + "\n")
		add("content/reports/"+id+".md", b.String())
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func orgFile(rng *rand.Rand, o *org) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\nname: %s\nkind: %s\ncountry: %s\nstate_backed: %t\n", o.name, o.kind, o.country, o.state)
	if o.bucket != "" {
		fmt.Fprintf(&b, "bucket: %s\n", o.bucket)
	}
	fmt.Fprintf(&b, "website: https://%s.example.com/\nhuggingface: %s\nsources:\n  - https://%s.example.com/about\n---\n", o.id, o.hf, o.id)
	b.WriteString(paragraph(rng, 70) + "\n")
	return b.String()
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// some returns 1 to n distinct elements of xs, in the order of xs.
func some(rng *rand.Rand, xs []string, n int) []string {
	k := 1 + rng.IntN(n)
	idx := rng.Perm(len(xs))[:k]
	sort.Ints(idx)
	out := make([]string, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func releaseFile(rng *rand.Rand, o *org, i int, lic string, date time.Time, buckets []string) string {
	var b strings.Builder
	name := fmt.Sprintf("%s %s %d", o.hf, pick(rng, suffixes), i)
	si := rng.IntN(len(sizes))
	size, arch := sizes[si], pick(rng, archs)
	if arch == "moe" && si < 4 {
		arch = "dense" // no mixture of experts smaller than its experts
	}
	fmt.Fprintf(&b, "---\ntitle: %s\norg: %s\ndate: %s\nlicense: %s\n", name, o.id, day(date), lic)
	fmt.Fprintf(&b, "summary: %s's %s model, released with weights and a short technical note on how it was trained.\n", o.name, size)
	fmt.Fprintf(&b, "params_total: %s\n", size)
	if arch == "moe" {
		fmt.Fprintf(&b, "params_active: %s\n", []string{"100M", "400M", "1B"}[rng.IntN(3)])
	}
	fmt.Fprintf(&b, "architecture: %s\ncontext: %s\n", arch, pick(rng, []string{"8K", "32K", "128K", "1M"}))
	fmt.Fprintf(&b, "modality_in: [%s]\nmodality_out: [%s]\nlanguages: [%s]\n", strings.Join(some(rng, modals, 3), ", "), strings.Join(some(rng, modals, 2), ", "), strings.Join(some(rng, langs, 3), ", "))
	if o.kind == "chip-vendor" && rng.IntN(2) == 0 {
		fmt.Fprintf(&b, "trained_on: %s\n", o.hf)
	} else {
		fmt.Fprintf(&b, "trained_on: %s\n", pick(rng, hardware))
	}
	if o.kind == "product-company" || rng.IntN(10) == 0 {
		fmt.Fprintf(&b, "product: %s's assistant\n", o.name)
	}
	if len(buckets) > 0 && rng.IntN(25) == 0 {
		fmt.Fprintf(&b, "bucket: %s\nbucket_note: The editors read the announcement as being about %s.\n", buckets[rng.IntN(len(buckets))], o.name)
	}
	repo := fmt.Sprintf("https://huggingface.co/%s/%s-%d", o.hf, strings.ToLower(o.hf), i)
	fmt.Fprintf(&b, "links:\n  weights: %s\n  report: https://arxiv.org/abs/%d.%05d\n", repo, 2300+rng.IntN(400), rng.IntN(100000))
	b.WriteString("benchmarks:\n")
	for _, n := range some(rng, benches, 2) {
		fmt.Fprintf(&b, "  - name: %s\n    score: %.1f\n", n, 20+rng.Float64()*75)
	}
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(some(rng, tags, 3), ", "))
	fmt.Fprintf(&b, "sources:\n  - %s\n  - https://%s.example.com/blog/release-%d\n---\n", repo, o.id, i)

	// The body: about 1.5 KB with a list, a table and links.
	fmt.Fprintf(&b, "%s went public on %s. %s\n\n", name, date.Format("2 January 2006"), paragraph(rng, 60))
	b.WriteString("What shipped:\n\n")
	fmt.Fprintf(&b, "- base and instruction-tuned checkpoints of the %s model\n", size)
	fmt.Fprintf(&b, "- the tokenizer and a [model card](%s)\n", repo)
	fmt.Fprintf(&b, "- a [technical note](https://%s.example.com/blog/release-%d) on data and training\n\n", o.id, i)
	b.WriteString("| Setting | Value |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| Parameters | %s |\n| Architecture | %s |\n| License | `%s` |\n\n", size, arch, lic)
	fmt.Fprintf(&b, "%s Read more on [Hugging Face](%s) or write to <mailto:press@%s.example.com>.\n", paragraph(rng, 50), repo, o.id)
	return b.String()
}

// paragraph is n words of filler prose, as a sentence or a few.
func paragraph(rng *rand.Rand, n int) string {
	var b strings.Builder
	start := true
	for j := range n {
		w := pick(rng, words)
		if start {
			w = strings.ToUpper(w[:1]) + w[1:]
			start = false
		}
		b.WriteString(w)
		switch {
		case j == n-1:
			b.WriteString(".")
		case rng.IntN(14) == 0:
			b.WriteString(". ")
			start = true
		default:
			b.WriteString(" ")
		}
	}
	return b.String()
}
