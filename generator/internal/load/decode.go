package load

import (
	"bufio"
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"go.yaml.in/yaml/v3"
)

// Limits on what one content file may hold.
const (
	MaxFrontMatter = 64 << 10
	MaxFile        = 10 << 20
	maxDepth       = 32
)

// Parse decodes one Markdown content file into v, which must be a pointer to
// a Release, Org, Bucket, License or Report. It fills v's Doc and returns
// every problem it finds; v holds whatever could be decoded.
func Parse(file string, data []byte, v any) []Problem {
	doc := docOf(v)
	doc.File = file
	doc.ID = idOf(file)
	doc.At = Positions{}
	doc.Start = Pos{File: file, Line: 1, Col: 1}
	doc.Unread = true
	first := Pos{File: file, Line: 1, Col: 1}
	if len(data) > MaxFile {
		return []Problem{{Pos: first, Msg: fmt.Sprintf("file is %d bytes; the limit is %d (10 MiB)", len(data), MaxFile)}}
	}
	if p, ok := notText(file, data); !ok {
		return []Problem{p}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))

	// Find the opening delimiter ourselves, so that we know its line, and
	// the closing one, so that frontmatter.Parse need not copy the body.
	startLine, sawOpen := 0, false
	i, cut := 0, len(data)
	at := 0 // the offset of the next line
	for line := range bytes.Lines(data) {
		i++
		at += len(line)
		t := bytes.TrimSpace(line)
		if !sawOpen {
			if len(t) == 0 {
				continue
			}
			if startLine, sawOpen = i, string(t) == "---"; !sawOpen {
				break
			}
		} else if string(t) == "---" {
			cut = at
			break
		}
	}
	if !sawOpen {
		return []Problem{{Pos: first, Msg: `missing front matter: the file must start with a "---" line, then YAML fields, then another "---" line`}}
	}
	doc.Start.Line = startLine

	var fm []byte
	called := false
	format := frontmatter.NewFormat("---", "---", func(b []byte, _ any) error {
		called = true
		fm = b
		return nil
	})
	br := readers.Get().(*bufio.Reader)
	br.Reset(bytes.NewReader(data[:cut]))
	_, err := frontmatter.Parse(br, nil, format)
	br.Reset(nil)
	readers.Put(br)
	if err != nil {
		return []Problem{{Pos: doc.Start, Msg: "cannot read front matter: " + err.Error()}}
	}
	if !called {
		return []Problem{{Pos: doc.Start, Msg: `front matter is never closed: add a "---" line after the last field`}}
	}
	// The body follows the closing line, where frontmatter.Parse stopped
	// reading.
	doc.BodyLine = startLine + bytes.Count(fm, []byte("\n")) + 2
	over := body(doc, data[cut:])
	if len(fm) > MaxFrontMatter {
		return append([]Problem{{Pos: doc.Start, Msg: fmt.Sprintf("front matter is %d bytes; the limit is %d (64 KiB)", len(fm), MaxFrontMatter)}}, over...)
	}
	probs := decodeYAML(file, fm, startLine, doc, v)
	markUnconfirmed(doc, fm, startLine+1)
	return append(probs, over...)
}

// ParseYAML decodes a plain YAML file, site.yaml or sources.yaml, into v.
func ParseYAML(file string, data []byte, v any) []Problem {
	doc := docOf(v)
	doc.File = file
	doc.ID = idOf(file)
	doc.At = Positions{}
	doc.Start = Pos{File: file, Line: 1, Col: 1}
	doc.Unread = true
	if len(data) > MaxFrontMatter {
		return []Problem{{Pos: doc.Start, Msg: fmt.Sprintf("file is %d bytes; the limit is %d (64 KiB)", len(data), MaxFrontMatter)}}
	}
	if p, ok := notText(file, data); !ok {
		return []Problem{p}
	}
	return decodeYAML(file, bytes.TrimPrefix(data, []byte("\ufeff")), 0, doc, v)
}

func notText(file string, data []byte) (Problem, bool) {
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == 0 || (r == utf8.RuneError && n <= 1) {
				break
			}
			i += n
		}
		line := 1 + bytes.Count(data[:i], []byte("\n"))
		col := 1 + i - (bytes.LastIndexByte(data[:i], '\n') + 1)
		return Problem{Pos: Pos{File: file, Line: line, Col: col}, Msg: "not a UTF-8 text file (binary data here)"}, false
	}
	return Problem{}, true
}

func docOf(v any) *Doc {
	switch v := v.(type) {
	case *Release:
		return &v.Doc
	case *Org:
		return &v.Doc
	case *Bucket:
		return &v.Doc
	case *License:
		return &v.Doc
	case *Report:
		return &v.Doc
	case *Site:
		return &v.Doc
	case *Sources:
		return &v.Doc
	case *Scheme:
		return &v.Doc
	}
	panic(fmt.Sprintf("load: cannot decode into %T", v))
}

func idOf(file string) string {
	base := file[strings.LastIndexAny(file, `/`)+1:]
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// yamlBreaks are the characters besides LF (and CR in CRLF) that YAML
// reads as line breaks.
var yamlBreaks = map[rune]string{
	'\r':     "a carriage return without a line feed",
	'\u0085': "a next-line character",
	'\u2028': "a line separator",
	'\u2029': "a paragraph separator",
}

// yamlParserErrors are the YAML parser's (not its scanner's) problems,
// whose line numbers go.yaml.in/yaml/v3 reports counting from 0.
var yamlParserErrors = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// skipQuick makes decodeYAML read everything with the YAML parser, for
// tests that compare the two.
var skipQuick = false

// readers are handed to frontmatter.Parse, which would otherwise make a
// 4 KB bufio.Reader per file: bufio.NewReader returns one it is given.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// decodeYAML decodes src, whose first line is line off+1 of file.
func decodeYAML(file string, src []byte, off int, doc *Doc, v any) []Problem {
	d := &decoder{file: file, off: off}
	// A tab in indentation is the most common YAML mistake, and the YAML
	// parser's own message for it is cryptic, so catch it first. Printable
	// ASCII needs no look.
	i := 0
	for line := range bytes.SplitSeq(src, []byte("\n")) {
		if i++; plainASCII(line) {
			continue
		}
		indent := len(line) - len(bytes.TrimLeft(line, " \t"))
		if j := bytes.IndexByte(line[:indent], '\t'); j >= 0 {
			d.probs = append(d.probs, Problem{Pos: Pos{file, off + i, j + 1}, Msg: "tab in indentation: YAML indents with spaces only"})
		}
		// YAML also breaks lines at a lone CR, NEL, LS and PS, which would
		// put its line numbers out of step with the file's, and refuses
		// control characters without saying where: catch both here.
		for j, r := range string(line) {
			msg := ""
			if name, ok := yamlBreaks[r]; ok && !(r == '\r' && j == len(line)-1) {
				msg = fmt.Sprintf("%s (%U) here: YAML reads it as a line break; end lines with \\n or \\r\\n only", name, r)
			} else if r < 0x20 && r != '\t' && r != '\r' || r >= 0x7f && r < 0xa0 && r != 0x85 || r == 0xfffe || r == 0xffff {
				msg = fmt.Sprintf("control character %U here: YAML does not allow it", r)
			}
			if msg != "" {
				d.probs = append(d.probs, Problem{Pos: Pos{file, off + i, 1 + utf8.RuneCount(line[:j])}, Msg: msg})
				break
			}
		}
	}
	if len(d.probs) > 0 {
		return d.probs
	}
	if len(src) > 0 && src[len(src)-1] != '\n' {
		src = append(src[:len(src):len(src)], '\n') // so the end is never on a line of its own
	}
	root, ok := quickYAML(src)
	if skipQuick || !ok {
		root = new(yaml.Node)
		if err := yaml.Unmarshal(src, root); err != nil {
			return []Problem{yamlProblem(file, off, src, err)}
		}
	}
	doc.Unread = false
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil // empty front matter: check reports the missing fields
	}
	if doc.At.list == nil {
		doc.At.list = make([]fieldPos, 0, countValues(root.Content[0])) // sized once, not grown
	}
	d.at = &doc.At
	d.value(root.Content[0], reflect.ValueOf(v).Elem(), "", 0)
	return d.probs
}

// yamlProblem turns the YAML parser's error into a problem with a
// position and plainer words.
func yamlProblem(file string, off int, src []byte, err error) Problem {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
			if yamlParserErrors[m[2]] {
				line++ // the YAML parser counts these lines from 0
			}
		}
		msg = m[2]
	}
	if msg == "found unexpected end of stream" {
		// Only an unclosed quote ends so. The error is on the quote's
		// line, or at the end when that is the first line.
		if line > bytes.Count(src, []byte("\n")) {
			line = 1
		}
		msg = "a quoted value starting on this line is never closed"
	}
	col := 1
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		// Reported without a line: find the alias, such as the
		// Markdown emphasis in "summary: *Very good."
		if i := bytes.Index(src, []byte("*"+m[1])); i >= 0 {
			line = 1 + bytes.Count(src[:i], []byte("\n"))
			col = 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:i], '\n')+1:i])
		}
		msg = "*" + m[1] + " is read as a YAML alias: quote a value that starts with *"
	} else if msg == "did not find expected alphabetic or numeric character" {
		// Only an anchor or alias without a name fails so.
		msg = "a value that starts with * or & is read as a YAML alias or anchor: quote it"
	}
	if off+line > off+bytes.Count(src, []byte("\n"))+1 {
		line = bytes.Count(src, []byte("\n")) + 1
	}
	return Problem{Pos: Pos{file, off + line, col}, Msg: "YAML syntax: " + msg}
}

// plainASCII reports whether line is printable ASCII, and so free of the
// characters decodeYAML looks for before the YAML parser.
func plainASCII(line []byte) bool {
	for _, c := range line {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// countValues counts the values under n, map keys aside: the positions
// the decoder records, at most.
func countValues(n *yaml.Node) int {
	c, first, step := 0, 0, 1
	if n.Kind == yaml.MappingNode {
		first, step = 1, 2
	}
	for i := first; i < len(n.Content); i += step {
		c += 1 + countValues(n.Content[i])
	}
	return c
}

type decoder struct {
	file  string
	off   int
	at    *Positions
	probs []Problem
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{d.file, n.Line + d.off, n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.probs = append(d.probs, Problem{Pos: d.pos(n), Msg: fmt.Sprintf(format, args...)})
}

var (
	dateType  = reflect.TypeOf(Date{})
	countType = reflect.TypeOf(Count(0))
	namesType = reflect.TypeOf(Names(nil))
)

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!bool":
		return n.Value
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return strconv.Quote(v)
}

func name(path string) string {
	if path == "" {
		return "front matter"
	}
	return path
}

// value decodes n into v. path names the field for messages and positions.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string, depth int) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		if path != "" {
			d.at.add(path, d.pos(n)) // given, if refused: not also "missing"
		}
		d.errorf(n, "%s: YAML anchors and aliases are not allowed in content", name(path))
		return
	}
	if depth > maxDepth {
		d.errorf(n, "%s: nested too deeply", name(path))
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // an empty value is the same as an absent one
	}
	if path != "" {
		d.at.add(path, d.pos(n))
	}
	t := v.Type()
	switch {
	case t == namesType && n.Kind == yaml.ScalarNode:
		// One name is a list of one.
		d.at.add(path+".0", d.pos(n))
		v.Set(reflect.ValueOf(Names{n.Value}))
	case t == dateType:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "%s: expected a date (YYYY-MM-DD), got %s", path, describe(n))
			return
		}
		date, err := ParseDate(n.Value)
		if err != nil {
			d.errorf(n, "%s: %v", path, err)
			return
		}
		v.Set(reflect.ValueOf(date))
	case t == countType:
		if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!bool" {
			d.errorf(n, "%s: expected a parameter count such as 8.4B or 760M, got %s", path, describe(n))
			return
		}
		c, err := ParseCount(n.Value)
		if err != nil {
			d.errorf(n, "%s: %v", path, err)
			return
		}
		v.SetFloat(float64(c))
	case t.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "%s: expected text, got %s", path, describe(n))
			return
		}
		if n.ShortTag() == "!!binary" {
			d.errorf(n, "%s: expected text, got binary data (!!binary): write the text itself", path)
			return
		}
		v.SetString(n.Value)
	case t.Kind() == reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil {
			d.errorf(n, "%s: expected a whole number, got %s", path, describe(n))
			return
		}
		v.SetInt(int64(i))
	case t.Kind() == reflect.Float64:
		f, err := strconv.ParseFloat(n.Value, 64)
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || err != nil {
			d.errorf(n, "%s: expected a number, got %s", path, describe(n))
			return
		}
		v.SetFloat(f)
	case t.Kind() == reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.errorf(n, "%s: expected true or false, got %s", path, describe(n))
			return
		}
		v.SetBool(n.Value == "true")
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		d.value(n, p.Elem(), path, depth)
		v.Set(p)
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode && t == namesType {
			d.errorf(n, "%s: expected a name or a list of names, got %s", path, describe(n))
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "%s: expected a list, got %s", path, describe(n))
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.value(c, s.Index(i), path+"."+strconv.Itoa(i), depth+1)
		}
		v.Set(s)
	case t.Kind() == reflect.Map:
		// A map is keyed by ids, such as a scheme's, which check resolves.
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "%s: expected ids and values (id: value), got %s", name(path), describe(n))
			return
		}
		m := reflect.MakeMapWithSize(t, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
				d.errorf(k, "%s: a key must be plain text, got %s", name(path), describe(k))
				continue
			}
			if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
				d.errorf(k, "duplicate key %q in %s", k.Value, name(path))
				continue
			}
			e := reflect.New(t.Elem()).Elem()
			d.value(val, e, path+"."+k.Value, depth+1)
			m.SetMapIndex(reflect.ValueOf(k.Value), e)
		}
		v.Set(m)
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "%s: expected fields (key: value), got %s", name(path), describe(n))
			return
		}
		d.fields(n, v, path, depth)
	default:
		panic("load: unsupported field type " + t.String())
	}
}

func (d *decoder) fields(n *yaml.Node, v reflect.Value, path string, depth int) {
	fs := fieldsOf(v.Type())
	seen := map[string]int{}
	prefix := ""
	if path != "" {
		prefix = path + "."
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%s: a field name must be plain text, got %s", name(path), describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			d.errorf(k, "%s: YAML merge keys (<<) are not allowed in content", name(path))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "duplicate field %q (first given on line %d)", prefix+k.Value, first)
			continue
		}
		seen[k.Value] = k.Line + d.off
		idx, ok := fs.index[k.Value]
		if !ok {
			if how, was := retired[v.Type()][k.Value]; was {
				d.errorf(k, "%s is retired: %s", prefix+k.Value, how)
				continue
			}
			d.errorf(k, "unknown field %q%s", prefix+k.Value, DidYouMean(k.Value, fs.names))
			continue
		}
		if c := strings.Fields(k.LineComment); val.ShortTag() == "!!null" && val.Value == "" && len(c) > 0 && len(c[0]) > 1 && c[0][1] != '#' {
			// "color: #2f62a8" is a key followed by a comment.
			d.errorf(k, "%s: %s is read as a YAML comment, so the value is empty: quote it, as in %s: \"%s\"", prefix+k.Value, c[0], k.Value, c[0])
		}
		if val.Kind == yaml.ScalarNode && val.Value == "" && v.Field(idx).Kind() == reflect.String {
			continue // so is empty text (""), for a field; a list item keeps its place
		}
		d.value(val, v.Field(idx), prefix+k.Value, depth+1)
	}
}

// retired names the fields content used to have, by the type that had
// them, with what replaces each: an old entry gets that, not a guess.
var retired = map[reflect.Type]map[string]string{
	reflect.TypeOf(Release{}): {
		"modality": "it mixed what a model takes with what it makes; split it into modality_in and modality_out, as in modality_in: [text, image] and modality_out: [text] for a vision-language model",
	},
}

// Retired says what replaces field, a field v's type used to have, or
// false when it never had it or has it still.
func Retired(v any, field string) (string, bool) {
	how, ok := retired[reflect.TypeOf(v)][field]
	return how, ok
}

type fieldSet struct {
	index map[string]int
	names []string
}

var fieldCache sync.Map // reflect.Type → *fieldSet

func fieldsOf(t reflect.Type) *fieldSet {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.(*fieldSet)
	}
	fs := &fieldSet{index: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("yaml")
		if tag == "" || tag == "-" {
			continue
		}
		fs.index[tag] = i
		fs.names = append(fs.names, tag)
	}
	fieldCache.Store(t, fs)
	return fs
}

// DidYouMean returns ` (did you mean "x"?)` for the candidate closest to s,
// or "" when none is close enough to be a likely typo.
func DidYouMean(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := distance(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := 2
	if n := utf8.RuneCountInString(s); n <= 4 {
		limit = 1
	} else if n >= 12 {
		limit = 3
	}
	if best == "" || bestD > limit {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Damerau-Levenshtein (optimal string alignment) distance.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
