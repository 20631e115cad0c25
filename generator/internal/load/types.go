package load

import (
	"fmt"
	"html/template"
	"iter"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Pos is a position in a content file. Line and Col count from 1.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity says whether a problem stops the build.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one thing wrong with the content, found by load or check.
type Problem struct {
	Pos      Pos
	Severity Severity
	Msg      string
}

// String is the problem as one line of text: "file:line:col: message",
// with the control characters of the file name and message escaped (see
// Printable).
func (p Problem) String() string {
	pos := p.Pos
	pos.File = Printable(pos.File)
	if p.Severity == Warning {
		return pos.String() + ": warning: " + Printable(p.Msg)
	}
	return pos.String() + ": " + Printable(p.Msg)
}

// Printable returns s with each control character written as a Go escape
// (\n, \r, \t, \x1b, \u0085), and so are the line and paragraph
// separators and the bidirectional-text controls (\u2028, \u202e), and
// each byte that is not UTF-8 (\xff). A file name or message printed this
// way is one line that starts where it should and moves no cursor: it
// cannot pass for a workflow command in a CI log, or for another problem.
// Backslashes are left as they are.
func Printable(s string) string {
	if strings.IndexFunc(s, unprintable) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintable(r):
			q := strconv.QuoteRune(r) // '\n', '\x1b', '\u202e'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unprintable reports whether r is a control character, a line or
// paragraph separator, or a bidirectional-text control.
func unprintable(r rune) bool {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f, // marks
		r >= 0x202a && r <= 0x202e, // embeddings and overrides
		r >= 0x2066 && r <= 0x2069: // isolates
		return true
	}
	return false
}

// Doc is what every content file has besides its front matter.
type Doc struct {
	// File is the path relative to the source root, with forward slashes.
	File string
	// ID is the file name without its extension: a release's slug, an
	// org's, bucket's, license's or report's id.
	ID string
	// HTML is the Markdown body after the front matter, rendered in
	// goldmark's safe mode: raw HTML only as the allow-list keeps it (see
	// the package doc), images as links, no link whose scheme is not
	// http, https or mailto, and headings one level down.
	HTML template.HTML
	// BodyLinks are the body's link, image and autolink destinations,
	// as written, the unsafe ones included.
	BodyLinks []Link
	// Comments are the body's HTML comments, which the site does not
	// show, such as the placeholder a scaffold leaves.
	Comments []Comment
	// Todos are where the word TODO stands in the body outside comments.
	Todos []Pos
	// Unconfirmed are the paths of the fields marked with the Unconfirmed
	// comment.
	Unconfirmed []string
	// BodyLine is the line on which the body starts.
	BodyLine int
	// At holds the position of each field's value, by the field's path
	// ("title", "sources.0", "links.weights"). A field that is absent has
	// none.
	At Positions
	// Start is the position of the opening "---".
	Start Pos
	// Unread is true when the front matter could not be read at all (the
	// file is not text, has no front matter, or has a YAML syntax error):
	// every field is then absent, and check does not report them missing.
	Unread bool
}

// Pos returns the position of the field at path, or of the front matter
// when the field is absent.
func (d *Doc) Pos(path string) Pos {
	if p, ok := d.At.Get(path); ok {
		return p
	}
	return d.Start
}

// Has reports whether the field at path was given.
func (d *Doc) Has(path string) bool {
	_, ok := d.At.Get(path)
	return ok
}

// Positions maps field paths to the positions of their values, in one
// file. It is a list rather than a map: every file has one, a list of a
// few dozen fields takes a third of a map's memory, and check looks up a
// few fields a file at most. Each path is in it once at most: the decoder
// refuses a field given twice.
type Positions struct {
	file string
	list []fieldPos // in the order the fields were decoded
}

type fieldPos struct {
	path      string
	line, col int32
}

// Get returns the position of the value at path.
func (ps *Positions) Get(path string) (Pos, bool) {
	for _, f := range ps.list {
		if f.path == path {
			return Pos{ps.file, int(f.line), int(f.col)}, true
		}
	}
	return Pos{}, false
}

// Len returns the number of fields with a position.
func (ps *Positions) Len() int { return len(ps.list) }

// All yields every path and its position, in the order the fields were
// decoded.
func (ps *Positions) All() iter.Seq2[string, Pos] {
	return func(yield func(string, Pos) bool) {
		for _, f := range ps.list {
			if !yield(f.path, Pos{ps.file, int(f.line), int(f.col)}) {
				return
			}
		}
	}
}

// add records p as the position of path.
func (ps *Positions) add(path string, p Pos) {
	ps.file = p.File
	ps.list = append(ps.list, fieldPos{path, int32(min(p.Line, math.MaxInt32)), int32(min(p.Col, math.MaxInt32))})
}

// Release is one open-weights model release.
type Release struct {
	Doc          `yaml:"-"`
	Title        string      `yaml:"title" doc:"The release's name." required:"true"`
	Org          string      `yaml:"org" doc:"The id of the org that released it." required:"true"`
	Date         Date        `yaml:"date" doc:"When the weights were first published, YYYY-MM-DD." required:"true"`
	License      string      `yaml:"license" doc:"A license id or alias, such as a Hugging Face license id." required:"true"`
	Sources      []string    `yaml:"sources" doc:"Model card, technical report or announcement URLs." required:"true" format:"uri"`
	Summary      string      `yaml:"summary" doc:"One to three sentences."`
	Bucket       string      `yaml:"bucket" doc:"The editors' bucket, overriding the org's and the inferred one."`
	BucketNote   string      `yaml:"bucket_note" doc:"Why the editors chose the bucket."`
	ParamsTotal  Count       `yaml:"params_total" doc:"Total parameters: a number or 8.4B, 760M, 1.2T."`
	ParamsActive Count       `yaml:"params_active" doc:"Active parameters per token, for mixture-of-experts models."`
	Architecture string      `yaml:"architecture" doc:"dense, moe, hybrid or other." enum:"dense,moe,hybrid,other"`
	Context      string      `yaml:"context" doc:"Context window: a number, or with K or M: 128K, 1M." pattern:"^[0-9]+(\\.[0-9]+)?[KM]?$"`
	ModalityIn   []string    `yaml:"modality_in" doc:"What the model takes; image is any picture, page or screen, speech is spoken language." enum:"text,code,image,video,audio,speech,3d,time-series,tabular,embedding,action,labels"`
	ModalityOut  []string    `yaml:"modality_out" doc:"What the model makes; embedding is vectors, labels are classes, boxes, masks or scores." enum:"text,code,image,video,audio,speech,3d,time-series,tabular,embedding,action,labels"`
	Languages    []string    `yaml:"languages" doc:"ISO 639-1 codes, or multilingual." format:"language"`
	TrainedOn    string      `yaml:"trained_on" doc:"Hardware vendor the model was trained on: NVIDIA, AMD, Google TPU..."`
	Product      string      `yaml:"product" doc:"The product feature the model ships in."`
	Links        Links       `yaml:"links" doc:"Where to find the weights, report, announcement and code."`
	Benchmarks   []Benchmark `yaml:"benchmarks" doc:"Scores stated by a source."`
	Variants     []Variant   `yaml:"variants" doc:"The members of a family that differ in license or size."`
	Tags         []string    `yaml:"tags" doc:"Lowercase words of letters and digits, joined by single hyphens: open-data, rag." pattern:"^[a-z0-9]+(-[a-z0-9]+)*$"`
	// Fields for what real catalogues hold.
	BaseModel string   `yaml:"base_model" doc:"What it was built on: a release slug, or a Hugging Face repository owner/name." pattern:"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$"`
	CoOrgs    []string `yaml:"co_orgs" doc:"The ids of other orgs that developed it with org."`
	Weights   string   `yaml:"weights" doc:"How the weights can be had: open (anyone may download them), gated (after accepting terms or an approval) or closed." enum:"open,gated,closed"`
	// Draft marks an entry that whyopen track wrote and no editor has
	// finished: check warns about it, so check -strict fails on it.
	Draft bool `yaml:"draft" doc:"A draft written by whyopen track: remove this line once an editor has checked every field and written the body." scaffold:"set"`

	// Buckets and BucketNotes are the editors' buckets in the site's
	// further schemes, by scheme id; Bucket is the primary scheme's.
	Buckets     map[string]string `yaml:"buckets" doc:"The editors' bucket in each further scheme, by scheme id."`
	BucketNotes map[string]string `yaml:"bucket_notes" doc:"Why the editors chose each further scheme's bucket, by scheme id."`
}

// Variant is one member of a release family, such as one size of it.
// The release's license is the most restrictive of its variants'; its
// params_total and params_active are the flagship's.
type Variant struct {
	Name         string `yaml:"name" doc:"The variant's name, such as Qwen2.5-7B." required:"true"`
	License      string `yaml:"license" doc:"Its license id or alias; the release's when absent."`
	ParamsTotal  Count  `yaml:"params_total" doc:"Total parameters: a number or 8.4B, 760M, 1.2T."`
	ParamsActive Count  `yaml:"params_active" doc:"Active parameters per token, for mixture-of-experts models."`
}

// Links are a release's links.
type Links struct {
	Weights      string `yaml:"weights" format:"uri"`
	Report       string `yaml:"report" format:"uri"`
	Announcement string `yaml:"announcement" format:"uri"`
	Code         string `yaml:"code" format:"uri"`
}

// Benchmark is one reported score.
type Benchmark struct {
	Name   string  `yaml:"name" required:"true"`
	Score  float64 `yaml:"score" required:"true"`
	Source string  `yaml:"source" format:"uri"`
}

// Org is an organisation that releases models.
type Org struct {
	Doc         `yaml:"-"`
	Name        string `yaml:"name" doc:"Display name." required:"true"`
	Kind        string `yaml:"kind" doc:"What kind of organisation it is." required:"true" enum:"lab,chip-vendor,cloud,bigtech,product-company,state-program,research,nonprofit"`
	Country     string `yaml:"country" doc:"ISO 3166-1 alpha-2 country code, or INT for an international organisation that no one country hosts." required:"true" pattern:"^([A-Z]{2}|INT)$"`
	StateBacked bool   `yaml:"state_backed" doc:"Whether a state funds or directs it."`
	Bucket      string `yaml:"bucket" doc:"The editors' default bucket for the org's releases."`
	BucketNote  string `yaml:"bucket_note" doc:"Why the editors chose the org's default bucket, or why it has none."`
	// NationalLanguages and Programmes are the facts the sovereign
	// signals test; see classify.
	NationalLanguages []string    `yaml:"national_languages" doc:"ISO 639-1 codes of the national or official languages of the org's country."`
	Programmes        []Programme `yaml:"programmes" doc:"Government AI programmes, funding or procurement the org takes part in, each with a source."`
	Website           string      `yaml:"website" doc:"The org's website." format:"uri"`
	Domains           []string    `yaml:"domains" doc:"Other web hosts where the org speaks for itself, such as mistral.ai; a subdomain counts too."`
	HuggingFace       Names       `yaml:"huggingface" doc:"The org's Hugging Face account name, or names."`
	GitHub            []string    `yaml:"github" doc:"The org's GitHub organisation or user names."`
	Sources           []string    `yaml:"sources" doc:"URLs backing the facts above." format:"uri"`

	// Buckets and BucketNotes are the org's defaults in the site's further
	// schemes, by scheme id; Bucket is the primary scheme's.
	Buckets     map[string]string `yaml:"buckets" doc:"The editors' default bucket in each further scheme, by scheme id."`
	BucketNotes map[string]string `yaml:"bucket_notes" doc:"Why the editors chose each further scheme's default bucket, by scheme id."`
}

// Programme is a government AI programme, funding or procurement that an
// org takes part in. It holds for the org's releases from Since on.
type Programme struct {
	Name   string `yaml:"name" doc:"The programme, and the org's part in it." required:"true"`
	Since  Date   `yaml:"since" doc:"When the org joined it, YYYY-MM-DD." required:"true"`
	Source string `yaml:"source" doc:"A URL stating it: the government's or the org's own page, or a news report." required:"true" format:"uri"`
}

// Names is a list of account names that may also be written as one name.
type Names []string

// Bucket is one motivation for releasing weights.
type Bucket struct {
	Doc       `yaml:"-"`
	Title     string   `yaml:"title" doc:"Display name." required:"true"`
	Order     int      `yaml:"order" doc:"Position in legends and tables." required:"true"`
	Color     string   `yaml:"color" doc:"Colour on light backgrounds, #rrggbb." required:"true" pattern:"^#[0-9a-fA-F]{6}$"`
	ColorDark string   `yaml:"color_dark" doc:"Colour on dark backgrounds, #rrggbb." pattern:"^#[0-9a-fA-F]{6}$"`
	Question  string   `yaml:"question" doc:"What the maker probably wants." required:"true"`
	Signals   []Signal `yaml:"signals" doc:"Weighted signals the classifier scores."`

	// Scheme is the id of the further scheme the bucket belongs to, from
	// its directory content/schemes/<id>/; "" for the primary scheme's
	// buckets in content/buckets/.
	Scheme string `yaml:"-"`
}

// Modalities lists the words modality_in and modality_out take, in
// their documented order.
func Modalities() []string {
	f, _ := reflect.TypeOf(Release{}).FieldByName("ModalityIn")
	return strings.Split(f.Tag.Get("enum"), ",")
}

// Signal is one weighted test the classifier applies to a release.
type Signal struct {
	Fact    string   `yaml:"fact" doc:"The fact tested." required:"true" enum:"org.kind,org.state_backed,org.country,org.programme,national_language,license,license.class,trained_on,trained_on_own_hardware,params_total,params_active,architecture,modality,modality_in,modality_out,product"`
	In      []string `yaml:"in" doc:"Holds when the fact is one of these values."`
	Below   Count    `yaml:"below" doc:"Holds when the fact is known and smaller."`
	AtLeast Count    `yaml:"at_least" doc:"Holds when the fact is known and not smaller."`
	Present *bool    `yaml:"present" doc:"Holds when the fact is (true) or is not (false) given."`
	Weight  int      `yaml:"weight" doc:"Added to the bucket's score when the test holds." required:"true"`
}

// Scheme is a further bucket scheme: another reading of why makers
// release weights, read from content/schemes/<id>/scheme.md, with its
// buckets in the same directory. Its ID is the directory's name.
type Scheme struct {
	Doc   `yaml:"-"`
	Title string `yaml:"title" doc:"Display name." required:"true"`
	Order int    `yaml:"order" doc:"Position among the further schemes."`
	Seed  string `yaml:"seed" doc:"The analysis the scheme is read from, in a few words."`
	// Corresponds declares, for each of this scheme's buckets, the
	// primary scheme's buckets it roughly maps to.
	Corresponds map[string][]string `yaml:"corresponds" doc:"For each of this scheme's buckets, the primary scheme's buckets it roughly maps to."`
	Buckets     []*Bucket           `yaml:"-"` // by file name
}

// License is a model license.
type License struct {
	Doc     `yaml:"-"`
	Name    string   `yaml:"name" doc:"Display name." required:"true"`
	SPDX    string   `yaml:"spdx" doc:"SPDX identifier, where one exists."`
	Class   string   `yaml:"class" doc:"open, conditional or non-commercial; custom for bespoke terms not yet placed in one of those, unknown where no license could be found." required:"true" enum:"open,conditional,non-commercial,custom,unknown"`
	URL     string   `yaml:"url" doc:"The license text; required unless class is custom or unknown." format:"uri"`
	Aliases []string `yaml:"aliases" doc:"Other ids, such as Hugging Face license ids."`
	Sources []string `yaml:"sources" doc:"URLs backing the description." format:"uri"`
}

// Report is one edition of the periodic report.
type Report struct {
	Doc       `yaml:"-"`
	Number    int    `yaml:"number" doc:"The edition number." required:"true"`
	Title     string `yaml:"title" doc:"The edition's title." required:"true"`
	From      Date   `yaml:"from" doc:"First day of the period covered." required:"true"`
	To        Date   `yaml:"to" doc:"Last day of the period covered." required:"true"`
	Published Date   `yaml:"published" doc:"Publication date." required:"true"`
	Summary   string `yaml:"summary" doc:"A sentence for listings and feeds."`
	Picks     []Pick `yaml:"picks" doc:"The editors' picks of the period."`
}

// Pick is a report's pick of one release.
type Pick struct {
	Release string `yaml:"release" doc:"The release's slug." required:"true"`
	Blurb   string `yaml:"blurb" doc:"One to three sentences." required:"true"`
}

// Site is content/site.yaml.
type Site struct {
	Doc         `yaml:"-"`
	Title       string `yaml:"title" doc:"The site's title." required:"true"`
	BaseURL     string `yaml:"base_url" doc:"Where the site is published, ending in /." required:"true" format:"uri"`
	Description string `yaml:"description" doc:"One sentence about the site."`
	Period      string `yaml:"period" doc:"Default chart period." enum:"quarter,month"`
	// MinShareN is the fewest releases a period needs for a chart to
	// plot its shares (figure.Options.MinShareN).
	MinShareN int `yaml:"min_share_n" doc:"The fewest releases a period needs for its shares to be plotted; 8 when left out."`
	// Scheme and SchemeTitle name the primary scheme, content/buckets/,
	// where the site has further schemes.
	Scheme      string `yaml:"scheme" doc:"The primary bucket scheme's id, where content/schemes/ holds others." pattern:"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"`
	SchemeTitle string `yaml:"scheme_title" doc:"The primary bucket scheme's display name."`
	SchemeSeed  string `yaml:"scheme_seed" doc:"The analysis the primary bucket scheme is read from, in a few words."`
	// Inclusion is the report's inclusion criteria, shown on the
	// methodology page.
	Inclusion []string `yaml:"inclusion" doc:"What counts as a release and what is notable enough to include, one paragraph each."`
	// DataLicense is the license of the data the site publishes (its
	// data package): an SPDX id, or the id or alias of a license in
	// content/licenses.
	DataLicense string `yaml:"data_license" doc:"The license of the site's data, such as CC-BY-4.0: an SPDX id or a license id."`
}

// Sources is content/sources.yaml: the hosts that are never a source
// (mirrors) or not one on their own (farms). It is optional.
type Sources struct {
	Doc     `yaml:"-"`
	Mirrors []Mirror `yaml:"mirrors" doc:"Hosts that re-serve another site's pages: citing one is an error."`
	Farms   []Farm   `yaml:"farms" doc:"Hosts that publish generated or copied text: citing one is a warning."`
}

// Mirror is a host that re-serves another site's pages.
type Mirror struct {
	Host     string `yaml:"host" doc:"A host name; *.example.com is any subdomain of example.com." required:"true"`
	Original string `yaml:"original" doc:"The host, with an optional path, the mirror copies: huggingface.co or arxiv.org/abs."`
	Strip    string `yaml:"strip" doc:"A path prefix the mirror adds, removed to derive the original URL: /papers."`
	Note     string `yaml:"note" doc:"What the host is."`
}

// Farm is a host that publishes generated or copied text.
type Farm struct {
	Host string `yaml:"host" doc:"A host name; *.example.com is any subdomain of example.com." required:"true"`
	Note string `yaml:"note" doc:"What the host is."`
}

// Content is a whole content tree. Each list is sorted by file name.
type Content struct {
	Site     Site
	Sources  Sources
	Releases []*Release
	Orgs     []*Org
	Buckets  []*Bucket
	Licenses []*License
	Reports  []*Report
	Schemes  []*Scheme // the further schemes, by id
}

// PrimaryScheme is the primary scheme's id when site.yaml names none.
const PrimaryScheme = "primary"

// PrimarySchemeID returns the id of the primary scheme.
func (s *Site) PrimarySchemeID() string {
	if s.Scheme != "" {
		return s.Scheme
	}
	return PrimaryScheme
}

// Date is a calendar date. The zero Date means no date.
type Date struct{ t time.Time }

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD, refusing impossible dates such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 {
		return Date{}, fmt.Errorf("bad date %q: want YYYY-MM-DD", s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		if _, err2 := time.Parse("2006-01-02", s[:8]+"01"); err2 == nil && isDigit(s[8]) && isDigit(s[9]) {
			return Date{}, fmt.Errorf("impossible date %q: that month has no day %s", s, s[8:])
		}
		return Date{}, fmt.Errorf("bad date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns d at midnight UTC.
func (d Date) Time() time.Time { return d.t }

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Count is a parameter count. Zero means unknown.
type Count float64

var countSuffixes = []struct {
	s string
	m float64
}{{"K", 1e3}, {"M", 1e6}, {"B", 1e9}, {"T", 1e12}}

// ParseCount parses a number with an optional K, M, B or T suffix.
func ParseCount(s string) (Count, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	for _, suf := range countSuffixes {
		if strings.HasSuffix(strings.ToUpper(t), suf.s) {
			mult = suf.m
			t = strings.TrimSpace(t[:len(t)-1])
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || t == "" || strings.ContainsAny(t, "eEnNxX_+-") || f <= 0 || math.IsInf(f*mult, 0) {
		return 0, fmt.Errorf("bad parameter count %q: want a positive number, or one with K, M, B or T such as 8.4B", s)
	}
	if Count(f*mult) >= MaxCount {
		return 0, fmt.Errorf("parameter count %q is not under 100T: the largest open-weights models have a few trillion", clipCount(s))
	}
	return Count(f * mult), nil
}

// String formats c the way people write it: 8.4B, 760M, 1.2T.
func (c Count) String() string {
	if c <= 0 {
		return ""
	}
	f := float64(c)
	for i := len(countSuffixes) - 1; i >= 0; i-- {
		if f >= countSuffixes[i].m {
			if v := math.Round(f/countSuffixes[i].m*100) / 100; v >= 1000 && i+1 < len(countSuffixes) {
				return "1" + countSuffixes[i+1].s // 999.999M is 1B, not 1000M
			}
			return strconv.FormatFloat(math.Round(f/countSuffixes[i].m*100)/100, 'f', -1, 64) + countSuffixes[i].s
		}
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Document returns d; it lets code treat every kind of content file alike.
func (d *Doc) Document() *Doc { return d }
