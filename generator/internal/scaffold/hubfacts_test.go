package scaffold

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/hub"
)

func TestCardFigures(t *testing.T) {
	text := prose([]byte("Phi-3.5-MoE has 16x3.8B parameters with **6.6B active parameters**.\n" +
		"We release models with 16B and 236B parameters.\n" +
		"```\nthis 99B parameters line is code\n```\n" +
		"It comes with 128K context length, extending the context length from 16K to 128K.\n"))
	tot := figures(totalParams, text, 1e9, 1e6)
	if len(tot) != 1 || tot[0].s != "236B" {
		t.Errorf("total figures = %+v, want only 236B: not 16x3.8B, not the code block's", tot)
	}
	if act := figures(activeParams, text, 1e9, 1e6); len(act) != 1 || act[0].s != "6.6B" {
		t.Errorf("active figures = %+v, want 6.6B", act)
	}
	if ctx := cardContexts(text); len(ctx) != 1 || ctx[0].s != "128K" || ctx[0].v != 131072 {
		t.Errorf("contexts = %+v, want 128K once", ctx)
	}
	for _, tc := range []struct {
		name string
		card []figure
		hub  float64
		want string // the figure taken from the card, or ""
	}{
		{"agrees to rounding", []figure{{"8B", 8e9}}, 8030261248, ""},
		{"another model's figure", []figure{{"236B", 236e9}}, 15706484224, ""},
		{"disagrees", []figure{{"12B", 12e9}}, 13.5e9, "12B"},
		{"context in thousands", []figure{{"128K", 131072}}, 128000, ""},
		{"context disagrees", []figure{{"128K", 131072}}, 163840, "128K"},
		{"several disagree", []figure{{"12B", 12e9}, {"15B", 15e9}}, 13.5e9, ""},
	} {
		f, ok := cardFigure(tc.card, tc.hub, 0.1)
		if got := map[bool]string{true: f.s}[ok]; got != tc.want {
			t.Errorf("%s: card figure %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestContextAndDate(t *testing.T) {
	for n, want := range map[int64]string{131072: "128K", 163840: "160K", 4096: "4K", 1048576: "1M", 514: "514", 8194: "8194"} {
		if got := contextString(n); got != want {
			t.Errorf("contextString(%d) = %q, want %q", n, got, want)
		}
	}
	cfg := map[string]any{"model_type": "roberta", "max_position_embeddings": 514.0, "pad_token_id": 1.0}
	if n, key, raw := contextLength(cfg); n != 512 || key != "max_position_embeddings" || raw != 514 {
		t.Errorf("roberta context = %d (%s, raw %d), want 512", n, key, raw)
	}
	if n, _ := configInt(map[string]any{"text_config": map[string]any{"num_experts": 128.0}}, "num_experts"); n != 128 {
		t.Errorf("experts in text_config = %d, want 128", n)
	}
	for text, want := range map[string]string{
		"**Model Release Date:** July 23, 2024.": "2024-07-23",
		"Release date: 2025-01-20":               "2025-01-20",
		"**Release date:** August 2024":          "", // not to the day
		"Release date: February 30, 2024":        "", // no such day
	} {
		d, _, ok := cardDate(prose([]byte(text)))
		if got := map[bool]string{true: d.String()}[ok]; got != want {
			t.Errorf("cardDate(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestGGUFRecord(t *testing.T) {
	var md hub.Model
	if err := json.Unmarshal([]byte(`{"id":"acme/Acme-7B-GGUF","createdAt":"2026-05-02T10:00:00.000Z","gguf":{"total":7241732096,"architecture":"llama","context_length":32768}}`), &md); err != nil {
		t.Fatal(err)
	}
	e, _, err := ImportHF(nil, Import{Org: "acme", Orgs: []string{"acme"}, Hub: &hub.Bundle{Repo: md.ID, Model: &md}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"params_total: 7.24B  # From the Hub API: the GGUF total, 7241732096.",
		"context: 32K         # From the Hub API: the GGUF context_length, 32768.",
		"Date, parameters and context window from the Hub API; the other fields from the card's metadata in the Hub API's record.",
	} {
		if !strings.Contains(string(e.Data), want) {
			t.Errorf("entry lacks %q:\n%s", want, e.Data)
		}
	}
}
