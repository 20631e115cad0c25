package load_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
)

func TestParseDate(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    load.Date
		wantErr string
	}{
		{in: "2026-03-02", want: load.NewDate(2026, 3, 2)},
		{in: "2024-02-29", want: load.NewDate(2024, 2, 29)},
		{in: "2026-12-31", want: load.NewDate(2026, 12, 31)},
		{in: "2026-02-30", wantErr: `impossible date "2026-02-30": that month has no day 30`},
		{in: "2026-02-29", wantErr: `impossible date "2026-02-29": that month has no day 29`},
		{in: "2026-04-31", wantErr: `impossible date "2026-04-31": that month has no day 31`},
		{in: "2026-13-01", wantErr: `bad date "2026-13-01": want YYYY-MM-DD`},
		{in: "2026-02-3x", wantErr: `bad date "2026-02-3x": want YYYY-MM-DD`},
		{in: "2026-3-2", wantErr: `bad date "2026-3-2": want YYYY-MM-DD`},
		{in: "2026/03/02", wantErr: `bad date "2026/03/02": want YYYY-MM-DD`},
		{in: "March 2026", wantErr: `bad date "March 2026": want YYYY-MM-DD`},
		{in: "2026-03-02T10:00:00Z", wantErr: `bad date "2026-03-02T10:00:00Z": want YYYY-MM-DD`},
		{in: "", wantErr: `bad date "": want YYYY-MM-DD`},
	} {
		got, err := load.ParseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDate(%q) = %v, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			if !got.IsZero() {
				t.Errorf("ParseDate(%q) = %v with an error, want the zero Date", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got.String())
		}
	}
}

const (
	countErr = `: want a positive number, or one with K, M, B or T such as 8.4B`
	tooMany  = `: the largest open-weights models have a few trillion`
)

func TestParseCount(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    load.Count
		wantErr string
	}{
		{in: "8.4B", want: 8.4e9},
		{in: "760M", want: 760e6},
		{in: "1.2T", want: 1.2e12},
		{in: "128K", want: 128e3},
		{in: "8.4b", want: 8.4e9},
		{in: " 7B ", want: 7e9},
		{in: "7 B", want: 7e9},
		{in: "7000000000", want: 7e9},
		{in: "0.5B", want: 5e8},
		{in: "7e9", wantErr: `bad parameter count "7e9"` + countErr},
		{in: "lots", wantErr: `bad parameter count "lots"` + countErr},
		{in: "0", wantErr: `bad parameter count "0"` + countErr},
		{in: "0B", wantErr: `bad parameter count "0B"` + countErr},
		{in: "-7B", wantErr: `bad parameter count "-7B"` + countErr},
		{in: "+7B", wantErr: `bad parameter count "+7B"` + countErr},
		{in: "B", wantErr: `bad parameter count "B"` + countErr},
		{in: "", wantErr: `bad parameter count ""` + countErr},
		{in: "7_000", wantErr: `bad parameter count "7_000"` + countErr},
		{in: "0x10", wantErr: `bad parameter count "0x10"` + countErr},
		{in: "NaN", wantErr: `bad parameter count "NaN"` + countErr},
		{in: "Inf", wantErr: `bad parameter count "Inf"` + countErr},
		{in: "7BB", wantErr: `bad parameter count "7BB"` + countErr},
		{in: "7G", wantErr: `bad parameter count "7G"` + countErr},
		{in: "1" + strings.Repeat("0", 400) + "T", wantErr: `bad parameter count "1` + strings.Repeat("0", 400) + `T"` + countErr},
		// Plausible: under 100T.
		{in: "99.99T", want: 99.99e12},
		{in: "99999999999999", want: 99999999999999},
		{in: "100T", wantErr: `parameter count "100T" is not under 100T` + tooMany},
		{in: "100000B", wantErr: `parameter count "100000B" is not under 100T` + tooMany},
		{in: strings.Repeat("1", 32), wantErr: `parameter count "111111111111111111111111…" is not under 100T` + tooMany},
		{in: "1e300", wantErr: `bad parameter count "1e300"` + countErr},
	} {
		got, err := load.ParseCount(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr || got != 0 {
				t.Errorf("ParseCount(%q) = %v, %v; want error %q", tt.in, float64(got), err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCount(%q) = %v, %v; want %v", tt.in, float64(got), err, float64(tt.want))
		}
	}
}

func TestCountString(t *testing.T) {
	for _, tt := range []struct {
		in   load.Count
		want string
	}{
		{8.4e9, "8.4B"},
		{760e6, "760M"},
		{1.2e12, "1.2T"},
		{128e3, "128K"},
		{7e9, "7B"},
		{7.256e9, "7.26B"},
		{999, "999"},
		{1, "1"},
		{1000, "1K"},
		{999.99e6, "999.99M"},
		{999_999_999, "1B"}, // not "1000M"
		{999_995_000, "1B"},
		{1e15, "1000T"},
		{0, ""},
		{-1, ""},
	} {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Count(%v).String() = %q, want %q", float64(tt.in), got, tt.want)
		}
	}
	// What String writes, ParseCount reads back.
	for _, s := range []string{"8.4B", "760M", "1.2T", "128K", "7.25B", "999"} {
		c, err := load.ParseCount(s)
		if err != nil || c.String() != s {
			t.Errorf("ParseCount(%q).String() = %q, %v", s, c.String(), err)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	fields := []string{"title", "org", "date", "license", "sources", "summary", "params_total", "params_active", "architecture", "links"}
	for _, tt := range []struct {
		s          string
		candidates []string
		want       string
	}{
		{"licence", fields, "license"},
		{"titel", fields, "title"}, // transposed letters count as one edit
		{"Title", fields, "title"}, // case is ignored
		{"param_total", fields, "params_total"},
		{"paramstotal", fields, "params_total"},
		{"architecure", fields, "architecture"},
		{"summery", fields, "summary"},
		{"Apache-2.0", []string{"apache-2.0", "mit"}, "apache-2.0"},
		{"amce", []string{"acme", "zed"}, "acme"}, // four letters: one edit allowed
		{"acmx", []string{"acme"}, "acme"},
		{"axmx", []string{"acme"}, ""}, // four letters: two edits is too far
		{"bat", []string{"hat", "cat"}, "cat"},
		{"flavour", fields, ""},
		{"parameters_total", fields, ""},
		{"x", nil, ""},
	} {
		want := ""
		if tt.want != "" {
			want = ` (did you mean "` + tt.want + `"?)`
		}
		if got := load.DidYouMean(tt.s, tt.candidates); got != want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tt.s, got, want)
		}
	}
}

// TestParsePositions checks where Parse records each value, the front
// matter and the body.
func TestParsePositions(t *testing.T) {
	const file = "content/releases/acme/acme-7b.md"
	type at = map[string][2]int // path → line, col
	for _, tt := range []struct {
		name     string
		in       string
		at       at
		start    int
		bodyLine int
		body     string
	}{
		{
			name:     "plain",
			in:       "---\ntitle: Acme 7B\norg: acme\ndate: 2026-03-02\n---\nBody.\n",
			at:       at{"title": {2, 8}, "org": {3, 6}, "date": {4, 7}},
			start:    1,
			bodyLine: 6,
			body:     "Body.\n",
		},
		{
			name:     "nested and listed values",
			in:       "---\ntitle: \"Acme 7B\"\nsources:\n  - https://a.example/\n  -   https://b.example/\nlinks:\n  weights: https://w.example/\nmodality_in: [text, code]\nbenchmarks:\n  - name: MMLU\n    score: 71.2\n---\n",
			at:       at{"title": {2, 8}, "sources": {4, 3}, "sources.0": {4, 5}, "sources.1": {5, 7}, "links": {7, 3}, "links.weights": {7, 12}, "modality_in": {8, 14}, "modality_in.0": {8, 15}, "modality_in.1": {8, 21}, "benchmarks": {10, 3}, "benchmarks.0": {10, 5}, "benchmarks.0.name": {10, 11}, "benchmarks.0.score": {11, 12}},
			start:    1,
			bodyLine: 13,
		},
		{
			name:     "blank lines before the front matter",
			in:       "\n  \n---\ntitle: x\n---\nBody",
			at:       at{"title": {4, 8}},
			start:    3,
			bodyLine: 6,
			body:     "Body",
		},
		{
			name:     "byte-order mark and CRLF",
			in:       "\ufeff---\r\ntitle: Acme\r\norg: acme\r\n---\r\nBody.\r\n",
			at:       at{"title": {2, 8}, "org": {3, 6}},
			start:    1,
			bodyLine: 5,
			body:     "Body.\r\n",
		},
		{
			name:     "non-ASCII text counts characters, not bytes",
			in:       "---\nmodality_in: [ünï, cödé]\ntitle: «Acme»\n---\n",
			at:       at{"modality_in": {2, 14}, "modality_in.0": {2, 15}, "modality_in.1": {2, 20}, "title": {3, 8}},
			start:    1,
			bodyLine: 5,
		},
		{
			name:     "empty values are absent",
			in:       "---\ntitle:\nsummary: ~\norg: null\nsources: []\n---\n",
			at:       at{"sources": {5, 10}},
			start:    1,
			bodyLine: 7,
		},
		{
			name:     "empty front matter",
			in:       "---\n---\nBody.\n",
			at:       at{},
			start:    1,
			bodyLine: 3,
			body:     "Body.\n",
		},
		{
			name:     "closing line without a newline",
			in:       "---\ntitle: Acme\n---",
			at:       at{"title": {2, 8}},
			start:    1,
			bodyLine: 4,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r load.Release
			if probs := load.Parse(file, []byte(tt.in), &r); len(probs) != 0 {
				t.Fatalf("unexpected problems: %v", probs)
			}
			if r.Unread {
				t.Error("Unread is set for a file that was read")
			}
			got := at{}
			for path, p := range r.At.All() {
				if p.File != file {
					t.Errorf("At[%q].File = %q", path, p.File)
				}
				got[path] = [2]int{p.Line, p.Col}
			}
			if !reflect.DeepEqual(got, tt.at) {
				t.Errorf("At = %v, want %v", got, tt.at)
			}
			if want := (load.Pos{File: file, Line: tt.start, Col: 1}); r.Start != want {
				t.Errorf("Start = %v, want %v", r.Start, want)
			}
			if want := load.Markdown([]byte(tt.body)); r.BodyLine != tt.bodyLine || r.HTML != want || (want == "") != (tt.body == "") {
				t.Errorf("body on line %d is %q, want line %d, %q", r.BodyLine, r.HTML, tt.bodyLine, want)
			}
			if r.File != file || r.ID != "acme-7b" {
				t.Errorf("File, ID = %q, %q", r.File, r.ID)
			}
		})
	}
}

// TestParseProblems checks the exact problems Parse reports for one file.
func TestParseProblems(t *testing.T) {
	const missing = `r.md:1:1: missing front matter: the file must start with a "---" line, then YAML fields, then another "---" line`
	for _, tt := range []struct {
		name   string
		in     string
		want   []string
		unread bool // whether the front matter could not be read at all
	}{
		{name: "empty file", in: "", want: []string{missing}, unread: true},
		{name: "blank file", in: "\n \n", want: []string{missing}, unread: true},
		{name: "no front matter", in: "# Title\n---\ntitle: x\n---\n", want: []string{missing}, unread: true},
		{name: "delimiter with a suffix", in: "---yaml\ntitle: x\n---\n", want: []string{missing}, unread: true},
		{name: "unclosed", in: "---\ntitle: x\n", want: []string{`r.md:1:1: front matter is never closed: add a "---" line after the last field`}, unread: true},
		{name: "unclosed after blank lines", in: "\n\n---\ntitle: x\n", want: []string{`r.md:3:1: front matter is never closed: add a "---" line after the last field`}, unread: true},
		{name: "NUL byte", in: "---\ntitle: a\x00b\n---\n", want: []string{`r.md:2:9: not a UTF-8 text file (binary data here)`}, unread: true},
		{name: "invalid UTF-8 before a NUL", in: "ab\xffcd\x00", want: []string{`r.md:1:3: not a UTF-8 text file (binary data here)`}, unread: true},
		{name: "Latin-1 byte", in: "---\ntitle: Caf\xe9\n---\n", want: []string{`r.md:2:11: not a UTF-8 text file (binary data here)`}, unread: true},
		{name: "tab indentation", in: "---\nlinks:\n\tweights: x\n  \tcode: y\n---\n", want: []string{
			`r.md:3:1: tab in indentation: YAML indents with spaces only`,
			`r.md:4:3: tab in indentation: YAML indents with spaces only`,
		}, unread: true},
		// YAML breaks lines where the file does not: the positions would
		// drift, so these are refused where they are.
		{name: "lone CR", in: "---\ntitle: Acme\rorg: acme\n---\n", want: []string{`r.md:2:12: a carriage return without a line feed (U+000D) here: YAML reads it as a line break; end lines with \n or \r\n only`}, unread: true},
		{name: "line separator", in: "---\ntitle: «Acme»\u2028\n---\n", want: []string{`r.md:2:14: a line separator (U+2028) here: YAML reads it as a line break; end lines with \n or \r\n only`}, unread: true},
		{name: "next line", in: "---\ntitle: x\n\u0085\n---\n", want: []string{`r.md:3:1: a next-line character (U+0085) here: YAML reads it as a line break; end lines with \n or \r\n only`}, unread: true},
		{name: "control characters", in: "---\ntitle: a\x01b\norg: \x7f\n---\n", want: []string{
			`r.md:2:9: control character U+0001 here: YAML does not allow it`,
			`r.md:3:6: control character U+007F here: YAML does not allow it`,
		}, unread: true},
		// The YAML parser counts lines from 0 in some errors and from 1
		// in others; the positions must be right either way.
		{name: "unclosed quote on the first line", in: "---\ntitle: \"Acme\norg: acme\n---\n", want: []string{`r.md:2:1: YAML syntax: a quoted value starting on this line is never closed`}, unread: true},
		{name: "unclosed quote on a later line", in: "---\ntitle: Acme\norg: 'acme\n---\n", want: []string{`r.md:3:1: YAML syntax: a quoted value starting on this line is never closed`}, unread: true},
		{name: "unclosed bracket on the first line", in: "---\nmodality: [text\norg: acme\n---\n", want: []string{`r.md:3:1: YAML syntax: did not find expected ',' or ']'`}, unread: true},
		{name: "unclosed bracket on a later line", in: "---\ntitle: Acme\nmodality: [text\n---\n", want: []string{`r.md:3:1: YAML syntax: did not find expected ',' or ']'`}, unread: true},
		{name: "unclosed brace", in: "---\ntitle: Acme\nlinks: {code: x\n---\n", want: []string{`r.md:3:1: YAML syntax: did not find expected ',' or '}'`}, unread: true},
		{name: "bad indentation", in: "---\ntitle: Acme\nlinks:\n  weights: x\n code: y\n---\n", want: []string{`r.md:5:1: YAML syntax: did not find expected key`}, unread: true},
		{name: "list item in a map", in: "---\ntitle: Acme\n- x\n---\n", want: []string{`r.md:3:1: YAML syntax: did not find expected key`}, unread: true},
		{name: "colon in a plain value", in: "---\ntitle: Acme\nsummary: Acme: small\n---\n", want: []string{`r.md:3:1: YAML syntax: mapping values are not allowed in this context`}, unread: true},
		{name: "reserved character", in: "---\ntitle: Acme\norg: @acme\n---\n", want: []string{`r.md:3:1: YAML syntax: found character that cannot start any token`}, unread: true},
		{name: "Markdown emphasis", in: "---\ntitle: Acme\nsummary: *Very* good.\n---\n", want: []string{`r.md:3:1: YAML syntax: a value that starts with * or & is read as a YAML alias or anchor: quote it`}, unread: true},
		{name: "undefined alias", in: "---\ntitle: Acme\nsummary: *Very good*.\n---\n", want: []string{`r.md:3:10: YAML syntax: *Very is read as a YAML alias: quote a value that starts with *`}, unread: true},
		{name: "anchor and alias", in: "---\ntitle: &t Acme\nsummary: *t\n---\n", want: []string{
			`r.md:2:8: title: YAML anchors and aliases are not allowed in content`,
			`r.md:3:10: summary: YAML anchors and aliases are not allowed in content`,
		}},
		{name: "merge key", in: "---\nlinks:\n  <<: {code: x}\n---\n", want: []string{`r.md:3:3: links: YAML merge keys (<<) are not allowed in content`}},
		{name: "colour read as a comment", in: "---\ntitle: #1f7a63\nsummary: # to do\n---\n", want: []string{`r.md:2:1: title: #1f7a63 is read as a YAML comment, so the value is empty: quote it, as in title: "#1f7a63"`}},
		{name: "duplicate field", in: "---\ntitle: a\norg: b\ntitle: c\n---\n", want: []string{`r.md:4:1: duplicate field "title" (first given on line 2)`}},
		{name: "unknown field", in: "---\nlicence: mit\n---\n", want: []string{`r.md:2:1: unknown field "licence" (did you mean "license"?)`}},
		{name: "wrong types", in: "---\ntitle: [a]\ndate: 2026-02-30\nparams_total: lots\nsources: https://a.example/\nbenchmarks:\n  - {name: x, score: high}\n---\n", want: []string{
			`r.md:2:8: title: expected text, got a list`,
			`r.md:3:7: date: impossible date "2026-02-30": that month has no day 30`,
			`r.md:4:15: params_total: bad parameter count "lots"` + countErr,
			`r.md:5:10: sources: expected a list, got "https://a.example/"`,
			`r.md:7:22: benchmarks.0.score: expected a number, got "high"`,
		}},
		{name: "front matter not a map", in: "---\n- a\n- b\n---\n", want: []string{`r.md:2:1: front matter: expected fields (key: value), got a list`}},
		{name: "implausible values", in: "---\ntitle: !!binary QWNtZQ==\nparams_total: 100000000000000000000000000000000\nparams_active: 100T\n---\n", want: []string{
			`r.md:2:8: title: expected text, got binary data (!!binary): write the text itself`,
			`r.md:3:15: params_total: parameter count "100000000000000000000000…" is not under 100T` + tooMany,
			`r.md:4:16: params_active: parameter count "100T" is not under 100T` + tooMany,
		}},
		{name: "Markdown body over a limit", in: "---\ntitle: x\n---\nText.\n\n" + strings.Repeat("> ", 17) + "deep\n", want: []string{
			`r.md:6:33: Markdown body: lists and block quotes nested 17 deep: the limit is 16`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r load.Release
			var got []string
			for _, p := range load.Parse("r.md", []byte(tt.in), &r) {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if r.Unread != tt.unread {
				t.Errorf("Unread = %v, want %v", r.Unread, tt.unread)
			}
		})
	}
}

func TestParseYAML(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{in: "title: Why Open\nbase_url: https://example.org/\n"},
		{in: "\ufefftitle: Why Open\r\nbase_url: https://example.org/\r\n"},
		{in: "title: \"Why Open", want: []string{`s.yaml:1:1: YAML syntax: a quoted value starting on this line is never closed`}},
		{in: "title: Why\nbase_url: \"https://example.org/", want: []string{`s.yaml:2:1: YAML syntax: a quoted value starting on this line is never closed`}},
		{in: "title: Why\nperiod: [quarter", want: []string{`s.yaml:2:1: YAML syntax: did not find expected ',' or ']'`}},
		{in: "title: Why\ntitel: Open\n", want: []string{`s.yaml:2:1: unknown field "titel" (did you mean "title"?)`}},
		{in: "title: Why\nbase_url: [a]\n", want: []string{`s.yaml:2:11: base_url: expected text, got a list`}},
	} {
		var s load.Site
		var got []string
		for _, p := range load.ParseYAML("s.yaml", []byte(tt.in), &s) {
			got = append(got, p.String())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseYAML(%q):\n%s\nwant:\n%s", tt.in, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		if tt.want == nil && (s.Title != "Why Open" || s.Pos("title") != (load.Pos{File: "s.yaml", Line: 1, Col: 8})) {
			t.Errorf("ParseYAML(%q): title %q at %v", tt.in, s.Title, s.Pos("title"))
		}
	}
}
