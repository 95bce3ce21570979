// Kuulo dashboard: a small single-page app over the companion's API. Every figure shown comes from the API;
// charts are rendered by the server as SVG. This module signs in and routes #/page/arg?query to a page module.
import { api, onSignedOut } from "./lib/api.js";
import { html, render } from "./lib/html.js";
import { overview } from "./pages/overview.js";
import { agent } from "./pages/agent.js";
import { floor } from "./pages/floor.js";
import { devices } from "./pages/devices.js";
import { fleet } from "./pages/fleet.js";
import { forgetSites, sites } from "./lib/sites.js";

const $ = selector => document.querySelector(selector);
const pages = { overview: [overview, "supervisor"], agent: [agent, "supervisor"], floor: [floor, "supervisor"], devices: [devices, "facilities"], fleet: [fleet, "facilities"] };
let me = null;
let timer = null;
// Each navigation gets a number; a page whose data arrives after the user moved on does not draw.
let routeId = 0;

const allowed = role => me && (me.role === "admin" || me.role === role);

function showSignIn() {
  me = null;
  forgetSites();
  $("#replay").hidden = true;
  clearInterval(timer);
  $("#nav").hidden = true;
  $("#view").replaceChildren();
  $("#signin").hidden = false;
  $("#name").focus();
}

onSignedOut(showSignIn);

$("#signin").addEventListener("submit", async e => {
  e.preventDefault();
  $("#signin-error").textContent = "";
  try {
    me = await api("/api/auth/login", { method: "POST", body: JSON.stringify({ name: $("#name").value, password: $("#password").value }) });
    $("#password").value = "";
    start();
  } catch (error) {
    $("#signin-error").textContent = error.message;
  }
});

$("#signout").addEventListener("click", async () => {
  await fetch("/api/auth/logout", { method: "POST" });
  showSignIn();
});

function start() {
  $("#signin").hidden = true;
  $("#nav").hidden = false;
  $("#who").textContent = `${me.name} (${me.role})`;
  for (const link of document.querySelectorAll("#nav a")) link.hidden = !allowed(link.dataset.role);
  if (!location.hash || location.hash === "#/") location.hash = me.role === "facilities" ? "#/devices" : "#/overview";
  route();
  // The demo's desks replay recordings faster than real time: say so, or the figures per hour mislead.
  sites().then(({ info }) => {
    $("#replay").hidden = !(info.replaySpeed > 1);
    $("#replay").textContent = `Demo: the desks replay recorded conversations at ${info.replaySpeed}× real time, so calls and alerts arrive faster than on a real floor.`;
  }).catch(() => {});
}

window.addEventListener("hashchange", () => me && route());

function route() {
  clearInterval(timer);
  const id = ++routeId;
  const [path, query] = location.hash.slice(1).split("?");
  const [, page, arg] = path.split("/");
  for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.getAttribute("href") === `#/${page}`);
  const [show, role] = pages[page] ?? pages.overview;
  const view = $("#view");
  if (!allowed(role)) {
    render(view, html`<div class="empty" role="alert">Your role (${me.role}) cannot open this page. Ask an admin for a ${role} account.</div>`);
    return;
  }
  const context = {
    arg: decodeURIComponent(arg ?? ""),
    params: new URLSearchParams(query ?? ""),
    view,
    isCurrent: () => id === routeId,
    repeat(action, ms) { clearInterval(timer); timer = setInterval(action, ms); },
  };
  show(context).catch(error => context.isCurrent() && render(view, html`<p class="error" role="alert">${error.message}</p>`));
  $("#main").focus();
}

api("/api/auth/me").then(user => { me = user; start(); }).catch(() => {});
