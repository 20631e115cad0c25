package track_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/load"
	"github.com/whyopen/whyopen/generator/internal/track"
)

func TestRepoOf(t *testing.T) {
	for u, want := range map[string]string{
		"https://huggingface.co/Qwen/Qwen3-8B":                        "qwen/qwen3-8b",
		"https://huggingface.co/Qwen/Qwen3-8B/blob/main/README.md":    "qwen/qwen3-8b",
		"http://www.huggingface.co/Qwen/Qwen3-8B/":                    "qwen/qwen3-8b",
		"https://hf.co/Qwen/Qwen3-8B":                                 "qwen/qwen3-8b",
		"https://huggingface.co/datasets/HuggingFaceFW/fineweb":       "",
		"https://huggingface.co/spaces/open-llm-leaderboard/open_llm": "",
		"https://huggingface.co/Qwen":                                 "",
		"https://hf-mirror.com/Qwen/Qwen3-8B":                         "",
		"https://github.com/Qwen/Qwen3":                               "",
		"not a url":                                                   "",
	} {
		if got := track.RepoOf(u); got != want {
			t.Errorf("RepoOf(%q) = %q, want %q", u, got, want)
		}
	}
}

func model(id, created string, tags ...string) hub.Model {
	c, _ := time.Parse("2006-01-02", created)
	return hub.Model{ID: id, CreatedAt: c, Tags: tags}
}

func TestGroups(t *testing.T) {
	models := []hub.Model{ // newest first, as the Hub lists them
		model("acme/Acme-8B-Instruct-AWQ", "2026-05-04"),
		model("acme/Acme-8B-Instruct", "2026-05-03", "base_model:finetune:acme/Acme-8B"),
		model("acme/Acme-8B-GGUF", "2026-05-03"),
		model("acme/Acme-8B", "2026-05-02"),
		model("acme/Other-2B-Chat", "2026-05-02"),
		model("acme/Loop-A", "2026-05-01", "base_model:acme/Loop-B"),
		model("acme/Loop-B", "2026-05-01", "base_model:acme/Loop-A"),
		model("acme/Old-1B", "2026-04-01"),
		model("acme/Old-1B-FP8", "2026-04-30"),
	}
	rel := &load.Release{Sources: []string{"https://huggingface.co/acme/old-1b"}}
	rel.File = "content/releases/acme/old-1b.md"
	cited := track.Cited([]*load.Release{rel})
	groups := track.Groups("acme", models, cited)
	var b bytes.Buffer
	if err := track.Table(&b, groups); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"acme  2026-05-02  acme/Acme-8B                 new\n",
		"acme  2026-05-03    acme/Acme-8B-Instruct      fine-tune of acme/Acme-8B\n",
		"acme  2026-05-03    acme/Acme-8B-GGUF          quantisation of acme/Acme-8B\n",
		"acme  2026-05-04    acme/Acme-8B-Instruct-AWQ  quantisation of acme/Acme-8B-Instruct\n",
		"acme  2026-05-02  acme/Other-2B-Chat           new\n", // its base is not listed
		"acme  2026-04-01  acme/Old-1B                  cited by content/releases/acme/old-1b.md\n",
		"acme  2026-04-30    acme/Old-1B-FP8            quantisation of acme/Old-1B\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	// Two models naming each other as base still end in the table, once.
	if n := strings.Count(got, "  acme/Loop-"); n != 2 {
		t.Errorf("the two looping models have %d rows, want 2:\n%s", n, got)
	}
	if len(groups) == 0 || groups[0].Base.Model.ID != "acme/Acme-8B" {
		t.Errorf("groups are not newest first: %+v", groups)
	}
}
