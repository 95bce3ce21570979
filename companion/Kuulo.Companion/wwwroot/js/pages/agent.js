// One agent: the trend of a chosen metric with configuration changes marked, the configuration versions in force,
// every recent call, and this agent's own alerts from the API, a page at a time.
import { api, segment, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { alertName, day, seconds, time } from "../lib/format.js";
import { byMetric, metricNames } from "../lib/figures.js";
import { sites } from "../lib/sites.js";

const AlertPage = 25;

function callsTable(calls, zoneOf) {
  if (calls.length === 0) return html`<div class="empty">No calls for this agent yet.</div>`;
  return html`<table id="calls"><tr><th>Start</th><th>Desk</th><th class="num">Config</th><th class="num">Duration</th>
    <th class="num">Interruptions</th><th class="num">Backchannels</th><th class="num">Dead air</th><th class="num">Agent talk (%)</th><th class="num">Response gap</th><th class="num">Alerts</th></tr>
    ${calls.map(c => html`<tr><td>${time(c.startMs, zoneOf(c.site))}</td><td>${c.deviceId}</td><td class="num">v${c.cfg}</td><td class="num">${seconds(c.durMs)}</td><td class="num">${c.interruptions}</td>
    <td class="num">${c.backchannels}</td><td class="num">${seconds(c.deadAirMs)}</td><td class="num">${c.talkRatioPm < 0 ? "–" : (c.talkRatioPm / 10).toFixed(0)}</td>
    <td class="num">${c.gapMedMs < 0 ? "–" : seconds(c.gapMedMs)}</td><td class="num">${c.alerts}</td></tr>`)}</table>`;
}

function configCard(history) {
  const latest = history.days.length ? history.days.filter(d => d.date === history.days[history.days.length - 1].date) : [];
  return html`<h3>Configuration in force</h3>
    ${latest.length === 0 ? html`<p class="muted">No calls in the range.</p>`
      : html`<p id="config-now">${latest.map((d, i) => html`${i ? ", " : ""}${d.deviceId} v${d.version}`)} (on ${day(latest[0].date)})</p>`}
    ${history.changes.length === 0 ? html`<p class="muted">The configuration did not change in this range.</p>`
      : html`<ul id="config-changes">${history.changes.map(c => html`<li>${day(c.date)}: changed to ${c.versions.join(", ")}. Figures before and after this day were measured with different settings (marked on the trend).</li>`)}</ul>`}`;
}

function alertsCard(page, zoneOf) {
  const head = html`<div class="row"><h3>Moments that raised alerts</h3><span class="muted" id="alert-count">${page.total} since ${time(Date.parse(page.from))}</span>
    <a href="${url(`/api/agents/${segment(page.agent)}/alerts`, { from: page.from, to: page.to, limit: 1000, format: "csv" })}" download>Export CSV</a></div>`;
  if (page.items.length === 0) return html`${head}<div class="empty">No alerts in the last 7 days.</div>`;
  return html`${head}<table id="moments"><tr><th>When</th><th>Alert</th><th class="num">Into the call</th><th>Desk</th></tr>
    ${page.items.map(a => html`<tr><td>${time(a.tsMs, zoneOf(a.site))}</td><td>${alertName(a.type)}${a.stage > 1 ? " (stage 2)" : ""}</td><td class="num">${seconds(a.atMs)}</td><td>${a.deviceId}</td></tr>`)}</table>
    <div class="row pager"><span class="muted">${page.offset + 1}–${page.offset + page.items.length} of ${page.total}</span>
    ${page.offset > 0 ? html`<button type="button" class="secondary" data-offset="${Math.max(0, page.offset - AlertPage)}">Newer</button>` : ""}
    ${page.offset + page.items.length < page.total ? html`<button type="button" class="secondary" data-offset="${page.offset + AlertPage}">Older</button>` : ""}</div>`;
}

export async function agent({ arg: name, params, view, isCurrent }) {
  const metric = metricNames.includes(params.get("metric")) ? params.get("metric") : "interruptions";
  const alertsAt = offset => api(url(`/api/agents/${segment(name)}/alerts`, { offset, limit: AlertPage }));
  const [calls, alerts, history, known] = await Promise.all([
    api(url("/api/calls", { agent: name, limit: 200 })), alertsAt(0), api(url(`/api/agents/${segment(name)}/config`)), sites(),
  ]);
  if (!isCurrent()) return;
  const site = calls[0]?.site;
  const zone = site ? known.zoneOf(site) : known.info.defaultTimeZone;
  render(view, html`
    <h2>Agent ${name}</h2>
    <p class="muted" id="zone-note">Times in ${zone}${site ? html` (site ${site})` : ""}.</p>
    <form class="filters" id="agent-filters"><div><label for="agent-metric">Metric</label>
      <select id="agent-metric">${metricNames.map(m => html`<option ${m === metric ? "selected" : ""}>${m}</option>`)}</select></div></form>
    <div class="chart"><img alt="${byMetric(metric).label} for ${name}, configuration changes marked" src="${url("/api/charts/trend.svg", { by: "agent", agent: name, metric })}"></div>
    <div class="card" id="config">${configCard(history)}</div>
    <div class="card"><div class="row"><h3>Calls</h3><a href="${url("/api/calls", { agent: name, format: "csv" })}" download>Export CSV</a></div>
    ${callsTable(calls, known.zoneOf)}</div>
    <div class="card" id="alerts-card">${alertsCard(alerts, known.zoneOf)}</div>`);
  view.querySelector("#agent-metric").addEventListener("change", e => {
    location.hash = `#/agent/${encodeURIComponent(name)}?` + new URLSearchParams({ metric: e.target.value });
  });
  const card = view.querySelector("#alerts-card");
  card.addEventListener("click", async e => {
    const offset = e.target.closest("button[data-offset]")?.dataset.offset;
    if (offset === undefined) return;
    const page = await alertsAt(Number(offset));
    if (isCurrent()) render(card, alertsCard(page, known.zoneOf));
  });
}
