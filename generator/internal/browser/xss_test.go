package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// xssBinding is the function through which the hooks report a call.
const xssBinding = "__whyopenXSS"

// xssHook runs in every document before its own scripts: it replaces the
// dialog functions by recorders, and stops clicks from following links or
// submitting forms, so that dispatched clicks leave the page where it is.
const xssHook = `(() => {
  const report = (kind, args) => {
    try { window.` + xssBinding + `(kind + "(" + Array.from(args).map(String).join(", ") + ") at " + location.pathname); } catch (e) {}
  };
  for (const kind of ["alert", "confirm", "prompt", "print"]) {
    const f = function () { report(kind, arguments); return kind === "prompt" ? "" : kind === "confirm" ? false : undefined; };
    try { Object.defineProperty(window, kind, {value: f, writable: false, configurable: false}); } catch (e) {}
  }
  window.addEventListener("click", e => e.preventDefault(), true);
  window.addEventListener("submit", e => e.preventDefault(), true);
})();`

// xssPoke fires mouseover, focus and click on every element of the page,
// then waits for what they may have started. It returns how many elements
// it reached, how many payload markers the page shows as text, and whether
// the page stayed where it was.
//
// A click may redraw part of the page: the explorer's column headers
// redraw its rows. Elements a click took off the page are left alone (a
// click on a detached link would follow it: the hooks see no event outside
// the document), and the elements it drew are poked in another round. A
// new query from the page's own replaceState, which keeps the explorer's
// view in the URL, is staying.
const xssPoke = `(async () => {
  const here = location.origin + location.pathname;
  const seen = new Set();
  let n = 0;
  for (let round = 0; round < 3; round++) {
    const els = Array.from(document.querySelectorAll("*")).filter(el => !seen.has(el));
    for (const el of els) {
      seen.add(el);
      if (!el.isConnected) continue;
      n++;
      try {
        el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true, cancelable: true, view: window}));
        el.dispatchEvent(new MouseEvent("mouseenter", {bubbles: false, cancelable: true, view: window}));
        if (typeof el.focus === "function") el.focus();
        el.dispatchEvent(new FocusEvent("focus", {bubbles: false}));
        el.dispatchEvent(new FocusEvent("focusin", {bubbles: true}));
        el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
      } catch (e) {}
    }
    await new Promise(r => setTimeout(r, round === 0 ? 300 : 50));
  }
  const markers = (document.body.innerText.match(/alert\(\d+\)/g) || []).length;
  return {elements: n, markers: markers, stayed: location.origin + location.pathname === here};
})()`

// xssTab is a tab whose dialog calls are recorded, by the hooks and, as a
// backstop, by the browser's own dialog events.
type xssTab struct {
	t   *testing.T
	ctx context.Context

	markers int  // payload markers shown as text by the last page visited
	hooks   bool // the page runs xssHook

	mu    sync.Mutex
	calls []string
}

// newXSSTab opens a tab that records dialogs; with hooks, it also runs
// xssHook in every document.
func newXSSTab(t *testing.T, hooks bool) *xssTab {
	t.Helper()
	bctx := needBrowser(t)
	x := &xssTab{t: t}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithListener(x.listen))
	t.Cleanup(cancel)
	x.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	if !hooks {
		return x
	}
	x.hooks = true
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: xssBinding}); err != nil {
		t.Fatalf("adding the binding: %v", err)
	}
	runNow := true
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: xssHook, RunImmediately: &runNow}); err != nil {
		t.Fatalf("adding the hooks: %v", err)
	}
	return x
}

// listen runs in the tab's event loop: it records, and closes dialogs from
// another goroutine so that the page does not stall.
func (x *xssTab) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventBindingCalled:
		if ev.Name == xssBinding {
			x.note("hooked " + ev.Payload)
		}
	case *page.EventJavascriptDialogOpening:
		x.note(fmt.Sprintf("native %s(%q) at %s", ev.Type, ev.Message, ev.URL))
		go chromedp.Call(x.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
	}
}

func (x *xssTab) note(s string) {
	x.mu.Lock()
	x.calls = append(x.calls, s)
	x.mu.Unlock()
}

// visit opens u, pokes every element and returns the dialog calls seen.
func (x *xssTab) visit(u string) []string {
	x.t.Helper()
	x.mu.Lock()
	x.calls = nil
	x.mu.Unlock()
	ctx, cancel := context.WithTimeout(x.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		x.t.Fatalf("%s: %v", u, err)
	}
	// The explorer draws its rows and header buttons once explorer.json
	// has loaded: poke them too, every time.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`new Promise(done => {
		const ready = () => !document.getElementById("explorer") || document.querySelector("#explorer[data-ready], #explorer[data-error]");
		const wait = () => ready() ? done() : setTimeout(wait, 20);
		wait();
	})`, chromedp.EvalAwaitPromise)); err != nil {
		x.t.Fatalf("%s: waiting for the explorer: %v", u, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](xssPoke, chromedp.EvalAwaitPromise))
	if err != nil {
		x.t.Fatalf("%s: poking the page: %v", u, err)
	}
	var res struct {
		Elements int
		Markers  int
		Stayed   bool
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		x.t.Fatalf("%s: %v (%s)", u, err, raw)
	}
	if res.Elements < 5 {
		x.t.Errorf("%s: only %d elements poked", u, res.Elements)
	}
	if !res.Stayed {
		x.t.Errorf("%s: poking the page navigated away from it", u)
	}
	x.markers = res.Markers
	x.settle(ctx)
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]string(nil), x.calls...)
}

// xssSync is what settle sends through the binding.
const xssSync = "hooked sync"

// settle waits until every call the page made so far has reached listen.
// Calls arrive as events after the evaluation that caused them returns, in
// the order the page made them; with the hooks, settle makes one more call
// and waits for it, so a slow machine cannot make the test miss a call.
// Without them, it can only give the dialog events a moment.
func (x *xssTab) settle(ctx context.Context) {
	x.t.Helper()
	if !x.hooks {
		time.Sleep(200 * time.Millisecond)
		return
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.`+xssBinding+`("sync")`)); err != nil {
		x.t.Fatalf("calling the binding: %v", err)
	}
	for {
		x.mu.Lock()
		i := slices.Index(x.calls, xssSync)
		if i >= 0 {
			x.calls = slices.Delete(x.calls, i, i+1)
		}
		x.mu.Unlock()
		if i >= 0 {
			return
		}
		select {
		case <-ctx.Done():
			x.t.Fatalf("the binding's call never arrived: %v", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// xssPayloads reads the build package's payload list.
func xssPayloads(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "generator/internal/build/testdata/xss-payloads.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d payloads", len(out))
	}
	return out
}

// setYAML gives the front-matter field key of doc the value v, quoted.
func setYAML(t *testing.T, doc, key, v string) string {
	t.Helper()
	q, _ := json.Marshal(v) // JSON strings are YAML strings
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `: .*$`)
	if !re.MatchString(doc) {
		t.Fatalf("no %s: line in\n%s", key, doc)
	}
	return re.ReplaceAllLiteralString(doc, key+": "+string(q))
}

// xssSource is the build package's fixture with the payloads spread over the
// releases' titles, summaries and bodies and the orgs' names: payload i
// goes to release i mod R and to org i mod O, so that every payload is in
// every one of those places somewhere.
func xssSource(t *testing.T) string {
	t.Helper()
	src, err := extract(filepath.Join(root, "generator/internal/build/testdata/site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	payloads := xssPayloads(t)
	group := func(n, k int) []string {
		var g []string
		for i := k; i < len(payloads); i += n {
			g = append(g, payloads[i])
		}
		return g
	}
	rewrite := func(files []string, fn func(doc string, g []string) string) {
		sort.Strings(files)
		if len(files) == 0 {
			t.Fatal("no content files to inject into")
		}
		for k, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc := fn(string(data), group(len(files), k))
			if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	rels, _ := filepath.Glob(filepath.Join(src, "content/releases/*/*.md"))
	rewrite(rels, func(doc string, g []string) string {
		doc = setYAML(t, doc, "title", strings.Join(g, " "))
		doc = setYAML(t, doc, "summary", strings.Join(g, " "))
		for _, p := range g {
			doc += "\n\n" + p + "\n\n[" + p + "](https://example.com/)\n"
		}
		return doc
	})
	orgs, _ := filepath.Glob(filepath.Join(src, "content/orgs/*.md"))
	rewrite(orgs, func(doc string, g []string) string {
		return setYAML(t, doc, "name", strings.Join(g, " "))
	})
	return src
}

// showsPayloads are the page kinds that show release or org text.
var showsPayloads = map[string]bool{"home": true, "explorer": true, "listing": true, "release": true,
	"bucket": true, "license": true, "org": true, "orgs": true, "report": true}

// TestXSSInBrowser serves the fixture site with every payload in release
// titles, summaries and bodies and in org names, and on one page of each
// kind fires mouseover, focus and click on every element: no alert,
// confirm, prompt or print may be called. A deliberately unsafe page
// served with it shows that the harness catches what it should.
func TestXSSInBrowser(t *testing.T) {
	needBrowser(t)
	s, err := buildSite("xss", xssSource(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.srv.Close)

	// The payloads really are on the pages, as text.
	for _, p := range []string{"index.html", "releases/index.html", "orgs/index.html"} {
		if !strings.Contains(string(s.file(t, p)), "alert(") {
			t.Errorf("%s carries no payload marker", p)
		}
	}

	x := newXSSTab(t, true)

	t.Run("canary", func(t *testing.T) {
		canary := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>canary</title></head><body>
<img src="missing.png" onerror="alert(999)">
<a href="#" onmouseover="alert(998)">hover</a>
<button type="button" onclick="confirm(997)">click</button>
<input onfocus="prompt(996)">
<a href="/elsewhere" onclick="document.body.appendChild(document.createElement('iframe')).contentWindow.alert(995)">frame</a>
</body></html>`
		if err := os.WriteFile(filepath.Join(s.dir, "xss-canary.html"), []byte(canary), 0o644); err != nil {
			t.Fatal(err)
		}
		x.t = t
		got := strings.Join(x.visit(s.URL("xss-canary.html")), "\n")
		for _, want := range []string{"alert(999)", "alert(998)", "confirm(997)", "prompt(996)", "995"} {
			if !strings.Contains(got, want) {
				t.Errorf("the harness missed %s; it saw:\n%s", want, got)
			}
		}
		t.Logf("canary calls:\n%s", got)
	})

	// Without the hooks, the browser's dialog events still catch a call.
	t.Run("native canary", func(t *testing.T) {
		doc := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>canary</title></head><body>
<img src="missing.png" onerror="alert(994)"><p>one</p><p>two</p><p>three</p></body></html>`
		if err := os.WriteFile(filepath.Join(s.dir, "xss-native.html"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		n := newXSSTab(t, false)
		got := strings.Join(n.visit(s.URL("xss-native.html")), "\n")
		if !strings.Contains(got, "native alert") || !strings.Contains(got, "994") {
			t.Errorf("the dialog event was missed; the tab saw:\n%s", got)
		}
	})

	kinds := pageKinds(t, s)
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) < 12 {
		t.Errorf("only %d page kinds: %v", len(names), names)
	}
	for _, k := range names {
		t.Run(k, func(t *testing.T) {
			x.t = t
			for _, c := range x.visit(s.URL(kinds[k])) {
				t.Errorf("%s (/%s): %s", k, kinds[k], c)
			}
			// Pages that show releases or orgs show the payloads as text.
			if showsPayloads[k] && x.markers == 0 {
				t.Errorf("%s (/%s) shows no payload marker as text", k, kinds[k])
			}
		})
	}
}
