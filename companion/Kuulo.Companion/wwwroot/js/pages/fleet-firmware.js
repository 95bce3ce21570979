// Firmware: upload a release-signed image, roll it out to a group with a canary share, watch each desk's state and
// advance past the canaries once they all run it, or abort. The companion refuses images the release key did not sign.
import { api, segment } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { time } from "../lib/format.js";
import { tabBar } from "./fleet.js";

const states = ["pending", "offered", "downloading", "installed", "failed", "rolled_back", "cancelled"];
const running = ["canary", "rest", "halted"];

function rolloutCard(s) {
  const r = s.rollout;
  return html`<div class="card" data-rollout="${r.id}"><div class="row"><h3>Rollout ${r.id}: ${r.version} to ${r.scope === "fleet" ? "the fleet" : `${r.scope} ${r.name}`}</h3>
    <span class="${r.state === "halted" || r.state === "aborted" ? "bad" : "muted"}" data-field="state">${r.state}</span>
    ${r.state === "canary" ? html`<button type="button" class="secondary" data-advance="${r.id}">Advance past the canaries (${r.canaryPercent} %)</button>` : ""}
    ${running.includes(r.state) ? html`<button type="button" class="secondary" data-abort="${r.id}">Abort</button>` : ""}</div>
    <p>${states.map(k => html`<span data-state="${k}">${k.replace("_", " ")}: ${s.states[k]}</span> `)}</p>
    <table><tr><th>Device</th><th>Wave</th><th>State</th><th>Detail</th><th>Updated</th></tr>${s.devices.map(d => html`<tr><td>${d.deviceId}</td><td>${d.wave}</td>
      <td class="${d.state === "installed" ? "ok" : d.state === "failed" || d.state === "rolled_back" ? "bad" : ""}">${d.state}</td><td>${d.detail ?? ""}</td><td>${time(d.updatedMs)}</td></tr>`)}</table></div>`;
}

export async function fleetFirmware(context) {
  const { view, isCurrent, repeat } = context;
  const [images, rollouts, groups] = await Promise.all([api("/api/firmware/images"), api("/api/firmware/rollouts"), api("/api/config/groups")]);
  const details = await Promise.all(rollouts.slice(0, 5).map(r => api(`/api/firmware/rollouts/${r.id}`)));
  if (!isCurrent()) return;
  const $ = selector => view.querySelector(selector);
  render(view, html`
    <h2>Fleet</h2>${tabBar("firmware")}
    <form class="card" id="fw-upload"><h3>Upload a signed image</h3>
      <p class="muted">The signature is the release key's ECDSA P-256 signature (base64) over the manifest of version, size and SHA-256.</p>
      <div class="filters"><div><label for="fw-file">Image</label><input id="fw-file" type="file" required></div>
        <div><label for="fw-version">Version</label><input id="fw-version" required maxlength="32"></div>
        <div><label for="fw-signature">Signature</label><input id="fw-signature" required size="50"></div><button type="submit">Upload</button></div>
      <p class="error" id="fw-error" role="alert"></p></form>
    <form class="card" id="fw-rollout"><h3>Start a rollout</h3><div class="filters">
      <div><label for="ro-version">Image</label><select id="ro-version">${images.map(i => html`<option>${i.version}</option>`)}</select></div>
      <div><label for="ro-group">Group</label><select id="ro-group">${groups.map(g => html`<option value="${g.scope}:${g.name}">${g.scope === "fleet" ? "whole fleet" : `${g.scope} ${g.name}`} (${g.members})</option>`)}</select></div>
      <div><label for="ro-canary">Canary share (%)</label><input id="ro-canary" type="number" min="1" max="100" value="10"></div><button type="submit">Start</button></div>
      <p class="error" id="ro-error" role="alert"></p></form>
    <div id="rollouts">${details.map(rolloutCard)}</div>`);

  $("#fw-upload").addEventListener("submit", async e => {
    e.preventDefault();
    try {
      await api("/api/firmware/images", { method: "POST", body: $("#fw-file").files[0],
        headers: { "content-type": "application/octet-stream", "kuulo-firmware-version": $("#fw-version").value, "kuulo-firmware-signature": $("#fw-signature").value.trim() } });
      await fleetFirmware(context);
    } catch (error) { $("#fw-error").textContent = error.message; }
  });
  $("#fw-rollout").addEventListener("submit", async e => {
    e.preventDefault();
    const [scope, ...rest] = $("#ro-group").value.split(":");
    try {
      await api("/api/firmware/rollouts", { method: "POST", body: JSON.stringify({ version: $("#ro-version").value, scope, name: rest.join(":"), canaryPercent: Number($("#ro-canary").value) }) });
      await fleetFirmware(context);
    } catch (error) { $("#ro-error").textContent = error.message; }
  });
  // On the cards' container, not on the view: the view outlives this page, and a listener on it would be added again
  // on every visit and re-render, so one click would advance or abort as many times.
  $("#rollouts").addEventListener("click", async e => {
    const { advance, abort } = e.target.dataset ?? {};
    const id = advance ?? abort;
    if (!id) return;
    if (abort && !confirm(`Abort rollout ${id}? Desks that have not started on it will not be offered it; desks already installing finish.`)) return;
    try { await api(`/api/firmware/rollouts/${segment(id)}/${advance ? "advance" : "abort"}`, { method: "POST" }); await fleetFirmware(context); }
    catch (error) { $("#ro-error").textContent = error.message; }
  });
  repeat(async () => {
    const fresh = await Promise.all(rollouts.slice(0, 5).map(r => api(`/api/firmware/rollouts/${r.id}`)));
    if (isCurrent()) render($("#rollouts"), html`${fresh.map(rolloutCard)}`);
  }, 3000);
}
