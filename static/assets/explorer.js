// whyopen: the release explorer on /releases/. Without JavaScript that page
// lists the newest releases and links to the other listing pages; this
// script loads every release from /data/explorer.json (its format is in
// generator/internal/render/explorer.go) and filters them as the reader
// types. The filters live in the URL query, so a view can be shared.
// On a site with further bucket schemes, ?scheme=<id> files the rows and
// the bucket filter by that scheme's buckets; choosing another scheme
// reloads the page with it in the URL.
(function () {
  "use strict";
  var form = document.getElementById("explorer");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var table = document.querySelector("main table.releases");
  if (!table) return;
  var tbody = table.tBodies[0];
  var status = document.getElementById("ex-status");
  var more = document.querySelector(".ex-more");
  var pager = document.querySelector("nav.pager");
  var periodBox = form.querySelector(".ex-period");
  var brand = document.querySelector("a.brand");
  var base = brand ? brand.getAttribute("href") : "/";
  var STEP = 50; // rows drawn at a time: fewer rows, cheaper layout

  fetch(form.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error("explorer.json: " + r.status); return r.json(); })
    .then(start)
    .catch(function (e) { form.setAttribute("data-error", String(e)); });

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // count formats billions the way the site writes sizes: 8.4B, 760M, 1.2T.
  function count(b) {
    var units = [[1e3, "T"], [1, "B"], [1e-3, "M"], [1e-6, "K"]];
    for (var i = 0; i < units.length; i++) {
      if (b >= units[i][0]) return String(Math.round(b / units[i][0] * 100) / 100) + units[i][1];
    }
    return String(b * 1e9);
  }

  function start(d) {
    var C = {};
    d.cols.forEach(function (c, i) { C[c] = i; });
    // The scheme whose buckets file the rows: the primary's, or the one
    // the URL names.
    var scheme = null, want = new URLSearchParams(window.location.search).get("scheme");
    (d.schemes || []).forEach(function (s) { if (s.id === want && C["bucket:" + s.id] != null) scheme = s; });
    var bucketCol = scheme ? C["bucket:" + scheme.id] : C.bucket, buckets = scheme ? scheme.buckets : d.buckets;
    var bucketDir = scheme ? "schemes/" + scheme.id + "/" : "buckets/", chipOf = scheme ? scheme.id + "--" : "";
    var schemeSel = form.elements.scheme;
    if (schemeSel) schemeSel.value = scheme ? scheme.id : "";
    var countries = [], years = [];
    d.orgs.forEach(function (o) { if (countries.indexOf(o.country) < 0) countries.push(o.country); });
    countries.sort();
    var rows = d.rows.map(function (a) {
      var org = d.orgs[a[C.org]], lic = d.licenses[a[C.license]];
      var date = a[C.date], y = date.slice(0, 4), m = +date.slice(5, 7);
      if (years.indexOf(y) < 0) years.push(y);
      var orgName = org ? org.name : "";
      return {
        a: a, date: date, month: date.slice(0, 7), quarter: y + "-Q" + (Math.floor((m - 1) / 3) + 1),
        params: a[C.params], year: y, org: org, lic: lic,
        text: (a[C.title] + " \u0000 " + orgName + " \u0000 " + (a[C.summary] || "")).toLowerCase(),
        f: null
      };
    });
    years.sort().reverse();
    rows.forEach(function (r) {
      r.f = [r.a[bucketCol], r.lic ? r.lic.class : -1, r.a[C.license], r.a[C.org],
        r.org ? countries.indexOf(r.org.country) : -1, r.a[C.modality], years.indexOf(r.year)];
    });

    // Facets, in the order of r.f: each has a select, the URL value of
    // each option and its label.
    var facets = [
      facet("bucket", buckets.map(function (b) { return b.id; }), buckets.map(function (b) { return b.name; })),
      facet("class", d.classes, d.classes),
      facet("license", d.licenses.map(function (l) { return l.id; }), d.licenses.map(function (l) { return l.name; })),
      facet("org", d.orgs.map(function (o) { return o.id; }), d.orgs.map(function (o) { return o.name; })),
      facet("country", countries, countries),
      facet("modality", d.modalities, d.modalities),
      facet("year", years, years)
    ];
    facets[5].multi = true;
    function facet(name, values, labels) {
      var sel = form.elements[name];
      var opts = values.map(function (v, i) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = labels[i];
        sel.appendChild(o);
        return o;
      });
      return { name: name, sel: sel, values: values, labels: labels, opts: opts, shown: [], pick: -1 };
    }

    // Sort orders are computed once, on first use.
    var orders = {};
    var collator = window.Intl ? new Intl.Collator("en", { sensitivity: "base", numeric: true }) : null;
    function order(key) {
      if (orders[key]) return orders[key];
      var ix = rows.map(function (r, i) { return i; });
      var byName = function (i, j) {
        var a = rows[i].a[C.title], b = rows[j].a[C.title];
        return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
      };
      var byParams = function (sign) {
        return function (i, j) {
          var a = rows[i].params, b = rows[j].params;
          if (a == null || b == null) return (a == null) - (b == null) || i - j;
          return sign * (a - b) || i - j;
        };
      };
      switch (key) {
        case "date-asc": ix.reverse(); break;
        case "name": ix.sort(function (i, j) { return byName(i, j) || i - j; }); break;
        case "name-desc": ix.sort(function (i, j) { return byName(j, i) || i - j; }); break;
        case "params": ix.sort(byParams(-1)); break;
        case "params-asc": ix.sort(byParams(1)); break;
      }
      orders[key] = ix;
      return ix;
    }

    var q = form.elements.q, min = form.elements.min, max = form.elements.max, sort = form.elements.sort;
    var period = "", limit = STEP, matched = [];

    // Restore the view from the URL.
    var params = new URLSearchParams(window.location.search);
    q.value = params.get("q") || "";
    min.value = num(params.get("min")) == null ? "" : params.get("min");
    max.value = num(params.get("max")) == null ? "" : params.get("max");
    var s = params.get("sort");
    sort.value = s && sort.querySelector('option[value="' + s.replace(/[^a-z-]/g, "") + '"]') ? s : "date";
    facets.forEach(function (f) {
      var v = params.get(f.name);
      f.sel.value = v != null && f.values.indexOf(v) >= 0 ? v : "";
    });
    var p = params.get("period") || "";
    if (/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/.test(p)) period = p;

    function num(v) {
      if (v == null || v === "") return null;
      var n = Number(v);
      return isFinite(n) && n >= 0 ? n : null;
    }

    function rowHTML(r) {
      var a = r.a, b = buckets[a[bucketCol]], h = "<tr><td class=\"date\"><time datetime=\"" + esc(r.date) + "\">" + esc(r.date) + "</time></td>";
      h += "<th scope=\"row\"><a href=\"" + esc(base + "releases/" + a[C.slug] + "/") + "\">" + esc(a[C.title]) + "</a></th><td>";
      if (r.org) h += "<a href=\"" + esc(base + "orgs/" + r.org.id + "/") + "\">" + esc(r.org.name) + "</a>";
      h += "</td><td>";
      if (b && b.page) h += "<a class=\"chip chip-" + esc(chipOf + b.id) + "\" href=\"" + esc(base + bucketDir + b.id + "/") + "\">" + esc(b.name) + "</a>";
      else h += "<span class=\"chip chip-unclassified\">Unclassified</span>";
      h += "</td><td>";
      if (r.lic) {
        var cl = d.classes[r.lic.class];
        h += "<a href=\"" + esc(base + "licenses/" + r.lic.id + "/") + "\">" + esc(r.lic.name) + "</a> <span class=\"class class-" + esc(cl) + "\">" + esc(cl) + "</span>";
      }
      h += "</td><td class=\"num\">";
      if (r.params != null) h += esc(count(r.params)) + (a[C.active] != null ? " (" + esc(count(a[C.active])) + " active)" : "");
      return h + "</td></tr>";
    }

    // search marks the rows whose text holds every word of the query, or
    // returns null for no query. Results are kept for recent queries, and a
    // query that extends one of them only looks at that one's hits, so
    // typing and deleting a word scans the rows about once.
    var cache = [];
    function search(query) {
      var key = query.toLowerCase().replace(/\s+/g, " ").trim();
      if (!key) return null;
      var from = null, best = -1, i;
      for (i = 0; i < cache.length; i++) {
        if (cache[i].key === key) return cache[i].hit;
        // A row that holds every word of the longer query holds every word
        // of its prefix, so the prefix's hits are enough to look at.
        if (key.indexOf(cache[i].key) === 0 && cache[i].key.length > best) {
          from = cache[i];
          best = from.key.length;
        }
      }
      var words = key.split(" "), hit = new Uint8Array(rows.length);
      var check = function (j) {
        var t = rows[j].text;
        for (var w = 0; w < words.length; w++) if (t.indexOf(words[w]) < 0) return;
        hit[j] = 1;
      };
      if (from) for (i = 0; i < from.list.length; i++) check(from.list[i]);
      else for (i = 0; i < rows.length; i++) check(i);
      var list = [];
      for (i = 0; i < hit.length; i++) if (hit[i]) list.push(i);
      cache.unshift({ key: key, hit: hit, list: list });
      if (cache.length > 24) cache.pop();
      return hit;
    }

    var urlTimer = 0;
    function syncURL() {
      urlTimer = 0;
      var qs = query();
      if (window.history && history.replaceState) {
        history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : "") + window.location.hash);
      }
    }

    function update(keepLimit, typing) {
      var t0 = window.performance ? performance.now() : 0;
      if (!keepLimit) limit = STEP;
      var hit = search(q.value);
      var lo = num(min.value), hi = num(max.value);
      var nf = facets.length, i, k;
      for (i = 0; i < nf; i++) {
        facets[i].pick = facets[i].sel.value === "" ? -1 : facets[i].values.indexOf(facets[i].sel.value);
        facets[i].n = new Int32Array(facets[i].values.length);
      }
      var ix = order(sort.value);
      matched = [];
      rowLoop:
      for (k = 0; k < ix.length; k++) {
        var r = rows[ix[k]];
        // Filters without counts come first: a row they drop counts nowhere.
        if (hit && !hit[ix[k]]) continue;
        if (period && r.quarter !== period && r.month !== period && r.year !== period) continue;
        if ((lo != null || hi != null) && (r.params == null || (lo != null && r.params < lo) || (hi != null && r.params > hi))) continue;
        // miss is the one facet the row fails, or -1; two failures drop it.
        var miss = -1;
        for (i = 0; i < nf; i++) {
          var f = facets[i];
          if (f.pick < 0) continue;
          var v = r.f[i];
          if (f.multi ? v.indexOf(f.pick) < 0 : v !== f.pick) {
            if (miss >= 0) continue rowLoop;
            miss = i;
          }
        }
        if (miss < 0) matched.push(r);
        // A facet's counts are what each of its options would show, given
        // every other filter.
        for (i = 0; i < nf; i++) {
          if (miss >= 0 && miss !== i) continue;
          var val = r.f[i], n = facets[i].n;
          if (facets[i].multi) for (var j = 0; j < val.length; j++) n[val[j]]++;
          else if (val >= 0) n[val]++;
        }
      }
      for (i = 0; i < nf; i++) {
        var fc = facets[i];
        for (k = 0; k < fc.opts.length; k++) {
          var label = fc.labels[k] + " (" + fc.n[k] + ")";
          if (fc.shown[k] !== label) { fc.opts[k].textContent = label; fc.shown[k] = label; }
        }
      }
      draw();
      periodBox.hidden = !period;
      if (period) periodBox.querySelector("strong").textContent = period;
      // The URL follows once the rows are drawn, and once typing pauses:
      // replaceState is slow enough to feel on every keystroke.
      if (urlTimer) clearTimeout(urlTimer);
      urlTimer = setTimeout(syncURL, typing ? 250 : 0);
      if (t0) form.setAttribute("data-ms", (performance.now() - t0).toFixed(1));
    }

    var drawn = [];
    function draw() {
      var n = Math.min(limit, matched.length), h = [], same = n === drawn.length;
      for (var i = 0; i < n && same; i++) same = matched[i] === drawn[i];
      if (!same) {
        for (i = 0; i < n; i++) h.push(rowHTML(matched[i]));
        tbody.innerHTML = h.join("");
        drawn = matched.slice(0, n);
      }
      table.hidden = matched.length === 0;
      var total = rows.length.toLocaleString("en"), m = matched.length.toLocaleString("en");
      var msg = matched.length === rows.length ? "All " + total + " releases" : m + " of " + total + " releases match";
      if (matched.length === 0) msg = "No release matches these filters.";
      else if (n < matched.length) msg += "; showing the first " + n.toLocaleString("en");
      status.textContent = msg + ".";
      form.setAttribute("data-matches", String(matched.length));
      more.hidden = n >= matched.length;
    }

    // query is the view as a URL query, in a fixed order, defaults left out.
    function query() {
      var out = new URLSearchParams();
      if (scheme) out.set("scheme", scheme.id);
      if (q.value.trim()) out.set("q", q.value.trim());
      facets.forEach(function (f) { if (f.sel.value) out.set(f.name, f.sel.value); });
      if (period) out.set("period", period);
      if (min.value !== "" && num(min.value) != null) out.set("min", min.value);
      if (max.value !== "" && num(max.value) != null) out.set("max", max.value);
      if (sort.value !== "date") out.set("sort", sort.value);
      return out.toString();
    }

    // Selects fire input and change; they are handled on change only.
    form.addEventListener("input", function (e) { if (e.target.tagName === "INPUT") update(false, true); });
    form.addEventListener("change", function (e) {
      if (e.target === schemeSel) {
        // Another scheme has other buckets: reload with it, the bucket
        // filter dropped and every other filter kept.
        var next = new URLSearchParams(query());
        next.delete("scheme");
        next.delete("bucket");
        var qs = (schemeSel.value ? "scheme=" + encodeURIComponent(schemeSel.value) + "&" : "") + next.toString();
        window.location.assign(window.location.pathname + (qs.replace(/&$/, "") ? "?" + qs.replace(/&$/, "") : ""));
        return;
      }
      if (e.target.tagName === "SELECT") update();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    form.querySelector(".ex-reset").addEventListener("click", function () {
      q.value = min.value = max.value = "";
      sort.value = "date";
      facets.forEach(function (f) { f.sel.value = ""; });
      period = "";
      update();
      q.focus();
    });
    form.querySelector(".ex-clear-period").addEventListener("click", function () {
      period = "";
      update();
      q.focus();
    });
    more.querySelector("button").addEventListener("click", function () {
      var first = Math.min(limit, matched.length);
      limit += STEP;
      draw();
      // Move focus to the first new row, so keyboard readers go on reading.
      var link = tbody.rows[first] && tbody.rows[first].querySelector("a");
      if (link) link.focus();
    });

    // A fixed table layout keeps each update's layout cheap.
    table.classList.add("ex-table");
    if (pager) pager.hidden = true;
    form.hidden = false;
    update(false);
    form.setAttribute("data-ready", "true");
  }
})();
