/* Revenue & retention dashboard charts (ECharts, served locally).
   Data: the registry reports' rows, embedded by the server as JSON in
   <script type="application/json" id="dashboard-data">; nothing here computes a metric.
   Clicking a bar, point or heat-map cell loads the rows behind it into #drill-panel (htmx). */
(function () {
  "use strict";

  var COLORS = {
    new: "#10b981", expansion: "#4f46e5", reactivation: "#06b6d4",
    contraction: "#f59e0b", churn: "#ef4444", net: "#111827",
    arr: "#4f46e5", nrr: "#4f46e5", grr: "#10b981", renewal_rate: "#f59e0b",
    promoters: "#10b981", passives: "#cbd5e1", detractors: "#ef4444", nps: "#4f46e5"
  };
  var POSITIVE = ["new", "expansion", "reactivation"];
  var NEGATIVE = ["contraction", "churn"];
  var MAX_SEGMENT_SERIES = 8;
  // Segment series get their own colours (not the metric colours), the same segment the same
  // colour in every chart of the page.
  var SEGMENT_COLORS = ["#0ea5e9", "#f97316", "#84cc16", "#a855f7", "#14b8a6", "#e11d48", "#64748b", "#eab308"];
  var segmentColors = {};

  function segmentColor(key) {
    if (!(key in segmentColors)) {
      segmentColors[key] = SEGMENT_COLORS[Object.keys(segmentColors).length % SEGMENT_COLORS.length];
    }
    return segmentColors[key];
  }

  function lang() { return (document.body.dataset.lang || "zh_CN").replace("_", "-"); }

  function money(value, compact) {
    if (value === null || value === undefined) { return "—"; }
    var options = compact ? { notation: "compact", maximumFractionDigits: 1 } : { maximumFractionDigits: 0 };
    var text = new Intl.NumberFormat(lang(), options).format(Math.abs(value));
    return (value < 0 ? "-¥" : "¥") + text;
  }

  function percent(value) {
    if (value === null || value === undefined) { return "—"; }
    return new Intl.NumberFormat(lang(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value) + "%";
  }

  function ratio(value) { return value === null || value === undefined ? null : Math.round(value * 10000) / 100; }

  function periodLabel(start, period) {
    if (period === "year") { return start.slice(0, 4); }
    if (period === "quarter") { return start.slice(0, 4) + " Q" + (Math.floor((+start.slice(5, 7) - 1) / 3) + 1); }
    if (period === "month") { return start.slice(0, 7); }
    return start;
  }

  function segmentName(value, cfg) { return value === null || value === undefined ? cfg.labels.no_segment : String(value); }

  /* Rows of a segmented report → {values: [segment…] (largest first), byKey: {segment → {period_start → row}}} */
  function splitBySegment(rows, sizeField) {
    var byKey = {}, size = {};
    rows.forEach(function (row) {
      var key = row.segment === null ? "\u0000" : String(row.segment);
      (byKey[key] = byKey[key] || {})[row.period_start] = row;
      size[key] = row[sizeField] || 0;  // rows come in period order: the last one wins
    });
    var values = Object.keys(byKey).sort(function (a, b) { return (size[b] || 0) - (size[a] || 0); });
    return { values: values.slice(0, MAX_SEGMENT_SERIES), byKey: byKey };
  }

  function decodeSegment(key) { return key === "\u0000" ? null : key; }

  function drill(cfg, params) {
    var query = new URLSearchParams(params);
    var url = (params.nps ? cfg.nps_drill_url : cfg.drill_url);
    query.delete("nps");
    if (!window.htmx) { window.location.href = url + "?" + query.toString(); return; }
    window.htmx.ajax("GET", url + "?" + query.toString(), { target: "#drill-panel", swap: "innerHTML" });
  }

  function drillParams(cfg, metric, row, segment) {
    var params = { metric: metric, period_start: row.period_start, period_end: row.period_end };
    if (cfg.segment_by && segment !== undefined) {
      params.segment_by = cfg.segment_by;
      params.segment = segment === null ? cfg.no_segment_value : segment;
    }
    return params;
  }

  function emptyState(id, cfg) {
    var el = document.getElementById(id);
    if (el) { el.innerHTML = '<div class="empty">' + cfg.labels.no_data + "</div>"; el.classList.add("chart-empty"); }
  }

  /* B2B.chart, plus data-rendered="1" on the element once ECharts has finished drawing
     (the browser tests click points only after that). */
  function drawChart(target, option) {
    var el = typeof target === "string" ? document.getElementById(target) : target;
    el.removeAttribute("data-rendered");
    var chart = B2B.chart(el, option);
    if (chart) { chart.on("finished", function () { el.setAttribute("data-rendered", "1"); }); }
    return chart;
  }

  function axisMoney() { return { type: "value", axisLabel: { formatter: function (v) { return money(v, true); } } }; }
  function axisPercent() { return { type: "value", axisLabel: { formatter: function (v) { return v + "%"; } } }; }
  function legend() {
    return { top: 0, type: "scroll", itemWidth: 14, itemHeight: 9, itemGap: 8, textStyle: { fontSize: 11.5 } };
  }
  function grid() { return { left: 12, right: 16, top: 40, bottom: 8, containLabel: true }; }

  function movementsChart(cfg) {
    if (!document.getElementById("chart-movements")) { return; }
    var rows = cfg.periods;
    if (!rows.length) { return emptyState("chart-movements", cfg); }
    var categories = rows.map(function (r) { return periodLabel(r.period_start, cfg.period); });
    var series = POSITIVE.concat(NEGATIVE).map(function (metric) {
      var sign = NEGATIVE.indexOf(metric) >= 0 ? -1 : 1;
      return {
        // one stack: ECharts stacks gains above zero and losses below it, one column per period
        id: metric, name: cfg.labels[metric], type: "bar", stack: "movements", stackStrategy: "samesign",
        itemStyle: { color: COLORS[metric] }, barMaxWidth: 36, cursor: "pointer",
        data: rows.map(function (r) { return r[metric] === null ? null : sign * r[metric]; })
      };
    });
    series.push({
      // silent: the line must not swallow clicks meant for the bars under it (the axis tooltip still shows it)
      id: "net", name: cfg.labels.net, type: "line", symbolSize: 6, itemStyle: { color: COLORS.net }, z: 5, silent: true,
      data: rows.map(function (r) { return r.mrr_end - r.mrr_start; })  // the movement identity, as shown
    });
    var chart = drawChart("chart-movements", {
      legend: legend(), grid: grid(), xAxis: { type: "category", data: categories }, yAxis: axisMoney(),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return money(v); } },
      series: series
    });
    chart.on("click", function (event) {
      if (event.seriesId === "net") { return; }
      drill(cfg, drillParams(cfg, event.seriesId, rows[event.dataIndex]));
    });
  }

  function arrChart(cfg) {
    if (!document.getElementById("chart-arr")) { return; }
    var rows = cfg.periods;
    if (!rows.length) { return emptyState("chart-arr", cfg); }
    var categories = rows.map(function (r) { return periodLabel(r.period_start, cfg.period); });
    var series, segments = null;
    if (cfg.by_segment) {
      segments = splitBySegment(cfg.by_segment, "mrr_end");
      series = segments.values.map(function (key) {
        return {
          id: key, name: segmentName(decodeSegment(key), cfg), type: "line", stack: "arr", areaStyle: { opacity: 0.25 },
          itemStyle: { color: segmentColor(key) },
          symbolSize: 4, data: rows.map(function (r) { var row = segments.byKey[key][r.period_start]; return row ? row.arr : null; })
        };
      });
    } else {
      series = [{ id: "arr", name: cfg.labels.arr, type: "line", areaStyle: { opacity: 0.12 }, symbolSize: 6,
                  itemStyle: { color: COLORS.arr }, data: rows.map(function (r) { return r.arr; }) }];
    }
    var chart = drawChart("chart-arr", {
      legend: legend(), grid: grid(), xAxis: { type: "category", data: categories, boundaryGap: false },
      yAxis: axisMoney(), tooltip: { trigger: "axis", valueFormatter: function (v) { return money(v); } }, series: series
    });
    chart.on("click", function (event) {
      var row = rows[event.dataIndex];
      if (segments) {
        var key = event.seriesId;
        drill(cfg, drillParams(cfg, "mrr_end", segments.byKey[key][row.period_start] || row, decodeSegment(key)));
      } else {
        drill(cfg, drillParams(cfg, "mrr_end", row));
      }
    });
  }

  function retentionChart(cfg) {
    if (!document.getElementById("chart-retention")) { return; }
    var rows = cfg.periods;
    if (!rows.length) { return emptyState("chart-retention", cfg); }
    var categories = rows.map(function (r) { return periodLabel(r.period_start, cfg.period); });
    var series = ["nrr", "grr", "renewal_rate"].map(function (metric) {
      return { id: metric, name: cfg.labels[metric], type: "line", symbolSize: 6, connectNulls: false,
               itemStyle: { color: COLORS[metric] }, data: rows.map(function (r) { return ratio(r[metric]); }) };
    });
    var segments = null;
    if (cfg.by_segment) {
      segments = splitBySegment(cfg.by_segment, "mrr_end");
      segments.values.forEach(function (key) {
        series.push({
          id: "seg:" + key, name: cfg.labels.nrr + " · " + segmentName(decodeSegment(key), cfg), type: "line",
          symbolSize: 4, lineStyle: { type: "dashed", width: 1.5 }, itemStyle: { color: segmentColor(key) },
          data: rows.map(function (r) { var row = segments.byKey[key][r.period_start]; return row ? ratio(row.nrr) : null; })
        });
      });
    }
    var chart = drawChart("chart-retention", {
      legend: legend(), grid: grid(), xAxis: { type: "category", data: categories },
      yAxis: Object.assign(axisPercent(), { min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10 - 10); } }),
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : percent(v); } },
      series: series
    });
    chart.on("click", function (event) {
      var row = rows[event.dataIndex];
      if (event.seriesId.indexOf("seg:") === 0) {
        var key = event.seriesId.slice(4);
        drill(cfg, drillParams(cfg, "mrr_start", segments.byKey[key][row.period_start] || row, decodeSegment(key)));
      } else {
        drill(cfg, drillParams(cfg, event.seriesId === "renewal_rate" ? "renewals_due" : "mrr_start", row));
      }
    });
  }

  function cohortChart(cfg, measure) {
    if (!document.getElementById("chart-cohorts")) { return; }
    var cohorts = (cfg.cohorts || []).filter(function (c) { return c.segment === undefined || c.segment === null || c.segment === "all"; });
    if (!cohorts.length) { return emptyState("chart-cohorts", cfg); }
    var names = cohorts.map(function (c) { return c.cohort; });
    var maxOffset = 0, data = [], top = 100;
    cohorts.forEach(function (c, y) {
      (c.retention || []).forEach(function (cell) {
        var value = ratio(cell[measure]);
        if (value === null) { return; }
        maxOffset = Math.max(maxOffset, cell.offset);
        top = Math.max(top, value);
        data.push([cell.offset, y, value]);
      });
    });
    var offsets = [];
    for (var i = 0; i <= maxOffset; i++) { offsets.push(String(i)); }
    var el = document.getElementById("chart-cohorts");
    el.style.height = Math.max(260, 64 + 24 * names.length) + "px";
    drawChart(el, {
      grid: { left: 12, right: 16, top: 16, bottom: 56, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var cohort = cohorts[p.value[1]];
          return cohort.cohort + " · +" + p.value[0] + "<br>" + cfg.labels[measure] + ": <b>" + percent(p.value[2]) +
                 "</b><br>" + cfg.labels.customers + ": " + cohort.customers;
        }
      },
      xAxis: { type: "category", data: offsets, name: cfg.labels.offset, nameLocation: "middle", nameGap: 28, splitArea: { show: true } },
      yAxis: { type: "category", data: names, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: top, calculable: false, orient: "horizontal", right: 16, bottom: 0, itemHeight: 120,
                   show: false, inRange: { color: ["#fef2f2", "#c7d2fe", "#4f46e5"] } },
      series: [{
        // values written in the cells only when a cell is wide enough for "100"
        type: "heatmap", data: data, label: { show: el.clientWidth / (offsets.length + 2) >= 26, fontSize: 10,
          formatter: function (p) { return Math.round(p.value[2]); } },
        emphasis: { itemStyle: { borderColor: "#111827", borderWidth: 1 } }
      }]
    });
  }

  function npsChart(cfg) {
    if (!document.getElementById("chart-nps")) { return; }
    var rows = cfg.nps || [];
    if (!rows.length) { return emptyState("chart-nps", cfg); }
    var categories = rows.map(function (r) { return periodLabel(r.period_start, cfg.period); });
    // Promoters and passives stack up from zero, detractors hang below it, so the bars' zero
    // lines up with NPS 0 on the other axis (both axes are symmetric around zero).
    var series = ["promoters", "passives", "detractors"].map(function (part) {
      var sign = part === "detractors" ? -1 : 1;
      return { id: part, name: cfg.labels[part], type: "bar", stack: "responses", stackStrategy: "samesign",
               barMaxWidth: 32, yAxisIndex: 1, itemStyle: { color: COLORS[part] },
               data: rows.map(function (r) { return r[part] === null ? null : sign * r[part]; }) };
    });
    var tallest = Math.max.apply(null, [1].concat(rows.map(function (r) {
      return Math.max((r.promoters || 0) + (r.passives || 0), r.detractors || 0);
    })));
    var scale = 2 * Math.ceil(tallest * 0.55);  // even, so the half-way ticks are whole numbers
    // periods without responses have no NPS: gaps, not lines drawn across them
    series.push({ id: "nps", name: cfg.labels.nps, type: "line", symbolSize: 7, z: 5,
                  itemStyle: { color: COLORS.nps }, data: rows.map(function (r) { return r.nps; }) });
    var segments = null;
    if (cfg.nps_by_segment) {
      segments = splitBySegment(cfg.nps_by_segment, "responses");
      segments.values.forEach(function (key) {
        series.push({ id: "seg:" + key, name: cfg.labels.nps + " · " + segmentName(decodeSegment(key), cfg), type: "line",
                      symbolSize: 5, lineStyle: { type: "dashed", width: 1.5 }, itemStyle: { color: segmentColor(key) },
                      data: rows.map(function (r) { var row = segments.byKey[key][r.period_start]; return row ? row.nps : null; }) });
      });
    }
    var chart = drawChart("chart-nps", {
      legend: legend(), grid: grid(), xAxis: { type: "category", data: categories },
      yAxis: [{ type: "value", min: -100, max: 100, interval: 50 },
              { type: "value", min: -scale, max: scale, interval: scale / 2,
                splitLine: { show: false }, axisLabel: { formatter: function (v) { return Math.round(Math.abs(v)); } } }],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : B2B.formatNumber(Math.abs(v), 1); } },
      series: series
    });
    chart.on("click", function (event) {
      var row = rows[event.dataIndex];
      var params = { nps: 1, from: row.period_start, to: row.period_end, panel: 1 };
      if (["promoters", "passives", "detractors"].indexOf(event.seriesId) >= 0) { params.score_class = event.seriesId; }
      if (segments && event.seriesId.indexOf("seg:") === 0) {
        var key = decodeSegment(event.seriesId.slice(4));
        params.segment = cfg.segment_by;
        params.segment_value = key === null ? cfg.no_segment_value : key;
      }
      drill(cfg, params);
    });
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source) { return; }
    var cfg = JSON.parse(source.textContent);
    segmentColors = {};
    var measure = "logo";
    movementsChart(cfg);
    arrChart(cfg);
    retentionChart(cfg);
    cohortChart(cfg, measure);
    npsChart(cfg);
    document.querySelectorAll("[data-cohort-measure]").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll("[data-cohort-measure]").forEach(function (b) {
          b.classList.toggle("active", b === button);
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        cohortChart(cfg, button.dataset.cohortMeasure);
      });
    });
  }

  function wirePanel() {
    var panel = document.getElementById("drill-panel");
    if (!panel) { return; }
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === panel) { panel.hidden = false; panel.scrollTop = 0; }
      var id = event.detail.target && event.detail.target.id;
      if (id === "dashboard-body" || id === "nps-body") { draw(); }
    });
    document.body.addEventListener("click", function (event) {
      if (event.target.closest("[data-close-drill]")) { panel.hidden = true; panel.innerHTML = ""; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { panel.hidden = true; panel.innerHTML = ""; }
    });
  }

  B2B.onReady(function () { wirePanel(); draw(); });
  window.B2BDashboard = { draw: draw, money: money, percent: percent, periodLabel: periodLabel };
})();
