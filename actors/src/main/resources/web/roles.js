// The run's roles, from /status (Control's StatusResponse as JSON): which roles every step needs,
// which have a live node and which the learner waits for. Polled rather than read from the
// events, because a learner that waits for a role admits no batch and so publishes no event.
"use strict";

const ROLES_EVERY_MS = 2000;

function drawRoles(status) {
  const el = document.getElementById("roles");
  const r = status.readiness || {};
  const needed = r.needed || [];
  if (!needed.length) { el.hidden = true; return; }
  const waiting = r.waitingFor || [];
  const present = new Set(r.present || []);
  el.hidden = false;
  el.className = "roles" + (waiting.length ? " waiting" : "");
  el.dataset.waiting = waiting.join(",");
  const marks = needed.map(role => role + (present.has(role) ? " ✓" : waiting.includes(role) ? " ✗" : " …"));
  el.textContent = (waiting.length ? "waiting for: " + waiting.join(", ") + " · " : "") + marks.join(" · ");
  el.title = "run " + (status.state || "") + (status.detail ? ": " + status.detail : "")
    + " — ✓ a live node, ✗ waited for, … not listed yet";
}

// Resolves after the first answer, so a static page settles with the roles drawn; then keeps polling
// unless once. A server without a run (404) or an unreachable one hides the roles.
async function pollRoles(once) {
  const el = document.getElementById("roles");
  try {
    const res = await fetch("status");
    if (res.ok) drawRoles(await res.json()); else el.hidden = true;
  } catch (err) {
    el.hidden = true;
  }
  if (!once) setTimeout(() => pollRoles(false), ROLES_EVERY_MS);
}
