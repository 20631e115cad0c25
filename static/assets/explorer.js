// whyopen: the release explorer on /releases/. Without JavaScript that page
// lists the newest releases and links to the other listing pages; this
// script loads every release from /data/explorer.json (its format is in
// generator/internal/render/explorer.go) and filters them as the reader
// types. The filters and the sort order live in the URL query, so a view
// can be shared; a filter may hold several values, comma-separated
// (?bucket=sovereign,upsell), which match as any one of them. The table's
// column headers sort it.
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
    // Countries are named in explorer.json, in the order to list them.
    var countries = (d.countries || []).slice(), countryIx = {};
    d.orgs.forEach(function (o) {
      if (o.country && !countries.some(function (c) { return c.id === o.country; })) countries.push({ id: o.country, name: o.country });
    });
    countries.forEach(function (c, i) { countryIx[c.id] = i; });
    var first = "", last = "";
    var rows = d.rows.map(function (a) {
      var org = d.orgs[a[C.org]], lic = d.licenses[a[C.license]];
      var date = a[C.date], y = date.slice(0, 4), m = +date.slice(5, 7);
      if (!first || date < first) first = date;
      if (date > last) last = date;
      var orgName = org ? org.name : "";
      return {
        a: a, date: date, month: date.slice(0, 7), quarter: y + "-Q" + (Math.floor((m - 1) / 3) + 1),
        params: a[C.params], year: y, org: org, lic: lic,
        text: (a[C.title] + " \u0000 " + orgName + " \u0000 " + (a[C.summary] || "")).toLowerCase(),
        f: null
      };
    });
    var periods = periodList(first, last);
    rows.forEach(function (r) {
      r.f = [r.a[bucketCol], r.lic ? r.lic.class : -1, r.a[C.license], r.a[C.org],
        r.org && countryIx[r.org.country] != null ? countryIx[r.org.country] : -1, r.a[C["in"]], r.a[C.out],
        [periods.ix[r.year], periods.ix[r.quarter], periods.ix[r.month]]];
    });

    // Facets, in the order of r.f: each has a select, the URL value of
    // each option and its label. A multi facet's rows hold a list of
    // values: a release takes and makes modalities, and lies in a year,
    // a quarter and a month.
    var facets = [
      facet("bucket", buckets.map(function (b) { return b.id; }), buckets.map(function (b) { return b.name; })),
      facet("class", d.classes, d.classes),
      facet("license", d.licenses.map(function (l) { return l.id; }), d.licenses.map(function (l) { return l.name; })),
      facet("org", d.orgs.map(function (o) { return o.id; }), d.orgs.map(function (o) { return o.name; })),
      facet("country", countries.map(function (c) { return c.id; }), countries.map(function (c) { return c.name; })),
      facet("in", d.modalities, d.modalities),
      facet("out", d.modalities, d.modalities),
      facet("period", periods.values, periods.labels, periods.groups)
    ];
    facets[5].multi = facets[6].multi = facets[7].multi = true;
    function facet(name, values, labels, groups) {
      var sel = form.elements[name], box = sel, group = null;
      var opts = values.map(function (v, i) {
        if (groups && groups[i] !== group) {
          group = groups[i];
          box = document.createElement("optgroup");
          box.label = group;
          sel.appendChild(box);
        }
        var o = document.createElement("option");
        o.value = v;
        o.textContent = labels[i];
        box.appendChild(o);
        return o;
      });
      return { name: name, sel: sel, values: values, labels: labels, opts: opts, shown: [], mask: null, combo: null };
    }

    // periodList lists every year, quarter and month from the oldest
    // release to the newest, newest first, so an empty quarter can be
    // picked as on the charts; ix maps each to its position.
    function periodList(from, to) {
      var out = { values: [], labels: [], groups: [], ix: {} };
      if (!from) return out;
      var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
      var y0 = +from.slice(0, 4), y1 = +to.slice(0, 4), m0 = +from.slice(5, 7), m1 = +to.slice(5, 7);
      function add(v, label, group) {
        out.ix[v] = out.values.length;
        out.values.push(v);
        out.labels.push(label);
        out.groups.push(group);
      }
      var y, k;
      for (y = y1; y >= y0; y--) add(String(y), String(y), "Years");
      for (y = y1; y >= y0; y--) {
        for (k = 4; k >= 1; k--) {
          if ((y === y1 && k > Math.ceil(m1 / 3)) || (y === y0 && k < Math.ceil(m0 / 3))) continue;
          add(y + "-Q" + k, y + "-Q" + k, "Quarters");
        }
      }
      for (y = y1; y >= y0; y--) {
        for (k = 12; k >= 1; k--) {
          if ((y === y1 && k > m1) || (y === y0 && k < m0)) continue;
          add(y + "-" + (k < 10 ? "0" : "") + k, months[k - 1] + " " + y, "Months");
        }
      }
      return out;
    }

    // Sort orders are computed once, on first use. Text columns sort by
    // what they show, A to Z, and releases without a value come last
    // either way; ties keep the newest first.
    var orders = {};
    var collator = window.Intl ? new Intl.Collator("en", { sensitivity: "base", numeric: true }) : null;
    function compare(a, b) { return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0); }
    // rank gives each of list's names its place in A to Z order.
    function rank(list, name) {
      var ix = list.map(function (x, i) { return i; }), out = [];
      ix.sort(function (i, j) { return compare(name(list[i]), name(list[j])) || i - j; });
      ix.forEach(function (x, k) { out[x] = k; });
      return out;
    }
    // A sort value is a column, and "-asc" or "-desc" where the column
    // is sorted the other way than at first: date and params start with
    // the newest and largest, the others A to Z.
    function column(v) { return v.replace(/-(asc|desc)$/, ""); }
    function descending(v) {
      return /-desc$/.test(v) || (v === "date" || v === "params");
    }
    var ranks = null;
    function sortKey(col, r) {
      if (col === "params") return r.params;
      if (col === "name") return r.a[C.title];
      var i = col === "bucket" ? r.a[bucketCol] : r.a[C[col]];
      return i >= 0 && i < ranks[col].length ? ranks[col][i] : null;
    }
    function order(v) {
      if (orders[v]) return orders[v];
      var ix = rows.map(function (r, i) { return i; }), col = column(v);
      if (col === "date") {
        if (!descending(v)) ix.reverse();
      } else {
        if (!ranks) {
          ranks = {
            org: rank(d.orgs, function (o) { return o.name; }),
            bucket: rank(buckets, function (b) { return b.name; }),
            license: rank(d.licenses, function (l) { return l.name; })
          };
        }
        var text = col === "name", sign = descending(v) ? -1 : 1;
        var ks = rows.map(function (r) { return sortKey(col, r); });
        ix.sort(function (i, j) {
          var a = ks[i], b = ks[j];
          if (a == null || b == null) return (a == null) - (b == null) || i - j;
          return sign * (text ? compare(a, b) : a - b) || i - j;
        });
      }
      orders[v] = ix;
      return ix;
    }

    var q = form.elements.q, min = form.elements.min, max = form.elements.max, sort = form.elements.sort;
    var limit = STEP, matched = [];

    // Restore the view from the URL. A filter's values may be repeated or
    // comma-separated; unknown ones are left out. "year", from older
    // links, is a period.
    var params = new URLSearchParams(window.location.search);
    q.value = params.get("q") || "";
    min.value = num(params.get("min")) == null ? "" : params.get("min");
    max.value = num(params.get("max")) == null ? "" : params.get("max");
    var s = params.get("sort");
    sort.value = s && sort.querySelector('option[value="' + s.replace(/[^a-z-]/g, "") + '"]') ? s : "date";
    facets.forEach(function (f) {
      var vs = params.getAll(f.name);
      if (f.name === "period") vs = vs.concat(params.getAll("year"));
      pick(f, vs.join(",").split(","));
    });

    // pick sets facet f to the known values of vs, in the facet's order.
    // Several values are one option of the select, made for them.
    function pick(f, vs) {
      var on = f.values.filter(function (v) { return vs.indexOf(v) >= 0; });
      if (on.length < 2) {
        f.sel.value = on.length ? on[0] : "";
        return;
      }
      var v = on.join(",");
      if (!f.combo || f.combo.value !== v) {
        if (f.combo) f.combo.opt.parentNode.removeChild(f.combo.opt);
        var o = document.createElement("option");
        o.value = v;
        // Next to "All", outside any option group.
        f.sel.insertBefore(o, f.sel.options[0] ? f.sel.options[0].nextSibling : f.sel.firstChild);
        f.combo = {
          value: v, opt: o, shown: "", n: 0, mask: maskOf(f, v),
          label: on.map(function (x) { return f.labels[f.values.indexOf(x)]; }).join(" or ")
        };
      }
      f.sel.value = v;
    }
    // maskOf marks the values of f that the select value v picks, or is
    // null for all of them.
    function maskOf(f, v) {
      if (v === "") return null;
      if (f.combo && f.combo.value === v) return f.combo.mask;
      var m = new Uint8Array(f.values.length), any = false;
      v.split(",").forEach(function (x) {
        var i = f.values.indexOf(x);
        if (i >= 0) { m[i] = 1; any = true; }
      });
      return any ? m : null;
    }
    // has tells whether a row's value v of facet f is marked in m.
    function has(f, m, v) {
      if (!f.multi) return v >= 0 && m[v] === 1;
      for (var j = 0; j < v.length; j++) if (v[j] != null && m[v[j]] === 1) return true;
      return false;
    }

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
        facets[i].mask = maskOf(facets[i], facets[i].sel.value);
        facets[i].n = new Int32Array(facets[i].values.length);
        if (facets[i].combo) facets[i].combo.n = 0;
      }
      var ix = order(sort.value);
      matched = [];
      rowLoop:
      for (k = 0; k < ix.length; k++) {
        var r = rows[ix[k]];
        // Filters without counts come first: a row they drop counts nowhere.
        if (hit && !hit[ix[k]]) continue;
        if ((lo != null || hi != null) && (r.params == null || (lo != null && r.params < lo) || (hi != null && r.params > hi))) continue;
        // miss is the one facet the row fails, or -1; two failures drop it.
        var miss = -1;
        for (i = 0; i < nf; i++) {
          var f = facets[i];
          if (!f.mask) continue;
          if (!has(f, f.mask, r.f[i])) {
            if (miss >= 0) continue rowLoop;
            miss = i;
          }
        }
        if (miss < 0) matched.push(r);
        // A facet's counts are what each of its options would show, given
        // every other filter.
        for (i = 0; i < nf; i++) {
          if (miss >= 0 && miss !== i) continue;
          var val = r.f[i], n = facets[i].n, cb = facets[i].combo;
          if (facets[i].multi) {
            for (var j = 0; j < val.length; j++) if (val[j] != null) n[val[j]]++;
          } else if (val >= 0) n[val]++;
          if (cb && has(facets[i], cb.mask, val)) cb.n++;
        }
      }
      for (i = 0; i < nf; i++) {
        var fc = facets[i];
        for (k = 0; k < fc.opts.length; k++) {
          var label = fc.labels[k] + " (" + fc.n[k] + ")";
          if (fc.shown[k] !== label) { fc.opts[k].textContent = label; fc.shown[k] = label; }
        }
        if (fc.combo) {
          label = fc.combo.label + " (" + fc.combo.n + ")";
          if (fc.combo.shown !== label) { fc.combo.opt.textContent = label; fc.combo.shown = label; }
        }
      }
      draw();
      heads();
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
      if (n < matched.length) msg += "; showing the first " + n.toLocaleString("en");
      status.textContent = matched.length === 0 ? "No release matches these filters." : msg + ".";
      form.setAttribute("data-matches", String(matched.length));
      more.hidden = n >= matched.length;
    }

    // query is the view as a URL query, in a fixed order, defaults left
    // out. Commas stay commas, so several values read as a list.
    function query() {
      var out = new URLSearchParams();
      if (scheme) out.set("scheme", scheme.id);
      if (q.value.trim()) out.set("q", q.value.trim());
      facets.forEach(function (f) { if (f.sel.value) out.set(f.name, f.sel.value); });
      if (min.value !== "" && num(min.value) != null) out.set("min", min.value);
      if (max.value !== "" && num(max.value) != null) out.set("max", max.value);
      if (sort.value !== "date") out.set("sort", sort.value);
      return out.toString().replace(/%2C/gi, ",");
    }

    // The column headers sort the table: each holds a button, and the
    // sorted column says how in aria-sort. A first click sorts a column
    // its natural way (newest, A to Z, largest first), the next reverses it.
    var cols = ["date", "name", "org", "bucket", "license", "params"];
    var ths = Array.prototype.slice.call(table.tHead ? table.tHead.rows[0].cells : [], 0, cols.length);
    ths.forEach(function (th, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "ex-sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var c = cols[i];
        sort.value = sort.value === c ? c + (descending(c) ? "-asc" : "-desc") : c;
        update();
      });
    });
    function heads() {
      ths.forEach(function (th, i) {
        if (column(sort.value) === cols[i]) th.setAttribute("aria-sort", descending(sort.value) ? "descending" : "ascending");
        else th.removeAttribute("aria-sort");
      });
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
      facets.forEach(function (f) {
        f.sel.value = "";
        if (f.combo) f.combo.opt.parentNode.removeChild(f.combo.opt);
        f.combo = null;
      });
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

    // csv is every matching release, not only the rows drawn, with the
    // columns of /data/releases.csv that explorer.json carries, in that
    // file's order and written as it is: a text cell that would start a
    // spreadsheet formula starts with an apostrophe, and a cell is quoted
    // as Go's encoding/csv quotes it. Parameter counts come from
    // explorer.json's billions, so they are rounded to 100,000.
    var CSV_COLS = ["slug", "title", "org", "date", "license", "license_class", "bucket", "params_total", "params_active", "url", "org_name", "org_country", "modality_in", "modality_out"];
    // A further scheme's bucket follows, named as in releases.csv.
    if (scheme) CSV_COLS.push("bucket_" + scheme.id);
    var canon = document.querySelector('link[rel="canonical"]');
    var siteURL = canon ? canon.getAttribute("href").replace(/releases\/$/, "") : window.location.origin + base;
    function cell(v, text) {
      var s = v == null ? "" : String(v);
      if (text && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return /[",\r\n]/.test(s) || /^[ \t]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    function paramCount(b) { return b == null ? "" : String(Math.round(b * 1e9)); }
    function csv() {
      var out = [CSV_COLS.join(",")];
      matched.forEach(function (r) {
        var a = r.a, b = d.buckets[a[C.bucket]];
        var mods = function (ix) { return (ix || []).map(function (i) { return d.modalities[i]; }).join(";"); };
        out.push([
          cell(a[C.slug], true), cell(a[C.title], true), cell(r.org ? r.org.id : "", true), cell(r.date),
          cell(r.lic ? r.lic.id : "", true), cell(r.lic ? d.classes[r.lic.class] : ""), cell(b && b.page ? b.id : ""),
          paramCount(r.params), paramCount(a[C.active]), cell(siteURL + "releases/" + a[C.slug] + "/", true),
          cell(r.org ? r.org.name : "", true), cell(r.org ? r.org.country : ""), cell(mods(a[C["in"]]), true), cell(mods(a[C.out]), true)
        ].concat(scheme ? [cell(buckets[a[bucketCol]] && buckets[a[bucketCol]].page ? buckets[a[bucketCol]].id : "")] : []).join(","));
      });
      return out.join("\n") + "\n";
    }
    form.querySelector(".ex-csv").addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([csv()], { type: "text/csv;charset=utf-8" }));
      a.download = matched.length === rows.length ? "releases.csv" : "releases-selection.csv";
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 0);
    });

    // A fixed table layout keeps each update's layout cheap.
    table.classList.add("ex-table");
    if (pager) pager.hidden = true;
    form.hidden = false;
    update(false);
    form.setAttribute("data-ready", "true");
  }
})();
