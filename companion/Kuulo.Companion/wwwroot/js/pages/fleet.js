// Fleet, for facilities: the inventory at a glance (this module) and, as tabs, group configuration, provisioning,
// firmware rollouts and sites' time zones (fleet-*.js). The inventory's search, filters and sort live in the link, so a view can be shared.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { time } from "../lib/format.js";
import { fleetConfig } from "./fleet-config.js";
import { fleetProvision } from "./fleet-provision.js";
import { fleetFirmware } from "./fleet-firmware.js";
import { fleetSites } from "./fleet-sites.js";

const tabs = [["", "Inventory"], ["config", "Group configuration"], ["provision", "Provisioning"], ["firmware", "Firmware"], ["sites", "Sites"]];
const tabPages = { config: fleetConfig, provision: fleetProvision, firmware: fleetFirmware, sites: fleetSites };
const statuses = ["online", "offline", "in_call", "disabled", "backlog", "dropped", "weak_wifi", "low_heap"];
const refreshMs = 5000;

const tiles = [
  ["total", "Desks", null], ["online", "Online", "online"], ["offline", "Offline", "offline"], ["inCall", "In a call", "in_call"],
  ["backlog", "Queue backlog", "backlog"], ["dropped", "Dropped messages", "dropped"], ["weakWifi", "Weak Wi-Fi", "weak_wifi"],
  ["lowHeap", "Low heap", "low_heap"], ["disabled", "Disabled", "disabled"],
];

const columns = [
  ["id", "Device"], ["agent", "Agent"], ["team", "Team"], ["site", "Site"], ["desk", "Desk"], ["status", "Status"],
  ["rssi", "RSSI (dBm)", true], ["heap", "Heap (KiB)", true], ["uptime", "Uptime", true], ["queued", "Queue", true],
  ["dropped", "Dropped", true], ["firmware", "Firmware"], ["last_seen", "Last seen"],
];

const uptime = s => s == null ? "–" : s >= 86400 ? `${Math.floor(s / 86400)} d ${Math.floor(s % 86400 / 3600)} h`
  : s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min` : `${Math.floor(s / 60)} min`;
const status = d => d.disabled ? ["disabled", "bad"] : !d.online ? ["offline", "muted"] : d.inCall ? ["in a call", "ok"] : ["online", "ok"];
const flag = (bad, text) => bad ? html`<span class="bad">${text}</span>` : text;

export function tabBar(active) {
  return html`<nav class="tabs" aria-label="Fleet">${tabs.map(([arg, label]) =>
    html`<a href="#/fleet${arg ? "/" + arg : ""}" class="${arg === active ? "active" : ""}">${label}</a>`)}</nav>`;
}

export async function fleet(context) {
  const page = tabPages[context.arg];
  return page ? page(context) : inventory(context);
}

function filtersFrom(params) {
  const f = Object.fromEntries(["q", "site", "team", "status", "sort", "order"].map(n => [n, params.get(n) ?? ""]));
  if (!statuses.includes(f.status)) f.status = "";
  if (!columns.some(([key]) => key === f.sort)) f.sort = "";
  if (f.order !== "desc") f.order = "";
  return f;
}

const go = filters => { location.hash = "#/fleet?" + new URLSearchParams(Object.entries(filters).filter(([, v]) => v)); };

function body(data, filters) {
  const { counts, firmware, thresholds, devices } = data;
  const sortLink = (key, label) => {
    const order = filters.sort === key && filters.order !== "desc" ? "desc" : "";
    const mark = filters.sort === key ? (filters.order === "desc" ? " ▼" : " ▲") : "";
    return html`<a href="#/fleet?${new URLSearchParams(Object.entries({ ...filters, sort: key, order }).filter(([, v]) => v)).toString()}">${label}${mark}</a>`;
  };
  return html`
    <div class="tiles counts">${tiles.map(([key, label, filter]) => html`<a class="tile count" data-count="${key}"
      href="#/fleet?${new URLSearchParams(Object.entries({ ...filters, status: filter ?? "" }).filter(([, v]) => v)).toString()}">
      <h3>${counts[key]}</h3><span>${label}</span></a>`)}</div>
    <div class="card"><h3>Firmware versions</h3><p id="firmware-versions">${firmware.map((f, i) =>
      html`${i ? ", " : ""}<span data-firmware="${f.version}">${f.version}: ${f.devices}</span>`)}</p></div>
    <div class="card">${devices.length === 0 ? html`<div class="empty">No desk matches these filters.</div>` : html`
      <table id="inventory"><tr>${columns.map(([key, label, num]) => html`<th class="${num ? "num" : ""}">${sortLink(key, label)}</th>`)}</tr>
      ${devices.map(d => html`<tr data-device="${d.id}"><td><a href="#/devices?device=${encodeURIComponent(d.id)}">${d.id}</a></td>
        <td>${d.agent}</td><td>${d.team}</td><td>${d.site}</td><td>${d.desk}</td><td class="${status(d)[1]}">${status(d)[0]}</td>
        <td class="num">${d.rssi == null || d.rssi === 0 ? "–" : flag(d.rssi <= thresholds.weakRssiDbm, d.rssi)}</td>
        <td class="num">${d.freeHeap == null ? "–" : flag(d.freeHeap < thresholds.lowHeapBytes, Math.round(d.freeHeap / 1024))}</td>
        <td class="num">${uptime(d.uptimeS)}</td><td class="num">${flag(d.queued > 0, d.queued ?? "–")}</td>
        <td class="num">${flag(d.dropped > 0, d.dropped ?? "–")}</td><td>${d.firmware ?? "–"}</td><td>${time(d.lastSeenMs)}</td></tr>`)}</table>`}
      <p class="muted">Refreshes every ${refreshMs / 1000} s. Weak Wi-Fi: ${thresholds.weakRssiDbm} dBm or less; low heap: under ${Math.round(thresholds.lowHeapBytes / 1024)} KiB.</p></div>`;
}

async function inventory({ params, view, isCurrent, repeat }) {
  const filters = filtersFrom(params);
  const query = () => api(url("/api/fleet/inventory", filters));
  const data = await query();
  if (!isCurrent()) return;
  const option = (value, chosen, label = value) => html`<option value="${value}" ${value === chosen ? "selected" : ""}>${label}</option>`;
  render(view, html`
    <h2>Fleet</h2>${tabBar("")}
    <form class="filters" id="fleet-filters" role="search">
      <div><label for="fleet-q">Search</label><input id="fleet-q" type="search" value="${filters.q}" placeholder="id, agent, desk, firmware…"></div>
      <div><label for="fleet-site">Site</label><select id="fleet-site">${option("", filters.site, "all")}${data.sites.map(s => option(s, filters.site))}</select></div>
      <div><label for="fleet-team">Team</label><select id="fleet-team">${option("", filters.team, "all")}${data.teams.map(t => option(t, filters.team))}</select></div>
      <div><label for="fleet-status">Status</label><select id="fleet-status">${option("", filters.status, "all")}${statuses.map(s => option(s, filters.status, s.replace("_", " ")))}</select></div>
      <button type="submit">Search</button> <a href="/api/devices?format=csv" download>Export CSV</a>
    </form>
    <div id="inventory-body" aria-live="polite">${body(data, filters)}</div>`);
  const form = view.querySelector("#fleet-filters");
  const apply = e => {
    e.preventDefault();
    go({ ...filters, q: form.querySelector("#fleet-q").value.trim(), site: form.querySelector("#fleet-site").value,
      team: form.querySelector("#fleet-team").value, status: form.querySelector("#fleet-status").value });
  };
  form.addEventListener("submit", apply);
  for (const select of form.querySelectorAll("select")) select.addEventListener("change", apply);
  repeat(async () => {
    const fresh = await query();
    if (isCurrent()) render(view.querySelector("#inventory-body"), body(fresh, filters));
  }, refreshMs);
}
