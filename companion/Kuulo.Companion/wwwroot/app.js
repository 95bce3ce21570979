// Kuulo dashboard: a small single-page app over the companion's API. Every figure shown comes from the API;
// charts are rendered by the server as SVG.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const view = () => $("#view");
let me = null;
let timer = null;
// Each navigation gets a number; a page whose data arrives after the user moved on does not draw.
let routeId = 0;
const current = id => id === routeId;

const metrics = [
  ["calls", "Calls", v => v, ""],
  ["interruptionsPerCall", "Interruptions", v => v.toFixed(2), "/call"],
  ["deadAirSecondsPerCall", "Dead air", v => v.toFixed(1), "s/call"],
  ["backchannelsPerCall", "Backchannels", v => v.toFixed(2), "/call"],
  ["agentTalkShare", "Agent talk", v => (100 * v).toFixed(0), "%"],
  ["overlapShare", "Overlap", v => (100 * v).toFixed(1), "%"],
  ["responseGapSeconds", "Response gap", v => v.toFixed(2), "s"],
  ["alertsPerCall", "Alerts", v => v.toFixed(2), "/call"],
];

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", headers: { "content-type": "application/json" }, ...options });
  if (response.status === 401 && path !== "/api/auth/login") { showSignIn(); throw new Error("signed out"); }
  const text = await response.text();
  const body = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  if (!response.ok) throw new Error(body?.detail ?? body?.title ?? `HTTP ${response.status}`);
  return body;
}

const time = ms => ms ? new Date(ms).toLocaleString() : "–";
const seconds = ms => (ms / 1000).toFixed(1) + " s";
const allowed = role => me && (me.role === "admin" || me.role === role);

function showSignIn() {
  me = null;
  clearInterval(timer);
  $("#nav").hidden = true;
  view().innerHTML = "";
  $("#signin").hidden = false;
  $("#name").focus();
}

$("#signin").addEventListener("submit", async e => {
  e.preventDefault();
  $("#signin-error").textContent = "";
  try {
    me = await api("/api/auth/login", { method: "POST", body: JSON.stringify({ name: $("#name").value, password: $("#password").value }) });
    $("#password").value = "";
    start();
  } catch (error) {
    $("#signin-error").textContent = error.message;
  }
});

$("#signout").addEventListener("click", async () => {
  await fetch("/api/auth/logout", { method: "POST" });
  showSignIn();
});

function start() {
  $("#signin").hidden = true;
  $("#nav").hidden = false;
  $("#who").textContent = `${me.name} (${me.role})`;
  for (const link of document.querySelectorAll("#nav a")) link.hidden = !allowed(link.dataset.role);
  if (!location.hash || location.hash === "#/") location.hash = me.role === "facilities" ? "#/devices" : "#/overview";
  route();
}

window.addEventListener("hashchange", () => me && route());

function route() {
  clearInterval(timer);
  const id = ++routeId;
  const [, page, arg] = location.hash.split("/");
  for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.getAttribute("href") === `#/${page}`);
  const pages = { overview: [overview, "supervisor"], agent: [agent, "supervisor"], floor: [floor, "supervisor"], devices: [devices, "facilities"] };
  const [render, role] = pages[page] ?? pages.overview;
  if (!allowed(role)) {
    view().innerHTML = `<div class="empty" role="alert">Your role (${esc(me.role)}) cannot open this page. Ask an admin for a ${role} account.</div>`;
    return;
  }
  render(decodeURIComponent(arg ?? ""), id).catch(error => current(id) && (view().innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`));
  $("#main").focus();
}

function statsTable(rows, by, linkAgents) {
  if (rows.length === 0) {
    return `<div class="empty">No calls yet. Figures appear here as soon as desk units report their first calls (try <code>dotnet run --project companion/Kuulo.Demo</code>).</div>`;
  }
  const head = `<tr><th>${esc(by)}</th><th>Period from</th>${metrics.map(([, label, , unit]) => `<th class="num">${label}${unit ? ` (${unit})` : ""}</th>`).join("")}</tr>`;
  const body = rows.map(r => `<tr><td>${linkAgents ? `<a href="#/agent/${encodeURIComponent(r.key)}">${esc(r.key)}</a>` : esc(r.key)}</td>`
    + `<td>${new Date(r.periodStartMs).toLocaleDateString()}</td>`
    + metrics.map(([key, , format]) => `<td class="num" data-metric="${key}">${format(r[key])}</td>`).join("") + "</tr>").join("");
  return `<table id="stats">${head}${body}</table>`;
}

async function overview(_, id) {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const by = params.get("by") ?? "team", period = params.get("period") ?? "day", metric = params.get("metric") ?? "interruptions";
  const query = `by=${by}&period=${period}`;
  const rows = await api(`/api/stats?${query}`);
  if (!current(id)) return;
  view().innerHTML = `
    <h2>Overview</h2>
    <form class="filters" id="filters">
      <div><label for="by">Group by</label><select id="by">${["team", "site", "agent"].map(v => `<option ${v === by ? "selected" : ""}>${v}</option>`).join("")}</select></div>
      <div><label for="period">Period</label><select id="period">${["day", "week"].map(v => `<option ${v === period ? "selected" : ""}>${v}</option>`).join("")}</select></div>
      <div><label for="metric">Chart</label><select id="metric">${["interruptions", "dead_air", "backchannels", "talk_share", "overlap_share", "response_gap", "calls"].map(v => `<option ${v === metric ? "selected" : ""}>${v}</option>`).join("")}</select></div>
      <a href="/api/stats?${query}&format=csv" download>Export CSV</a>
    </form>
    <div class="chart"><img alt="Trend of ${esc(metric)} by ${esc(by)}" src="/api/charts/trend.svg?${query}&metric=${metric}"></div>
    <div class="card">${statsTable(rows, by, by === "agent")}</div>`;
  $("#filters").addEventListener("change", () =>
    location.hash = `#/overview?by=${$("#by").value}&period=${$("#period").value}&metric=${$("#metric").value}`);
}

async function agent(name, id) {
  const q = `agent=${encodeURIComponent(name)}`;
  const [calls, alerts] = await Promise.all([api(`/api/calls?${q}&limit=200`), api(`/api/alerts?seconds=604800`)]);
  if (!current(id)) return;
  const moments = alerts.filter(a => a.agent === name);
  view().innerHTML = `
    <h2>Agent ${esc(name)}</h2>
    <div class="chart"><img alt="Interruptions per call for ${esc(name)}" src="/api/charts/trend.svg?by=agent&${q}&metric=interruptions"></div>
    <div class="card"><div class="row"><h3>Calls</h3><a href="/api/calls?${q}&format=csv" download>Export CSV</a></div>
    ${calls.length === 0 ? `<div class="empty">No calls for this agent yet.</div>` : `<table id="calls"><tr><th>Start</th><th>Desk</th><th class="num">Duration</th>
      <th class="num">Interruptions</th><th class="num">Backchannels</th><th class="num">Dead air</th><th class="num">Agent talk (%)</th><th class="num">Response gap</th><th class="num">Alerts</th></tr>
      ${calls.map(c => `<tr><td>${time(c.startMs)}</td><td>${esc(c.deviceId)}</td><td class="num">${seconds(c.durMs)}</td><td class="num">${c.interruptions}</td>
      <td class="num">${c.backchannels}</td><td class="num">${seconds(c.deadAirMs)}</td><td class="num">${c.talkRatioPm < 0 ? "–" : (c.talkRatioPm / 10).toFixed(0)}</td>
      <td class="num">${c.gapMedMs < 0 ? "–" : seconds(c.gapMedMs)}</td><td class="num">${c.alerts}</td></tr>`).join("")}</table>`}</div>
    <div class="card"><div class="row"><h3>Moments that raised alerts (last 7 days)</h3><a href="/api/alerts?seconds=604800&format=csv" download>Export CSV</a></div>
    ${moments.length === 0 ? `<div class="empty">No alerts in the last 7 days.</div>` : `<table><tr><th>When</th><th>Alert</th><th class="num">Into the call</th><th>Desk</th></tr>
      ${moments.map(a => `<tr><td>${time(a.tsMs)}</td><td>${esc(a.type.replace("_", " "))}${a.stage > 1 ? " (stage 2)" : ""}</td><td class="num">${seconds(a.atMs)}</td><td>${esc(a.deviceId)}</td></tr>`).join("")}</table>`}</div>`;
}

async function floor(_, id) {
  view().innerHTML = `<h2>Live floor</h2><p class="muted">Updates every 2 seconds. <a href="/api/alerts?seconds=300&format=csv" download>Export recent alerts (CSV)</a></p><div id="tiles" class="tiles"></div><div id="recent" class="card"></div>`;
  const draw = async () => {
    const [desks, alerts] = await Promise.all([api("/api/floor"), api("/api/alerts?seconds=300")]);
    if (!current(id)) return;
    const recent = new Map();
    for (const a of alerts) if (!recent.has(a.agent)) recent.set(a.agent, a);
    $("#tiles").innerHTML = desks.length === 0 ? `<div class="empty">No desk units registered. Facilities can register them on the Devices page.</div>`
      : desks.map(d => {
        const a = recent.get(d.agent);
        const state = !d.online ? "offline" : d.inCall ? "on a call" : "available";
        return `<div class="tile ${!d.online ? "offline" : d.inCall ? "oncall" : ""} ${a ? "alerted" : ""}" data-agent="${esc(d.agent)}">
          <h3><a href="#/agent/${encodeURIComponent(d.agent)}">${esc(d.agent)}</a></h3>
          <div>${esc(d.team)} · ${esc(d.desk)}</div><div class="${d.inCall ? "ok" : "muted"}">${state}</div>
          ${a ? `<div class="bad">${esc(a.type.replace("_", " "))} ${Math.round((Date.now() - a.receivedMs) / 1000)} s ago</div>` : ""}</div>`;
      }).join("");
    $("#recent").innerHTML = `<h3>Alerts in the last 5 minutes</h3>` + (alerts.length === 0 ? `<div class="empty">None.</div>`
      : `<table id="alerts"><tr><th>When</th><th>Agent</th><th>Alert</th><th class="num">Into the call</th></tr>${alerts.map(a =>
        `<tr><td>${time(a.receivedMs)}</td><td>${esc(a.agent)}</td><td>${esc(a.type.replace("_", " "))}</td><td class="num">${seconds(a.atMs)}</td></tr>`).join("")}</table>`);
  };
  await draw();
  timer = setInterval(() => draw().catch(() => {}), 2000);
}

async function devices(_, id = routeId) {
  const [list, parameters] = await Promise.all([api("/api/devices"), api("/api/config/parameters")]);
  if (!current(id)) return;
  view().innerHTML = `
    <h2>Devices</h2>
    <div class="card"><div class="row"><h3>Fleet</h3><a href="/api/devices?format=csv" download>Export CSV</a></div>
    ${list.length === 0 ? `<div class="empty">No devices yet: register the first desk unit below.</div>` : `<table id="devices"><tr><th>Device</th><th>Agent</th><th>Team</th><th>Site</th><th>Desk</th><th>Status</th>
      <th>Last seen</th><th>Firmware</th><th class="num">Config (desired / reported)</th><th class="num">Queued / dropped</th><th>Actions</th></tr>
      ${list.map(d => `<tr data-device="${esc(d.id)}"><td>${esc(d.id)}</td><td>${esc(d.agent)}</td><td>${esc(d.team)}</td><td>${esc(d.site)}</td><td>${esc(d.desk)}</td>
        <td class="${d.online ? "ok" : "muted"}">${d.online ? "online" : "offline"}</td><td>${time(d.lastSeenMs)}</td><td>${esc(d.firmware ?? "–")}</td>
        <td class="num" data-field="config">v${d.desiredVersion} / ${d.reportedVersion == null ? "–" : "v" + d.reportedVersion}${d.rejectedError ? ` <span class="bad">refused v${d.rejectedVersion}: ${esc(d.rejectedError)}</span>` : ""}</td>
        <td class="num">${d.queued ?? "–"} / ${d.dropped ?? "–"}</td>
        <td><button type="button" class="secondary" data-action="configure">Configure</button> <button type="button" class="secondary" data-action="assign">Assign</button> <button type="button" class="secondary" data-action="rotate">New password</button></td></tr>`).join("")}</table>`}
    <p id="secret" role="status"></p></div>
    <form class="card" id="register"><h3>Register a desk unit</h3><div class="filters">
      ${["id", "agent", "team", "site", "desk"].map(f => `<div><label for="reg-${f}">${f === "id" ? "Device id" : f[0].toUpperCase() + f.slice(1)}</label><input id="reg-${f}" required></div>`).join("")}
      <button type="submit">Register</button></div><p class="error" id="register-error" role="alert"></p></form>
    <form class="card" id="assign" hidden><h3>Assign <span id="assign-device"></span></h3><div class="filters">
      ${["agent", "team", "site", "desk"].map(f => `<div><label for="as-${f}">${f[0].toUpperCase() + f.slice(1)}</label><input id="as-${f}"></div>`).join("")}
      <button type="submit">Save</button></div><p class="error" id="assign-error" role="alert"></p></form>
    <form class="card" id="configure" hidden><h3>Configuration for <span id="cfg-device"></span></h3>
      <p class="muted">Values are checked against each parameter's range before anything is sent to the device.</p>
      <div class="filters"><div><label for="cfg-name">Parameter</label><select id="cfg-name">${parameters.map(p =>
        `<option value="${esc(p.name)}" title="${esc(p.description)}">${esc(p.name)} (${p.min}–${p.max} ${esc(p.unit)})</option>`).join("")}</select></div>
      <div><label for="cfg-value">Value</label><input id="cfg-value" type="number" required></div><button type="submit">Push</button></div>
      <p class="error" id="configure-error" role="alert"></p><p id="configure-result" role="status"></p></form>`;

  $("#register").addEventListener("submit", async e => {
    e.preventDefault();
    const body = Object.fromEntries(["id", "agent", "team", "site", "desk"].map(f => [f, $(`#reg-${f}`).value]));
    try {
      const created = await api("/api/devices", { method: "POST", body: JSON.stringify(body) });
      await devices();
      $("#secret").textContent = `Registered ${created.id}. Its password (shown once): ${created.password}`;
    } catch (error) { $("#register-error").textContent = error.message; }
  });
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", async () => {
      const id = button.closest("tr").dataset.device;
      if (button.dataset.action === "assign") {
        const d = list.find(x => x.id === id);
        for (const f of ["agent", "team", "site", "desk"]) $(`#as-${f}`).value = d[f];
        $("#assign").hidden = false;
        $("#assign").dataset.device = id;
        $("#assign-device").textContent = id;
        $("#as-agent").focus();
      } else if (button.dataset.action === "rotate") {
        const fresh = await api(`/api/devices/${encodeURIComponent(id)}/credentials`, { method: "POST" });
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
    const body = Object.fromEntries(["agent", "team", "site", "desk"].map(f => [f, $(`#as-${f}`).value]));
    try {
      await api(`/api/devices/${encodeURIComponent(id)}/assignment`, { method: "PUT", body: JSON.stringify(body) });
      await devices();
    } catch (error) { $("#assign-error").textContent = error.message; }
  });
  $("#configure").addEventListener("submit", async e => {
    e.preventDefault();
    $("#configure-error").textContent = "";
    const id = $("#configure").dataset.device;
    try {
      const result = await api(`/api/devices/${encodeURIComponent(id)}/config`, { method: "PUT", body: JSON.stringify({ [$("#cfg-name").value]: Number($("#cfg-value").value) }) });
      $("#configure-result").textContent = `Version ${result.version} sent to ${id}; the table shows the version the device reports.`;
      clearInterval(timer);
      timer = setInterval(async () => {
        const d = await api(`/api/devices/${encodeURIComponent(id)}`);
        const cell = document.querySelector(`tr[data-device="${CSS.escape(id)}"] [data-field="config"]`);
        if (cell) cell.textContent = `v${d.device.desiredVersion} / ${d.device.reportedVersion == null ? "–" : "v" + d.device.reportedVersion}`;
      }, 1000);
    } catch (error) { $("#configure-error").textContent = error.message; }
  });
}

api("/api/auth/me").then(user => { me = user; start(); }).catch(() => {});
