// Firmware rollouts: placeholder until the OTA commit.
import { html, render } from "../lib/html.js";
import { tabBar } from "./fleet.js";

export async function fleetFirmware({ view }) {
  render(view, html`<h2>Fleet</h2>${tabBar("firmware")}`);
}
