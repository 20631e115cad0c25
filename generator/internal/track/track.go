// Package track finds what the orgs the report follows have published on
// the Hugging Face Hub that no release cites yet, for `whyopen track`.
//
// It takes values and returns values: the command lists each org's
// models with package hub and reads the content with package load.
//
// A model is cited when any release's sources or links name its page on
// huggingface.co (or hf.co), case aside, with or without a path after it.
// Among an org's models, a fine-tune or quantisation is grouped under its
// base: the model its card's base_model (or the Hub's base_model: tags)
// names, when the org listed it, or else the listed model whose name it
// extends by a known suffix (-Instruct, -Chat, -GGUF, -AWQ, -GPTQ, -FP8,
// -4bit...). A group is new when its base is not cited; a cited base
// with new variants is listed too, marked cited, since its release may
// want to name them.
package track

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Cited returns the Hugging Face repositories the releases cite, lower
// case, each with the file of the first release citing it.
func Cited(releases []*load.Release) map[string]string {
	out := map[string]string{}
	for _, r := range releases {
		urls := append([]string{r.Links.Weights, r.Links.Report, r.Links.Announcement, r.Links.Code}, r.Sources...)
		for _, b := range r.Benchmarks {
			urls = append(urls, b.Source)
		}
		for _, u := range urls {
			if repo := RepoOf(u); repo != "" {
				if _, ok := out[repo]; !ok {
					out[repo] = r.File
				}
			}
		}
	}
	return out
}

// RepoOf returns the model repository a huggingface.co URL names, lower
// case, or "".
func RepoOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	switch strings.ToLower(u.Hostname()) {
	case "huggingface.co", "www.huggingface.co", "hf.co":
	default:
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 {
		return ""
	}
	switch parts[0] {
	case "datasets", "spaces", "collections", "papers", "blog", "docs", "api", "organizations", "models", "learn", "posts":
		return ""
	}
	repo := parts[0] + "/" + parts[1]
	if !hub.RepoPattern.MatchString(repo) {
		return ""
	}
	return strings.ToLower(repo)
}

// Kind says how a variant relates to its base.
type Kind string

const (
	FineTune     Kind = "fine-tune"
	Quantisation Kind = "quantisation"
	Variant      Kind = "variant"
)

// Member is a model of a group.
type Member struct {
	Model hub.Model
	Kind  Kind   // how it relates to the group's base; "" for the base
	Of    string // the model it was made from
	Cited string // the release file citing it, or ""
}

// Group is a base model and the variants made from it.
type Group struct {
	Org      string // the org's id
	Base     Member
	Variants []Member
}

// New reports whether the group's base is not cited yet.
func (g Group) New() bool { return g.Base.Cited == "" }

// quantSuffixes and variantSuffixes are name endings that mark a model
// made from another: "Qwen3-8B-AWQ" from "Qwen3-8B".
var (
	quantSuffixes   = []string{"-gguf", "-awq", "-gptq", "-fp8", "-fp4", "-nvfp4", "-mlx", "-int4", "-int8", "-4bit", "-8bit", "-bnb-4bit", "-onnx", "-exl2", "-w4a16", "-w8a8", "-bf16", "-fp16", "-q4_k_m"}
	variantSuffixes = []string{"-instruct", "-chat", "-it", "-base", "-hf", "-preview"}
)

// Groups groups the org's uncited models under their bases, newest group
// first. models are the org's listing; cited is from Cited.
func Groups(org string, models []hub.Model, cited map[string]string) []Group {
	byID := map[string]hub.Model{}
	for _, m := range models {
		byID[strings.ToLower(m.ID)] = m
	}
	parent := map[string]string{} // model → the model it was made from
	kind := map[string]Kind{}
	// loops reports whether making p the parent of id would close a loop,
	// as two cards naming each other as base would.
	loops := func(id, p string) bool {
		for range len(models) + 1 {
			if p == id {
				return true
			}
			next, ok := parent[p]
			if !ok {
				return false
			}
			p = next
		}
		return true
	}
	for _, m := range models {
		id := strings.ToLower(m.ID)
		for _, b := range m.BaseModels() {
			if lb := strings.ToLower(b); lb != id && !loops(id, lb) {
				if _, ok := byID[lb]; ok {
					parent[id] = lb
					kind[id] = FineTune
					if isQuant(m) {
						kind[id] = Quantisation
					}
					break
				}
			}
		}
		if _, ok := parent[id]; ok {
			continue
		}
		if p, k := bySuffix(id, byID); p != "" && !loops(id, p) {
			parent[id], kind[id] = p, k
		}
	}
	root := func(id string) string {
		for range len(models) {
			p, ok := parent[id]
			if !ok {
				break
			}
			id = p
		}
		return id
	}
	groups := map[string]*Group{}
	var order []string
	for _, m := range models { // newest first
		id := strings.ToLower(m.ID)
		r := root(id)
		g := groups[r]
		if g == nil {
			g = &Group{Org: org, Base: Member{Model: byID[r], Cited: cited[r]}}
			groups[r] = g
			order = append(order, r)
		}
		if id != r && cited[id] == "" {
			g.Variants = append(g.Variants, Member{Model: m, Kind: kind[id], Of: byID[parent[id]].ID})
		}
	}
	var out []Group
	for _, r := range order {
		g := groups[r]
		if g.New() || len(g.Variants) > 0 {
			sort.SliceStable(g.Variants, func(i, j int) bool { return g.Variants[i].Model.CreatedAt.Before(g.Variants[j].Model.CreatedAt) })
			out = append(out, *g)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Base.Model.CreatedAt.After(out[j].Base.Model.CreatedAt) })
	return out
}

func isQuant(m hub.Model) bool {
	for _, t := range m.Tags {
		if strings.HasPrefix(t, "base_model:quantized:") || t == "gguf" || t == "4-bit" || t == "8-bit" || t == "awq" || t == "gptq" || t == "fp8" {
			return true
		}
	}
	_, k := suffixOf(strings.ToLower(m.ID))
	return k == Quantisation
}

func suffixOf(id string) (string, Kind) {
	for _, s := range quantSuffixes {
		if strings.HasSuffix(id, s) {
			return s, Quantisation
		}
	}
	for _, s := range variantSuffixes {
		if strings.HasSuffix(id, s) {
			return s, Variant
		}
	}
	return "", ""
}

// bySuffix returns the listed model that id extends by known suffixes,
// and how.
func bySuffix(id string, byID map[string]hub.Model) (string, Kind) {
	k := Kind("")
	for cur := id; ; {
		s, sk := suffixOf(cur)
		if s == "" {
			return "", ""
		}
		if k == "" || sk == Quantisation {
			k = sk
		}
		cur = strings.TrimSuffix(cur, s)
		if _, ok := byID[cur]; ok {
			return cur, k
		}
	}
}

// Table writes the groups as an aligned table: one row for each base,
// then its variants, indented.
func Table(w io.Writer, groups []Group) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ORG\tCREATED\tMODEL\tSTATUS")
	for _, g := range groups {
		status := "new"
		if !g.New() {
			status = "cited by " + g.Base.Cited
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", g.Org, day(g.Base.Model), cell(g.Base.Model.ID), status)
		for _, v := range g.Variants {
			fmt.Fprintf(tw, "%s\t%s\t  %s\t%s of %s\n", g.Org, day(v.Model), cell(v.Model.ID), v.Kind, cell(v.Of))
		}
	}
	return tw.Flush()
}

// cell is a model id as the Hub sent it, made one printable cell: the
// Hub's ids are plain, but the table must not trust that.
func cell(s string) string {
	return strings.ReplaceAll(load.Printable(s), "\t", " ")
}

func day(m hub.Model) string {
	if m.CreatedAt.IsZero() {
		return "?"
	}
	return m.CreatedAt.UTC().Format("2006-01-02")
}
