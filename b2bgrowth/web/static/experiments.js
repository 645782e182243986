/* Experiment effect charts (ECharts): one row per variant (or segment), a point at the effect,
   a horizontal error bar from ci_low to ci_high, and a dashed line at zero (no effect).
   Data: <div class="chart" data-intervals='{"rows": [...], "relative": true, "labels": {...}}'>,
   rendered by the server from the stats package's results; this file computes nothing.
   Charts are drawn on load and again after every htmx swap (the calculator re-renders its results). */
(function () {
  "use strict";

  var GOOD = "#10b981", BAD = "#ef4444", NEUTRAL = "#4f46e5";

  function lang() { return (document.body.dataset.lang || "zh_CN").replace("_", "-"); }

  function fmt(value, relative) {
    if (value === null || value === undefined) { return "—"; }
    if (relative) {
      return new Intl.NumberFormat(lang(), { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(value);
    }
    return new Intl.NumberFormat(lang(), { maximumSignificantDigits: 4 }).format(value);
  }

  /* Green when the whole interval is on the good side of zero, red when on the bad side. */
  function colour(row, inverse) {
    if (row.ci_low === null || row.ci_high === null) { return NEUTRAL; }
    var better = inverse ? row.ci_high < 0 : row.ci_low > 0;
    var worse = inverse ? row.ci_low > 0 : row.ci_high < 0;
    return better ? GOOD : (worse ? BAD : NEUTRAL);
  }

  function draw(el) {
    // A chart inside a closed <details> has no size yet: it is drawn when the details open.
    if (!el.offsetWidth) { return; }
    var cfg;
    try { cfg = JSON.parse(el.dataset.intervals); } catch (e) { return; }
    var rows = (cfg.rows || []).filter(function (r) { return r.effect !== null && r.effect !== undefined; });
    if (!rows.length) {
      el.innerHTML = '<div class="empty">' + (cfg.labels && cfg.labels.empty || "—") + "</div>";
      el.classList.add("chart-empty");
      return;
    }
    var names = rows.map(function (r) { return r.label; });
    var relative = !!cfg.relative;
    var bars = rows.map(function (r, i) { return [i, r.ci_low, r.ci_high, r.effect]; });
    var points = rows.map(function (r, i) {
      return { value: [r.effect, i], itemStyle: { color: colour(r, cfg.inverse) } };
    });
    var lows = rows.map(function (r) { return r.ci_low; }), highs = rows.map(function (r) { return r.ci_high; });
    var span = Math.max(Math.abs(Math.min.apply(null, lows.concat([0]))), Math.abs(Math.max.apply(null, highs.concat([0]))));
    var instance = window.B2B.chart(el, {
      grid: { left: 16, right: 32, top: 24, bottom: 28, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var r = rows[p.dataIndex];
          return "<b>" + r.label + "</b><br>" + (cfg.labels.effect || "effect") + ": " + fmt(r.effect, relative) +
            "<br>" + (cfg.labels.interval || "interval") + ": [" + fmt(r.ci_low, relative) + ", " + fmt(r.ci_high, relative) + "]";
        }
      },
      xAxis: {
        type: "value", min: -span * 1.1, max: span * 1.1, scale: false,
        axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: function (v) { return fmt(v, relative); } },
        splitLine: { lineStyle: { color: "#eef0f4" } }
      },
      yAxis: { type: "category", data: names, inverse: true, axisTick: { show: false } },
      series: [
        {
          type: "custom", name: "interval", silent: true,
          renderItem: function (params, api) {
            var y = api.coord([0, api.value(0)])[1];
            var low = api.coord([api.value(1), api.value(0)])[0], high = api.coord([api.value(2), api.value(0)])[0];
            var cap = 7, style = { stroke: "#64748b", lineWidth: 2 };
            return {
              type: "group", children: [
                { type: "line", shape: { x1: low, y1: y, x2: high, y2: y }, style: style },
                { type: "line", shape: { x1: low, y1: y - cap, x2: low, y2: y + cap }, style: style },
                { type: "line", shape: { x1: high, y1: y - cap, x2: high, y2: y + cap }, style: style }
              ]
            };
          },
          encode: { y: 0, x: [1, 2] },
          data: bars, z: 2
        },
        {
          type: "scatter", name: "effect", symbolSize: 13, data: points, z: 3,
          markLine: {
            silent: true, symbol: "none", label: { show: false },
            lineStyle: { color: "#111827", type: "dashed", width: 1.5 },
            data: [{ xAxis: 0 }]
          }
        }
      ]
    });
    if (instance) {
      instance.on("finished", function () { el.dataset.rendered = "1"; });
    }
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-intervals]").forEach(draw);
  }

  /* Variant rows of the set-up form and the calculator: "add a row" clones the last row, emptied. */
  function wireRows(root) {
    (root || document).querySelectorAll("[data-add-row]").forEach(function (button) {
      if (button.dataset.wired) { return; }
      button.dataset.wired = "1";
      button.addEventListener("click", function () {
        var body = document.getElementById(button.dataset.addRow);
        var last = body && body.querySelector("tr:last-child");
        if (!last) { return; }
        var copy = last.cloneNode(true);
        copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        body.appendChild(copy);
      });
    });
    (root || document).addEventListener("click", function (event) {
      var remove = event.target.closest && event.target.closest("[data-remove-row]");
      if (!remove) { return; }
      var row = remove.closest("tr"), body = row && row.parentNode;
      if (body && body.querySelectorAll("tr").length > 2) { row.remove(); }
    });
  }

  window.B2B.onReady(function () {
    drawAll(document);
    wireRows(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { drawAll(event.target); });
    document.addEventListener("toggle", function (event) {
      if (event.target.open) { drawAll(event.target); }
    }, true);
  });
})();
