// The charts of one sensor, shared by the live page and the `score --report` page: readings against the
// expected band with anomalies marked and named by their reason, labelled windows shaded (the report's
// --labels), and the surprise −log10(1 − likelihood) against the alarm level.
// Charts of one group zoom together; a zoom holds while data is replaced, a double-click lets go.
"use strict";

window.StreamCharts = (() => {
  const utcDate = ts => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC");
  const surpriseOf = likelihood => -Math.log10(Math.max(1 - likelihood, 1e-16));

  function group(syncKey) {
    return { charts: [], zoomed: false, cursor: { sync: { key: syncKey }, drag: { x: true, y: false } } };
  }

  function followZoom(g) {
    return u => {
      const x = u.scales.x;
      const t = u.data[0];
      g.zoomed = t.length > 0 && (x.min > t[0] || x.max < t[t.length - 1]);
      for (const peer of g.charts) {
        if (peer !== u && (peer.scales.x.min !== x.min || peer.scales.x.max !== x.max)) {
          peer.setScale("x", { min: x.min, max: x.max });
        }
      }
    };
  }

  function add(g, chart) {
    g.charts.push(chart);
    return chart;
  }

  // What the detector's reasons are called beside a marker.
  const reasonLabel = { SUDDEN_ERROR: "error", ERROR_RUN: "error run", MEMORY: "memory", LEVEL: "level",
    LASTING_DEPARTURE: "lasting", ROUTINE: "routine", STUCK: "stuck", NONE: "" };

  /** Labelled windows (chart.windows, [start, end] in seconds) as shaded spans behind the series. */
  function shadeWindows(u) {
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = "rgba(245,158,11,.18)";
    for (const [start, end] of u.windows || []) {
      const left = Math.max(u.bbox.left, u.valToPos(start, "x", true));
      const right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(end, "x", true));
      if (right > left) ctx.fillRect(left, u.bbox.top, Math.max(right - left, 2), u.bbox.height);
    }
    ctx.restore();
  }

  /** Each anomaly's reason (chart.reasons, aligned with the data) written beside its marker. */
  function nameReasons(u) {
    const ctx = u.ctx;
    const reasons = u.reasons || [];
    ctx.save();
    ctx.fillStyle = "#991b1b";
    ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
    u.data[5].forEach((v, k) => {
      if (v === null || v === undefined || !reasons[k]) return;
      ctx.fillText(reasonLabel[reasons[k]] ?? reasons[k], u.valToPos(u.data[0][k], "x", true) + 6 * devicePixelRatio,
          u.valToPos(v, "y", true) - 6 * devicePixelRatio);
    });
    ctx.restore();
  }

  function valueChart(element, g, width, height) {
    return add(g, new uPlot({
      width, height, tzDate: utcDate, cursor: g.cursor,
      scales: { x: { time: true } },
      series: [
        {},
        { label: "reading", stroke: "#2563eb", width: 1.5 },
        { label: "expected", stroke: "#64748b", width: 1, dash: [5, 4] },
        { label: "upper", stroke: "rgba(37,99,235,.25)", width: 1 },
        { label: "lower", stroke: "rgba(37,99,235,.25)", width: 1 },
        { label: "anomaly", stroke: "#dc2626", fill: "#dc2626", paths: () => null,
          points: { show: true, size: 9, stroke: "#dc2626", fill: "#dc2626" } },
      ],
      bands: [{ series: [3, 4], fill: "rgba(37,99,235,.12)" }],
      axes: [{}, { size: 60 }],
      hooks: { setScale: [followZoom(g)], drawClear: [shadeWindows], draw: [nameReasons] },
    }, [[], [], [], [], [], []], element));
  }

  function surpriseChart(element, g, width, height, alarm) {
    return add(g, new uPlot({
      width, height, tzDate: utcDate, cursor: g.cursor,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, alarm) * 1.1] } },
      series: [
        {},
        { label: "surprise", stroke: "#7c3aed", fill: "rgba(124,58,237,.12)", width: 1 },
        { label: "alarm level", stroke: "#dc2626", width: 1, dash: [6, 4], points: { show: false } },
      ],
      axes: [{}, { size: 60 }],
      hooks: { setScale: [followZoom(g)] },
    }, [[], [], []], element));
  }

  /**
   * Draws one sensor's points (times in ms), each anomaly named by its reason (reasons aligned with time, null
   * where none) and the labelled windows ([start, end] in ms) shaded; returns how many anomalies it marked.
   */
  function setValues(chart, g, time, value, expected, lower, upper, anomaly, reasons, windows) {
    const markers = value.map((v, k) => anomaly[k] ? v : null);
    chart.reasons = reasons || [];
    chart.windows = (windows || []).map(([start, end]) => [start / 1000, end / 1000]);
    chart.setData([time.map(t => t / 1000), value, expected, upper, lower, markers], !g.zoomed);
    return markers.filter(m => m !== null).length;
  }

  function setSurprise(chart, g, time, surprise, alarm) {
    chart.setData([time.map(t => t / 1000), surprise, time.map(() => alarm)], !g.zoomed);
  }

  function fit(g, width) {
    g.charts.forEach(c => c.setSize({ width, height: c.height }));
  }

  return { group, valueChart, surpriseChart, setValues, setSurprise, fit, surpriseOf };
})();
