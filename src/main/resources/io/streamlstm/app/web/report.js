// The `score --report` page: the scores embedded as JSON, drawn by the live page's charts.
"use strict";

(() => {
  const d = JSON.parse(document.getElementById("report-data").textContent);
  const width = document.getElementById("chart-surprise").clientWidth - 8;
  const group = StreamCharts.group("report");
  const alarm = StreamCharts.surpriseOf(d.threshold);
  let markers = 0;
  d.channels.forEach((c, k) => {
    const chart = StreamCharts.valueChart(document.getElementById("chart-" + k), group, width, 260);
    markers += StreamCharts.setValues(chart, group, d.time, c.value, c.expected, c.lower, c.upper, c.anomaly,
        d.reason, d.windows);
  });
  const surprise = d.likelihood.map(l => l === null ? null : StreamCharts.surpriseOf(l));
  StreamCharts.setSurprise(StreamCharts.surpriseChart(document.getElementById("chart-surprise"), group, width, 130, alarm),
      group, d.time, surprise, alarm);
  window.addEventListener("resize", () => StreamCharts.fit(group, document.getElementById("chart-surprise").clientWidth - 8));
  window.reportState = { anomalyMarkers: markers, windows: d.windows.length,
    reasons: d.reason.filter(r => r !== null).length };
})();
