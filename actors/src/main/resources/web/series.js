// What the page keeps of a run: one [step, value] array per named series, filled from each
// LearnerEvent by the readers below, and the chart specs that draw them. CSV export writes the
// same series side by side, so what is exported is what is drawn.
"use strict";
const MAX_POINTS = 50000;  // per series, ~1 MB each; ECharts downsamples (LTTB) for drawing

// JsonFormat writes 64-bit integers and non-finite doubles as strings.
const num = v => v === undefined || v === null ? NaN : v === "NaN" ? NaN : v === "Infinity" ? Infinity
  : v === "-Infinity" ? -Infinity : Number(v);

const series = new Map();  // key -> [[step, value]], steps ascending
function addPoint(key, step, v) {
  if (!Number.isFinite(v)) return 0;  // absent this step (not evaluated, algorithm without it)
  let s = series.get(key);
  if (!s) { s = []; series.set(key, s); }
  s.push([step, v]);
  if (s.length > MAX_POINTS) s.shift();
  return 1;
}

// Series every event may carry: key, reader. Missing messages read as NaN, so no point.
const READERS = [
  ["reward.scalar", e => num(e.scalarRewardMean)],
  ["hypervolume", e => num(e.hypervolume)],
  ["loss.total", e => num(e.loss?.total)], ["loss.policy", e => num(e.loss?.policy)],
  ["loss.value", e => num(e.loss?.value)], ["loss.kl", e => num(e.loss?.kl)],
  ["loss.entropy_bonus", e => num(e.loss?.entropyBonus)],
  ["grad_norm", e => num(e.loss?.gradNorm)], ["learning_rate", e => num(e.loss?.learningRate)],
  ["clip.fraction", e => num(e.clip?.clipFraction)], ["clip.dual_fraction", e => num(e.clip?.dualClipFraction)],
  ["approx_kl.k1", e => num(e.clip?.approxKlK1)], ["approx_kl.k2", e => num(e.clip?.approxKlK2)],
  ["kl.token_mean", e => num(e.kl?.tokenMean)], ["kl.budget", e => num(e.kl?.budget)],
  ["kl.coefficient", e => num(e.kl?.coefficient)],
  ["entropy.mean", e => num(e.entropy?.mean)], ["entropy.topk_mass", e => num(e.entropy?.topKMass)],
  ["length.response_mean", e => num(e.lengths?.responseMean)],
  ["length.reference_mean", e => num(e.lengths?.referenceMean) > 0 ? num(e.lengths.referenceMean) : NaN],
  ["length.truncation_rate", e => num(e.lengths?.truncationRate)],
  ["throughput.samples_per_s", e => num(e.throughput?.samplesPerSecond)],
  ["throughput.tokens_per_s", e => num(e.throughput?.tokensPerSecond)],
  ["throughput.step_seconds", e => num(e.throughput?.stepSeconds)],
  // What only some algorithms report: NaN where absent, so the algorithm card shows only what the run has.
  ["critic.explained_variance", e => e.critic?.present ? num(e.critic.explainedVariance) : NaN],
  ["critic.value_clip_fraction", e => e.critic?.present ? num(e.critic.valueClipFraction) : NaN],
  ["preference.accuracy", e => e.preference ? num(e.preference.rewardAccuracy) : NaN],
  ["preference.margin", e => e.preference ? num(e.preference.rewardMargin) : NaN],
  // the preference family (prefalgos): ranking, drift, LCPO's ε, APO's iteration
  ["preference.ranking_accuracy", e => e.preference ? num(e.preference.rankingAccuracy) : NaN],
  ["preference.idealised_ranking_accuracy", e => e.preference ? num(e.preference.idealisedRankingAccuracy) : NaN],
  ["preference.chosen_drift", e => e.preference ? num(e.preference.chosenLogpDrift) : NaN],
  ["preference.rejected_drift", e => e.preference ? num(e.preference.rejectedLogpDrift) : NaN],
  ["preference.lcpo_epsilon", e => e.preference ? num(e.preference.lcpoEpsilon) : NaN],
  ["preference.entanglement", e => e.preference ? num(e.preference.gradientEntanglementCosine) : NaN],
  ["preference.apo_iteration", e => num(e.preference?.apoIteration) >= 0 ? num(e.preference.apoIteration) : NaN],
  ["dynamic_sampling.kept_share", e => e.dynamicSampling?.enabled
    ? num(e.dynamicSampling.groupsKept) / num(e.dynamicSampling.groupsTarget) : NaN],
  ["shaping.kl_penalty", e => e.shaping?.klInReward ? num(e.shaping.klPenaltyMean) : NaN],
  ["shaping.overlong_penalty", e => num(e.shaping?.overlongPenaltyMean) < 0 ? num(e.shaping.overlongPenaltyMean) : NaN],
];

/** Appends one event's values; returns the number of points added. */
function readEvent(e, step) {
  let added = 0;
  for (const [key, read] of READERS) added += addPoint(key, step, read(e));
  for (const o of e.objectives || []) {
    added += addPoint("objective." + o.name + ".raw", step, num(o.rawMean));
    added += addPoint("objective." + o.name + ".heldout", step, num(o.heldoutMean));
    added += addPoint("objective." + o.name + ".weight", step, num(o.weight));
  }
  for (const t of e.stageTimings || []) added += addPoint("stage." + t.stage + ".ms", step, num(t.millis));
  return added;
}

// Chart specs. axes: the y axes (min0 for series that cannot go below zero); lines: [label, key, axis].
// optional: a line drawn only once it has a non-zero value (e.g. the value loss of a run without critic).
const CHARTS = [
  { id: "reward", axes: [{ name: "reward" }, { name: "hypervolume", min0: true }],
    lines: [["scalar reward", "reward.scalar", 0], ["hypervolume", "hypervolume", 1]] },
  { id: "loss", axes: [{ name: "loss" }],
    lines: [["total", "loss.total", 0], ["policy", "loss.policy", 0], ["value", "loss.value", 0, "optional"],
      ["β·KL", "loss.kl", 0, "optional"], ["entropy bonus", "loss.entropy_bonus", 0, "optional"]] },
  { id: "optimizer", axes: [{ name: "grad norm", min0: true }, { name: "lr", min0: true }],
    lines: [["grad norm", "grad_norm", 0], ["learning rate", "learning_rate", 1]] },
  { id: "clip", axes: [{ name: "share", min0: true }],
    lines: [["clip fraction", "clip.fraction", 0], ["dual-clip fraction", "clip.dual_fraction", 0, "optional"],
      ["truncated responses", "length.truncation_rate", 0]] },
  { id: "kl", axes: [{ name: "nats" }, { name: "β", min0: true }],
    lines: [["token mean", "kl.token_mean", 0], ["budget √(seq KL)", "kl.budget", 0], ["β", "kl.coefficient", 1]] },
  { id: "approx-kl", axes: [{ name: "nats" }],
    lines: [["k1 (old − new)", "approx_kl.k1", 0], ["k2 ½(new − old)²", "approx_kl.k2", 0]] },
  { id: "entropy", axes: [{ name: "nats", min0: true }, { name: "mass", min0: true, max: 1 }],
    lines: [["entropy", "entropy.mean", 0], ["top-k mass", "entropy.topk_mass", 1]] },
  { id: "length", axes: [{ name: "tokens", min0: true }],
    lines: [["response mean", "length.response_mean", 0], ["reference", "length.reference_mean", 0]] },
  { id: "throughput", axes: [{ name: "samples/s", min0: true }, { name: "tokens/s", min0: true }],
    lines: [["samples/s", "throughput.samples_per_s", 0], ["tokens/s", "throughput.tokens_per_s", 1]] },
  { id: "algorithm", axes: [{ name: "" }],
    lines: [["critic explained variance", "critic.explained_variance", 0],
      ["value clip fraction", "critic.value_clip_fraction", 0], ["preference accuracy", "preference.accuracy", 0],
      ["preference margin", "preference.margin", 0], ["groups kept / target", "dynamic_sampling.kept_share", 0],
      ["KL penalty in reward", "shaping.kl_penalty", 0], ["overlong penalty", "shaping.overlong_penalty", 0],
      ["ranking accuracy", "preference.ranking_accuracy", 0],
      ["idealised ranking accuracy", "preference.idealised_ranking_accuracy", 0],
      ["chosen log-prob drift", "preference.chosen_drift", 0], ["rejected log-prob drift", "preference.rejected_drift", 0],
      ["LCPO ε", "preference.lcpo_epsilon", 0], ["gradient entanglement cos", "preference.entanglement", 0], ["APO iteration", "preference.apo_iteration", 0]] },
];

/** Every series as CSV: one row per step, one column per series, empty where a step has no value. */
function seriesCsv() {
  const keys = [...series.keys()].sort();
  const rows = new Map();  // step -> values by column
  keys.forEach((key, col) => {
    for (const [step, v] of series.get(key)) {
      let r = rows.get(step);
      if (!r) { r = new Array(keys.length).fill(""); rows.set(step, r); }
      r[col] = String(v);
    }
  });
  const quote = s => /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  const lines = ["step," + keys.map(quote).join(",")];
  for (const step of [...rows.keys()].sort((a, b) => a - b)) lines.push(step + "," + rows.get(step).join(","));
  return lines.join("\n") + "\n";
}
