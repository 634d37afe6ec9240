// The Pareto card. The learner builds its front over the reward columns of the batch, in the order
// the scorers delivered them, each multiplied by a sign so that larger is better on every axis;
// the event names each coordinate (paretoAxes: objective, direction, sign), which need not be the
// order of its objective list. Points are drawn in the objective's own units (value × sign) with
// its direction on the axis label.
"use strict";

/** The objective behind each coordinate of the latest front: [{name, sign}] per dimension, and whether the event named them. */
function frontAxes(e) {
  const front = e.paretoFront || [];
  const dims = front.length ? front[0].values.length : 0;
  const named = (e.paretoAxes || []).map(a => ({ name: a.objective, sign: num(a.sign) < 0 ? -1 : 1 }));
  if (named.length === dims) return { axes: named, named: true };
  // an event from before the learner named the axes (an old metrics log): say so rather than guess
  const axes = [];
  for (let k = 0; k < dims; k++) axes.push({ name: "coordinate " + (k + 1), sign: 1 });
  return { axes, named: false };
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
  const { axes, named } = frontAxes(e);
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
    + (named ? "" : " · axes not named by this event");
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
