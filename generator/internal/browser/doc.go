// Package browser holds the tests of the built site as readers see it, in a
// real browser. It has no code outside its _test.go files.
//
// The tests build two sites once per test binary: the repository's own
// content/, and the whole-site fixture of the build package, which has every
// page kind, reports included. Each is served with net/http/httptest from
// its output directory, and one headless Chromium (Debian's
// /usr/bin/chromium, or $WHYOPEN_CHROMIUM) is driven through chromedp. The
// tests check that:
//
//   - every page kind loads with no console error, no failed request and no
//     request to another host;
//   - every chart draws: its canvas has pixels, and the data-drawn attribute
//     that site.js sets equals the series count of the chart's option;
//   - axe-core finds no serious or critical violation, in the light theme
//     and, for colour contrast, in the dark one (`make axe` fetches it into
//     .cache/axe/; it is never committed and never served with the site);
//   - the explorer on /releases/ filters, keeps its state in the URL and
//     restores it from there; filters listing several values, the period
//     filter, the sort by column headers (aria-sort, keyboard) and the
//     country names match a recount; with 10,000 rows every keystroke's
//     matches equal a recount and it draws at most 50 rows; without
//     JavaScript the listing pages hold every release;
//   - at 390, 600 and 1280 px every text an ECharts instance draws lies
//     inside its canvas, with every axis name and heatmap label drawn, and
//     the bucket filter's options fit their select;
//   - clicking a chart segment opens the explorer filtered to its bucket and
//     period, tooltips show count and share, and the legend works from the
//     keyboard;
//   - XSS payloads injected into every text field stay inert: with dialogs
//     hooked before any page script runs, mouseover, focus and click on
//     every element fire nothing, and a deliberately unsafe canary page
//     proves the hooks would notice;
//   - every toolbar button of a chart works: the PNG and SVG carry the
//     title, n note and source line, the CSV equals the data table, the
//     link lands on the figure, and the embed page shows it alone under
//     the same CSP; the toolbar is hidden in print;
//   - the methodology page's agreement figures match a recount from
//     /data/releases.json (this test needs no browser).
//
// BenchmarkExplorer times the explorer's updates over 10,000 rows, against
// issue #5's budget of 50 ms a keystroke; `make bench` runs it. Wall-clock
// times are not asserted by any test: the browser shares the machine with
// the other packages' tests.
//
// Screenshots of the home, release, bucket, report and explorer pages at
// 1280 and 390 px wide are written to $WHYOPEN_SCREENSHOTS, or else to
// testdata/screenshots/ at the repository root.
//
// Without Chromium the browser tests skip, except under CI=true, where a
// missing browser is a failure.
package browser
