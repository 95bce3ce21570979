// The live floor: who is on a call and the alerts of the last five minutes, redrawn every two seconds.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { alertName, seconds, time } from "../lib/format.js";

function tile(d, alert) {
  const state = !d.online ? "offline" : d.inCall ? "on a call" : "available";
  return html`<div class="tile ${!d.online ? "offline" : d.inCall ? "oncall" : ""} ${alert ? "alerted" : ""}" data-agent="${d.agent}">
    <h3><a href="#/agent/${encodeURIComponent(d.agent)}">${d.agent}</a></h3>
    <div>${d.team} · ${d.desk}</div><div class="${d.inCall ? "ok" : "muted"}">${state}</div>
    ${alert ? html`<div class="bad">${alertName(alert.type)} ${Math.round((Date.now() - alert.receivedMs) / 1000)} s ago</div>` : ""}</div>`;
}

function recentTable(alerts) {
  if (alerts.length === 0) return html`<div class="empty">None.</div>`;
  return html`<table id="alerts"><tr><th>When</th><th>Agent</th><th>Alert</th><th class="num">Into the call</th></tr>${alerts.map(a =>
    html`<tr><td>${time(a.receivedMs)}</td><td>${a.agent}</td><td>${alertName(a.type)}</td><td class="num">${seconds(a.atMs)}</td></tr>`)}</table>`;
}

export async function floor({ view, isCurrent, repeat }) {
  render(view, html`<h2>Live floor</h2><p class="muted">Updates every 2 seconds. <a href="${url("/api/alerts", { seconds: 300, format: "csv" })}" download>Export recent alerts (CSV)</a></p><div id="tiles" class="tiles"></div><div id="recent" class="card"></div>`);
  const draw = async () => {
    const [desks, alerts] = await Promise.all([api("/api/floor"), api(url("/api/alerts", { seconds: 300 }))]);
    if (!isCurrent()) return;
    const recent = new Map();
    for (const a of alerts) if (!recent.has(a.agent)) recent.set(a.agent, a);
    render(view.querySelector("#tiles"), desks.length === 0
      ? html`<div class="empty">No desk units registered. Facilities can register them on the Devices page.</div>`
      : html`${desks.map(d => tile(d, recent.get(d.agent)))}`);
    render(view.querySelector("#recent"), html`<h3>Alerts in the last 5 minutes</h3>${recentTable(alerts)}`);
  };
  await draw();
  repeat(() => draw().catch(() => {}), 2000);
}
