// Group configuration: one push sets a parameter for the fleet, a site or a team; each desk gets the merge of its
// layers under its own overrides. The table shows how many members run the group's latest push, and who refused it.
import { api, url } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { tabBar } from "./fleet.js";

const groupName = g => g.scope === "fleet" ? "whole fleet" : `${g.scope} ${g.name}`;
const values = v => Object.entries(v).map(([name, value]) => `${name} = ${value}`).join(", ") || "–";

function groupTable(groups) {
  return html`<table id="groups"><tr><th>Group</th><th class="num">Version</th><th>Values</th><th class="num">Desks</th>
    <th class="num">Reported</th><th class="num">Pending</th><th>Refused</th></tr>
    ${groups.map(g => html`<tr data-group="${g.scope}:${g.name}"><td>${groupName(g)}</td><td class="num">${g.version}</td><td>${values(g.values)}</td>
      <td class="num" data-field="members">${g.members}</td><td class="num ok" data-field="reported">${g.reported}</td>
      <td class="num" data-field="pending">${g.pending}</td>
      <td data-field="rejected">${g.rejected.map(r => html`<div class="bad">${r.device} (v${r.version}): ${r.error ?? "no reason given"}</div>`)}</td></tr>`)}</table>`;
}

export async function fleetConfig({ view, isCurrent, repeat }) {
  const [groups, parameters] = await Promise.all([api("/api/config/groups"), api("/api/config/parameters")]);
  if (!isCurrent()) return;
  const $ = selector => view.querySelector(selector);
  render(view, html`
    <h2>Fleet</h2>${tabBar("config")}
    <form class="card" id="group-push"><h3>Push to a group</h3>
      <p class="muted">Checked for every desk of the group against each parameter's range and rules before anything is sent.
        Leave the value empty to remove the parameter from the group, so the layer below applies again.</p>
      <div class="filters">
        <div><label for="gp-group">Group</label><select id="gp-group">${groups.map(g =>
          html`<option value="${g.scope}:${g.name}">${groupName(g)} (${g.members} desks)</option>`)}</select></div>
        <div><label for="gp-name">Parameter</label><select id="gp-name">${parameters.map(p =>
          html`<option value="${p.name}" title="${p.description}">${p.name} (${p.min}–${p.max} ${p.unit})</option>`)}</select></div>
        <div><label for="gp-value">Value</label><input id="gp-value" type="number"></div>
        <button type="submit">Push</button></div>
      <p class="error" id="gp-error" role="alert"></p><p id="gp-result" role="status"></p></form>
    <div class="card"><h3>Groups</h3><div id="group-table">${groupTable(groups)}</div></div>`);

  $("#group-push").addEventListener("submit", async e => {
    e.preventDefault();
    $("#gp-error").textContent = $("#gp-result").textContent = "";
    const [scope, ...rest] = $("#gp-group").value.split(":");
    const name = rest.join(":");
    const raw = $("#gp-value").value;
    try {
      const pushed = await api(url(`/api/config/groups/${scope}`, { name }), {
        method: "PUT", body: JSON.stringify({ [$("#gp-name").value]: raw === "" ? null : Number(raw) }) });
      $("#gp-result").textContent = `Group version ${pushed.version}: ${pushed.changed} of ${pushed.members} desks get a new configuration.`;
      const refresh = async () => {
        const fresh = await api("/api/config/groups");
        if (isCurrent()) render($("#group-table"), groupTable(fresh));
      };
      await refresh();
      repeat(refresh, 2000);
    } catch (error) { $("#gp-error").textContent = error.message; }
  });
}
