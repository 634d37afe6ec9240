// The sample-responses table: a few responses of each step's batch, chosen by the learner (the
// best and the worst by scalar reward of some prompt groups) and carried in the event, with their
// per-objective scores. It follows the latest step; the picker looks back SAMPLE_STEPS steps.
"use strict";
const SAMPLE_STEPS = 20;
const sampleSteps = new Map();  // step -> samples of its event, the last SAMPLE_STEPS steps that had some

function readSamples(e, step) {
  if (!(e.samples || []).length) return;
  sampleSteps.set(step, e.samples);
  if (sampleSteps.size > SAMPLE_STEPS) sampleSteps.delete(sampleSteps.keys().next().value);
}

/** Refills the step picker and, when the step shown changes, the table. */
function renderSamples() {
  const card = document.getElementById("samples-card");
  card.hidden = sampleSteps.size === 0;
  if (card.hidden) return;
  const pick = document.getElementById("sample-step");
  const steps = [...sampleSteps.keys()].sort((a, b) => b - a);
  const keys = steps.join(",");
  if (pick.dataset.steps !== keys) {
    const chosen = pick.value;
    pick.dataset.steps = keys;
    pick.replaceChildren(new Option("latest (step " + steps[0] + ")", "latest"),
      ...steps.map(s => new Option("step " + s, String(s))));
    pick.value = steps.includes(Number(chosen)) ? chosen : "latest";
  }
  const step = pick.value === "latest" ? steps[0] : Number(pick.value);
  const table = document.getElementById("samples");
  if (table.dataset.step === String(step)) return;
  table.dataset.step = String(step);
  fillTable(table, sampleSteps.get(step));
}

function fillTable(table, samples) {
  const objectives = [];
  for (const s of samples) for (const o of s.scores || []) if (!objectives.includes(o.objective)) objectives.push(o.objective);
  const cell = (tag, text, cls) => {
    const c = document.createElement(tag);
    c.textContent = text;
    if (cls) c.className = cls;
    return c;
  };
  const head = document.createElement("tr");
  head.append(...["pick", "group", "reward", ...objectives, "tokens", "prompt", "response"].map(h => cell("th", h)));
  const rows = samples.map(s => {
    const tr = document.createElement("tr");
    tr.className = s.pick || "";
    const score = new Map((s.scores || []).map(o => [o.objective, num(o.value)]));
    const reward = num(s.scalarReward);
    tr.append(cell("td", s.pick || ""), cell("td", String(s.groupId ?? "")),
      cell("td", Number.isFinite(reward) ? fmtNum(reward) : "–", "num"),
      ...objectives.map(o => cell("td", score.has(o) ? fmtNum(score.get(o)) : "–", "num")),
      cell("td", String(s.responseTokens ?? 0) + (s.lengthLimited ? " (limit)" : ""), "num"),
      cell("td", s.prompt || "", "text"),
      cell("td", s.response === "" || s.response === undefined ? "(empty)" : s.response, "text"));
    return tr;
  });
  table.replaceChildren(head, ...rows);
}
