// Tiny canvas charts for the live page: line charts over steps and a scatter. No dependencies,
// so the page works offline and nothing is fetched from a CDN.
"use strict";
const PALETTE = ["#88c0d0", "#ebcb8b", "#a3be8c", "#d08770", "#b48ead", "#5e81ac", "#bf616a", "#8fbcbb"];
const PAD = { left: 48, right: 10, top: 18, bottom: 22 };

function setupCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 300, h = canvas.clientHeight || 150;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  return { ctx, w, h };
}

function extent(values, fallback) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (lo === Infinity) return fallback;
  if (lo === hi) { const d = Math.abs(lo) * 0.1 || 1; return [lo - d, hi + d]; }
  const m = (hi - lo) * 0.08;
  return [lo - m, hi + m];
}

function fmt(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(1);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function axes(ctx, w, h, xr, yr, xLabel) {
  ctx.strokeStyle = "#2a323c"; ctx.fillStyle = "#8390a0"; ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + (h - PAD.top - PAD.bottom) * i / 4;
    ctx.beginPath(); ctx.moveTo(PAD.left, y); ctx.lineTo(w - PAD.right, y); ctx.stroke();
    ctx.textAlign = "right"; ctx.fillText(fmt(yr[1] - (yr[1] - yr[0]) * i / 4), PAD.left - 4, y + 4);
  }
  // Steps are integers: print them as such, not as "94.0".
  const fx = v => Number.isInteger(v) ? String(v) : fmt(v);
  ctx.textAlign = "left"; ctx.fillText(fx(xr[0]), PAD.left, h - 6);
  ctx.textAlign = "right"; ctx.fillText(xLabel + " " + fx(xr[1]), w - PAD.right, h - 6);
}

function legend(ctx, w, series) {
  let x = PAD.left;
  ctx.textAlign = "left";
  series.forEach((s, i) => {
    if (!s.ys.some(Number.isFinite)) return;  // e.g. no reference length measured yet
    const last = s.ys.length ? s.ys[s.ys.length - 1] : NaN;
    const text = s.name + (Number.isFinite(last) ? " " + fmt(last) : "");
    ctx.fillStyle = s.color || PALETTE[i % PALETTE.length];
    ctx.fillRect(x, 5, 8, 8);
    ctx.fillStyle = "#d8dee9"; ctx.fillText(text, x + 11, 13);
    x += ctx.measureText(text).width + 24;
  });
}

/** series: [{name, xs, ys, color?}] sharing one y axis; opts.yRange fixes the axis (e.g. [0, 1]). */
function lineChart(canvas, series, opts = {}) {
  const { ctx, w, h } = setupCanvas(canvas);
  const xs = series.flatMap(s => s.xs), ys = series.flatMap(s => s.ys);
  const xr = extent(xs, [0, 1]), yr = opts.yRange || extent(ys, [0, 1]);
  if (xs.length) { xr[0] = Math.min(...xs); xr[1] = Math.max(xr[0] + 1, Math.max(...xs)); }
  axes(ctx, w, h, xr, yr, opts.xLabel || "step");
  const px = x => PAD.left + (x - xr[0]) / (xr[1] - xr[0]) * (w - PAD.left - PAD.right);
  const py = y => h - PAD.bottom - (y - yr[0]) / (yr[1] - yr[0]) * (h - PAD.top - PAD.bottom);
  series.forEach((s, i) => {
    ctx.strokeStyle = s.color || PALETTE[i % PALETTE.length]; ctx.lineWidth = 1.6;
    ctx.beginPath();
    let pen = false;
    for (let k = 0; k < s.xs.length; k++) {
      if (!Number.isFinite(s.ys[k])) { pen = false; continue; }
      pen ? ctx.lineTo(px(s.xs[k]), py(s.ys[k])) : ctx.moveTo(px(s.xs[k]), py(s.ys[k]));
      pen = true;
    }
    ctx.stroke();
  });
  legend(ctx, w, series);
}

/** points: [[x, y]]; a scatter with the points joined in x order, as a front is read. */
function scatterChart(canvas, points, xName, yName) {
  const { ctx, w, h } = setupCanvas(canvas);
  const xr = extent(points.map(p => p[0]), [0, 1]), yr = extent(points.map(p => p[1]), [0, 1]);
  axes(ctx, w, h, xr, yr, xName);
  const px = x => PAD.left + (x - xr[0]) / (xr[1] - xr[0]) * (w - PAD.left - PAD.right);
  const py = y => h - PAD.bottom - (y - yr[0]) / (yr[1] - yr[0]) * (h - PAD.top - PAD.bottom);
  const sorted = points.filter(p => Number.isFinite(p[0]) && Number.isFinite(p[1])).sort((a, b) => a[0] - b[0]);
  ctx.strokeStyle = "#4c566a"; ctx.beginPath();
  sorted.forEach((p, k) => k ? ctx.lineTo(px(p[0]), py(p[1])) : ctx.moveTo(px(p[0]), py(p[1])));
  ctx.stroke();
  ctx.fillStyle = PALETTE[1];
  for (const p of sorted) { ctx.beginPath(); ctx.arc(px(p[0]), py(p[1]), 3.5, 0, 2 * Math.PI); ctx.fill(); }
  ctx.fillStyle = "#d8dee9"; ctx.textAlign = "left";
  ctx.fillText(yName + " ↑ vs " + xName + " →  (" + sorted.length + " points)", PAD.left, 13);
}
