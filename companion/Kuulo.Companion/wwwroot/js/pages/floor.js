// The live floor: who is on a call, which desks raised an alert in the last minute (configurable), grouped by team
// or site, in a compact wall mode if asked; the newest alerts listed, capped. Redrawn every two seconds.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { alertName, seconds, time } from "../lib/format.js";
import { sites } from "../lib/sites.js";

const groupings = ["none", "team", "site"];
const whole = (text, fallback, min, max) => Math.min(max, Math.max(min, Number.parseInt(text ?? "", 10) || fallback));

function tile(d, alert, wall) {
  const state = !d.online ? "offline" : d.inCall ? "on a call" : "available";
  return html`<div class="tile ${!d.online ? "offline" : d.inCall ? "oncall" : ""} ${alert ? "alerted" : ""}" data-agent="${d.agent}">
    <h3><a href="#/agent/${encodeURIComponent(d.agent)}">${d.agent}</a></h3>
    ${wall ? "" : html`<div>${d.team} · ${d.desk}</div>`}<div class="${d.inCall ? "ok" : "muted"}">${state}</div>
    ${alert ? html`<div class="bad">${alertName(alert.type)}</div>` : ""}</div>`;
}

function recentTable(alerts, zoneOf) {
  if (alerts.length === 0) return html`<div class="empty">None.</div>`;
  return html`<table id="alerts"><tr><th>When</th><th>Agent</th><th>Alert</th><th class="num">Into the call</th></tr>${alerts.map(a =>
    html`<tr><td>${time(a.receivedMs, zoneOf(a.site))}</td><td>${a.agent}</td><td>${alertName(a.type)}</td><td class="num">${seconds(a.atMs)}</td></tr>`)}</table>`;
}

function groups(desks, by) {
  if (by === "none") return [["", desks]];
  const map = new Map();
  for (const d of desks) map.set(d[by], [...(map.get(d[by]) ?? []), d]);
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export async function floor({ params, view, isCurrent, repeat }) {
  const red = whole(params.get("red"), 60, 5, 3600), keep = whole(params.get("n"), 20, 1, 1000);
  const by = groupings.includes(params.get("group")) ? params.get("group") : "none", wall = params.get("wall") === "1";
  const known = await sites();
  if (!isCurrent()) return;
  render(view, html`
    <div class="${wall ? "wall" : ""}" id="floor">
    <h2>Live floor</h2>
    <form class="filters" id="floor-options">
      <div><label for="group">Group by</label><select id="group">${groupings.map(g => html`<option ${g === by ? "selected" : ""}>${g}</option>`)}</select></div>
      <div><label for="red">Red after an alert (s)</label><input id="red" type="number" min="5" max="3600" value="${red}"></div>
      <div><label for="keep">Alerts listed</label><input id="keep" type="number" min="1" max="1000" value="${keep}"></div>
      <div><label for="wall-mode">Wall mode</label><input id="wall-mode" type="checkbox" ${wall ? "checked" : ""}></div>
      <a href="${url("/api/alerts", { seconds: 300, format: "csv" })}" download>Export recent alerts (CSV)</a>
    </form>
    <p class="muted">Updates every 2 seconds. A desk is red for ${red} s after its latest alert.</p>
    <div id="tiles"></div><div id="recent" class="card"></div></div>`);
  view.querySelector("#floor-options").addEventListener("change", () => {
    const value = id => view.querySelector(`#${id}`);
    location.hash = "#/floor?" + new URLSearchParams({ group: value("group").value, red: value("red").value, n: value("keep").value, wall: value("wall-mode").checked ? "1" : "0" });
  });
  const draw = async () => {
    const [desks, fresh, recent] = await Promise.all([
      api("/api/floor"), api(url("/api/alerts", { seconds: red, limit: 1000 })), api(url("/api/alerts", { seconds: 300, limit: keep })),
    ]);
    if (!isCurrent()) return;
    const latest = new Map();
    for (const a of fresh) if (!latest.has(a.agent)) latest.set(a.agent, a);
    render(view.querySelector("#tiles"), desks.length === 0
      ? html`<div class="empty">No desk units registered. Facilities can register them on the Devices page.</div>`
      : html`${groups(desks, by).map(([name, list]) => html`<section class="desk-group" data-group="${name}">${name ? html`<h3>${by} ${name}</h3>` : ""}
          <div class="tiles">${list.map(d => tile(d, latest.get(d.agent), wall))}</div></section>`)}`);
    render(view.querySelector("#recent"), html`<h3>The last ${keep} alerts of the last 5 minutes</h3>${recentTable(recent, known.zoneOf)}`);
  };
  await draw();
  repeat(() => draw().catch(() => {}), 2000);
}
