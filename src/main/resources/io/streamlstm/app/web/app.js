// The live page: three views drawn from the service's JSON routes, refreshed every second.
// window.liveState says what is on screen, so a test (or a curious user) can check it without parsing the DOM.
"use strict";

const REFRESH_MS = 1000;
const MAX_ROWS = 500; // the table shows this many of the sorted, filtered sensors: a big fleet stays responsive
const liveState = window.liveState = { view: null, updates: 0, readings: 0, sensors: 0, points: 0, anomalyMarkers: 0, anomalyReasons: [], deadLetters: 0 };

const $ = id => document.getElementById(id);
const escapeHtml = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const utc = ms => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
const number = v => v == null ? "–" : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : (+v.toPrecision(6)).toString();
const surpriseOf = StreamCharts.surpriseOf;

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
  // Each model name with the version its sensors' latest scores carry: "default 0071ba0c124a · pumps 5f2e9a0b7c1d".
  const models = Object.entries(fleet.models).map(([name, version]) => name ? `${name} ${version}` : version);
  $("model").textContent = models.length ? models.join(" · ") : "–";
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
      <td>${escapeHtml(s.model)}</td>
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
let charts = null; // {id, group, value, surprise, alarm}

function chartWidth() {
  return $("chart-value").clientWidth - 8;
}

function makeCharts(id, alarm) {
  $("chart-value").innerHTML = "";
  $("chart-surprise").innerHTML = "";
  const group = StreamCharts.group("sensor-" + id);
  return {
    id, group, alarm,
    value: StreamCharts.valueChart($("chart-value"), group, chartWidth(), 300),
    surprise: StreamCharts.surpriseChart($("chart-surprise"), group, chartWidth(), 150, alarm),
  };
}

async function refreshSensor(id) {
  const data = await getJson("/api/sensor?id=" + encodeURIComponent(id));
  $("sensor-missing").hidden = data !== null;
  $("chart-value").hidden = $("chart-surprise").hidden = data === null;
  if (data === null) return;
  if (!charts || charts.id !== id) charts = makeCharts(id, surpriseOf(data.anomalyThreshold));
  liveState.anomalyMarkers = StreamCharts.setValues(charts.value, charts.group, data.time, data.value, data.expected,
      data.lower, data.upper, data.anomaly, data.reason, []);
  liveState.anomalyReasons = data.reason.filter(r => r !== null);
  StreamCharts.setSurprise(charts.surprise, charts.group, data.time, data.surprise, charts.alarm);
  liveState.points = data.time.length;
  const latest = data.time.length - 1;
  $("sensor-facts").innerHTML = `<b>${data.readings.toLocaleString("en")}</b> readings, `
      + `<b class="${data.anomalies ? "flagged" : ""}">${data.anomalies}</b> flagged`
      + (latest >= 0 ? `; latest <b>${number(data.value[latest])}</b> at ${utc(data.time[latest])}` : "")
      + ` · showing the last ${data.time.length} points`;
}

window.addEventListener("resize", () => {
  if (charts) StreamCharts.fit(charts.group, chartWidth());
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
let generation = 0;
async function loop() {
  // A view change starts a new round; a round still fetching when it came must not schedule one of its own.
  const round = ++generation;
  clearTimeout(timer);
  await refresh();
  if (round === generation) timer = setTimeout(loop, REFRESH_MS);
}
window.addEventListener("hashchange", loop);
loop();
