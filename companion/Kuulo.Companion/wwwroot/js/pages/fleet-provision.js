// Provisioning: register many desks from a CSV, download the credentials CSV once and each desk's settings.json
// (Wi-Fi left for the installer). Files are built by the server; the page only hands them to the browser.
import { api } from "../lib/api.js";
import { html, render } from "../lib/html.js";
import { tabBar } from "./fleet.js";

/** Offers text as a file download without sending it anywhere. */
function download(name, type, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

function registeredTable(result) {
  return html`<div class="card" id="registered"><h3>Registered ${result.devices.length} desks</h3>
    <p class="bad">The passwords are in these files only: download them now. Leaving this page loses them (a new password can be made per desk on the Devices page).</p>
    <p><button type="button" id="download-credentials">Download credentials CSV</button></p>
    <table><tr><th>Device</th><th>settings.json</th></tr>${result.devices.map(d => html`<tr data-device="${d.id}"><td>${d.id}</td>
      <td><button type="button" class="secondary" data-settings="${d.id}">Download ${d.id}.settings.json</button></td></tr>`)}</table></div>`;
}

export async function fleetProvision({ view }) {
  const $ = selector => view.querySelector(selector);
  render(view, html`
    <h2>Fleet</h2>${tabBar("provision")}
    <form class="card" id="bulk"><h3>Register desks from a CSV</h3>
      <p class="muted">Columns <code>id,site,team,desk,agent</code> with a header line. Every line is checked first: a file with a bad line registers nothing.</p>
      <div><label for="bulk-file">CSV file</label> <input id="bulk-file" type="file" accept=".csv,text/csv"></div>
      <label for="bulk-csv">or paste it</label><textarea id="bulk-csv" rows="8" cols="80" spellcheck="false">id,site,team,desk,agent
</textarea>
      <p><button type="submit">Register</button></p>
      <div class="error" id="bulk-error" role="alert"></div></form>
    <div id="bulk-result"></div>`);

  $("#bulk-file").addEventListener("change", async () => {
    const file = $("#bulk-file").files[0];
    if (file) $("#bulk-csv").value = await file.text();
  });
  $("#bulk").addEventListener("submit", async e => {
    e.preventDefault();
    render($("#bulk-error"), html``);
    try {
      const result = await api("/api/devices/bulk", { method: "POST", headers: { "content-type": "text/csv" }, body: $("#bulk-csv").value });
      render($("#bulk-result"), registeredTable(result));
      $("#download-credentials").addEventListener("click", () => download("kuulo-credentials.csv", "text/csv", result.credentials));
      for (const button of view.querySelectorAll("[data-settings]")) {
        const desk = result.devices.find(d => d.id === button.dataset.settings);
        button.addEventListener("click", () => download(`${desk.id}.settings.json`, "application/json", JSON.stringify(desk.settings, null, 2)));
      }
    } catch (error) {
      render($("#bulk-error"), html`${error.message}`);
    }
  });
}
