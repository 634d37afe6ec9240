// Live page: subscribes to /events (Server-Sent Events, one LearnerEvent as protobuf JSON per
// step, recent history replayed first) and redraws the charts at most every 100 ms.
"use strict";
const MAX_POINTS = 2000;  // per series; older points scroll off
const state = { runId: null, lastStep: -Infinity, events: 0, points: 0, objectives: new Map(), last: null,
  steps: [], kl: [], budget: [], entropy: [], topk: [], length: [], refLength: [], sps: [],
  algo: { explained: [], valueClip: [], prefAccuracy: [], prefMargin: [], kept: [], klPenalty: [], overlong: [] } };

// JsonFormat writes 64-bit integers and non-finite doubles as strings.
const num = v => v === undefined ? NaN : v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : Number(v);
const push = (arr, v) => { arr.push(v); if (arr.length > MAX_POINTS) arr.shift(); };

function onEvent(e) {
  const step = num(e.step);
  if (e.runId !== state.runId) {
    state.runId = e.runId; state.lastStep = -Infinity;
  }
  if (step <= state.lastStep) return;  // replayed again after a reconnect
  state.lastStep = step;
  push(state.steps, step);
  for (const o of e.objectives || []) {
    let s = state.objectives.get(o.name);
    if (!s) { s = { xs: [], raw: [], weight: [], direction: o.direction }; state.objectives.set(o.name, s); }
    push(s.xs, step); push(s.raw, num(o.rawMean)); push(s.weight, num(o.weight));
    state.points += 2;
  }
  push(state.kl, num(e.kl && e.kl.tokenMean)); push(state.budget, num(e.kl && e.kl.budget));
  push(state.entropy, num(e.entropy && e.entropy.mean)); push(state.topk, num(e.entropy && e.entropy.topKMass));
  push(state.length, num(e.lengths && e.lengths.responseMean));
  const ref = num(e.lengths && e.lengths.referenceMean);
  push(state.refLength, ref > 0 ? ref : NaN);
  push(state.sps, num(e.throughput && e.throughput.samplesPerSecond));
  state.points += 7 + (e.paretoFront || []).length + pushAlgorithm(e);
  state.events += 1;
  state.last = e;
  document.body.dataset.events = state.events;
  document.body.dataset.points = state.points;
  document.getElementById("counts").textContent = state.events + " events · " + state.points + " points";
  scheduleRender();
}

// What only some algorithms report (critic, preference pairs, dynamic sampling, reward shaping):
// NaN where absent, so a chart shows only the series the run has. Returns the points added.
function pushAlgorithm(e) {
  const a = state.algo, c = e.critic, p = e.preference, d = e.dynamicSampling, sh = e.shaping;
  const values = [
    [a.explained, c && c.present ? num(c.explainedVariance) : NaN],
    [a.valueClip, c && c.present ? num(c.valueClipFraction) : NaN],
    [a.prefAccuracy, p ? num(p.rewardAccuracy) : NaN],
    [a.prefMargin, p ? num(p.rewardMargin) : NaN],
    [a.kept, d && d.enabled ? num(d.groupsKept) / num(d.groupsTarget) : NaN],
    [a.klPenalty, sh && sh.klInReward ? num(sh.klPenaltyMean) : NaN],
    [a.overlong, sh && num(sh.overlongPenaltyMean) < 0 ? num(sh.overlongPenaltyMean) : NaN]];  // 0 = off
  let added = 0;
  for (const [series, v] of values) { push(series, v); if (Number.isFinite(v)) added++; }
  return added;
}

let renderPending = false;
function scheduleRender() {
  if (!renderPending) { renderPending = true; setTimeout(render, 100); }
}

function rewardCanvas(name) {
  const id = "reward-" + name;
  let c = document.getElementById(id);
  if (!c) {
    c = document.createElement("canvas");
    c.id = id;
    document.getElementById("rewards").appendChild(c);
  }
  return c;
}

function render() {
  renderPending = false;
  const e = state.last;
  if (!e) return;
  document.getElementById("run").textContent = "run " + e.runId + " · step " + e.step
      + (num(e.totalSteps) > 0 ? " / " + e.totalSteps : "") + " · policy v" + e.policyVersion
      + " · weighting " + e.weightingStrategy + " · reward " + fmt(num(e.scalarRewardMean))
      + (num(e.missedEvents) > 0 ? " · missed " + e.missedEvents : "");
  const weights = [];
  let i = 0;
  for (const [name, s] of state.objectives) {
    const arrow = s.direction === "MINIMIZE" ? " ↓" : " ↑";
    lineChart(rewardCanvas(name), [{ name: name + arrow, xs: s.xs, ys: s.raw, color: PALETTE[i % PALETTE.length] }]);
    weights.push({ name, xs: s.xs, ys: s.weight, color: PALETTE[i % PALETTE.length] });
    i++;
  }
  lineChart(document.getElementById("weights"), weights, { yRange: [0, 1] });
  const x = state.steps;
  lineChart(document.getElementById("kl"), [{ name: "KL token mean", xs: x, ys: state.kl },
    { name: "KL budget √(seq KL)", xs: x, ys: state.budget }]);
  lineChart(document.getElementById("entropy"), [{ name: "entropy", xs: x, ys: state.entropy },
    { name: "top-" + ((e.entropy && e.entropy.topK) || "k") + " mass", xs: x, ys: state.topk }]);
  lineChart(document.getElementById("length"), [{ name: "response mean", xs: x, ys: state.length },
    { name: "reference", xs: x, ys: state.refLength }]);
  lineChart(document.getElementById("throughput"), [{ name: "samples/s", xs: x, ys: state.sps }]);
  const a = state.algo;
  const algo = [{ name: "critic explained variance", ys: a.explained }, { name: "value clip fraction", ys: a.valueClip },
    { name: "preference accuracy", ys: a.prefAccuracy }, { name: "preference margin", ys: a.prefMargin },
    { name: "groups kept / target", ys: a.kept }, { name: "KL penalty in reward", ys: a.klPenalty },
    { name: "overlong penalty", ys: a.overlong }]
    .filter(s => s.ys.some(Number.isFinite)).map(s => ({ name: s.name, xs: x, ys: s.ys }));
  document.getElementById("algorithm-card").hidden = algo.length === 0;
  if (algo.length > 0) lineChart(document.getElementById("algorithm"), algo);
  const names = (e.objectives || []).map(o => o.name);
  const front = (e.paretoFront || []).map(p => [num(p.values[0]), num(p.values[1])]);
  scatterChart(document.getElementById("pareto"), front, names[0] || "objective 1", names[1] || "objective 2");
}

function connect() {
  const status = document.getElementById("status");
  const source = new EventSource("events?replay=" + MAX_POINTS);
  source.onopen = () => { status.textContent = "live"; status.className = "status live"; };
  source.onerror = () => { status.textContent = "reconnecting"; status.className = "status down"; };
  source.onmessage = m => onEvent(JSON.parse(m.data));
}

window.addEventListener("resize", scheduleRender);
connect();
