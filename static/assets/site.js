// whyopen: draws the charts embedded in each page as JSON. Without
// JavaScript, or without ECharts, every chart's data table is still there.
(function () {
  "use strict";
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");

  function draw(el) {
    var src = document.getElementById(el.getAttribute("data-chart"));
    if (!src || !window.echarts) return;
    var option = JSON.parse(src.textContent);
    var isDark = dark && dark.matches;
    var colors = (el.getAttribute("data-dark") || "").split(",").filter(Boolean);
    if (isDark && option.series) {
      option.series.forEach(function (s, i) {
        var c = colors[i];
        if (!c) return;
        ["itemStyle", "lineStyle", "areaStyle"].forEach(function (k) { if (s[k]) s[k].color = c; });
      });
    }
    var text = getComputedStyle(document.body).color;
    option.textStyle = { color: text };
    if (option.legend) option.legend.textStyle = { color: text };
    if (option.tooltip && option.tooltip.trigger === "axis" && /%/.test(JSON.stringify(option.yAxis || ""))) {
      option.tooltip.valueFormatter = function (v) { return v + "%"; };
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-drawn", String(option.series ? option.series.length : 0));
    var link = el.getAttribute("data-link");
    if (link) {
      chart.on("click", function (p) {
        var bucket = p.seriesId || "";
        var href = link.replace("{bucket}", encodeURIComponent(bucket)).replace("{period}", encodeURIComponent(p.name || ""));
        // Links are site-relative; the brand link holds the base path.
        window.location.href = document.querySelector("a.brand").getAttribute("href") + href;
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var els = document.querySelectorAll(".chart-canvas[data-chart]");
    for (var i = 0; i < els.length; i++) draw(els[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
