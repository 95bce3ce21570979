// Overview: figures per team, site or agent per local day, week or month over a date range (default: the API's
// last 30 days), newest first with the change from the period before; the chosen metric's trend; a ranking of a
// team's agents by that metric; CSV export of the same selection.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { day } from "../lib/format.js";
import { byMetric, figures, heading, metricNames, withChange } from "../lib/figures.js";
import { sites } from "../lib/sites.js";

// The values the API accepts; anything else in the link falls back to the first.
const choices = { by: ["team", "site", "agent"], period: ["day", "week", "month"], metric: metricNames.filter(m => m !== "calls").concat("calls") };
const PageSize = 100;

const pick = (params, name) => choices[name].includes(params.get(name)) ? params.get(name) : choices[name][0];
const isDate = text => /^\d{4}-\d{2}-\d{2}$/.test(text ?? "");
const options = (values, chosen, any) => html`${any ? html`<option value="">${any}</option>` : ""}${values.map(v => html`<option ${v === chosen ? "selected" : ""}>${v}</option>`)}`;

function statsTable(page, by) {
  if (page.rows.length === 0) {
    return html`<div class="empty">No calls in this range. Figures appear here as soon as desk units report their first calls (try <code>dotnet run --project companion/Kuulo.Demo</code>).</div>`;
  }
  const head = html`<tr><th>${by}</th><th>${page.period} from</th>${figures.map(f => html`<th class="num">${heading(f)}</th>`)}</tr>`;
  const body = page.rows.map(r => html`<tr><td>${by === "agent" ? html`<a href="#/agent/${encodeURIComponent(r.key)}">${r.key}</a>` : r.key}</td>
    <td data-field="period">${day(r.periodStart)}</td>${figures.map(f => html`<td class="num" data-metric="${f.key}">${withChange(f, r)}</td>`)}</tr>`);
  return html`<table id="stats">${head}${body}</table>`;
}

function rankingTable(ranking, team) {
  if (!team) return html`<p class="muted">Choose a team to rank its agents by ${byMetric(ranking?.metric ?? "interruptions").label.toLowerCase()}.</p>`;
  if (ranking.agents.length === 0) return html`<div class="empty">No calls from this team in the range.</div>`;
  return html`<table id="ranking"><tr><th class="num">Rank</th><th>Agent</th><th class="num">${ranking.label}</th><th class="num">Calls</th></tr>
    ${ranking.agents.map(a => html`<tr><td class="num">${a.rank}</td><td><a href="#/agent/${encodeURIComponent(a.agent)}">${a.agent}</a></td>
      <td class="num">${a.value.toFixed(2)}</td><td class="num">${a.figures.calls}</td></tr>`)}</table>`;
}

export async function overview({ params, view, isCurrent }) {
  const by = pick(params, "by"), period = pick(params, "period"), metric = pick(params, "metric");
  const team = params.get("team") || "", site = params.get("site") || "";
  const from = isDate(params.get("from")) ? params.get("from") : "", to = isDate(params.get("to")) ? params.get("to") : "";
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  const filter = { by, period, team, site, from, to };
  const [page, desks, known, ranking] = await Promise.all([
    api(url("/api/stats", { ...filter, offset, limit: PageSize })),
    api("/api/floor"),
    sites(),
    team ? api(url("/api/ranking", { team, site, metric, from, to })) : Promise.resolve(null),
  ]);
  if (!isCurrent()) return;
  const teams = [...new Set(desks.map(d => d.team))].sort(), siteNames = known.list.map(s => s.name);
  const zones = site ? [[site, known.zoneOf(site)]] : known.list.map(s => [s.name, s.timeZone]);
  const link = changes => "#/overview?" + new URLSearchParams(Object.entries({ ...filter, metric, ...changes }).filter(([, v]) => v !== "" && v !== 0));
  render(view, html`
    <h2>Overview</h2>
    <form class="filters" id="filters">
      <div><label for="by">Group by</label><select id="by">${options(choices.by, by)}</select></div>
      <div><label for="period">Period</label><select id="period">${options(choices.period, period)}</select></div>
      <div><label for="from">From</label><input id="from" type="date" value="${page.from}"></div>
      <div><label for="to">To</label><input id="to" type="date" value="${page.to}"></div>
      <div><label for="team">Team</label><select id="team">${options(teams, team, "all teams")}</select></div>
      <div><label for="site">Site</label><select id="site">${options(siteNames, site, "all sites")}</select></div>
      <div><label for="metric">Metric</label><select id="metric">${options(choices.metric, metric)}</select></div>
      <a href="${url("/api/stats", { ...filter, from: page.from, to: page.to, format: "csv" })}" download>Export CSV</a>
    </form>
    <p class="muted" id="zone-note">Days are local days of each site: ${zones.map(([name, zone], i) => html`${i ? ", " : ""}${name} (${zone})`)}. Range ${day(page.from)} – ${day(page.to)}.</p>
    <div class="chart"><img alt="Trend of ${byMetric(metric).label} by ${by}" src="${url("/api/charts/trend.svg", { by, period, metric, from: page.from, to: page.to, team, site })}"></div>
    <div class="card"><h3>Ranking${team ? html` of team ${team}` : ""} by ${byMetric(metric).label.toLowerCase()}</h3>${rankingTable(ranking, team)}</div>
    <div class="card">${statsTable(page, by)}
      <div class="row pager">${offset > 0 ? html`<a href="${link({ offset: Math.max(0, offset - PageSize) })}">Newer</a>` : ""}
      ${page.more ? html`<a id="older" href="${link({ offset: offset + PageSize })}">Older</a>` : ""}</div></div>`);
  view.querySelector("#filters").addEventListener("change", () => {
    const value = name => view.querySelector(`#${name}`).value;
    location.hash = link({ by: value("by"), period: value("period"), metric: value("metric"), team: value("team"), site: value("site"), from: value("from"), to: value("to"), offset: 0 });
  });
}
