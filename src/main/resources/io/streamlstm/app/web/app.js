// The live page: three views drawn from the service's JSON routes, refreshed every second.
// window.liveState says what is on screen, so a test (or a curious user) can check it without parsing the DOM.
"use strict";

const REFRESH_MS = 1000;
const MAX_ROWS = 500; // the table shows this many of the sorted, filtered sensors: a big fleet stays responsive
const liveState = window.liveState = { view: null, updates: 0, readings: 0, sensors: 0, points: 0, anomalyMarkers: 0, deadLetters: 0 };

const $ = id => document.getElementById(id);
const escapeHtml = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const utc = ms => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
const number = v => v == null ? "–" : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : (+v.toPrecision(6)).toString();
const surpriseOf = likelihood => -Math.log10(Math.max(1 - likelihood, 1e-16));

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(url + " answered " + response.status);
  return response.json();
}

function markUpdated(ok) {
  const el = $("updated");
  el.textContent = ok ? "updated " + new Date().toLocaleTimeString() : "service not answering";
  el.classList.toggle("stale", !ok);
}

// ---- fleet ---------------------------------------------------------------------------------------------
const sort = { key: "surprise", descending: true };
let fleet = null;

async function refreshFleet() {
  fleet = await getJson("/api/fleet");
  $("model").textContent = fleet.modelVersion ?? "–";
  $("count-readings").textContent = fleet.readings.toLocaleString("en");
  $("count-anomalies").textContent = fleet.anomalies.toLocaleString("en");
  const reasons = Object.entries(fleet.deadLetters);
  $("count-deadletters").textContent = reasons.reduce((sum, [, n]) => sum + n, 0).toLocaleString("en");
  $("deadletter-reasons").innerHTML = reasons.map(([r, n]) => `<li><b>${n}</b> ${escapeHtml(r)}</li>`).join("");
  $("count-sensors").textContent = fleet.sensors.length.toLocaleString("en");
  $("sensor-limit").textContent = `keeps the ${fleet.sensorLimit.toLocaleString("en")} most recently scored, `
      + `${fleet.pointsPerSensor.toLocaleString("en")} points each`
      + (fleet.sensorsDropped ? ` (${fleet.sensorsDropped} dropped)` : "");
  liveState.readings = fleet.readings;
  liveState.sensors = fleet.sensors.length;
  renderFleetTable();
}

function renderFleetTable() {
  if (!fleet) return;
  const filter = $("filter").value.trim().toLowerCase();
  const rows = fleet.sensors.filter(s => s.id.toLowerCase().includes(filter));
  const direction = sort.descending ? -1 : 1;
  rows.sort((a, b) => {
    const x = a[sort.key], y = b[sort.key];
    const order = typeof x === "string" ? x.localeCompare(y, "en", { numeric: true }) : (x ?? -Infinity) - (y ?? -Infinity);
    return direction * order || a.id.localeCompare(b.id, "en", { numeric: true });
  });
  const alarmSurprise = surpriseOf(fleet.anomalyThreshold);
  $("fleet").querySelector("tbody").innerHTML = rows.slice(0, MAX_ROWS).map(s => {
    const width = Math.min(60, 60 * s.surprise / alarmSurprise);
    return `<tr data-id="${escapeHtml(s.id)}">
      <td><a href="#/sensor/${encodeURIComponent(s.id)}">${escapeHtml(s.id)}</a>${s.channel !== "value" ? ` <span class="note">${escapeHtml(s.channel)}</span>` : ""}</td>
      <td>${utc(s.timestamp)}</td>
      <td class="num">${number(s.value)}</td>
      <td class="num">${s.warmingUp ? '<span class="warm">warming up</span>' : s.likelihood.toFixed(5)}</td>
      <td class="num"><span class="bar${s.surprise >= alarmSurprise ? " hot" : ""}" style="width:${width.toFixed(0)}px"></span>${s.surprise.toFixed(2)}</td>
      <td class="num${s.anomalies ? " flagged" : ""}">${s.anomalies}</td>
      <td class="num">${s.readings.toLocaleString("en")}</td></tr>`;
  }).join("");
  $("shown").textContent = rows.length > MAX_ROWS ? `showing ${MAX_ROWS} of ${rows.length}; filter to narrow` : `${rows.length} sensors`;
  document.querySelectorAll("#fleet th").forEach(th => {
    th.classList.toggle("sorted", th.dataset.key === sort.key);
    th.classList.toggle("asc", th.dataset.key === sort.key && !sort.descending);
  });
}

document.querySelectorAll("#fleet th").forEach(th => th.addEventListener("click", () => {
  sort.descending = sort.key === th.dataset.key ? !sort.descending : th.dataset.key !== "id";
  sort.key = th.dataset.key;
  renderFleetTable();
}));
$("filter").addEventListener("input", renderFleetTable);
$("fleet").querySelector("tbody").addEventListener("click", event => {
  const row = event.target.closest("tr");
  if (row && !event.target.closest("a")) location.hash = "#/sensor/" + encodeURIComponent(row.dataset.id);
});

// ---- sensor --------------------------------------------------------------------------------------------
let charts = null; // {id, value, surprise, zoomed}

function chartWidth() {
  return $("chart-value").clientWidth - 8;
}

function makeCharts(id) {
  $("chart-value").innerHTML = "";
  $("chart-surprise").innerHTML = "";
  const utcDate = ts => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC");
  const state = { id, zoomed: false };
  // Zooming one chart zooms the other; a zoom holds while new points arrive, double-click lets go.
  const followZoom = other => u => {
    const x = u.scales.x;
    const full = u.data[0].length === 0 || (x.min <= u.data[0][0] && x.max >= u.data[0][u.data[0].length - 1]);
    state.zoomed = !full;
    const peer = state[other];
    if (peer && (peer.scales.x.min !== x.min || peer.scales.x.max !== x.max)) peer.setScale("x", { min: x.min, max: x.max });
  };
  const cursor = { sync: { key: "sensor-" + id }, drag: { x: true, y: false } };
  state.value = new uPlot({
    width: chartWidth(), height: 300, tzDate: utcDate, cursor,
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
    hooks: { setScale: [followZoom("surprise")] },
  }, [[], [], [], [], [], []], $("chart-value"));
  state.surprise = new uPlot({
    width: chartWidth(), height: 150, tzDate: utcDate, cursor,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max, state.alarm ?? 3) * 1.1] } },
    series: [
      {},
      { label: "surprise", stroke: "#7c3aed", fill: "rgba(124,58,237,.12)", width: 1 },
      { label: "alarm level", stroke: "#dc2626", width: 1, dash: [6, 4], points: { show: false } },
    ],
    axes: [{}, { size: 60 }],
    hooks: { setScale: [followZoom("value")] },
  }, [[], [], []], $("chart-surprise"));
  return state;
}

async function refreshSensor(id) {
  const data = await getJson("/api/sensor?id=" + encodeURIComponent(id));
  $("sensor-missing").hidden = data !== null;
  $("chart-value").hidden = $("chart-surprise").hidden = data === null;
  if (data === null) return;
  if (!charts || charts.id !== id) charts = makeCharts(id);
  charts.alarm = surpriseOf(data.anomalyThreshold);
  const seconds = data.time.map(t => t / 1000);
  const markers = data.value.map((v, k) => data.anomaly[k] ? v : null);
  const keepZoom = charts.zoomed;
  charts.value.setData([seconds, data.value, data.expected, data.upper, data.lower, markers], !keepZoom);
  charts.surprise.setData([seconds, data.surprise, seconds.map(() => charts.alarm)], !keepZoom);
  liveState.anomalyMarkers = markers.filter(m => m !== null).length;
  liveState.points = seconds.length;
  const latest = data.time.length - 1;
  $("sensor-facts").innerHTML = `<b>${data.readings.toLocaleString("en")}</b> readings, `
      + `<b class="${data.anomalies ? "flagged" : ""}">${data.anomalies}</b> flagged`
      + (latest >= 0 ? `; latest <b>${number(data.value[latest])}</b> at ${utc(data.time[latest])}` : "")
      + ` · showing the last ${seconds.length} points`;
}

window.addEventListener("resize", () => {
  if (charts) [charts.value, charts.surprise].forEach(c => c.setSize({ width: chartWidth(), height: c.height }));
});

// ---- dead letters --------------------------------------------------------------------------------------
async function refreshDeadLetters() {
  const data = await getJson("/api/deadletters");
  $("deadletters-note").textContent = `The latest ${data.kept} records the service refused, newest first. `
      + "Each one is on the dead-letter topic with its original bytes.";
  $("deadletters-empty").hidden = data.deadLetters.length > 0;
  $("deadletters").hidden = data.deadLetters.length === 0;
  $("deadletters").querySelector("tbody").innerHTML = data.deadLetters.map(d => `<tr>
      <td>${utc(d.timestamp)}</td><td><span class="chip">${escapeHtml(d.reason)}</span></td>
      <td>${escapeHtml(d.detail)}</td><td>${escapeHtml(d.key)}</td><td class="note">${escapeHtml(d.source)}</td>
      <td><pre class="record">${escapeHtml(d.value)}</pre></td></tr>`).join("");
  liveState.deadLetters = data.deadLetters.length;
}

// ---- routing and refresh -------------------------------------------------------------------------------
function route() {
  const hash = location.hash || "#/fleet";
  if (hash.startsWith("#/sensor/")) return { view: "sensor", id: decodeURIComponent(hash.slice("#/sensor/".length)) };
  if (hash === "#/deadletters") return { view: "deadletters" };
  return { view: "fleet" };
}

async function refresh() {
  const current = route();
  for (const name of ["fleet", "sensor", "deadletters"]) $("view-" + name).hidden = name !== current.view;
  $("nav-fleet").classList.toggle("active", current.view === "fleet");
  $("nav-deadletters").classList.toggle("active", current.view === "deadletters");
  liveState.view = current.view;
  try {
    if (current.view === "fleet") await refreshFleet();
    if (current.view === "sensor") {
      $("sensor-title").textContent = current.id;
      await refreshSensor(current.id);
    }
    if (current.view === "deadletters") await refreshDeadLetters();
    if (current.view !== "fleet" && !fleet) await refreshFleet(); // the header's model version
    liveState.updates++;
    markUpdated(true);
  } catch (e) {
    markUpdated(false);
  }
}

let timer = null;
async function loop() {
  clearTimeout(timer);
  await refresh();
  timer = setTimeout(loop, REFRESH_MS);
}
window.addEventListener("hashchange", loop);
loop();
