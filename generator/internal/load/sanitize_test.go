package load_test

import (
	"strings"
	"testing"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// TestRawHTMLKeptAndReported feeds a model card's kind of body: a centred
// block, an HTML table and an image with an event handler. The words and
// the allowed structure stay; what is removed is a warning at its line.
func TestRawHTMLKeptAndReported(t *testing.T) {
	const file = "content/releases/acme/card.md"
	src := "---\ntitle: Card\n---\n" + // the body starts on line 4
		"<div align=center>\n" + // 4
		"<img src=\"https://example.com/logo.png\" alt=\"Acme logo\" onerror=\"alert(1)\">\n" + // 5
		"<p>Acme 7B answers in <b>three</b> languages.</p>\n" + // 6
		"</div>\n" + // 7
		"\n" + // 8
		"<table>\n" + // 9
		"<tr><th>Benchmark</th><th align=\"right\">Score</th></tr>\n" + // 10
		"<tr><td style=\"color:red\">MMLU</td><td>71.2</td></tr>\n" + // 11
		"</table>\n" + // 12
		"\n" + // 13
		"A <span onmouseover=\"alert(2)\">paragraph</span> with <img src=\"http://example.com/x.png\" alt=\"plain http\"> and <script>alert(3)</script> inline.\n" // 14
	var r load.Release
	probs := load.Parse(file, []byte(src), &r)
	h := string(r.HTML)
	for _, want := range []string{
		`<div class="align-center">`,
		`<a href="https://example.com/logo.png">Acme logo</a>`,
		`<p>Acme 7B answers in <b>three</b> languages.</p>`,
		`<table>`, `<th>Benchmark</th>`, `<th class="align-right">Score</th>`, `<td>MMLU</td>`, `<td>71.2</td>`,
		`A <span>paragraph</span> with plain http and`, // an http image shows its alt text
		"alert(3)", // an inline script tag's text shows as text
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q:\n%s", want, h)
		}
	}
	for _, lack := range []string{"onerror", "onmouseover", "style=", "<script", "<img", "http://example.com/x.png", "align="} {
		if strings.Contains(h, lack) {
			t.Errorf("HTML holds %q:\n%s", lack, h)
		}
	}
	if strings.Count(h, "<div") != strings.Count(h, "</div>") || strings.Count(h, "<table") != strings.Count(h, "</table>") {
		t.Errorf("unbalanced HTML:\n%s", h)
	}
	want := []string{
		file + ":5:1: warning: raw HTML: removed from <img>: onerror (event handlers are not allowed)",
		file + ":11:5: warning: raw HTML: removed from <td>: style (styles are not allowed)",
		file + ":14:3: warning: raw HTML: removed from <span>: onmouseover (event handlers are not allowed)",
		file + `:14:54: warning: raw HTML: removed from <img>: src "http://example.com/x.png" (only https images are kept; its alt text shows)`,
		file + ":14:112: warning: raw HTML: removed <script> and its content: only text, tables, links and images are kept",
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRawHTMLConfined checks that broken raw HTML cannot swallow the text
// after it, nor close the page's elements.
func TestRawHTMLConfined(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"unclosed quote", "<p title=\"x>\n\nNext paragraph.\n", "<p>Next paragraph.</p>"},
		{"unclosed comment", "text <!-- open\n\nNext paragraph.\n", "<p>Next paragraph.</p>"},
		{"inline script", "a <script>b\n\nNext paragraph.\n", "<p>Next paragraph.</p>"},
		{"stray end tags", "</div></div></main>\n\nNext paragraph.\n", "<p>Next paragraph.</p>"},
		{"tags across inlines", "a <b>bold *and</b> em* text\n", "<b>bold <em>and</em></b>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := string(load.Markdown([]byte(tc.in)))
			if !strings.Contains(h, tc.want) {
				t.Errorf("Markdown(%q) = %q, lacks %q", tc.in, h, tc.want)
			}
			if strings.Count(h, "</div>") > strings.Count(h, "<div") || strings.Contains(h, "</main>") {
				t.Errorf("Markdown(%q) = %q closes elements it did not open", tc.in, h)
			}
		})
	}
}

// TestBodyTodosAndComments checks what load records for check to find an
// unfinished body: its comments, and TODOs outside them.
func TestBodyTodosAndComments(t *testing.T) {
	src := "---\ntitle: T\n---\n<!-- Replace this comment. TODO -->\nText TODO here, TODOs, not TODOLIST or XTODO.\n"
	var r load.Release
	load.Parse("r.md", []byte(src), &r)
	if len(r.Comments) != 1 || r.Comments[0].Pos.Line != 4 || !strings.Contains(r.Comments[0].Text, "Replace this comment") {
		t.Errorf("comments = %+v", r.Comments)
	}
	var at []string
	for _, p := range r.Todos {
		at = append(at, p.String())
	}
	if got, want := strings.Join(at, " "), "r.md:5:6 r.md:5:17"; got != want {
		t.Errorf("todos at %s, want %s", got, want)
	}
}
