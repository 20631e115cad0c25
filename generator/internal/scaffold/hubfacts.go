package scaffold

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	caption "github.com/whyopen/whyopen/generator/internal/figure"
	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// hubMigration is the createdAt the Hub gives every repository that
// existed before it began recording creation dates.
const hubMigration = "2022-03-02"

// hub fills in what the Hub's record and config.json state, notes where
// each field came from, and writes the body's account of it to b.
func (m *mapper) hub(hb *hub.Bundle, body []byte, b *strings.Builder) {
	md := hb.Model
	for path, note := range map[string]string{
		"license":       "From the card's license fields.",
		"languages":     "From the card's language.",
		"tags":          "From the card's tags.",
		"sources":       "The model's page on the Hub.",
		"links.weights": "The model's page on the Hub.",
		"links.report":  "From the card's arxiv tag.",
	} {
		if _, ok := m.vals[path]; ok {
			m.from[path] = note
		}
	}
	var fromAPI, fromConfig []string
	apiModality := false
	if m.text("pipeline_tag") == "" && md.PipelineTag != "" {
		if f, ok := pipelines[md.PipelineTag]; ok {
			// The API's pipeline_tag outranks what a library implied.
			for _, side := range []string{"modality_in", "modality_out"} {
				delete(m.vals, side)
				delete(m.from, side)
			}
			m.setFlow(f, "From the Hub API's pipeline_tag.")
			apiModality = len(f.in)+len(f.out) > 0
		}
	}
	var disagree []string

	// The date.
	delete(m.vals, "date")
	switch d := md.CreatedAt.UTC().Format("2006-01-02"); {
	case md.CreatedAt.IsZero():
		m.from["date"] = "The Hub's record gives no creation date: find the release date."
	case d == hubMigration:
		m.from["date"] = "The Hub dates every repository older than March 2022 to " + hubMigration + ": find the release date."
	default:
		m.vals["date"] = d
		m.from["date"] = "From the Hub API: createdAt, when the repository was created. Confirm when the weights went public."
		fromAPI = append(fromAPI, "date")
	}
	text := prose(body)
	if cd, written, ok := cardDate(text); ok && cd.String() != m.vals["date"] {
		if hd, ok := m.vals["date"].(string); ok {
			disagree = append(disagree, fmt.Sprintf("The card gives the release date as %s, where the Hub created the repository on %s; this entry takes the card's date.", written, hd))
			fromAPI = fromAPI[:len(fromAPI)-1]
		}
		m.vals["date"] = cd.String()
		m.from["date"] = "From the card, which gives the release date as " + written + "."
	}

	// Parameters.
	var total int64
	switch {
	case md.Safetensors != nil && md.Safetensors.Total > 0:
		total = md.Safetensors.Total
		m.from["params_total"] = "From the Hub API: the safetensors total, " + strconv.FormatInt(total, 10) + "."
	case md.GGUF != nil && md.GGUF.Total > 0:
		total = md.GGUF.Total
		m.from["params_total"] = "From the Hub API: the GGUF total, " + strconv.FormatInt(total, 10) + "."
	}
	if total > 0 {
		m.vals["params_total"] = load.Count(total).String()
		fromAPI = append(fromAPI, "parameters")
		if card, ok := cardFigure(figures(totalParams, text, 1e9, 1e6), float64(total), 0.1); ok {
			m.vals["params_total"] = card.s
			m.from["params_total"] = fmt.Sprintf("From the card, which states %s; the Hub API counts %s.", card.s, load.Count(total))
			disagree = append(disagree, fmt.Sprintf("The card states %s parameters where the Hub API counts %s (%d); this entry takes the card's figure.", card.s, load.Count(total), total))
			fromAPI = fromAPI[:len(fromAPI)-1]
		}
	}
	if act := figures(activeParams, text, 1e9, 1e6); len(act) == 1 && (total == 0 || act[0].v < float64(total)) {
		m.vals["params_active"] = act[0].s
		m.from["params_active"] = "From the card, which states " + act[0].s + " active parameters."
	}

	// config.json: experts and context.
	var cfg map[string]any
	if len(hb.Config) > 0 && json.Unmarshal(hb.Config, &cfg) != nil {
		m.unmapped("config.json", "", "not JSON: read the context window and experts by hand")
		cfg = nil
	}
	if cfg != nil {
		if n, key := configInt(cfg, "num_local_experts", "n_routed_experts", "num_experts", "moe_num_experts"); n > 1 {
			m.vals["architecture"] = "moe"
			note := fmt.Sprintf("From config.json: %s %d", key, n)
			if k, _ := configInt(cfg, "num_experts_per_tok", "moe_top_k", "top_k"); k > 0 {
				note += fmt.Sprintf(", %d per token", k)
			}
			m.from["architecture"] = note + "."
			fromConfig = append(fromConfig, "architecture")
		}
		if n, key, raw := contextLength(cfg); n > 0 {
			m.vals["context"] = contextString(n)
			m.from["context"] = fmt.Sprintf("From config.json: %s %d.", key, n)
			if raw != n {
				m.from["context"] = fmt.Sprintf("From config.json: %s %d, less the padding offset.", key, raw)
			}
			fromConfig = append(fromConfig, "context window")
			if card, ok := cardFigure(cardContexts(text), float64(n), 0.03); ok {
				m.vals["context"] = card.s
				m.from["context"] = fmt.Sprintf("From the card, which states %s; config.json's %s is %d.", card.s, key, n)
				disagree = append(disagree, fmt.Sprintf("The card states a %s context window where config.json's %s is %d (%s); this entry takes the card's figure.", card.s, key, n, contextString(n)))
				fromConfig = fromConfig[:len(fromConfig)-1]
			}
		}
	}

	if _, ok := m.vals["context"]; !ok && md.GGUF != nil && md.GGUF.ContextLength > 0 {
		m.vals["context"] = contextString(md.GGUF.ContextLength)
		m.from["context"] = fmt.Sprintf("From the Hub API: the GGUF context_length, %d.", md.GGUF.ContextLength)
		fromAPI = append(fromAPI, "context window")
	}

	m.benchmarks(hb.Repo)
	m.report(body)

	// The body: where the facts came from, and gating.
	if apiModality {
		fromAPI = append(fromAPI, "modality")
	}
	var parts []string
	if len(fromAPI) > 0 {
		parts = append(parts, caption.Capital(caption.Names(fromAPI))+" from the Hub API")
	}
	if len(fromConfig) > 0 {
		parts = append(parts, caption.Names(fromConfig)+" from config.json")
	}
	rest := "the other fields from the model card on the Hub"
	if hb.Card == nil {
		rest = "the other fields from the card's metadata in the Hub API's record"
	}
	if len(parts) > 0 {
		fmt.Fprintf(b, "%s; %s.\n\n", caption.Capital(strings.Join(parts, "; ")), rest)
	}
	for _, d := range disagree {
		b.WriteString(d + "\n\n")
	}
	switch md.Gated {
	case "":
	case "manual":
		b.WriteString("The weights are gated: the Hub serves them only to accounts the maker has approved after they accept its terms.\n\n")
	default:
		b.WriteString("The weights are gated: the Hub serves them only to accounts that accept the maker's terms.\n\n")
	}
}

var (
	releaseDate = regexp.MustCompile(`(?i)release date\W{0,4}\s*((?:January|February|March|April|May|June|July|August|September|October|November|December) [0-9]{1,2}, [0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})\b`)
	months      = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
)

// cardDate returns the release date a card states to the day ("Release
// Date: July 23, 2024"), and how it wrote it.
func cardDate(text string) (load.Date, string, bool) {
	mm := releaseDate.FindStringSubmatch(text)
	if mm == nil {
		return load.Date{}, "", false
	}
	if d, err := load.ParseDate(mm[1]); err == nil {
		return d, mm[1], true
	}
	var month, day, year int
	var name string
	if _, err := fmt.Sscanf(strings.Replace(mm[1], ",", "", 1), "%s %d %d", &name, &day, &year); err != nil {
		return load.Date{}, "", false
	}
	for i, n := range months {
		if strings.EqualFold(n, name) {
			month = i + 1
		}
	}
	d, err := load.ParseDate(fmt.Sprintf("%04d-%02d-%02d", year, month, day))
	if err != nil {
		return load.Date{}, "", false
	}
	return d, mm[1], true
}

// figure is a number a card states, as written and as a value.
type figure struct {
	s string
	v float64
}

var (
	// A count of parameters: "7.3B parameters", "41.9B total parameters",
	// but not "16x3.8B parameters", which is one expert's.
	totalParams  = regexp.MustCompile(`(?i)(?:^|[^\w.×])(\d+(?:\.\d+)?)\s?([BM])\s+(?:total\s+)?param`)
	activeParams = regexp.MustCompile(`(?i)(?:^|[^\w.×])(\d+(?:\.\d+)?)\s?([BM])\s+(?:active|activated)\s+param`)
	ctxBefore    = regexp.MustCompile(`(?i)(?:^|[^\w.])(\d+(?:\.\d+)?)\s?([KM])\s+(?:tokens?\s+)?context`)
	ctxAfter     = regexp.MustCompile(`(?i)context[ -](?:length|window)[^.,;\n|]{0,40}`)
	ctxNumber    = regexp.MustCompile(`(?i)(?:^|[^\w.])(\d+(?:\.\d+)?)\s?([KM])\b`)
	htmlTag      = regexp.MustCompile(`<[^>]*>`)
)

// figures returns the distinct figures re finds in text, in order; the
// unit's letter scales them by big (B, M) or small.
func figures(re *regexp.Regexp, text string, big, small float64) []figure {
	var out []figure
	for _, mm := range re.FindAllStringSubmatch(text, -1) {
		if strings.HasSuffix(mm[1], "x") {
			continue
		}
		f, err := strconv.ParseFloat(mm[1], 64)
		if err != nil || f <= 0 {
			continue
		}
		unit := strings.ToUpper(mm[2])
		scale := small
		if unit == "B" {
			scale = big
		}
		s := mm[1] + unit
		dup := false
		for _, o := range out {
			dup = dup || o.s == s
		}
		if !dup {
			out = append(out, figure{s, f * scale})
		}
	}
	return out
}

// cardContexts returns the context windows a card states: "128K context
// length", or "context length ... 128K" (the largest such figure, so that
// "from 16K to 128K" gives 128K). K is 1024 tokens.
func cardContexts(text string) []figure {
	out := figures(ctxBefore, text, 1024*1024, 1024)
	for _, frag := range ctxAfter.FindAllString(text, -1) {
		var best figure
		for _, f := range figures(ctxNumber, frag, 1024*1024, 1024) {
			if f.v > best.v {
				best = f
			}
		}
		if best.v > 0 {
			dup := false
			for _, o := range out {
				dup = dup || o.s == best.s
			}
			if !dup {
				out = append(out, best)
			}
		}
	}
	return out
}

// cardFigure returns the card's figure when it is about the same quantity
// as the Hub's (within a factor of two) and disagrees with it by more than
// tol, relative. It reports false when the card agrees (to its rounding),
// states nothing comparable, or states several figures that disagree.
func cardFigure(card []figure, hubValue, tol float64) (figure, bool) {
	var near []figure
	for _, f := range card {
		r := f.v / hubValue
		if r < 0.5 || r > 2 {
			continue // another model's figure
		}
		// A figure in K may mean 1000 or 1024 of them.
		alt := f.v / 1024 * 1000
		if math.Abs(r-1) <= tol || math.Abs(alt/hubValue-1) <= tol {
			return figure{}, false // the card agrees
		}
		near = append(near, f)
	}
	if len(near) != 1 {
		return figure{}, false
	}
	return near[0], true
}

// prose returns the card body's text outside code blocks, with HTML tags
// and emphasis taken out, for the figures it states.
func prose(body []byte) string {
	var b strings.Builder
	fence := false
	for _, l := range strings.Split(string(body), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if !fence {
			b.WriteString(mdMarkup.Replace(htmlTag.ReplaceAllString(l, " ")) + "\n")
		}
	}
	return b.String()
}

// configInt returns the first of keys that config.json (or its
// text_config) gives as a positive integer, and that key.
func configInt(cfg map[string]any, keys ...string) (int64, string) {
	for _, c := range []map[string]any{cfg, subConfig(cfg, "text_config"), subConfig(cfg, "llm_config")} {
		for _, k := range keys {
			if f, ok := c[k].(float64); ok && f > 0 && f == math.Trunc(f) && f < 1e12 {
				return int64(f), k
			}
		}
	}
	return 0, ""
}

func subConfig(cfg map[string]any, key string) map[string]any {
	m, _ := cfg[key].(map[string]any)
	return m
}

// contextLength returns the context window config.json states, and the
// key it came from. RoBERTa-style models count the padding offset in
// max_position_embeddings (514 for 512 tokens), which is taken off.
func contextLength(cfg map[string]any) (n int64, key string, raw int64) {
	n, key = configInt(cfg, "max_position_embeddings", "max_sequence_length", "seq_length", "n_positions", "n_ctx")
	if n == 0 {
		return 0, "", 0
	}
	switch cfg["model_type"] {
	case "roberta", "xlm-roberta", "camembert", "longformer":
		if pad, ok := cfg["pad_token_id"].(float64); ok && pad >= 0 && int64(pad)+1 < n {
			return n - int64(pad) - 1, key, n
		}
	}
	return n, key, n
}

// contextString writes a context window as the content does: 131072 is
// 128K, 514 stays 514.
func contextString(n int64) string {
	if n >= 1024 && n%1024 == 0 {
		if n%(1024*1024) == 0 {
			return strconv.FormatInt(n/(1024*1024), 10) + "M"
		}
		return strconv.FormatInt(n/1024, 10) + "K"
	}
	return strconv.FormatInt(n, 10)
}

// benchmarks maps the card's model-index results.
func (m *mapper) benchmarks(repo string) {
	mi := m.fields["model-index"]
	if mi == nil || mi.Kind != yaml.SequenceNode {
		return
	}
	var items [][][2]string
	skipped := 0
	for _, model := range mi.Content {
		results := child(model, "results")
		if results == nil || results.Kind != yaml.SequenceNode {
			continue
		}
		for _, r := range results.Content {
			dataset := strings.TrimSpace(childText(child(r, "dataset"), "name"))
			if dataset == "" {
				dataset = strings.TrimSpace(childText(child(r, "dataset"), "type"))
			}
			source := strings.TrimSpace(childText(child(r, "source"), "url"))
			if !strings.HasPrefix(source, "https://") && !strings.HasPrefix(source, "http://") {
				source = hub.PageURL(repo) // the card states it
			}
			metrics := child(r, "metrics")
			if metrics == nil || metrics.Kind != yaml.SequenceNode {
				continue
			}
			for _, mt := range metrics.Content {
				name := dataset
				if len(metrics.Content) > 1 {
					name += " " + strings.TrimSpace(firstOf(childText(mt, "name"), childText(mt, "type")))
				}
				v := child(mt, "value")
				score, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(nodeText(v)), "%"), 64)
				if name == "" || err != nil || math.IsNaN(score) || math.IsInf(score, 0) {
					skipped++
					continue
				}
				items = append(items, [][2]string{{"name", scalar(name)}, {"score", strconv.FormatFloat(score, 'f', -1, 64)}, {"source", scalar(source)}})
			}
		}
	}
	if skipped > 0 {
		m.unmapped("model-index", fmt.Sprintf("%d results", skipped), "without a dataset name or a numeric value: add them by hand if they matter")
	}
	if len(items) > 0 {
		m.vals["benchmarks"] = items
		m.from["benchmarks"] = fmt.Sprintf("From the card's model-index: %d scores, each with the source it names.", len(items))
	}
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func childText(n *yaml.Node, key string) string { return nodeText(child(n, key)) }

func nodeText(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func firstOf(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

var (
	arxivLink   = regexp.MustCompile(`https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/([0-9]{4}\.[0-9]{4,5})`)
	arxivEprint = regexp.MustCompile(`(?i)eprint\s*=\s*[{"]?\s*([0-9]{4}\.[0-9]{4,5})`)
)

// report sets links.report to the model's own paper: the card's citation
// first, then an arxiv tag (set already), then its first arXiv link.
func (m *mapper) report(body []byte) {
	if e := arxivEprint.FindSubmatch(body); e != nil {
		m.vals["links.report"] = "https://arxiv.org/abs/" + string(e[1])
		m.from["links.report"] = "From the card's citation."
		return
	}
	if _, ok := m.vals["links.report"]; ok {
		return
	}
	if l := arxivLink.FindStringSubmatch(prose(body)); l != nil {
		m.vals["links.report"] = "https://arxiv.org/abs/" + l[1]
		m.from["links.report"] = "The card's first arXiv link: check that it is this model's own paper."
	}
}
