// The page: loads the run's past from /history (its metrics log, so a resumed run shows every
// step), then follows /events (Server-Sent Events, one LearnerEvent as protobuf JSON per step)
// and redraws at most every 200 ms. With ?static=1 it draws the history and stops, so a headless
// browser's screenshot settles; a hidden tab closes its stream and reopens it when shown.
"use strict";
const STATIC = new URLSearchParams(location.search).has("static");
const REPLAY = 2000;  // the hub's ring is the only history of a run without a metrics log
const PALETTE = ["#88c0d0", "#ebcb8b", "#a3be8c", "#d08770", "#b48ead", "#5e81ac", "#bf616a", "#8fbcbb"];
const state = { runId: null, lastStep: -Infinity, events: 0, points: 0, last: null,
  objectives: new Map() };  // name -> {direction, leftAt: step it was first missing, or null}
const charts = new Map();  // element id -> ECharts instance
// A script error leaves the charts frozen; say so where a person and a headless test both see it.
window.addEventListener("error", ev => {
  document.body.dataset.error = ev.message;
  document.getElementById("status").textContent = "page error: " + ev.message;
});

function onEvent(e) {
  const step = num(e.step);
  if (e.runId !== state.runId) { state.runId = e.runId; state.lastStep = -Infinity; }
  if (step <= state.lastStep) return;  // replayed again after a reconnect, or already in the history
  state.lastStep = step;
  const present = new Set();
  for (const o of e.objectives || []) {
    present.add(o.name);
    const known = state.objectives.get(o.name);
    if (!known) state.objectives.set(o.name, { direction: o.direction, leftAt: null });
    else known.leftAt = null;  // back again (a scorer re-registered)
  }
  for (const [name, o] of state.objectives) if (!present.has(name) && o.leftAt === null) o.leftAt = step;
  state.points += readEvent(e, step);
  readMarkers(e, step);
  readSamples(e, step);
  readFields(e, step);
  state.events += 1;
  state.last = e;
}

function chart(id) {
  let c = charts.get(id);
  if (!c) {
    const el = document.getElementById(id);
    c = echarts.init(el, "dark", { renderer: "canvas" });
    // Cells change size as objective panels are added and on window resizes; ECharts does not watch.
    new ResizeObserver(() => c.resize()).observe(el);
    if (id !== "pareto") c.group = "steps";  // zoom and tooltips move together on every step chart
    charts.set(id, c);
    c.setOption(id === "pareto" ? { ...base(), dataZoom: [], legend: { show: false },
      xAxis: { type: "value", scale: true, splitLine: { show: false }, axisLabel: { hideOverlap: true, formatter: fmtTick } } }
      : base());
  }
  return c;
}

function base() {
  return {
    animation: false, backgroundColor: "transparent", color: PALETTE,
    textStyle: { fontFamily: "system-ui, sans-serif" },
    grid: { left: 58, right: 58, top: 46, bottom: 36 },
    legend: { top: 0, type: "scroll", textStyle: { color: "#d8dee9", fontSize: 11 } },
    tooltip: { trigger: "axis", formatter: axisTooltip },
    // the x axis is the step everywhere but on the Pareto card; tooltips name it
    xAxis: { type: "value", min: "dataMin", max: "dataMax", splitLine: { show: false },
      axisLabel: { hideOverlap: true }, axisPointer: { label: { formatter: p => "step " + p.value } } },
    yAxis: { type: "value", splitLine: { lineStyle: { color: "#2a323c" } }, axisLabel: { formatter: fmtTick },
      nameTextStyle: { align: "left" } },
    dataZoom: [{ type: "inside", filterMode: "none" }, { type: "slider", height: 12, bottom: 4, filterMode: "none",
      showDetail: false }],
  };
}

/** A curve drawn as it is, never smoothed (weights, held-out points); {@link curve} smooths. */
const line = (name, key, axis, color) => ({ type: "line", name, id: key, yAxisIndex: axis, data: series.get(key) || [],
  showSymbol: false, sampling: "lttb", lineStyle: { width: 1.5 }, ...(color ? { color } : {}) });

/**
 * {@code list} with the run's markers on its first series, beside any marking a series has of its
 * own; every other series gets an explicit (possibly empty) markLine, since series merge by id
 * and one that was first before would keep its old lines.
 */
function withMarkers(list) {
  const marks = markerLines();
  return list.map((s, k) => {
    const own = s.markLine ? s.markLine.data : [];
    return { ...s, markLine: { ...marks, ...(s.markLine || {}), data: k === 0 ? [...own, ...marks.data] : own } };
  });
}

/** A step chart from its spec: y axes with min 0 where the series cannot be negative. */
function drawSpec(spec) {
  const lines = spec.lines.filter(([, key, , optional]) => optional
    ? (series.get(key) || []).some(p => p[1] !== 0) : series.has(key));
  if (spec.id === "algorithm") document.getElementById("algorithm-card").hidden = lines.length === 0;
  if (lines.length === 0 && spec.id === "algorithm") return;
  const yAxis = spec.axes.map((a, k) => ({ type: "value", name: a.name, position: k ? "right" : "left",
    min: a.min0 ? 0 : undefined, max: a.max, scale: !a.min0, axisLabel: { formatter: fmtTick },
    nameTextStyle: { align: k ? "right" : "left" }, splitLine: { show: k === 0, lineStyle: { color: "#2a323c" } } }));
  const curves = lines.flatMap(([name, key, axis], k) => curve(name, key, axis, PALETTE[k % PALETTE.length]));
  chart(spec.id).setOption({ yAxis, series: withMarkers(curves) }, { replaceMerge: ["series", "yAxis"] });
}

function objectivePanel(name, k) {
  const id = "reward-" + name;
  let panel = document.getElementById("objective-" + name);
  if (!panel) {
    panel = document.createElement("div");
    panel.className = "objective";
    panel.id = "objective-" + name;
    panel.innerHTML = '<h3></h3><div class="chart"></div>';
    panel.lastChild.id = id;
    document.getElementById("rewards").appendChild(panel);
  }
  const o = state.objectives.get(name);
  panel.classList.toggle("left", o.leftAt !== null);
  panel.dataset.leftAt = o.leftAt === null ? "" : String(o.leftAt);
  panel.firstChild.innerHTML = "";
  panel.firstChild.append(name + (o.direction === "MINIMIZE" ? " ↓" : " ↑") + " ");
  if (o.leftAt !== null) {
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = "left at step " + o.leftAt;
    panel.firstChild.append(note);
  }
  const color = o.leftAt !== null ? "#6b7380" : PALETTE[k % PALETTE.length];
  chart(id).setOption({ legend: { show: false }, grid: { top: 14 }, yAxis: { scale: true },
    series: withMarkers([...curve("batch mean", "objective." + name + ".raw", 0, color),
      { ...line("held-out", "objective." + name + ".heldout", 0, "#eceff4"), showSymbol: true, symbolSize: 5 }]) },
  { replaceMerge: ["series"] });
}

function render() {
  const e = state.last;
  if (!e) return;
  document.getElementById("run").textContent = "run " + e.runId + " · step " + e.step
      + (num(e.totalSteps) > 0 ? " / " + e.totalSteps : "") + " · policy v" + e.policyVersion
      + " · weighting " + e.weightingStrategy + " · reward " + fmtNum(num(e.scalarRewardMean))
      + (num(e.missedEvents) > 0 ? " · missed " + e.missedEvents : "");
  const weights = [];
  let k = 0;
  for (const [name, o] of state.objectives) {
    objectivePanel(name, k);
    const label = o.leftAt === null ? name : name + " (left at step " + o.leftAt + ")";
    const w = line(label, "objective." + name + ".weight", 0, o.leftAt === null ? PALETTE[k % PALETTE.length] : "#6b7380");
    if (o.leftAt !== null) {
      w.markLine = { symbol: "none", silent: true, data: [{ xAxis: o.leftAt }], lineStyle: { type: "dashed" },
        label: { formatter: name + " left", color: "#8390a0" } };
    }
    weights.push(w);
    k++;
  }
  chart("weights").setOption({ yAxis: { min: 0, max: 1 }, series: withMarkers(weights) }, { replaceMerge: ["series"] });
  const stages = [...series.keys()].filter(s => s.startsWith("stage.")).sort()
    .flatMap((s, k) => curve(s.slice(6, -3), s, 0, PALETTE[k % PALETTE.length]));
  chart("stages").setOption({ yAxis: { min: 0, name: "ms" }, series: withMarkers(stages) }, { replaceMerge: ["series"] });
  CHARTS.forEach(drawSpec);
  renderPareto(chart("pareto"), e);
  renderMarkers();
  renderSamples();
  renderFields(chart("fields"));
  document.body.dataset.events = state.events;
  document.body.dataset.points = state.points;
  document.getElementById("counts").textContent = state.events + " events · " + state.points + " points";
}

let renderPending = false;
function scheduleRender() {
  if (!renderPending) { renderPending = true; setTimeout(() => { renderPending = false; render(); }, 200); }
}

let source = null;
function connect() {
  const status = document.getElementById("status");
  source = new EventSource("events?replay=" + REPLAY);
  source.onopen = () => { status.textContent = "live"; status.className = "status live"; };
  source.onerror = () => { status.textContent = "reconnecting"; status.className = "status down"; };
  source.onmessage = m => {
    if (!m.data) return;  // keep-alive heartbeat
    onEvent(JSON.parse(m.data));
    scheduleRender();
  };
}

function exportCsv() {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([seriesCsv()], { type: "text/csv" }));
  a.download = (state.runId || "troupe") + "-series.csv";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The run's settings, when the server was given them (a `troupe run`; not a bare event hub). */
async function showConfig() {
  try {
    const r = await fetch("config");
    if (!r.ok) return;
    document.getElementById("config").textContent = await r.text();
    document.getElementById("config-card").hidden = false;
  } catch (err) {
    // no config to show: the card stays hidden
  }
}

async function start() {
  echarts.connect("steps");
  document.getElementById("csv").addEventListener("click", exportCsv);
  for (const id of ["pareto-x", "pareto-y", "sample-step", "field-pick"]) document.getElementById(id).addEventListener("change", render);
  setupSmoothing(render);
  document.getElementById("show-markers").addEventListener("change", ev => { showMarkers.on = ev.target.checked; render(); });
  const status = document.getElementById("status");
  try {
    const past = await (await fetch("history?replay=" + REPLAY)).json();
    past.forEach(onEvent);
  } catch (err) {
    status.textContent = "no history: " + err.message;
  }
  await showConfig();
  await pollRoles(STATIC);
  render();
  document.body.dataset.settled = "true";
  if (STATIC) {
    status.textContent = "static · " + state.events + " steps";
    return;
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && source) { source.close(); source = null; status.textContent = "paused (hidden)"; }
    else if (!document.hidden && !source) connect();
  });
  if (!document.hidden) connect();
}
start();
