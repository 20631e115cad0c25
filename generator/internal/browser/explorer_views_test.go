package browser

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whyopen/whyopen/generator/internal/load"
)

// exNames are the names explorer.json gives bucket, license and country ids.
type exNames struct {
	Bucket, License map[string]string
	BucketIDs       []string // in the file's order
	Countries       []string // the codes of the orgs' countries
}

func explorerNames(t testing.TB, s *site) exNames {
	t.Helper()
	var f struct {
		Buckets, Licenses []struct{ ID, Name string }
		Orgs              []struct{ Country string }
	}
	if err := json.Unmarshal(s.file(t, "data/explorer.json"), &f); err != nil {
		t.Fatal(err)
	}
	n := exNames{Bucket: map[string]string{}, License: map[string]string{}}
	for _, b := range f.Buckets {
		n.Bucket[b.ID] = b.Name
		n.BucketIDs = append(n.BucketIDs, b.ID)
	}
	for _, l := range f.Licenses {
		n.License[l.ID] = l.Name
	}
	for _, o := range f.Orgs {
		if o.Country != "" && !slices.Contains(n.Countries, o.Country) {
			n.Countries = append(n.Countries, o.Country)
		}
	}
	return n
}

// options reads a select of the explorer: each option's value and text,
// in order, the "All" option left out.
func (tb *tab) options(name string) (values, labels []string) {
	tb.t.Helper()
	var got [][2]string
	tb.eval(fmt.Sprintf(`Array.from(document.getElementById(%q).options).filter(o => o.value).map(o => [o.value, o.textContent])`, "ex-"+name), &got)
	for _, o := range got {
		values = append(values, o[0])
		labels = append(labels, o[1])
	}
	return values, labels
}

func (tb *tab) status() string {
	tb.t.Helper()
	var s string
	tb.eval(`document.getElementById("ex-status").textContent`, &s)
	return s
}

func (tb *tab) value(name string) string {
	tb.t.Helper()
	var v string
	tb.eval(fmt.Sprintf(`document.getElementById(%q).value`, "ex-"+name), &v)
	return v
}

// TestExplorerLists opens the explorer with filters that hold several
// values, comma-separated or repeated, and checks the rows against a
// recount: a release matches a filter when it matches any of its values.
func TestExplorerLists(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	names := explorerNames(t, real)
	tb := newTab(t, real)
	if len(names.BucketIDs) < 3 {
		t.Fatalf("the site has %d buckets; the test needs three", len(names.BucketIDs))
	}
	// Two buckets, named in the URL against the file's order; the URL the
	// explorer writes back lists them in its own order, with a plain comma.
	b1, b2 := names.BucketIDs[1], names.BucketIDs[2]
	in := func(v string, set ...string) bool { return slices.Contains(set, v) }
	want := slugs(rows, func(r exRow) bool { return in(r.Bucket, b1, b2) })
	canonical := "/releases/?bucket=" + b1 + "," + b2
	for _, query := range []string{
		"?bucket=" + b2 + "," + b1,
		"?bucket=" + b2 + "&bucket=" + b1,
		"?bucket=" + b1 + ",no-such-bucket," + b2,
		"?bucket=" + b1 + "%2C" + b2,
	} {
		tb.openExplorer(real, query)
		same(t, query, tb.shown(), first(want, exStep))
		if p := tb.waitPath(canonical); p != canonical {
			t.Errorf("%s: URL = %s, want %s", query, p, canonical)
		}
		var matches string
		tb.eval(`document.getElementById("explorer").getAttribute("data-matches")`, &matches)
		if matches != fmt.Sprint(len(want)) {
			t.Errorf("%s: %s matches, want %d", query, matches, len(want))
		}
	}
	// The select shows the pair as one option, with its count.
	label := fmt.Sprintf("%s or %s (%d)", names.Bucket[b1], names.Bucket[b2], len(want))
	var shown string
	tb.eval(`(s => s.options[s.selectedIndex].textContent)(document.getElementById("ex-bucket"))`, &shown)
	if shown != label {
		t.Errorf("the bucket select shows %q, want %q", shown, label)
	}

	// Lists in several filters: any value of each, all filters at once.
	r0 := rows[0]
	year, quarter := r0.Date[:4], rows[len(rows)-1].quarter()
	countries := names.Countries[:min(2, len(names.Countries))]
	query := "?" + url.Values{"country": {strings.Join(countries, ",")}, "period": {year + "," + quarter}}.Encode()
	want = slugs(rows, func(r exRow) bool {
		return in(r.Country, countries...) && (r.Date[:4] == year || r.quarter() == quarter)
	})
	if len(want) == 0 {
		t.Fatalf("%s matches nothing: pick other values", query)
	}
	tb.openExplorer(real, query)
	same(t, query, tb.shown(), first(want, exStep))
	// Two modalities taken, and one made, from a release that has them: a
	// release matches when it takes either of the two and makes the one.
	for _, pick := range rows {
		if len(pick.In) < 2 || len(pick.Out) == 0 {
			continue
		}
		pair, made := pick.In[len(pick.In)-2:], pick.Out[len(pick.Out)-1]
		q := "?in=" + strings.Join(pair, ",") + "&out=" + made
		tb.openExplorer(real, q)
		same(t, q, tb.shown(), first(slugs(rows, func(r exRow) bool {
			return slices.ContainsFunc(r.In, func(m string) bool { return in(m, pair...) }) && slices.Contains(r.Out, made)
		}), exStep))
		break
	}
	// Clearing the filters drops the pair's option too.
	tb.do(chromedp.Click(chromedp.CSS(`.ex-reset`)))
	if vs, _ := tb.options("bucket"); len(vs) != len(names.BucketIDs) {
		t.Errorf("after Clear all filters the bucket select has %d options, want %d: %v", len(vs), len(names.BucketIDs), vs)
	}
	tb.checkClean("explorer with lists")
}

// collation ranks strings as the browser's English collator does, case
// and accents aside and numbers by value ("EXAONE 3.0" before "EXAONE
// 3.5"): the locale's order is the platform's, and the recount in exSort
// uses it only to compare two strings. Strings that compare equal share a
// rank.
func (tb *tab) collation(ss []string) map[string]int {
	tb.t.Helper()
	in, _ := json.Marshal(ss)
	var ranks map[string]int
	tb.eval(fmt.Sprintf(`(ss => { const c = new Intl.Collator("en", {sensitivity: "base", numeric: true});
		ss = Array.from(new Set(ss)).sort(c.compare); const out = {}; let r = 0;
		ss.forEach((s, i) => { if (i > 0 && c.compare(ss[i-1], s) !== 0) r++; out[s] = r; }); return out; })(%s)`, in), &ranks)
	return ranks
}

// exSort is the recount of one of the explorer's orders: text columns A to
// Z (as ranked by collation), dates and sizes newest and largest first;
// releases without a value last either way, ties newest first.
func exSort(rows []exRow, names exNames, rank map[string]int, sortBy string) []string {
	col, rev := strings.TrimSuffix(strings.TrimSuffix(sortBy, "-asc"), "-desc"), false
	switch {
	case col == "date" || col == "params":
		rev = !strings.HasSuffix(sortBy, "-asc")
	default:
		rev = strings.HasSuffix(sortBy, "-desc")
	}
	if col == "date" {
		out := slugs(rows, func(exRow) bool { return true })
		if !rev {
			slices.Reverse(out)
		}
		return out
	}
	text := func(r exRow) string {
		switch col {
		case "name":
			return r.Title
		case "org":
			return r.OrgName
		case "bucket":
			return names.Bucket[r.Bucket]
		case "license":
			return names.License[r.License]
		}
		panic("no column " + col)
	}
	ix := make([]int, len(rows))
	for i := range ix {
		ix[i] = i
	}
	sort.SliceStable(ix, func(a, b int) bool {
		ra, rb := rows[ix[a]], rows[ix[b]]
		var c int
		if col == "params" {
			if ra.Params == nil || rb.Params == nil {
				return ra.Params != nil && rb.Params == nil
			}
			c = cmpFloat(*ra.Params, *rb.Params)
		} else {
			ta, tb := text(ra), text(rb)
			if ta == "" || tb == "" {
				return ta != "" && tb == ""
			}
			c = rank[ta] - rank[tb]
		}
		if rev {
			c = -c
		}
		return c < 0
	})
	out := make([]string, len(ix))
	for i, j := range ix {
		out[i] = rows[j].Slug
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestExplorerHeaderSort sorts the explorer by clicking its column headers,
// and from the keyboard, and checks each order against a recount, the
// headers' aria-sort and the URL, which restores the order.
func TestExplorerHeaderSort(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	names := explorerNames(t, real)
	tb := newTab(t, real)
	tb.openExplorer(real, "")
	var texts []string
	for _, r := range rows {
		texts = append(texts, r.Title, r.OrgName, names.Bucket[r.Bucket], names.License[r.License])
	}
	rank := tb.collation(texts)

	// aria reads the headers: their button's text and their aria-sort.
	aria := func() map[string]string {
		var got [][2]string
		tb.eval(`Array.from(document.querySelectorAll("main table.releases thead th")).map(th => {
			const b = th.querySelector("button.ex-sort"); return [b ? b.textContent : "(no button) " + th.textContent, th.getAttribute("aria-sort") || ""]; })`, &got)
		m := map[string]string{}
		for _, h := range got {
			m[h[0]] = h[1]
		}
		return m
	}
	heads := []string{"Date", "Release", "Org", "Bucket", "License", "Parameters"}
	check := func(what, sortBy, head, dir string) {
		t.Helper()
		same(t, what, tb.shown(), first(exSort(rows, names, rank, sortBy), exStep))
		got := aria()
		for _, h := range heads {
			want := ""
			if h == head {
				want = dir
			}
			if a, ok := got[h]; !ok {
				t.Errorf("%s: no sort button in the %s header: %v", what, h, got)
			} else if a != want {
				t.Errorf("%s: the %s header has aria-sort=%q, want %q", what, h, a, want)
			}
		}
		wantURL := "/releases/"
		if sortBy != "date" {
			wantURL += "?sort=" + sortBy
		}
		if p := tb.waitPath(wantURL); p != wantURL {
			t.Errorf("%s: URL = %s, want %s", what, p, wantURL)
		}
		if v := tb.value("sort"); v != sortBy {
			t.Errorf("%s: the sort select reads %q, want %q", what, v, sortBy)
		}
	}
	check("at first", "date", "Date", "descending")
	button := func(head string) chromedp.CSS {
		return chromedp.CSS(fmt.Sprintf(`main table.releases thead th:nth-child(%d) button.ex-sort`, slices.Index(heads, head)+1))
	}
	for _, c := range []struct{ head, sortBy, dir string }{
		{"Release", "name", "ascending"},
		{"Release", "name-desc", "descending"},
		{"Org", "org", "ascending"},
		{"Org", "org-desc", "descending"},
		{"Bucket", "bucket", "ascending"},
		{"License", "license", "ascending"},
		{"License", "license-desc", "descending"},
		{"Parameters", "params", "descending"},
		{"Parameters", "params-asc", "ascending"},
		{"Date", "date", "descending"},
		{"Date", "date-asc", "ascending"},
	} {
		tb.do(chromedp.Click(button(c.head)))
		check("click on "+c.head, c.sortBy, c.head, c.dir)
	}
	// From the keyboard: Enter and Space on a focused header button.
	tb.do(chromedp.Focus(button("Bucket")), chromedp.KeyEvent("\r"))
	check("Enter on Bucket", "bucket", "Bucket", "ascending")
	tb.do(chromedp.Focus(button("Bucket")), chromedp.KeyEvent(" "))
	check("Space on Bucket", "bucket-desc", "Bucket", "descending")

	// The URL restores the order, and the select sorts as the headers do.
	tb.openExplorer(real, "?sort=license-desc")
	check("opened with sort=license-desc", "license-desc", "License", "descending")
	tb.choose("sort", "org")
	check("sort select", "org", "Org", "ascending")
	tb.checkClean("explorer sorted by its headers")
}

// TestExplorerPeriod checks the period filter: a select of every year,
// quarter and month from the oldest release to the newest, each with its
// count, which chart links and older year links fill in.
func TestExplorerPeriod(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	tb := newTab(t, real)
	tb.openExplorer(real, "")

	// The periods, newest first: years, then quarters, then months.
	oldest, newest := rows[len(rows)-1].Date, rows[0].Date
	var years, quarters, months []string
	var y, m int
	fmt.Sscanf(oldest, "%d-%d", &y, &m)
	for d := fmt.Sprintf("%04d-%02d", y, m); d <= newest[:7]; {
		months = append([]string{d}, months...)
		q := fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1)
		if !slices.Contains(quarters, q) {
			quarters = append([]string{q}, quarters...)
		}
		if !slices.Contains(years, d[:4]) {
			years = append([]string{d[:4]}, years...)
		}
		if m++; m > 12 {
			y, m = y+1, 1
		}
		d = fmt.Sprintf("%04d-%02d", y, m)
	}
	in := func(r exRow, p string) bool { return r.Date[:4] == p || r.quarter() == p || r.Date[:7] == p }
	wantValues := slices.Concat(years, quarters, months)
	values, labels := tb.options("period")
	if strings.Join(values, " ") != strings.Join(wantValues, " ") {
		t.Fatalf("period options %v\nwant %v", values, wantValues)
	}
	for i, v := range values {
		n := len(slugs(rows, func(r exRow) bool { return in(r, v) }))
		if !strings.HasSuffix(labels[i], fmt.Sprintf(" (%d)", n)) {
			t.Errorf("period option %s reads %q, want a count of %d", v, labels[i], n)
		}
	}
	var groups []string
	tb.eval(`Array.from(document.querySelectorAll("#ex-period optgroup"), g => g.label)`, &groups)
	if strings.Join(groups, ",") != "Years,Quarters,Months" {
		t.Errorf("period groups %v, want Years, Quarters, Months", groups)
	}

	// Picking a quarter, as a reader does.
	q := rows[0].quarter()
	tb.choose("period", q)
	same(t, "period "+q, tb.shown(), first(slugs(rows, func(r exRow) bool { return r.quarter() == q }), exStep))
	if p := tb.waitPath("/releases/?period=" + q); p != "/releases/?period="+q {
		t.Errorf("URL after picking %s = %s", q, p)
	}

	// A chart link fills the select in, and the period counts follow the
	// bucket filter.
	b := rows[0].Bucket
	tb.openExplorer(real, "?bucket="+b+"&period="+q)
	if v := tb.value("period"); v != q {
		t.Errorf("opened with period=%s, the select reads %q", q, v)
	}
	values, labels = tb.options("period")
	for i, v := range values {
		n := len(slugs(rows, func(r exRow) bool { return r.Bucket == b && in(r, v) }))
		if !strings.HasSuffix(labels[i], fmt.Sprintf(" (%d)", n)) {
			t.Errorf("with bucket=%s, period option %s reads %q, want a count of %d", b, v, labels[i], n)
		}
	}
	// Older links filter by year.
	year := rows[0].Date[:4]
	tb.openExplorer(real, "?year="+year)
	same(t, "year="+year, tb.shown(), first(slugs(rows, func(r exRow) bool { return r.Date[:4] == year }), exStep))
	if v := tb.value("period"); v != year {
		t.Errorf("opened with year=%s, the period select reads %q", year, v)
	}
	if p := tb.waitPath("/releases/?period=" + year); p != "/releases/?period="+year {
		t.Errorf("URL of year=%s = %s, want it as a period", year, p)
	}
	tb.checkClean("explorer's period filter")
}

// TestExplorerCountries checks that the country filter names countries,
// from ISO 3166-1, A to Z, with a count each, and still filters by code.
func TestExplorerCountries(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	codes := explorerNames(t, real).Countries
	sort.Slice(codes, func(i, j int) bool { return load.CountryNames[codes[i]] < load.CountryNames[codes[j]] })
	tb := newTab(t, real)
	tb.openExplorer(real, "")
	values, labels := tb.options("country")
	if strings.Join(values, " ") != strings.Join(codes, " ") {
		t.Errorf("country options %v\nwant %v, by name", values, codes)
	}
	bare := regexp.MustCompile(`^[A-Z]{2} \(`)
	for i, v := range values {
		n := len(slugs(rows, func(r exRow) bool { return r.Country == v }))
		want := fmt.Sprintf("%s (%d)", load.CountryNames[v], n)
		if labels[i] != want || bare.MatchString(labels[i]) {
			t.Errorf("country option %s reads %q, want %q", v, labels[i], want)
		}
	}
	c := rows[0].Country
	tb.choose("country", c)
	same(t, "country="+c, tb.shown(), first(slugs(rows, func(r exRow) bool { return r.Country == c }), exStep))
	tb.checkClean("explorer's country filter")
}

// TestExplorerStatus checks the status line's sentences: one full stop,
// whether some, all or no releases match.
func TestExplorerStatus(t *testing.T) {
	t.Parallel()
	real, _ := sites(t)
	rows := explorerRows(t, real)
	tb := newTab(t, real)
	b := rows[0].Bucket
	n := len(slugs(rows, func(r exRow) bool { return r.Bucket == b }))
	all := fmt.Sprintf("All %d releases", len(rows))
	if len(rows) > exStep {
		all += fmt.Sprintf("; showing the first %d", exStep)
	}
	some := fmt.Sprintf("%d of %d releases match", n, len(rows))
	if n > exStep {
		some += fmt.Sprintf("; showing the first %d", exStep)
	}
	for _, c := range []struct{ query, want string }{
		{"", all + "."},
		{"?bucket=" + b, some + "."},
		{"?q=" + url.QueryEscape("no release is called this"), "No release matches these filters."},
	} {
		tb.openExplorer(real, c.query)
		if got := tb.status(); got != c.want {
			t.Errorf("%q: status %q, want %q", c.query, got, c.want)
		}
	}
	var hidden bool
	tb.eval(`document.querySelector("main table.releases").hidden`, &hidden)
	if !hidden {
		t.Error("with no match the table stays shown")
	}
	tb.checkClean("explorer status")
}
