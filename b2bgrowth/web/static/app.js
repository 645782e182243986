/* b2bgrowth shell helpers. `B2B.chart(element_or_id, option)` draws an ECharts chart that
   follows its container's size; charts read their data from inline JSON, never the network. */
(function () {
  "use strict";
  var PALETTE = ["#4f46e5", "#10b981", "#f59e0b", "#ef4444", "#06b6d4", "#8b5cf6", "#64748b", "#ec4899"];
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--font") || "sans-serif";

  function chart(target, option) {
    var el = typeof target === "string" ? document.getElementById(target) : target;
    if (!el || !window.echarts) { return null; }
    var existing = window.echarts.getInstanceByDom(el);
    if (existing) { existing.dispose(); }
    var instance = window.echarts.init(el, null, { renderer: "canvas" });
    var base = {
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      grid: { left: 56, right: 24, top: 36, bottom: 36, containLabel: true },
      tooltip: { trigger: "axis" },
      animationDuration: 300
    };
    instance.setOption(Object.assign(base, option));
    if (window.ResizeObserver) { new ResizeObserver(function () { instance.resize(); }).observe(el); }
    return instance;
  }

  function onReady(fn) {
    // echarts and htmx are `defer` scripts; they have run by the window's load event.
    if (document.readyState === "complete") { fn(); } else { window.addEventListener("load", fn, { once: true }); }
  }

  function formatNumber(value, digits) {
    var lang = (document.body && document.body.dataset.lang || "zh_CN").replace("_", "-");
    return new Intl.NumberFormat(lang, { maximumFractionDigits: digits || 0 }).format(value);
  }

  window.B2B = { chart: chart, onReady: onReady, formatNumber: formatNumber, palette: PALETTE };
})();
