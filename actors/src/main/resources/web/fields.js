// Any per-step number an event carries, charted on request: every numeric field of the event and
// of its messages (loss.gradNorm, preference.rewardAccuracy, a stats message a new algorithm adds)
// is found as events arrive and offered in the picker, so a new field is on the page without a
// line of code here. The named charts above are the curated view; this is the catch-all.
"use strict";
const fields = new Map();  // "message.field" (or "field" at the top) -> [[step, value]]
// Not per-step quantities: identifiers, counters of the stream, wall-clock.
const NOT_SERIES = new Set(["step", "totalSteps", "policyVersion", "batchId", "unixMillis", "missedEvents"]);

const numeric = v => typeof v === "number" || (typeof v === "string" && v !== "" && Number.isFinite(num(v)));

function readFields(e, step) {
  const add = (path, v) => {
    let s = fields.get(path);
    if (!s) { s = []; fields.set(path, s); }
    s.push([step, num(v)]);
    if (s.length > MAX_POINTS) s.shift();
  };
  for (const [name, v] of Object.entries(e)) {
    if (NOT_SERIES.has(name)) continue;
    if (numeric(v)) add(name, v);
    else if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [f, x] of Object.entries(v)) if (numeric(x)) add(name + "." + f, x);
    }
  }
}

/** Refills the picker when new fields appear; draws the chosen one. */
function renderFields(c) {
  const pick = document.getElementById("field-pick");
  const names = [...fields.keys()].sort();
  if (pick.dataset.names !== names.join(",")) {
    const chosen = pick.value || (names.includes("loss.gradNorm") ? "loss.gradNorm" : names[0]);
    pick.dataset.names = names.join(",");
    pick.replaceChildren(...names.map(n => new Option(n, n, n === chosen, n === chosen)));
  }
  const key = pick.value;
  const data = fields.get(key) || [];
  c.setOption({ legend: { show: false }, series: withMarkers([{ type: "line", id: "field:" + key, name: key, data,
    showSymbol: false, sampling: "lttb", lineStyle: { width: 1.5 } }]) }, { replaceMerge: ["series"] });
}
