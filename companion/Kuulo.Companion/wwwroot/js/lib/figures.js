// The figures the API derives from its rollups: their JSON field, the chart/ranking metric name, label and format.
import { html } from "./html.js";

export const figures = [
  { key: "calls", metric: "calls", label: "Calls", unit: "", format: v => String(v) },
  { key: "interruptionsPerCall", metric: "interruptions", label: "Interruptions", unit: "/call", format: v => v.toFixed(2) },
  { key: "deadAirSecondsPerCall", metric: "dead_air", label: "Dead air", unit: "s/call", format: v => v.toFixed(1) },
  { key: "backchannelsPerCall", metric: "backchannels", label: "Backchannels", unit: "/call", format: v => v.toFixed(2) },
  { key: "agentTalkShare", metric: "talk_share", label: "Agent talk", unit: "%", format: v => (100 * v).toFixed(0) },
  { key: "overlapShare", metric: "overlap_share", label: "Overlap", unit: "%", format: v => (100 * v).toFixed(1) },
  { key: "responseGapSeconds", metric: "response_gap", label: "Median response gap", unit: "s", format: v => v.toFixed(2) },
  { key: "alertsPerCall", metric: "alerts", label: "Alerts", unit: "/call", format: v => v.toFixed(2) },
];

export const metricNames = figures.map(f => f.metric);

export const byMetric = name => figures.find(f => f.metric === name) ?? figures[1];

export const heading = f => `${f.label}${f.unit ? ` (${f.unit})` : ""}`;

/** A value with its change from the period before (▲ up, ▼ down), in the figure's own format. */
export function withChange(f, row) {
  const value = row[f.key];
  const before = row.previous?.[f.key];
  if (before === undefined || before === null) return html`${f.format(value)}`;
  const delta = f.key === "calls" ? value - before : Number(f.format(value)) - Number(f.format(before));
  if (delta === 0) return html`${f.format(value)} <span class="change muted" title="same as the period before">=</span>`;
  const text = f.key === "calls" ? String(Math.abs(delta)) : f.format(Math.abs(f.key.endsWith("Share") ? delta / 100 : delta));
  return html`${f.format(value)} <span class="change" title="change from the period before">${delta > 0 ? "▲" : "▼"}${text}</span>`;
}
