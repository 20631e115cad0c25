// whyopen: draws the charts embedded in each page as JSON. Without
// JavaScript, or without ECharts, every chart's data table is still there,
// its cells linking to the explorer as a click on the chart does.
//
// Each option may carry a "whyopen" key (render.chartMeta): the counts
// behind each point, for tooltips with count and share, and the keys a
// click links to. It is taken out before ECharts sees the option.
(function () {
  "use strict";
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
  var charts = [];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function share(n, total) { return total ? Math.round(n / total * 100) + "%" : "–"; }
  function plural(n) { return n + (n === 1 ? " release" : " releases"); }
  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function list(v) { return v == null ? [] : Array.isArray(v) ? v : [v]; }
  function basePath() {
    var a = document.querySelector("a.brand");
    return a ? a.getAttribute("href") : "/";
  }

  // tooltip formats a tooltip as HTML from the chart's counts.
  function tooltip(option, meta) {
    var percent = /%/.test(JSON.stringify(option.yAxis || ""));
    return function (ps) {
      if (!Array.isArray(ps)) {
        var p = ps, v = p.value;
        if (p.seriesType === "heatmap") {
          var total = (meta.totals || [])[0] || 0;
          var y = list(option.yAxis)[0].data[v[1]], x = list(option.xAxis)[0].data[v[0]];
          return esc(y) + " · " + esc(x) + "<br><strong>" + plural(v[2]) + "</strong> (" + share(v[2], total) + " of all)";
        }
        if (p.seriesType === "scatter") {
          return p.marker + "<strong>" + esc(p.name) + "</strong><br>" + esc(p.seriesName) + " · " + esc(v[0]) + " · " + esc(v[1]) + "B parameters";
        }
        ps = [p];
      }
      if (!ps.length) return "";
      var i = ps[0].dataIndex, t = meta.totals ? meta.totals[i] : null;
      // A period below the minimum has counts but no share.
      var small = meta.min && t != null && t < meta.min;
      var partial = (meta.partial || []).indexOf(i) >= 0;
      var h = "<strong>" + esc(meta.keys ? meta.keys[i] : (ps[0].axisValueLabel || ps[0].name)) + "</strong>";
      if (partial) h += " (partial: still under way)";
      ps.forEach(function (p) {
        var n = meta.counts && meta.counts[p.seriesIndex] ? meta.counts[p.seriesIndex][p.dataIndex] : null;
        var line = n == null ? esc(p.value) + (percent ? "%" : "") : small ? plural(n) : plural(n) + " (" + share(n, t) + ")";
        h += "<br>" + p.marker + esc(p.seriesName) + ": " + line;
      });
      if (t != null && ps.length > 1) h += "<br>All: " + plural(t);
      if (small && percent) h += "<br>Fewer than " + meta.min + " releases: no share plotted.";
      return h;
    };
  }

  // segment finds the series and category under a click on a stacked chart
  // with a category x axis, or null.
  function segment(chart, option, meta, x, y) {
    if (!chart.containPixel({ gridIndex: 0 }, [x, y])) return null;
    var pt = chart.convertFromPixel({ gridIndex: 0 }, [x, y]);
    if (!pt) return null;
    var xi = Math.round(pt[0]), cats = list(option.xAxis)[0].data || [];
    if (xi < 0 || xi >= cats.length) return null;
    var selected = (list(chart.getOption().legend)[0] || {}).selected || {};
    var acc = 0, series = option.series || [];
    for (var i = 0; i < series.length; i++) {
      if (selected[series[i].name] === false) continue;
      var d = series[i].data[xi], v = d && typeof d === "object" ? d.value : d;
      if (!v || v === "-") continue;
      if (pt[1] >= acc && pt[1] <= acc + v) return { bucket: series[i].id || "", period: (meta.keys || cats)[xi] };
      acc += v;
    }
    return null;
  }

  // legend replaces ECharts' legend with buttons, so series can be shown
  // and hidden from the keyboard too.
  function legend(el, chart, option) {
    var box = document.createElement("div");
    box.className = "chart-legend";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Show or hide series");
    option.series.forEach(function (s) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-pressed", "true");
      var sw = document.createElement("span");
      sw.className = "swatch";
      sw.setAttribute("aria-hidden", "true");
      sw.style.background = (s.itemStyle && s.itemStyle.color) || (s.areaStyle && s.areaStyle.color) || "currentColor";
      b.appendChild(sw);
      b.appendChild(document.createTextNode(s.name));
      b.addEventListener("click", function () {
        chart.dispatchAction({ type: "legendToggleSelect", name: s.name });
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
      });
      box.appendChild(b);
    });
    el.parentNode.insertBefore(box, el.nextSibling);
    return box;
  }

  // build makes the ECharts option of the chart el embeds, in the current
  // theme's palette, with its metadata taken out; null without one.
  function build(el, light) {
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src || !window.echarts) return null;
    var option = JSON.parse(src.textContent);
    var meta = option.whyopen || {};
    delete option.whyopen;
    var isDark = !light && dark && dark.matches;
    var colors = (el.getAttribute("data-dark") || "").split(",").filter(Boolean);
    if (isDark && option.series) {
      option.series.forEach(function (s, i) {
        var c = colors[i];
        if (!c) return;
        ["itemStyle", "lineStyle", "areaStyle"].forEach(function (k) { if (s[k]) s[k].color = c; });
        // Per-bar colours, as in the totals charts, follow the series list.
        (s.data || []).forEach(function (d, j) { if (d && d.itemStyle && d.itemStyle.color && colors[j]) d.itemStyle.color = colors[j]; });
      });
    }
    var fg = css("--fg"), muted = css("--muted"), rule = css("--rule"), panel = css("--panel");
    if (light) { fg = "#1b1d21"; muted = "#5a5f69"; rule = "#dedbd3"; panel = "#f3f1ec"; }
    option.textStyle = { color: fg, fontFamily: css("--sans") || "sans-serif" };
    ["xAxis", "yAxis"].forEach(function (k) {
      list(option[k]).forEach(function (a) {
        // Period labels carry their n on a second line.
        a.axisLabel = Object.assign({ color: muted, hideOverlap: true, lineHeight: 15 }, a.axisLabel);
        a.axisLine = { lineStyle: { color: muted } };
        a.splitLine = Object.assign({}, a.splitLine, { lineStyle: { color: rule } });
        a.nameTextStyle = { color: muted };
      });
    });
    if (option.tooltip) {
      option.tooltip.backgroundColor = panel;
      option.tooltip.borderColor = rule;
      option.tooltip.textStyle = { color: fg };
      option.tooltip.formatter = tooltip(option, meta);
    }
    // A heatmap's cells carry their counts, so its scale stays hidden; its
    // rows read top-down in bucket order, as in the data table.
    list(option.visualMap).forEach(function (v) {
      // Light enough at the top that the counts, in the text colour, stay
      // readable on every cell.
      v.inRange = { color: [panel, isDark ? "#2f5482" : "#8fb1da"] };
      v.show = false;
    });
    (option.series || []).forEach(function (s) {
      if (s.type !== "heatmap") return;
      s.label = Object.assign({}, s.label, { color: fg, fontWeight: 600 });
      list(option.yAxis).forEach(function (a) { a.inverse = true; });
      list(option.grid).forEach(function (g) { g.bottom = "3%"; });
      option.legend = { show: false };
    });
    var heat = fit(option, el);
    var series = option.series ? option.series.length : 0;
    var ownLegend = option.legend && option.legend.show && series > 1;
    if (ownLegend) {
      option.legend.show = false;
      list(option.grid).forEach(function (g) { g.bottom = "3%"; });
    }
    return { option: option, meta: meta, series: series, ownLegend: ownLegend, heat: heat };
  }

  // narrow tells whether the chart el is too narrow for a heatmap's
  // column labels to stand side by side.
  // narrow says whether a chart is too narrow for its column labels: under
  // 560 px, or, for a heatmap, under 130 px a column (fit sets that).
  function narrow(el) {
    var w = el.parentNode.clientWidth || el.clientWidth;
    return w < Math.max(560, +(el.getAttribute("data-turn-below") || 0));
  }

  // fit keeps axis names and labels inside the canvas at every width.
  // The grid holds the axis names as well as the labels (ECharts 6's
  // outerBoundsContain), a y axis name starts at its axis instead of
  // being centred over it, and a heatmap on a narrow chart turns its
  // column labels, which would run into each other.
  function fit(option, el) {
    list(option.grid).forEach(function (g) { g.outerBoundsContain = "all"; });
    list(option.yAxis).forEach(function (a) {
      if (a.name) a.nameTextStyle = Object.assign({}, a.nameTextStyle, { align: "left" });
    });
    var heat = (option.series || []).some(function (s) { return s.type === "heatmap"; });
    if (heat) {
      var cols = 0;
      list(option.xAxis).forEach(function (a) { cols = Math.max(cols, (a.data || []).length); });
      el.setAttribute("data-turn-below", String(130 * cols));
      // Every column is labelled: turned when crowded, never skipped.
      list(option.xAxis).forEach(function (a) {
        a.axisLabel = Object.assign({}, a.axisLabel, narrow(el) ? { rotate: 30, interval: 0 } : { interval: 0 });
      });
    }
    return heat;
  }


  // Exports. A figure's PNG and SVG are drawn by ECharts from the same
  // option, in the light palette, with the title, the caption's finding,
  // the n note and the source line added as ECharts titles, so that the
  // text is in the image: pixels in the PNG, <text> in the SVG.
  var EXPORT_W = 1000, EXPORT_H = 660;
  function text(fig, sel) { var e = fig.querySelector(sel); return e ? e.textContent.trim() : ""; }
  function exportURL(el, fig, type) {
    var b = build(el, true);
    if (!b) return null;
    var o = b.option;
    o.animation = false;
    o.backgroundColor = "#ffffff";
    o.title = [
      { text: text(fig, ".chart-title"), subtext: text(fig, ".chart-finding"), left: 20, top: 14,
        textStyle: { fontSize: 20, color: "#1b1d21" },
        subtextStyle: { fontSize: 13, color: "#3a3d44", width: EXPORT_W - 40, overflow: "break" } },
      // The n note, then the source line on the last line of the image.
      { text: fig.getAttribute("data-note") || "", left: 20, bottom: 34,
        textStyle: { fontSize: 12, fontWeight: "normal", color: "#3a3d44", lineHeight: 17, width: EXPORT_W - 40, overflow: "break" } },
      { text: fig.getAttribute("data-source") || "", left: 20, bottom: 12,
        textStyle: { fontSize: 12, fontWeight: "normal", color: "#1b1d21", lineHeight: 17 } }
    ];
    list(o.grid).forEach(function (g) { g.top = 150; g.bottom = 100; });
    if (b.series > 1 && !(o.series || []).some(function (s) { return s.type === "heatmap"; })) {
      o.legend = { show: true, top: 92, left: 20, textStyle: { color: "#1b1d21" } };
    }
    var div = document.createElement("div");
    div.style.cssText = "position:absolute;left:-20000px;top:0;width:" + EXPORT_W + "px;height:" + EXPORT_H + "px";
    document.body.appendChild(div);
    var c = echarts.init(div, null, { renderer: type === "svg" ? "svg" : "canvas", width: EXPORT_W, height: EXPORT_H });
    c.setOption(o);
    var url = type === "svg" ?
      "data:image/svg+xml;charset=utf-8," + encodeURIComponent(c.renderToSVGString()) :
      c.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
    c.dispose();
    div.parentNode.removeChild(div);
    return url;
  }
  // csv is exactly the figure's data table, one line per row.
  function csv(fig) {
    return Array.prototype.map.call(fig.querySelectorAll(".chart-data table tr"), function (tr) {
      return Array.prototype.map.call(tr.children, function (cell) {
        var v = cell.textContent.trim();
        return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
      }).join(",");
    }).join("\r\n") + "\r\n";
  }
  function download(url, name) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.parentNode.removeChild(a);
  }
  // toolbar adds a figure's buttons: they exist only where they work.
  function toolbar(el) {
    var fig = el.closest ? el.closest("figure.chart") : null;
    if (!fig || fig.querySelector(".chart-tools")) return;
    var bar = document.createElement("div");
    bar.className = "chart-tools";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Download, link or embed this figure");
    var out = document.createElement("input");
    out.type = "text";
    out.readOnly = true;
    out.hidden = true;
    out.className = "chart-copy";
    out.setAttribute("aria-label", "Copied text");
    var status = document.createElement("span");
    status.className = "chart-status";
    status.setAttribute("role", "status");
    function show(what, v) {
      out.value = v;
      out.hidden = false;
      out.select();
      var done = function () { status.textContent = what + " copied."; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(v).then(done, function () { status.textContent = what + " selected: copy it."; });
      } else {
        status.textContent = what + " selected: copy it.";
      }
    }
    var name = fig.id || "figure";
    [["PNG", "Download the figure as PNG", function () { var u = exportURL(el, fig, "png"); if (u) download(u, name + ".png"); }],
     ["SVG", "Download the figure as SVG", function () { var u = exportURL(el, fig, "svg"); if (u) download(u, name + ".svg"); }],
     ["CSV", "Download the figure's data table as CSV", function () { download("data:text/csv;charset=utf-8," + encodeURIComponent(csv(fig)), name + ".csv"); }],
     ["Link", "Copy a link to this figure", function () { show("Link", fig.getAttribute("data-href") || location.href.split("#")[0] + "#" + fig.id); }],
     ["Embed", "Copy the code to embed this figure", function () {
       var src = fig.getAttribute("data-embed");
       if (!src) return;
       show("Embed code", '<iframe src="' + src + '" title="' + esc(text(fig, ".chart-title")) + '" width="100%" height="600" style="border:0" loading="lazy"></iframe>');
     }]
    ].forEach(function (d) {
      if (d[0] === "Embed" && !fig.getAttribute("data-embed")) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "chart-tool-" + d[0].toLowerCase();
      b.textContent = d[0];
      b.title = d[1];
      b.setAttribute("aria-label", d[1]);
      b.addEventListener("click", d[2]);
      bar.appendChild(b);
    });
    bar.appendChild(out);
    bar.appendChild(status);
    var cap = fig.querySelector("figcaption");
    if (cap && cap.nextSibling) fig.insertBefore(bar, cap.nextSibling);
    else fig.appendChild(bar);
  }

  function draw(el) {
    var b = build(el);
    if (!b) return;
    var option = b.option, meta = b.meta;
    // An empty canvas is hidden for readers without JavaScript; show it
    // first, or ECharts would size the chart to nothing.
    el.classList.add("chart-live");
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-drawn", String(b.series));
    toolbar(el);
    var c = { el: el, chart: chart, box: b.ownLegend ? legend(el, chart, option) : null, heat: b.heat, narrow: narrow(el) };
    charts.push(c);

    var link = el.getAttribute("data-link"), base = basePath();
    function go(vars) {
      var href = link.replace(/\{(\w+)\}/g, function (_, k) { return encodeURIComponent(vars[k] || ""); });
      window.location.href = base + href;
    }
    if (meta.paths) {
      chart.on("click", function (p) {
        var path = meta.paths[p.seriesIndex] && meta.paths[p.seriesIndex][p.dataIndex];
        if (path) window.location.href = base + path;
      });
    } else if (link && meta.x && meta.y) {
      chart.on("click", function (p) {
        if (p.value && p.value[2]) go({ "class": meta.x[p.value[0]], bucket: meta.y[p.value[1]] });
      });
    } else if (link) {
      var zr = chart.getZr();
      zr.on("click", function (e) {
        var seg = segment(chart, option, meta, e.offsetX, e.offsetY);
        if (seg) go(seg);
      });
      zr.on("mousemove", function (e) {
        zr.setCursorStyle(segment(chart, option, meta, e.offsetX, e.offsetY) ? "pointer" : "default");
      });
    }
  }

  // recolour redraws a chart in the current theme's palette. It keeps the
  // chart's instance: disposing of one while ECharts still paints it over
  // several frames, as it does on a slow machine, makes the frames to come
  // throw. The data, and so the click targets, stay as they were.
  function recolour(c) {
    var b = build(c.el);
    if (!b) return;
    c.chart.setOption(b.option, true);
    c.narrow = narrow(c.el);
    if (c.box) {
      c.box.parentNode.removeChild(c.box);
      c.box = legend(c.el, c.chart, b.option);
    }
  }

  // start draws each chart as it comes within a screen of the viewport,
  // one chart a task, loading ECharts (the script's data-echarts) when the
  // first one does: a page of many charts draws only those a reader can
  // see, a reader who never scrolls to one never pays for ECharts, and no
  // task blocks input for long. Without IntersectionObserver every chart
  // is drawn at once.
  var me = document.currentScript, echartsSrc = me && me.getAttribute("data-echarts");
  function start() {
    var els = document.querySelectorAll(".chart-canvas[data-chart]");
    if (!els.length || (!window.echarts && !echartsSrc)) return;
    var queue = [], timer = 0, loading = false, seen = null;
    function next() {
      timer = 0;
      if (!window.echarts) {
        if (!loading) {
          loading = true;
          var sc = document.createElement("script");
          sc.src = echartsSrc;
          sc.onload = function () { if (queue.length && !timer) timer = setTimeout(next, 0); };
          // Without ECharts the charts' boxes go, and their tables stay.
          sc.onerror = function () {
            if (seen) seen.disconnect();
            queue = [];
            for (var k = 0; k < els.length; k++) els[k].classList.remove("chart-live");
          };
          document.head.appendChild(sc);
        }
        return;
      }
      var el = queue.shift();
      if (el) draw(el);
      if (queue.length) timer = setTimeout(next, 0);
    }
    if (window.IntersectionObserver) {
      seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (!e.isIntersecting) return;
          seen.unobserve(e.target);
          queue.push(e.target);
        });
        if (queue.length && !timer) timer = setTimeout(next, 0);
      }, { rootMargin: "50% 0px" });
      for (var i = 0; i < els.length; i++) {
        // Sized before it is drawn, so the observer sees where it is and
        // the page does not move when it draws.
        els[i].classList.add("chart-live");
        seen.observe(els[i]);
      }
    } else {
      for (var j = 0; j < els.length; j++) queue.push(els[j]);
      next();
    }
    window.addEventListener("resize", function () {
      charts.forEach(function (c) {
        c.chart.resize();
        // A heatmap crossing the narrow width is drawn again, its labels
        // turned or not.
        if (c.heat && c.narrow !== narrow(c.el)) recolour(c);
      });
    });
    // Redraw in the other palette when the system theme changes.
    if (dark && dark.addEventListener) {
      dark.addEventListener("change", function () { charts.forEach(recolour); });
    }
  }
  // Print the charts' data tables, which are closed on screen.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.chart-data"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
