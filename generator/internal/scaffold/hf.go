package scaffold

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/whyopen/whyopen/generator/internal/hub"
	"github.com/whyopen/whyopen/generator/internal/load"
)

// Import says where a model card's release belongs.
type Import struct {
	Options
	Org  string   // the org id, required
	Orgs []string // the known org ids
	// Licenses are the site's licenses: a card's license maps to one by
	// id or alias.
	Licenses []*load.License
	// Title overrides the card's title (its first "# " heading).
	Title string
	// Slug overrides the file name made from the title.
	Slug string
	// Repo is the model's Hugging Face repository, "owner/name". When
	// given, its page becomes the first source and the weights link.
	Repo string
	// Hub is the model as the Hub gave it, for import hf OWNER/NAME: the
	// card is then Hub.Card, and Repo defaults to Hub.Repo.
	Hub *hub.Bundle
	// Draft marks the entry as a draft (draft: true), for whyopen track.
	Draft bool
}

// Unmapped is a field of a model card that did not become a release field.
type Unmapped struct {
	Field  string // the card's field: license, pipeline_tag...
	Value  string // its value, as given
	Reason string
}

func (u Unmapped) String() string {
	if u.Value == "" {
		return u.Field + ": " + u.Reason
	}
	return u.Field + ": " + u.Value + ": " + u.Reason
}

// The card fields ImportHF reads; it ignores all others.
var cardFields = []string{"license", "license_name", "license_link", "base_model", "pipeline_tag", "tags", "language", "library_name"}

// ImportHF returns a release entry made from a Hugging Face model card
// (a README.md with YAML front matter), and the card fields it could not
// map, which the entry leaves for the contributor:
//
//   - license, or license_name when license is "other", becomes the license
//     whose id, alias or name it is, as check finds it (load.LicenseIndex:
//     case and punctuation aside); failing that, license_link
//     picks the license with that url;
//   - pipeline_tag becomes modality_in and modality_out, what the model
//     takes and makes (image-text-to-text takes text and image, and makes
//     text); library_name fills in what it implies (sentence-transformers
//     makes embeddings, diffusers images...) where pipeline_tag says
//     nothing; any other library_name is ignored, since no field records
//     the library;
//   - language becomes languages: ISO 639-1 codes and "multilingual";
//   - tags become tags, except hub metadata (anything with a colon),
//     library and format names, pipeline names and language codes; the
//     first arxiv:<id> tag becomes links.report;
//   - base_model is named, with its link, in the body.
//
// With im.Repo (or im.Hub), the title is the repository's name, or the
// card's first "# " heading when that is plainly the same name ("Falcon
// Mamba 7B" for falcon-mamba-7b); without, it is the heading. im.Title
// overrides both.
//
// With im.Hub, the model as the Hub gave it (see package hub), the card
// may have no front matter, or be missing (a gated repository read
// without a token: the record's cardData stands in for its front matter),
// and the entry also takes, each field's comment saying from where:
//
//   - date: the record's createdAt, when the repository was created,
//     except the Hub's 2022-03-02 migration date, which is left TODO;
//   - params_total: the record's safetensors total (or GGUF total);
//     params_active: a figure the card states ("6.6B active parameters");
//   - architecture: moe when config.json has more than one expert;
//   - context: config.json's max_position_embeddings (or its like), or
//     the record's GGUF context_length;
//   - benchmarks: the card's model-index results, each with its source
//     (the card itself when the result names none);
//   - links.report: the model's own arXiv paper: the one its citation
//     names, else an arxiv tag, else the card's first arXiv link.
//
// Where the card states a total parameter count or context window that
// disagrees with the Hub's (by more than rounding, and about this model:
// within a factor of two), the entry takes the card's figure and its body
// says so. The body also says which fields came from the Hub, and whether
// the weights are gated.
func ImportHF(card []byte, im Import) (Entry, []Unmapped, error) {
	var hb *hub.Bundle
	if im.Hub != nil {
		hb = im.Hub
		card = hb.Card
		if im.Repo == "" {
			im.Repo = hb.Repo
		}
	}
	var fm, body []byte
	var err error
	switch {
	case hb != nil && card == nil:
		fm = hb.Model.CardData // JSON is YAML
	case hb != nil && !hasFrontMatter(card):
		body = bytes.ReplaceAll(bytes.TrimPrefix(card, []byte("\ufeff")), []byte("\r\n"), []byte("\n"))
	default:
		fm, body, err = splitCard(card)
		if err != nil {
			return Entry{}, nil, err
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(fm, &root); err != nil {
		return Entry{}, nil, fmt.Errorf("model card front matter: %v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	fields := map[string]*yaml.Node{}
	if len(root.Content) > 0 {
		m := root.Content[0]
		if m.Kind != yaml.MappingNode {
			return Entry{}, nil, fmt.Errorf("model card front matter: expected fields (key: value)")
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			fields[m.Content[i].Value] = m.Content[i+1]
		}
	}
	if im.Repo != "" && !repoPattern.MatchString(im.Repo) {
		return Entry{}, nil, fmt.Errorf("bad -repo %q: want the Hugging Face repository as owner/name, such as Zyphra/ZAYA1-8B", im.Repo)
	}
	title, titleFrom := im.Title, ""
	if title == "" && im.Repo != "" {
		name := im.Repo[strings.IndexByte(im.Repo, '/')+1:]
		title, titleFrom = name, "From the repository's name."
		if h := heading(body); h != "" && h != name && Slug(h) == Slug(name) {
			title, titleFrom = h, "From the card's heading, which names the repository."
		}
	}
	if title == "" {
		title = heading(body)
	}
	if strings.TrimSpace(title) == "" {
		return Entry{}, nil, fmt.Errorf("the model card has no \"# \" heading to take a title from: pass one with -title")
	}
	e, err := Release(title, im.Org, im.Slug, im.Orgs, im.Options)
	if err != nil {
		return Entry{}, nil, err
	}

	m := &mapper{fields: fields, vals: map[string]any{"title": strings.Join(strings.Fields(title), " "), "org": im.Org, "date": im.Today.String()}, from: map[string]string{}}
	for _, f := range cardFields {
		if n := fields[f]; n != nil && n.Kind != yaml.ScalarNode && f != "base_model" && f != "tags" && f != "language" {
			m.unmapped(f, describeNode(n), "expected text")
		}
	}
	m.license(im.Licenses)
	m.modality()
	m.languages()
	m.tags()
	if im.Repo != "" {
		u := "https://huggingface.co/" + im.Repo
		m.vals["sources"] = []string{u}
		m.vals["links.weights"] = u
	}
	var b strings.Builder
	for _, base := range m.list("base_model") {
		if !repoPattern.MatchString(base) {
			m.unmapped("base_model", strconv.Quote(base), "not a Hugging Face repository (owner/name)")
			continue
		}
		fmt.Fprintf(&b, "Built on [%s](https://huggingface.co/%s).\n\n", base, base)
	}
	if hb != nil {
		m.from["title"] = titleFrom
		m.hub(hb, body, &b)
	}
	if im.Draft {
		m.vals["draft"] = true
	}
	e.Data = entry("release", reflect.TypeOf(load.Release{}), m.vals, m.from, b.String()+releaseBody, im.Options)
	return e, m.out, nil
}

// hasFrontMatter reports whether a card starts with a "---" line.
func hasFrontMatter(card []byte) bool {
	card = bytes.TrimPrefix(card, []byte("\ufeff"))
	return bytes.HasPrefix(card, []byte("---\n")) || bytes.HasPrefix(card, []byte("---\r\n"))
}

var (
	repoPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)
	arxivPattern = regexp.MustCompile(`^arxiv:([0-9]{4}\.[0-9]{4,5}|[a-z-]+/[0-9]{7})(v[0-9]+)?$`)
	tagPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langPattern  = regexp.MustCompile(`^[a-z]{2}$`)
)

// splitCard returns a card's front matter and body.
func splitCard(card []byte) (fm, body []byte, err error) {
	card = bytes.TrimPrefix(card, []byte("\ufeff"))
	card = bytes.ReplaceAll(card, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(card, []byte("---\n"))
	if !ok {
		return nil, nil, fmt.Errorf("not a model card: it must start with a \"---\" line, then YAML fields, then another \"---\" line")
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return nil, rest[4:], nil
	}
	i := bytes.Index(rest, []byte("\n---\n"))
	if i < 0 {
		if bytes.HasSuffix(rest, []byte("\n---")) {
			return rest[:len(rest)-4], nil, nil
		}
		return nil, nil, fmt.Errorf("model card front matter is never closed by a \"---\" line")
	}
	return rest[:i+1], rest[i+5:], nil
}

var (
	mdLink   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdImage  = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdMarkup = strings.NewReplacer("**", "", "__", "", "`", "")
)

// heading returns the text of the body's first "# " heading, outside code
// blocks, with its Markdown taken out.
func heading(body []byte) string {
	fence := false
	for _, l := range strings.Split(string(body), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if fence || !strings.HasPrefix(t, "# ") {
			continue
		}
		h := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t[2:]), "#"))
		h = mdImage.ReplaceAllString(h, "")
		h = mdLink.ReplaceAllString(h, "$1")
		h = strings.Join(strings.Fields(mdMarkup.Replace(h)), " ")
		for _, p := range []string{"model card for ", "model card: ", "model card of "} {
			if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
				h = h[len(p):]
			}
		}
		if h != "" {
			return h
		}
	}
	return ""
}

type mapper struct {
	fields map[string]*yaml.Node
	vals   map[string]any
	from   map[string]string // where each value came from, by field path, for Hub imports
	out    []Unmapped
}

func (m *mapper) unmapped(field, value, reason string) {
	m.out = append(m.out, Unmapped{Field: field, Value: value, Reason: reason})
}

// text returns a scalar field's value, or "".
func (m *mapper) text(field string) string {
	if n := m.fields[field]; n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		return strings.TrimSpace(n.Value)
	}
	return ""
}

// list returns a field given as one value or a list of them.
func (m *mapper) list(field string) []string {
	n := m.fields[field]
	switch {
	case n == nil || n.ShortTag() == "!!null":
		return nil
	case n.Kind == yaml.ScalarNode:
		return []string{strings.TrimSpace(n.Value)}
	case n.Kind == yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				m.unmapped(field, describeNode(c), "expected text in the list")
				continue
			}
			if v := strings.TrimSpace(c.Value); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	m.unmapped(field, describeNode(n), "expected a value or a list")
	return nil
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

func (m *mapper) license(licenses []*load.License) {
	id, name, link := m.text("license"), m.text("license_name"), m.text("license_link")
	if id == "" && name == "" {
		if m.fields["license"] != nil && m.fields["license"].ShortTag() != "!!null" {
			return // given, but not as text: reported already
		}
		m.unmapped("license", "", "the card gives none: find the license in the repository and name it by id or alias")
		return
	}
	index := load.NewLicenseIndex(licenses) // check's own lookup
	find := func(s string) *load.License {
		if s == "" {
			return nil
		}
		return index.Lookup(s)
	}
	l := find(id)
	if l == nil && (id == "" || id == "other") {
		l = find(name)
	}
	if l == nil && link != "" {
		for _, c := range licenses {
			if c.URL != "" && sameURL(c.URL, link) {
				l = c
				break
			}
		}
	}
	if l != nil {
		m.vals["license"] = l.ID
		return
	}
	value := strconv.Quote(id)
	if name != "" {
		value += fmt.Sprintf(" (license_name %q)", name)
	}
	if link != "" {
		value += fmt.Sprintf(" (license_link %q)", link)
	}
	var ids []string
	for _, l := range licenses {
		ids = append(ids, l.ID)
	}
	reason := "no license in content/licenses/ has this id, alias or url: add an alias to the right license, or a new license file"
	want := id
	if id == "other" && name != "" {
		want = name
	}
	if near := load.Closest(want, ids, 3); len(near) > 0 {
		reason += " (closest: " + strings.Join(near, ", ") + ")"
	}
	m.unmapped("license", value, reason)
}

// sameURL compares URLs without their scheme and trailing slash.
func sameURL(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		s = strings.TrimPrefix(s, "www.")
		return strings.TrimSuffix(s, "/")
	}
	return norm(a) == norm(b)
}

// flow is what a model takes and what it makes, as modality_in and
// modality_out; either may be empty where the tag does not say.
type flow struct{ in, out []string }

func takes(in ...string) flow { return flow{in: in} }

func (f flow) makes(out ...string) flow { f.out = out; return f }

// pipelines maps Hugging Face pipeline tags to what a model takes and
// makes. A tag that names one side only leaves the other empty:
// unconditional-image-generation takes nothing, and robotics says only
// that the model acts.
var pipelines = map[string]flow{
	"text-generation":                takes("text").makes("text"),
	"text2text-generation":           takes("text").makes("text"),
	"fill-mask":                      takes("text").makes("text"),
	"summarization":                  takes("text").makes("text"),
	"translation":                    takes("text").makes("text"),
	"question-answering":             takes("text").makes("text"),
	"table-question-answering":       takes("text", "tabular").makes("text"),
	"text-classification":            takes("text").makes("labels"),
	"token-classification":           takes("text").makes("labels"),
	"zero-shot-classification":       takes("text").makes("labels"),
	"text-ranking":                   takes("text").makes("labels"),
	"feature-extraction":             takes("text").makes("embedding"),
	"sentence-similarity":            takes("text").makes("embedding"),
	"image-feature-extraction":       takes("image").makes("embedding"),
	"visual-document-retrieval":      takes("text", "image").makes("embedding"),
	"image-text-to-text":             takes("text", "image").makes("text"),
	"visual-question-answering":      takes("text", "image").makes("text"),
	"document-question-answering":    takes("text", "image").makes("text"),
	"image-to-text":                  takes("image").makes("text"),
	"video-text-to-text":             takes("text", "video").makes("text"),
	"audio-text-to-text":             takes("text", "audio").makes("text"),
	"image-classification":           takes("image").makes("labels"),
	"zero-shot-image-classification": takes("text", "image").makes("labels"),
	"object-detection":               takes("image").makes("labels"),
	"zero-shot-object-detection":     takes("text", "image").makes("labels"),
	"image-segmentation":             takes("image").makes("labels"),
	"keypoint-detection":             takes("image").makes("labels"),
	"mask-generation":                takes("image").makes("labels"),
	"depth-estimation":               takes("image").makes("image"),
	"video-classification":           takes("video").makes("labels"),
	"text-to-image":                  takes("text").makes("image"),
	"image-to-image":                 takes("image").makes("image"),
	"image-text-to-image":            takes("text", "image").makes("image"),
	"unconditional-image-generation": takes().makes("image"),
	"text-to-video":                  takes("text").makes("video"),
	"image-to-video":                 takes("image").makes("video"),
	"video-to-video":                 takes("video").makes("video"),
	"text-to-speech":                 takes("text").makes("speech"),
	"automatic-speech-recognition":   takes("speech").makes("text"),
	"text-to-audio":                  takes("text").makes("audio"),
	"audio-to-audio":                 takes("audio").makes("audio"),
	"audio-classification":           takes("audio").makes("labels"),
	"voice-activity-detection":       takes("audio").makes("labels"),
	"text-to-3d":                     takes("text").makes("3d"),
	"image-to-3d":                    takes("image").makes("3d"),
	"robotics":                       takes().makes("action"),
	"time-series-forecasting":        takes("time-series").makes("time-series"),
	"tabular-classification":         takes("tabular").makes("labels"),
	"tabular-regression":             takes("tabular").makes("labels"),
}

// libraries maps the library names that imply one side of a model's
// flow.
var libraries = map[string]flow{
	"sentence-transformers": takes().makes("embedding"),
	"diffusers":             takes().makes("image"),
	"lerobot":               takes().makes("action"),
	"timm":                  takes("image"),
}

func isPipeline(tag string) bool { _, ok := pipelines[tag]; return ok }

func isLibrary(tag string) bool { _, ok := libraries[tag]; return ok }

// modality maps the card's pipeline_tag, or failing that its
// library_name, to modality_in and modality_out.
func (m *mapper) modality() {
	var f flow
	known := false
	if p := m.text("pipeline_tag"); p != "" {
		if f, known = pipelines[p]; !known {
			m.unmapped("pipeline_tag", strconv.Quote(p), "no modality is known for it: set modality_in and modality_out by hand")
		}
	}
	from := "From the card's pipeline_tag."
	if !known {
		f, known = libraries[m.text("library_name")]
		from = "From the card's library_name."
	}
	if known {
		m.setFlow(f, from)
	}
}

// setFlow fills in the sides of f that say something, noting that they
// came from where.
func (m *mapper) setFlow(f flow, from string) {
	for side, v := range map[string][]string{"modality_in": f.in, "modality_out": f.out} {
		if len(v) > 0 {
			m.vals[side] = v
			m.from[side] = from
		}
	}
}

func (m *mapper) languages() {
	var langs, bad []string
	for _, l := range m.list("language") {
		switch ll := strings.ToLower(l); {
		case langPattern.MatchString(ll) || ll == "multilingual":
			if !contains(langs, ll) {
				langs = append(langs, ll)
			}
		default:
			bad = append(bad, strconv.Quote(l))
		}
	}
	if len(bad) > 0 {
		m.unmapped("language", strings.Join(bad, ", "), plural(len(bad), "not an ISO 639-1 code: add its two-letter code by hand", "not ISO 639-1 codes: add their two-letter codes by hand"))
	}
	if len(langs) > 0 {
		m.vals["languages"] = langs
	}
}

// hubTags are tags the Hub adds for libraries, file formats and features,
// which say nothing about why a model was released.
var hubTags = map[string]bool{
	"transformers": true, "safetensors": true, "pytorch": true, "tensorflow": true, "jax": true,
	"flax": true, "onnx": true, "gguf": true, "mlx": true, "coreml": true, "openvino": true,
	"text-generation-inference": true, "endpoints_compatible": true, "autotrain_compatible": true,
	"conversational": true, "custom_code": true, "model-index": true, "tensorboard": true,
	"4-bit": true, "8-bit": true, "bitsandbytes": true, "awq": true, "gptq": true, "fp8": true,
	"sentence-transformers": true, "diffusers": true, "peft": true, "trl": true, "vllm": true,
	"llama-cpp": true, "lora": true, "adapter": true, "deploy:azure": true, "has_space": true,
}

func (m *mapper) tags() {
	var tags, bad []string
	for _, t := range m.list("tags") {
		if a := arxivPattern.FindStringSubmatch(strings.ToLower(t)); a != nil {
			if _, ok := m.vals["links.report"]; !ok {
				m.vals["links.report"] = "https://arxiv.org/abs/" + a[1]
			}
			continue
		}
		lt := strings.ToLower(t)
		if strings.Contains(t, ":") || hubTags[lt] || isPipeline(lt) || isLibrary(lt) || langPattern.MatchString(lt) {
			continue
		}
		w := strings.ReplaceAll(strings.ReplaceAll(lt, "_", "-"), " ", "-")
		if !tagPattern.MatchString(w) {
			bad = append(bad, strconv.Quote(t))
			continue
		}
		if !contains(tags, w) {
			tags = append(tags, w)
		}
	}
	if len(bad) > 0 {
		m.unmapped("tags", strings.Join(bad, ", "), plural(len(bad), "not a word of lowercase letters, digits and hyphens: add it by hand if it matters", "not words of lowercase letters, digits and hyphens: add them by hand if they matter"))
	}
	if len(tags) > 0 {
		m.vals["tags"] = tags
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
