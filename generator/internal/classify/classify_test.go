package classify_test

import (
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/classify"
	"github.com/whyopen/whyopen/generator/internal/synth"
)

// site is a small content tree whose sovereign signals are the bundled
// report's: state backing, a government programme and a national language.
func site(releases ...synth.File) []synth.File {
	files := []synth.File{
		{Path: "content/site.yaml", Data: []byte("title: T\nbase_url: https://example.org/\ndescription: D\nperiod: quarter\n")},
		{Path: "content/buckets/maker.md", Data: []byte("---\ntitle: Model makers\norder: 1\ncolor: \"#000000\"\nquestion: Q\nsignals:\n  - fact: org.kind\n    in: [lab]\n    weight: 3\n  - fact: org.programme\n    in: [\"true\"]\n    weight: -1\n---\n")},
		{Path: "content/buckets/sovereign.md", Data: []byte("---\ntitle: Sovereign AI\norder: 2\ncolor: \"#000000\"\nquestion: Q\nsignals:\n  - fact: org.state_backed\n    in: [\"true\"]\n    weight: 4\n  - fact: org.programme\n    in: [\"true\"]\n    weight: 4\n  - fact: national_language\n    in: [\"true\"]\n    weight: 2\n---\n")},
		{Path: "content/licenses/mit.md", Data: []byte("---\nname: MIT\nclass: open\nurl: https://opensource.org/license/mit\n---\n")},
		{Path: "content/orgs/lab.md", Data: []byte("---\nname: Lab\nkind: lab\ncountry: CA\nnational_languages: [en, fr]\nprogrammes:\n  - name: a compute strategy\n    since: 2024-12-06\n    source: https://example.org/p\n---\n")},
		{Path: "content/orgs/inst.md", Data: []byte("---\nname: Inst\nkind: research\ncountry: US\n---\n")},
		{Path: "content/orgs/npo.md", Data: []byte("---\nname: NPO\nkind: nonprofit\ncountry: US\n---\n")},
	}
	return append(files, releases...)
}

func release(slug, org, date, langs string) synth.File {
	fm := "---\ntitle: " + slug + "\norg: " + org + "\ndate: " + date + "\nlicense: mit\nsources: [https://example.org/" + slug + "]\n"
	if langs != "" {
		fm += "languages: " + langs + "\n"
	}
	return synth.File{Path: "content/releases/" + org + "/" + slug + ".md", Data: []byte(fm + "---\n")}
}

func TestSovereignSignals(t *testing.T) {
	c, probs := synth.Parse(site(
		release("before", "lab", "2024-12-05", "[en, fr]"),
		release("on-the-day", "lab", "2024-12-06", "[en]"),
		release("after-french", "lab", "2025-03-01", "[en, fr]"),
		release("english", "lab", "2025-03-01", "[en]"),
		release("multi", "lab", "2025-03-01", "[multilingual]"),
	))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	cat := classify.Classify(c)
	for _, tc := range []struct {
		slug      string
		programme bool
		language  bool
		inferred  string
	}{
		// A programme holds from the day the org joined it, not before.
		{"before", false, true, "maker"}, // 3 against 2
		{"on-the-day", true, false, "sovereign"},
		// English never counts as a national language; French does.
		{"after-french", true, true, "sovereign"}, // 6 against 3-1
		{"english", true, false, "sovereign"},
		// "multilingual" names no language.
		{"multi", true, false, "sovereign"},
	} {
		r := cat.ReleaseByID[tc.slug]
		var prog, lang bool
		for _, e := range r.Evidence {
			prog = prog || strings.Contains(e.Fact, "takes part in a compute strategy (since 2024-12-06)")
			lang = lang || e.Fact == "covers fr, a national language of Lab's country"
			if strings.Contains(e.Fact, "covers en") {
				t.Errorf("%s: English counted as a national language: %s", tc.slug, e)
			}
		}
		if prog != tc.programme || lang != tc.language {
			t.Errorf("%s: programme %v, language %v; want %v, %v (evidence %v)", tc.slug, prog, lang, tc.programme, tc.language, r.Evidence)
		}
		if r.Inferred != tc.inferred {
			t.Errorf("%s: inferred %q, want %q", tc.slug, r.Inferred, tc.inferred)
		}
	}
}

func TestWhyUnclassified(t *testing.T) {
	c, probs := synth.Parse(site(
		release("olmo", "npo", "2025-01-01", ""),
		release("llemma", "inst", "2025-01-01", ""),
		release("classified", "lab", "2025-01-01", "[fr]"),
	))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	cat := classify.Classify(c)
	for slug, want := range map[string]string{
		"olmo":   "No signal points to a bucket, and no editor has chosen one. NPO is a nonprofit that no state backs: that is not sovereign AI, and it says nothing of motive on its own.",
		"llemma": "No signal points to a bucket, and no editor has chosen one. Inst is a research institute that no state backs: that is not sovereign AI, and it says nothing of motive on its own.",
	} {
		r := cat.ReleaseByID[slug]
		if r.Source != classify.Unclassified || r.Bucket != "" {
			t.Errorf("%s: filed as %q (%s); a research org that no state backs has no motive of its own", slug, r.Bucket, r.Source)
		}
		if r.Why != want {
			t.Errorf("%s: Why = %q\nwant %q", slug, r.Why, want)
		}
	}
	if r := cat.ReleaseByID["classified"]; r.Source == classify.Unclassified {
		t.Errorf("classified: unexpectedly unclassified: %q", r.Why)
	} else if r.Why != "" {
		t.Errorf("classified: a classified release has Why %q", r.Why)
	}
}

// TestModalityFacts holds modality_in to what a model takes, modality_out
// to what it makes, and modality to either.
func TestModalityFacts(t *testing.T) {
	files := site()
	files[1] = synth.File{Path: "content/buckets/maker.md", Data: []byte("---\ntitle: Model makers\norder: 1\ncolor: \"#000000\"\nquestion: Q\nsignals:\n  - fact: modality_in\n    in: [image]\n    weight: 1\n  - fact: modality_out\n    in: [image]\n    weight: 2\n  - fact: modality\n    in: [speech]\n    weight: 4\n---\n")}
	for _, r := range []struct{ slug, in, out string }{
		{"reads", "[text, image]", "[text]"},
		{"draws", "[text]", "[image]"},
		{"both", "[image]", "[image]"},
		{"listens", "[speech]", "[text]"},
		{"speaks", "[text]", "[speech]"},
		{"neither", "[text]", "[text]"},
	} {
		f := release(r.slug, "npo", "2025-03-01", "")
		f.Data = []byte(strings.Replace(string(f.Data), "\n---\n", "\nmodality_in: "+r.in+"\nmodality_out: "+r.out+"\n---\n", 1))
		files = append(files, f)
	}
	c, probs := synth.Parse(files)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	cat := classify.Classify(c)
	for slug, want := range map[string]struct {
		score int
		facts string
	}{
		"reads":   {1, "takes image"},
		"draws":   {2, "makes image"},
		"both":    {3, "takes image; makes image"},
		"listens": {4, "takes or makes speech"},
		"speaks":  {4, "takes or makes speech"},
		"neither": {0, ""},
	} {
		r := cat.ReleaseByID[slug]
		score := 0
		for _, sc := range r.Scores {
			if sc.Bucket == "maker" {
				score = sc.Score
			}
		}
		var facts []string
		for _, e := range r.Evidence {
			facts = append(facts, e.Fact)
		}
		if score != want.score || strings.Join(facts, "; ") != want.facts {
			t.Errorf("%s: score %d, evidence %q; want %d, %q", slug, score, facts, want.score, want.facts)
		}
	}
}
