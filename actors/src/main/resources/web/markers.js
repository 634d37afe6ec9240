// What happened to the run, drawn on every step chart as a dashed vertical line at its step:
// the learner's run markers (LearnerEvent.markers: scorers joined or left, weighting changed,
// pause and resume, checkpoints, nodes lost and back) and the health alerts (LearnerEvent.alerts
// {kind, severity, reason, step}: every alert active after the event's step, each with the step
// it was raised at). The banner under the header lists the latest event's alerts; each alert is
// marked once, at the step it was raised.
"use strict";
const MAX_MARKERS = 2000;
// kind -> [short label on the line, colour]
const MARKER_LOOK = {
  "scorer-joined": ["+ objective", "#a3be8c"], "scorer-left": ["− objective", "#d08770"],
  "weighting-changed": ["weights", "#b48ead"], "paused": ["pause", "#ebcb8b"], "resumed": ["resume", "#ebcb8b"],
  "checkpoint": ["ckpt", "#5e81ac"], "node-lost": ["node lost", "#bf616a"], "node-back": ["node back", "#8fbcbb"],
};
const runMarkers = [];  // {step, kind, detail, alert, severity}, in arrival order
const alertKeys = new Set();  // kind@step of alerts already marked (an alert may be carried by many events)
let activeAlerts = [];  // {kind, severity, reason, step} of the latest event
const showMarkers = { on: true };

const severityOf = s => String(s || "warning").toLowerCase();

function readMarkers(e, step) {
  for (const m of e.markers || []) {
    pushMarker({ step: num(m.step), kind: m.kind, detail: m.detail || "", alert: false });
  }
  activeAlerts = [];
  for (const a of e.alerts || []) {
    const at = Number.isFinite(num(a.step)) && num(a.step) > 0 ? num(a.step) : step;
    const severity = severityOf(a.severity);
    if (!alertKeys.has(a.kind + "@" + at)) {
      alertKeys.add(a.kind + "@" + at);
      pushMarker({ step: at, kind: a.kind, detail: a.reason || "", alert: true, severity });
    }
    activeAlerts.push({ kind: a.kind, severity, reason: a.reason || "", step: at });
  }
}

function pushMarker(m) {
  runMarkers.push(m);
  if (runMarkers.length > MAX_MARKERS) runMarkers.shift();
}

function markerLook(m) {
  if (m.alert) return ["⚠ " + m.kind, m.severity === "critical" ? "#bf616a" : "#ebcb8b"];
  return MARKER_LOOK[m.kind] || [m.kind, "#8390a0"];
}

/**
 * The markLine every step chart carries on its first series; empty (not absent: series merge by
 * id and would keep their old lines) when markers are switched off.
 */
function markerLines() {
  const shown = showMarkers.on ? runMarkers : [];
  return { symbol: "none", animation: false, silent: true, data: shown.map(m => {
    const [label, color] = markerLook(m);
    // checkpoints come every few steps: a faint line without a label, or they would hide the rest
    const routine = m.kind === "checkpoint";
    return { xAxis: m.step, name: m.kind, lineStyle: { color, type: "dashed", width: m.alert ? 1.5 : 1,
      opacity: routine ? 0.45 : 1 }, label: { show: !routine, formatter: label, color, fontSize: 10, position: "insideEndTop" } };
  }) };
}

/** The alert banner and the list of what happened (newest first). */
function renderMarkers() {
  const banner = document.getElementById("alerts");
  const active = [...activeAlerts].sort((a, b) => (b.severity === "critical") - (a.severity === "critical"));
  banner.hidden = active.length === 0;
  banner.dataset.kinds = active.map(a => a.kind).join(",");
  banner.className = "banner" + (active.some(a => a.severity === "critical") ? " critical" : "");
  banner.replaceChildren(...active.map(a => {
    const row = document.createElement("div");
    row.className = "alert " + a.severity;
    row.textContent = "⚠ " + a.severity + " · " + a.kind + " since step " + a.step + ": " + a.reason;
    return row;
  }));
  const list = document.getElementById("marker-list");
  if (list.dataset.count === String(runMarkers.length)) return;
  list.dataset.count = String(runMarkers.length);
  list.replaceChildren(...runMarkers.slice(-40).reverse().map(m => {
    const li = document.createElement("li");
    li.dataset.kind = m.kind;
    const [label, color] = markerLook(m);
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.style.color = color;
    tag.textContent = label;
    li.append("step " + m.step + " ", tag, " " + m.detail);
    return li;
  }));
  document.getElementById("markers-card").hidden = runMarkers.length === 0;
}
