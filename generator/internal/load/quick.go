package load

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// quickYAML reads front matter written in the plain subset of YAML that
// content files use, and builds the node tree go.yaml.in/yaml/v3 would,
// several times faster. Anything outside the subset, and anything that
// would be a YAML error, makes it give up (ok false), and the YAML parser
// reads the file instead: quickYAML never decides what a file means on
// its own. FuzzQuickYAML checks that every tree it builds is the parser's.
//
// The subset is a block mapping at column 1 whose keys are words
// ([A-Za-z0-9_][A-Za-z0-9_-]*), each followed by ": " and a value on the
// same line, or by ":" and a more indented block: a mapping, or a
// sequence of "- " items, each a value or a mapping. A value is a plain
// scalar, a quoted one without escapes, or a flow sequence of such
// scalars ("[a, 'b']"). No comments, tabs, CRs, anchors, tags, block or
// multi-line scalars, and no empty values.
//
// Nodes get the parser's position, value and style. A plain scalar's tag
// is what yaml.Node.ShortTag resolves from its value, as the parser's is;
// quoted ones are strings by their style.
func quickYAML(src []byte) (*yaml.Node, bool) {
	// A "#" after a space, or at the start of a line, begins a comment.
	if len(src) == 0 || bytes.ContainsAny(src, "\t\r") || bytes.Contains(src, []byte(" #")) || !yamlPrintable(src) {
		return nil, false
	}
	lines := bytes.Count(src, []byte("\n")) + 1
	q := &quick{lines: make([]qline, 0, lines)}
	// A line holds a key and its value, or an item, or a flow sequence:
	// two nodes a line, and one for each comma, is enough for most files.
	q.slab = lines*2 + bytes.Count(src, []byte(",")) + 2
	n := 0
	for line := range strings.Lines(string(src)) {
		n++
		s := strings.TrimRight(line, " \n")
		if s == "" {
			continue
		}
		t := strings.TrimLeft(s, " ")
		q.lines = append(q.lines, qline{n: n, indent: len(s) - len(t), text: t})
	}
	if len(q.lines) == 0 || q.lines[0].indent != 0 || q.lines[0].text[0] == '#' {
		return nil, false
	}
	m, ok := q.mapping(0)
	if !ok || q.i != len(q.lines) {
		return nil, false
	}
	doc := q.node()
	*doc = yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1}
	q.stack = append(q.stack, m)
	doc.Content = q.children(len(q.stack) - 1)
	return doc, true
}

type quick struct {
	lines []qline
	i     int // the next line to read
	// Nodes and children lists are cut from shared slabs, a few
	// allocations a file instead of one or two a value.
	slab  int // the size of a slab, in nodes
	nodes []yaml.Node
	ptrs  []*yaml.Node
	// stack holds the children of the collections being read, each
	// above its parent's, until the collection ends.
	stack []*yaml.Node
}

// node returns a new node from the slab.
func (q *quick) node() *yaml.Node {
	if len(q.nodes) == cap(q.nodes) {
		q.nodes = make([]yaml.Node, 0, q.slab)
	}
	q.nodes = q.nodes[:len(q.nodes)+1]
	return &q.nodes[len(q.nodes)-1]
}

// children pops the stack down to from, and returns what it held, in a
// list of its own.
func (q *quick) children(from int) []*yaml.Node {
	n := len(q.stack) - from
	if n == 0 {
		return nil
	}
	if cap(q.ptrs)-len(q.ptrs) < n {
		q.ptrs = make([]*yaml.Node, 0, max(n, q.slab))
	}
	c := q.ptrs[len(q.ptrs) : len(q.ptrs)+n : len(q.ptrs)+n]
	q.ptrs = q.ptrs[:len(q.ptrs)+n]
	copy(c, q.stack[from:])
	clear(q.stack[from:])
	q.stack = q.stack[:from]
	return c
}

// qline is a line that is not blank, without its indentation and
// trailing spaces.
type qline struct {
	n, indent int
	text      string
}

// mapping reads the keys at indent, from the current line on.
func (q *quick) mapping(indent int) (*yaml.Node, bool) {
	m := q.node()
	*m = yaml.Node{Kind: yaml.MappingNode, Line: q.lines[q.i].n, Column: indent + 1}
	from := len(q.stack)
	for q.i < len(q.lines) {
		l := q.lines[q.i]
		if l.indent < indent {
			break // the end of a nested mapping
		}
		key, rest, ok := splitKey(l.text)
		if l.indent > indent || !ok {
			return nil, false
		}
		q.i++
		k := q.node()
		*k = yaml.Node{Kind: yaml.ScalarNode, Tag: plainTag(key), Value: key, Line: l.n, Column: indent + 1}
		var v *yaml.Node
		if rest == "" {
			if q.i == len(q.lines) || q.lines[q.i].indent <= indent {
				return nil, false // an empty value
			}
			next := q.lines[q.i]
			if next.text == "-" || strings.HasPrefix(next.text, "- ") {
				v, ok = q.sequence(next.indent)
			} else {
				v, ok = q.mapping(next.indent)
			}
		} else {
			col := indent + len(l.text) - len(rest)
			if rest[0] == '[' {
				v, ok = q.flowSequence(rest, l.n, col)
			} else {
				v, ok = q.scalar(rest, l.n, col)
			}
			// A more indented line would continue the value.
			ok = ok && (q.i == len(q.lines) || q.lines[q.i].indent <= indent)
		}
		if !ok {
			return nil, false
		}
		q.stack = append(q.stack, k, v)
	}
	m.Content = q.children(from)
	return m, true
}

// sequence reads the "- " items at indent, from the current line on.
func (q *quick) sequence(indent int) (*yaml.Node, bool) {
	s := q.node()
	*s = yaml.Node{Kind: yaml.SequenceNode, Line: q.lines[q.i].n, Column: indent + 1}
	from := len(q.stack)
	for q.i < len(q.lines) {
		l := q.lines[q.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent || !strings.HasPrefix(l.text, "- ") {
			return nil, false
		}
		item := strings.TrimLeft(l.text[2:], " ")
		col := indent + len(l.text) - len(item)
		var v *yaml.Node
		ok := false
		if _, _, isKey := splitKey(item); isKey {
			// A mapping whose first key is on the item's line: read that
			// line as if it were indented to the key.
			q.lines[q.i] = qline{n: l.n, indent: col, text: item}
			v, ok = q.mapping(col)
		} else {
			q.i++
			v, ok = q.scalar(item, l.n, col)
			ok = ok && (q.i == len(q.lines) || q.lines[q.i].indent <= indent)
		}
		if !ok {
			return nil, false
		}
		q.stack = append(q.stack, v)
	}
	s.Content = q.children(from)
	return s, true
}

// splitKey splits "key: value" or "key:" into the key and the value.
func splitKey(s string) (key, rest string, ok bool) {
	i := 0
	for i < len(s) && i <= 64 && (isWordByte(s[i]) || i > 0 && s[i] == '-') {
		i++
	}
	if i == 0 || i > 64 || i == len(s) || s[i] != ':' {
		return "", "", false
	}
	if i+1 == len(s) {
		return s[:i], "", true
	}
	if s[i+1] != ' ' {
		return "", "", false
	}
	return s[:i], strings.TrimLeft(s[i+1:], " "), true
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// scalar reads a value that fills the rest of its line, at column col
// (from 0).
func (q *quick) scalar(s string, line, col int) (*yaml.Node, bool) {
	n := q.node()
	*n = yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col + 1}
	switch s[0] {
	case '"', '\'':
		// Quoted, with no escape: nothing after the closing quote.
		if len(s) < 2 || s[len(s)-1] != s[0] || strings.IndexByte(s[1:len(s)-1], s[0]) >= 0 || s[0] == '"' && strings.IndexByte(s, '\\') >= 0 {
			return nil, false
		}
		n.Value = s[1 : len(s)-1]
		n.Style = yaml.DoubleQuotedStyle
		if s[0] == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		return n, true
	}
	if !plain(s) || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") {
		return nil, false
	}
	n.Value = s
	n.Tag = plainTag(s) // resolved once, as the parser does, not on every look
	return n, true
}

// flowSequence reads "[a, 'b', "c"]", which fills the rest of its line,
// at column col (from 0).
func (q *quick) flowSequence(s string, line, col int) (*yaml.Node, bool) {
	if s[len(s)-1] != ']' {
		return nil, false
	}
	n := q.node()
	*n = yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Line: line, Column: col + 1}
	if strings.TrimLeft(s[1:len(s)-1], " ") == "" {
		return n, true
	}
	from := len(q.stack)
	i := 1 // the next byte of s to read
	for {
		for s[i] == ' ' {
			i++
		}
		item := q.node()
		*item = yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col + 1 + utf8.RuneCountInString(s[:i])}
		if quote := s[i]; quote == '"' || quote == '\'' {
			end := strings.IndexByte(s[i+1:], quote)
			if end < 0 {
				return nil, false
			}
			item.Value = s[i+1 : i+1+end]
			item.Style = yaml.DoubleQuotedStyle
			if quote == '\'' {
				item.Style = yaml.SingleQuotedStyle
			}
			i += end + 2
			if quote == '"' && strings.IndexByte(item.Value, '\\') >= 0 || quote == '\'' && s[i] == '\'' {
				return nil, false // an escape
			}
			for s[i] == ' ' {
				i++
			}
		} else {
			end := strings.IndexAny(s[i:], ",]")
			item.Value = strings.TrimRight(s[i:i+end], " ")
			i += end
			// YAML 1.1 ends a plain scalar at "?" too, in a flow.
			if !plain(item.Value) || strings.ContainsAny(item.Value, "[]{}:?#\"'") {
				return nil, false
			}
		}
		if item.Style == 0 {
			item.Tag = plainTag(item.Value)
		} else {
			item.Tag = "!!str"
		}
		q.stack = append(q.stack, item)
		switch {
		case i == len(s)-1:
			n.Content = q.children(from)
			return n, true
		case s[i] != ',':
			return nil, false
		}
		i++
		if strings.TrimLeft(s[i:len(s)-1], " ") == "" {
			return nil, false // a trailing comma
		}
	}
}

// plainTag is the tag yaml.Node.ShortTag resolves a plain scalar's value
// to, found without the resolver's work when the first byte settles it.
// The resolver tries anything but a string only for values that start
// with a digit, a sign, ".", "~" or "<", or that are spelt as a bool or
// null; TestPlainTag holds plainTag to the resolver.
func plainTag(s string) string {
	if s == "" {
		return "!!null"
	}
	switch s[0] {
	case '+', '-', '.', '~', '<', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
		return n.ShortTag()
	}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool"
	case "null", "Null", "NULL":
		return "!!null"
	}
	return "!!str"
}

// plain reports whether s may be a plain scalar as it stands: it does not
// start with an indicator.
func plain(s string) bool {
	return s != "" && !strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`", rune(s[0]))
}

// yamlPrintable reports whether src is UTF-8 of the characters YAML
// accepts in a stream, less the BOM.
func yamlPrintable(src []byte) bool {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 || r < 0xa0 || r > 0xd7ff && r < 0xe000 || r == 0xfeff || r > 0xfffd && r < 0x10000 {
			return false
		}
		i += size
	}
	return true
}
