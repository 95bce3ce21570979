// Overview: figures per team, site or agent per day or week, the server's trend chart and a CSV export.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";

// The values the API accepts; anything else in the link falls back to the first.
const choices = {
  by: ["team", "site", "agent"],
  period: ["day", "week"],
  metric: ["interruptions", "dead_air", "backchannels", "talk_share", "overlap_share", "response_gap", "calls"],
};

const columns = [
  ["calls", "Calls", v => v, ""],
  ["interruptionsPerCall", "Interruptions", v => v.toFixed(2), "/call"],
  ["deadAirSecondsPerCall", "Dead air", v => v.toFixed(1), "s/call"],
  ["backchannelsPerCall", "Backchannels", v => v.toFixed(2), "/call"],
  ["agentTalkShare", "Agent talk", v => (100 * v).toFixed(0), "%"],
  ["overlapShare", "Overlap", v => (100 * v).toFixed(1), "%"],
  ["responseGapSeconds", "Response gap", v => v.toFixed(2), "s"],
  ["alertsPerCall", "Alerts", v => v.toFixed(2), "/call"],
];

const pick = (params, name) => choices[name].includes(params.get(name)) ? params.get(name) : choices[name][0];

function statsTable(rows, by) {
  if (rows.length === 0) {
    return html`<div class="empty">No calls yet. Figures appear here as soon as desk units report their first calls (try <code>dotnet run --project companion/Kuulo.Demo</code>).</div>`;
  }
  const head = html`<tr><th>${by}</th><th>Period from</th>${columns.map(([, label, , unit]) => html`<th class="num">${label}${unit ? ` (${unit})` : ""}</th>`)}</tr>`;
  const body = rows.map(r => html`<tr><td>${by === "agent" ? html`<a href="#/agent/${encodeURIComponent(r.key)}">${r.key}</a>` : r.key}</td>
    <td>${new Date(r.periodStartMs).toLocaleDateString()}</td>${columns.map(([key, , format]) => html`<td class="num" data-metric="${key}">${format(r[key])}</td>`)}</tr>`);
  return html`<table id="stats">${head}${body}</table>`;
}

const options = (name, chosen) => choices[name].map(v => html`<option ${v === chosen ? "selected" : ""}>${v}</option>`);

export async function overview({ params, view, isCurrent }) {
  const by = pick(params, "by"), period = pick(params, "period"), metric = pick(params, "metric");
  const rows = await api(url("/api/stats", { by, period }));
  if (!isCurrent()) return;
  render(view, html`
    <h2>Overview</h2>
    <form class="filters" id="filters">
      <div><label for="by">Group by</label><select id="by">${options("by", by)}</select></div>
      <div><label for="period">Period</label><select id="period">${options("period", period)}</select></div>
      <div><label for="metric">Chart</label><select id="metric">${options("metric", metric)}</select></div>
      <a href="${url("/api/stats", { by, period, format: "csv" })}" download>Export CSV</a>
    </form>
    <div class="chart"><img alt="Trend of ${metric} by ${by}" src="${url("/api/charts/trend.svg", { by, period, metric })}"></div>
    <div class="card">${statsTable(rows, by)}</div>`);
  view.querySelector("#filters").addEventListener("change", () => {
    const chosen = Object.fromEntries(Object.keys(choices).map(name => [name, view.querySelector(`#${name}`).value]));
    location.hash = "#/overview?" + new URLSearchParams(chosen);
  });
}
