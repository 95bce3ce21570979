// One agent: a trend, every call, and the moments that raised alerts in the last week.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { alertName, seconds, time } from "../lib/format.js";

const Week = 604800;

function callsTable(calls) {
  if (calls.length === 0) return html`<div class="empty">No calls for this agent yet.</div>`;
  return html`<table id="calls"><tr><th>Start</th><th>Desk</th><th class="num">Duration</th>
    <th class="num">Interruptions</th><th class="num">Backchannels</th><th class="num">Dead air</th><th class="num">Agent talk (%)</th><th class="num">Response gap</th><th class="num">Alerts</th></tr>
    ${calls.map(c => html`<tr><td>${time(c.startMs)}</td><td>${c.deviceId}</td><td class="num">${seconds(c.durMs)}</td><td class="num">${c.interruptions}</td>
    <td class="num">${c.backchannels}</td><td class="num">${seconds(c.deadAirMs)}</td><td class="num">${c.talkRatioPm < 0 ? "–" : (c.talkRatioPm / 10).toFixed(0)}</td>
    <td class="num">${c.gapMedMs < 0 ? "–" : seconds(c.gapMedMs)}</td><td class="num">${c.alerts}</td></tr>`)}</table>`;
}

function momentsTable(moments) {
  if (moments.length === 0) return html`<div class="empty">No alerts in the last 7 days.</div>`;
  return html`<table><tr><th>When</th><th>Alert</th><th class="num">Into the call</th><th>Desk</th></tr>
    ${moments.map(a => html`<tr><td>${time(a.tsMs)}</td><td>${alertName(a.type)}${a.stage > 1 ? " (stage 2)" : ""}</td><td class="num">${seconds(a.atMs)}</td><td>${a.deviceId}</td></tr>`)}</table>`;
}

export async function agent({ arg: name, view, isCurrent }) {
  const [calls, alerts] = await Promise.all([api(url("/api/calls", { agent: name, limit: 200 })), api(url("/api/alerts", { seconds: Week }))]);
  if (!isCurrent()) return;
  const moments = alerts.filter(a => a.agent === name);
  render(view, html`
    <h2>Agent ${name}</h2>
    <div class="chart"><img alt="Interruptions per call for ${name}" src="${url("/api/charts/trend.svg", { by: "agent", agent: name, metric: "interruptions" })}"></div>
    <div class="card"><div class="row"><h3>Calls</h3><a href="${url("/api/calls", { agent: name, format: "csv" })}" download>Export CSV</a></div>
    ${callsTable(calls)}</div>
    <div class="card"><div class="row"><h3>Moments that raised alerts (last 7 days)</h3><a href="${url("/api/alerts", { seconds: Week, format: "csv" })}" download>Export CSV</a></div>
    ${momentsTable(moments)}</div>`);
}
