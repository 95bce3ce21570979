// Devices, for facilities: the fleet, registration, assignment, new passwords and configuration pushes.
import { api, segment } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { time } from "../lib/format.js";

const assignment = ["agent", "team", "site", "desk"];
const label = f => f[0].toUpperCase() + f.slice(1);
const versions = d => `v${d.desiredVersion} / ${d.reportedVersion == null ? "–" : "v" + d.reportedVersion}`;

function fleetTable(list) {
  if (list.length === 0) return html`<div class="empty">No devices yet: register the first desk unit below.</div>`;
  return html`<table id="devices"><tr><th>Device</th><th>Agent</th><th>Team</th><th>Site</th><th>Desk</th><th>Status</th>
    <th>Last seen</th><th>Firmware</th><th class="num">Config (desired / reported)</th><th class="num">Queued / dropped</th><th>Actions</th></tr>
    ${list.map(d => html`<tr data-device="${d.id}"><td>${d.id}</td><td>${d.agent}</td><td>${d.team}</td><td>${d.site}</td><td>${d.desk}</td>
      <td class="${d.disabled ? "bad" : d.online ? "ok" : "muted"}">${d.disabled ? "disabled" : d.online ? "online" : "offline"}</td><td>${time(d.lastSeenMs)}</td><td>${d.firmware ?? "–"}</td>
      <td class="num" data-field="config">${versions(d)}${d.rejectedError ? html` <span class="bad">refused v${d.rejectedVersion}: ${d.rejectedError}</span>` : ""}</td>
      <td class="num">${d.queued ?? "–"} / ${d.dropped ?? "–"}</td>
      <td><button type="button" class="secondary" data-action="configure">Configure</button> <button type="button" class="secondary" data-action="assign">Assign</button> <button type="button" class="secondary" data-action="rotate">New password</button>
      <button type="button" class="secondary" data-action="${d.disabled ? "enable" : "disable"}">${d.disabled ? "Enable" : "Disable"}</button>
      <button type="button" class="secondary" data-action="decommission">Decommission</button>
      <button type="button" class="secondary" data-action="details">Details</button></td></tr>`)}</table>`;
}

export async function devices(context) {
  const { view, isCurrent, repeat } = context;
  const $ = selector => view.querySelector(selector);
  const [list, parameters] = await Promise.all([api("/api/devices"), api("/api/config/parameters")]);
  if (!isCurrent()) return;
  render(view, html`
    <h2>Devices</h2>
    <div class="card"><div class="row"><h3>Fleet</h3><a href="/api/devices?format=csv" download>Export CSV</a></div>
    ${fleetTable(list)}
    <p id="secret" role="status"></p></div>
    <form class="card" id="register"><h3>Register a desk unit</h3><div class="filters">
      ${["id", ...assignment].map(f => html`<div><label for="reg-${f}">${f === "id" ? "Device id" : label(f)}</label><input id="reg-${f}" required></div>`)}
      <button type="submit">Register</button></div><p class="error" id="register-error" role="alert"></p></form>
    <div class="card" id="details" hidden></div>
    <form class="card" id="assign" hidden><h3>Assign <span id="assign-device"></span></h3><div class="filters">
      ${assignment.map(f => html`<div><label for="as-${f}">${label(f)}</label><input id="as-${f}"></div>`)}
      <button type="submit">Save</button></div><p class="error" id="assign-error" role="alert"></p></form>
    <form class="card" id="configure" hidden><h3>Configuration for <span id="cfg-device"></span></h3>
      <p class="muted">Values are checked against each parameter's range before anything is sent to the device.</p>
      <div class="filters"><div><label for="cfg-name">Parameter</label><select id="cfg-name">${parameters.map(p =>
        html`<option value="${p.name}" title="${p.description}">${p.name} (${p.min}–${p.max} ${p.unit})</option>`)}</select></div>
      <div><label for="cfg-value">Value</label><input id="cfg-value" type="number" required></div><button type="submit">Push</button></div>
      <p class="error" id="configure-error" role="alert"></p><p id="configure-result" role="status"></p></form>`);

  if (context.params.get("device") && list.some(d => d.id === context.params.get("device"))) await showDetails(view, context.params.get("device"), repeat);
  $("#register").addEventListener("submit", async e => {
    e.preventDefault();
    const body = Object.fromEntries(["id", ...assignment].map(f => [f, $(`#reg-${f}`).value]));
    try {
      const created = await api("/api/devices", { method: "POST", body: JSON.stringify(body) });
      await devices(context);
      $("#secret").textContent = `Registered ${created.id}. Its password (shown once): ${created.password}`;
    } catch (error) { $("#register-error").textContent = error.message; }
  });
  for (const button of view.querySelectorAll("[data-action]")) {
    button.addEventListener("click", async () => {
      const id = button.closest("tr").dataset.device;
      if (button.dataset.action === "assign") {
        const d = list.find(x => x.id === id);
        for (const f of assignment) $(`#as-${f}`).value = d[f];
        $("#assign").hidden = false;
        $("#assign").dataset.device = id;
        $("#assign-device").textContent = id;
        $("#as-agent").focus();
      } else if (button.dataset.action === "enable" || button.dataset.action === "disable") {
        await api(`/api/devices/${segment(id)}/${button.dataset.action}`, { method: "POST" });
        await devices(context);
      } else if (button.dataset.action === "decommission") {
        // Its calls stay; its registration, password and retained configuration go.
        if (!confirm(`Decommission ${id}? It is disconnected and removed; its stored calls stay.`)) return;
        await api(`/api/devices/${segment(id)}`, { method: "DELETE" });
        await devices(context);
        $("#secret").textContent = `${id} was decommissioned.`;
      } else if (button.dataset.action === "details") {
        await showDetails(view, id, repeat);
      } else if (button.dataset.action === "rotate") {
        const fresh = await api(`/api/devices/${segment(id)}/credentials`, { method: "POST" });
        $("#secret").textContent = `New password for ${id} (shown once): ${fresh.password}`;
      } else {
        $("#configure").hidden = false;
        $("#configure").dataset.device = id;
        $("#cfg-device").textContent = id;
        $("#cfg-name").focus();
      }
    });
  }
  $("#assign").addEventListener("submit", async e => {
    e.preventDefault();
    const id = $("#assign").dataset.device;
    const body = Object.fromEntries(assignment.map(f => [f, $(`#as-${f}`).value]));
    try {
      await api(`/api/devices/${segment(id)}/assignment`, { method: "PUT", body: JSON.stringify(body) });
      await devices(context);
    } catch (error) { $("#assign-error").textContent = error.message; }
  });
  $("#configure").addEventListener("submit", async e => {
    e.preventDefault();
    $("#configure-error").textContent = "";
    const id = $("#configure").dataset.device;
    try {
      const result = await api(`/api/devices/${segment(id)}/config`, { method: "PUT", body: JSON.stringify({ [$("#cfg-name").value]: Number($("#cfg-value").value) }) });
      $("#configure-result").textContent = `Version ${result.version} sent to ${id}; the table shows the version the device reports.`;
      repeat(async () => {
        const d = await api(`/api/devices/${segment(id)}`);
        const cell = view.querySelector(`tr[data-device="${CSS.escape(id)}"] [data-field="config"]`);
        if (cell) cell.textContent = versions(d.device);
      }, 1000);
    } catch (error) { $("#configure-error").textContent = error.message; }
  });
}

// One desk: each configuration value with the layer it comes from, and the installer's calibration check.
function calibrationView(c) {
  if (!c) return html`<p class="muted">No check asked yet.</p>`;
  if (!c.report) return html`<p role="status">Listening since ${time(c.requestedMs)}: the desk answers after 10 seconds of audio.</p>`;
  const r = c.report;
  const level = v => v == null ? "no speech" : `${v} dB`;
  return html`<table id="calibration"><tr><th>Channel</th><th class="num">Noise floor</th><th class="num">Speech level</th><th class="num">Speech heard</th></tr>
    <tr><td>Agent (left)</td><td class="num">${r.agentFloorDb} dB</td><td class="num">${level(r.agentSpeechDb)}</td><td class="num">${(r.agentSpeechMs / 1000).toFixed(1)} s</td></tr>
    <tr><td>Customer (right)</td><td class="num">${r.customerFloorDb} dB</td><td class="num">${level(r.customerSpeechDb)}</td><td class="num">${(r.customerSpeechMs / 1000).toFixed(1)} s</td></tr></table>
    <p>Echo leak: ${r.echoLeakDb} dB. Measured ${time(c.receivedMs)}.</p><ul id="findings">${r.findings.map(f => html`<li>${f}</li>`)}</ul>`;
}

async function showDetails(view, id, repeat) {
  const box = view.querySelector("#details");
  const [detail, calibration] = await Promise.all([api(`/api/devices/${segment(id)}`), api(`/api/devices/${segment(id)}/calibration`).catch(() => null)]);
  box.hidden = false;
  render(box, html`<h3>${id}</h3><div class="row"><button type="button" id="calibrate">Check levels (10 s)</button>
    <a href="/api/devices/${segment(id)}/settings.json" download>settings.json (without password)</a></div>
    <div id="calibration-result">${calibrationView(calibration)}</div>
    <h4>Configuration v${detail.device.desiredVersion}</h4><table class="sources" id="config-sources"><tr><th>Parameter</th><th class="num">Value</th><th>From</th></tr>
    ${detail.desiredConfig.map(p => html`<tr data-parameter="${p.name}"><td>${p.name}</td><td class="num">${p.value}</td>
      <td class="source">${p.source}${p.group ? " " + p.group : ""}</td></tr>`)}</table>`);
  box.querySelector("#calibrate").addEventListener("click", async () => {
    await api(`/api/devices/${segment(id)}/calibration`, { method: "POST" });
    repeat(async () => render(box.querySelector("#calibration-result"), calibrationView(await api(`/api/devices/${segment(id)}/calibration`))), 1000);
  });
}
