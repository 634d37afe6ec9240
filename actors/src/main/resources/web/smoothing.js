// Smoothing of the step curves as TensorBoard does it: an exponential moving average with the
// start-up bias removed (the average of the first points is not pulled towards 0), the raw series
// drawn faint behind the smoothed one. Weight 0 draws the raw series alone; the slider's value is
// kept per browser.
"use strict";
const SMOOTHING_KEY = "troupe.smoothing";
const smoothing = { weight: 0.6 };

/** Debiased EMA of [[step, value]]: s_t = w·s_{t−1} + (1 − w)·x_t, divided by 1 − w^t. */
function ema(data, w) {
  const out = new Array(data.length);
  let last = 0, n = 0;
  for (let i = 0; i < data.length; i++) {
    const [step, v] = data[i];
    last = last * w + (1 - w) * v;
    n++;
    out[i] = [step, last / (1 - Math.pow(w, n))];
  }
  return out;
}

/**
 * The series that draw one curve: its smoothed line over the raw one (id key + "~raw", faint,
 * without tooltip of its own), or the raw line alone when smoothing is off.
 */
function curve(name, key, axis, color) {
  const raw = series.get(key) || [];
  const style = color ? { itemStyle: { color } } : {};
  const base = { type: "line", name, yAxisIndex: axis, showSymbol: false, sampling: "lttb", ...style };
  const solid = { width: 1.5, ...(color ? { color } : {}) };
  if (smoothing.weight <= 0) return [{ ...base, id: key, data: raw, lineStyle: solid }];
  return [{ ...base, id: key + "~raw", data: raw, silent: true, z: 1, lineStyle: { ...solid, width: 1, opacity: 0.25 } },
    { ...base, id: key, data: ema(raw, smoothing.weight), z: 2, lineStyle: solid }];
}

/** The axis tooltip: each curve once, its smoothed value with the raw one beside it. */
function axisTooltip(params) {
  const ps = Array.isArray(params) ? params : [params];
  if (!ps.length) return "";
  const isRaw = p => String(p.seriesId).endsWith("~raw");
  const raw = new Map(ps.filter(isRaw).map(p => [p.seriesName, p.value[1]]));
  const rows = ps.filter(p => !isRaw(p)).map(p => p.marker + escapeHtml(p.seriesName) + " <b>" + fmtNum(p.value[1])
    + "</b>" + (raw.has(p.seriesName) ? " <small>raw " + fmtNum(raw.get(p.seriesName)) + "</small>" : ""));
  return "step " + ps[0].value[0] + "<br>" + rows.join("<br>");
}

const escapeHtml = s => String(s).replace(/[&<>"']/g, c => "&#" + c.charCodeAt(0) + ";");

/** Wires the slider; {@code changed} redraws. */
function setupSmoothing(changed) {
  const input = document.getElementById("smoothing");
  const shown = document.getElementById("smoothing-value");
  const saved = Number(localStorage.getItem(SMOOTHING_KEY));
  if (localStorage.getItem(SMOOTHING_KEY) !== null && saved >= 0 && saved < 1) input.value = String(saved);
  const read = () => {
    smoothing.weight = Number(input.value);
    shown.textContent = smoothing.weight.toFixed(2);
    document.body.dataset.smoothing = String(smoothing.weight);
  };
  read();
  input.addEventListener("input", () => {
    read();
    localStorage.setItem(SMOOTHING_KEY, input.value);
    changed();
  });
}
