// The Pareto card. The learner builds its front over the objectives of the batch, in the order
// the scorers delivered them and with MINIMIZE objectives negated (so that larger is better on
// every axis); neither the order nor the sign is the event's objective list. Each coordinate is
// named by matching it against the signed batch means of the step its point was measured at,
// then drawn in the objective's own units with its direction on the axis label.
"use strict";
const batchMeans = new Map();  // step -> [{name, sign, raw}] of the objectives scored that step

function rememberMeans(e, step) {
  const scored = (e.objectives || []).filter(o => Number.isFinite(num(o.rawMean)))
    .map(o => ({ name: o.name, sign: o.direction === "MINIMIZE" ? -1 : 1, raw: num(o.rawMean) }));
  batchMeans.set(step, scored);
  if (batchMeans.size > MAX_POINTS) batchMeans.delete(batchMeans.keys().next().value);
}

/**
 * The objective behind each coordinate of the latest front: [{name, sign}] per dimension, and
 * whether it was matched (true) or assumed from the event's order (false, when no point's step is known).
 */
function frontAxes(e) {
  const front = e.paretoFront || [];
  const dims = front.length ? front[0].values.length : 0;
  for (const p of front) {
    const scored = batchMeans.get(num(p.step));
    if (!scored || scored.length !== dims) continue;
    const axes = p.values.map(v => {
      let best = null, err = Infinity;
      for (const o of scored) {
        const d = Math.abs(num(v) - o.sign * o.raw) / Math.max(1e-9, Math.abs(o.raw));
        if (d < err) { err = d; best = o; }
      }
      return err < 1e-6 ? best : null;
    });
    if (axes.every(a => a) && new Set(axes.map(a => a.name)).size === dims) return { axes, matched: true };
  }
  const scored = (e.objectives || []).filter(o => Number.isFinite(num(o.rawMean)))
    .map(o => ({ name: o.name, sign: o.direction === "MINIMIZE" ? -1 : 1 }));
  const axes = [];
  for (let k = 0; k < dims; k++) axes.push(scored[k] || { name: "objective " + (k + 1), sign: 1 });
  return { axes, matched: false };
}

const axisLabel = a => a.name + (a.sign < 0 ? " ↓ lower is better" : " ↑");

/**
 * Fills the pair picker when the objectives change (first choice: the first two objectives of
 * the event's list); answers the chosen [x, y] dimensions.
 */
function pickPair(axes, order) {
  const pick = document.getElementById("pareto-pick");
  const xs = document.getElementById("pareto-x"), ys = document.getElementById("pareto-y");
  const dims = axes.map((a, k) => k).sort((a, b) => rank(order, axes[a].name) - rank(order, axes[b].name));
  pick.hidden = axes.length < 3;
  const names = axes.map(a => a.name).join("\u0000");
  if (pick.dataset.names !== names) {
    pick.dataset.names = names;
    for (const [sel, chosen] of [[xs, dims[0]], [ys, dims[1]]]) {
      sel.replaceChildren(...axes.map((a, k) => new Option(a.name, String(k), k === chosen, k === chosen)));
    }
  }
  return axes.length < 3 ? [dims[0], dims[1]] : [Number(xs.value), Number(ys.value)];
}

const rank = (order, name) => order.indexOf(name) < 0 ? order.length : order.indexOf(name);

function renderPareto(chart, e) {
  const { axes, matched } = frontAxes(e);
  const note = document.getElementById("pareto-note");
  if (axes.length < 2) {
    // the learner restarts its front when the objectives change, and has none before two steps
    note.textContent = (e.paretoFront || []).length ? "needs two objectives" : "no front yet";
    chart.setOption({ xAxis: { name: "" }, yAxis: { name: "" }, series: [] }, { replaceMerge: ["series"] });
    return;
  }
  const [i, j] = pickPair(axes, (e.objectives || []).map(o => o.name));
  const points = (e.paretoFront || []).map(p => [axes[i].sign * num(p.values[i]), axes[j].sign * num(p.values[j]),
    num(p.step)]).filter(p => Number.isFinite(p[0]) && Number.isFinite(p[1])).sort((a, b) => a[0] - b[0]);
  note.textContent = "batch means of non-dominated steps · " + points.length + " points"
    + (axes.length > 2 ? " · a pair of " + axes.length + " objectives" : "")
    + (matched ? "" : " · axis order assumed");
  const x = axisLabel(axes[i]), y = axisLabel(axes[j]);
  const chartEl = document.getElementById("pareto");
  chartEl.dataset.x = axes[i].name; chartEl.dataset.y = axes[j].name; chartEl.dataset.step = String(e.step);
  chartEl.dataset.points = JSON.stringify(points.map(p => [p[0], p[1]]));
  chart.setOption({
    xAxis: { name: x, nameLocation: "middle", nameGap: 22 },
    yAxis: { name: y, scale: true },
    tooltip: { trigger: "item", formatter: p => "step " + p.value[2] + "<br>" + axes[i].name + " " + fmtNum(p.value[0])
      + "<br>" + axes[j].name + " " + fmtNum(p.value[1]) },
    series: [{ type: "line", data: points, symbolSize: 7, lineStyle: { color: "#4c566a" }, itemStyle: { color: "#ebcb8b" } }],
  }, { replaceMerge: ["series"] });
}

/** Axis ticks: short, exponent for the tiny (learning rates) and the huge. */
function fmtTick(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

function fmtNum(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(2);
  return a >= 100 ? v.toFixed(1) : v.toFixed(3);
}
