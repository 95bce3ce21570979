// Sites: the IANA time zone each site counts its days, weeks and months in. Changing it recounts that site's figures
// on the server; the dashboard's own copy of the zones is dropped so every page shows the new dates.
import { api, segment } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { forgetSites, sites } from "../lib/sites.js";
import { tabBar } from "./fleet.js";

const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export async function fleetSites(context) {
  const { view, isCurrent } = context;
  // Fresh from the server: another facilities user may have changed a zone since the cached copy was made.
  forgetSites();
  const { list, info } = await sites();
  if (!isCurrent()) return;
  render(view, html`
    <h2>Fleet</h2>${tabBar("sites")}
    <div class="card" id="site-zones"><h3>Time zones</h3>
      <p class="muted">Calls count for the day, week and month of their site's zone. A site without its own zone uses the companion's default, ${info.defaultTimeZone}. Changing a zone recounts that site's figures.</p>
      <datalist id="zones">${zones.map(z => html`<option value="${z}"></option>`)}</datalist>
      <table><tr><th>Site</th><th>Time zone</th><th></th></tr>${list.map(s => html`<tr data-site="${s.name}"><td>${s.name}</td>
        <td><input list="zones" value="${s.timeZone}" aria-label="Time zone of ${s.name}" size="28"></td>
        <td><button type="button" class="secondary" data-save="${s.name}">Save</button> <span data-field="result" role="status"></span></td></tr>`)}</table>
      ${list.length === 0 ? html`<p class="muted">No sites yet: a site appears when a desk is registered there.</p>` : ""}</div>`);

  // On this page's card, not on the view, which outlives the page: a listener there would pile up on every visit.
  view.querySelector("#site-zones").addEventListener("click", async e => {
    const name = e.target.dataset?.save;
    if (!name) return;
    const row = e.target.closest("tr");
    const result = row.querySelector("[data-field=result]");
    try {
      const saved = await api(`/api/sites/${segment(name)}`, { method: "PUT", body: JSON.stringify({ timeZone: row.querySelector("input").value.trim() }) });
      forgetSites();
      result.className = "ok";
      result.textContent = `Saved: ${saved.timeZone}`;
    } catch (error) {
      result.className = "error";
      result.textContent = error.message;
    }
  });
}
