package render

import (
	"fmt"
	"strings"

	"github.com/whyopen/whyopen/generator/internal/figure"
)

// Cite is a report's suggested citation, as the "cite" template shows it
// on the report's page and, for the latest report, on the front page.
type Cite struct {
	Site   string // the publisher: the site's title
	Title  string
	Number int
	Date   string // publication date, "23 November 2026"
	URL    string
	BibTeX string
	Front  bool // shown on the front page, for the latest report
}

func init() {
	funcs["cite"] = func(p *Page, r *Report) Cite {
		c := citation(p.Site, r)
		c.Front = p.Kind == "home"
		return c
	}
}

var months = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// citation cites report r of site s.
func citation(s *Site, r *Report) Cite {
	c := Cite{Site: s.Title, Title: r.Title, Number: r.Number, Date: r.Published.Time().Format("2 January 2006"), URL: absURL(s, r.Path)}
	t := r.Published.Time()
	var b strings.Builder
	fmt.Fprintf(&b, "@techreport{%s,\n", bibKey(s.Title+"-"+r.ID))
	field := func(k, v string) { fmt.Fprintf(&b, "  %-11s = %s,\n", k, v) }
	field("title", "{"+bibEscape(r.Title)+"}")
	field("author", "{{"+bibEscape(s.Title)+"}}")
	field("institution", "{"+bibEscape(s.Title)+"}")
	field("type", "{Report}")
	field("number", fmt.Sprint(r.Number))
	field("year", fmt.Sprint(t.Year()))
	field("month", months[t.Month()-1])
	field("url", "{"+bibURL(c.URL)+"}")
	// The note states what the edition counted, as its page does.
	note := fmt.Sprintf("Covers releases dated %s to %s", r.From, r.To)
	if e := r.Count; e != nil {
		note += fmt.Sprintf(" (%s)", figure.Plural(e.Period.Total, "release"))
		if e.Early {
			note += "; an early edition, published before the period ended"
		}
	}
	fmt.Fprintf(&b, "  %-11s = {%s}\n}", "note", bibEscape(note))
	c.BibTeX = b.String()
	return c
}

// bibKey makes a citation key of lowercase letters, digits and hyphens.
func bibKey(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// bibEscape escapes the characters BibTeX and LaTeX treat specially, so a
// title cannot unbalance the braces around it.
var bibEscape = strings.NewReplacer(
	`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`,
	"$", `\$`, "#", `\#`, "_", `\_`, "^", `\^{}`, "~", `\~{}`,
).Replace

// bibURL keeps a URL as it is, but for the braces and percent signs that
// would break the field.
var bibURL = strings.NewReplacer("{", "%7B", "}", "%7D", "%", `\%`).Replace
