// How times, dates and durations read on every page. Times are shown in the zone of the site they happened at,
// with the zone named; dates from the API are already local days of their site and are shown as they are.
export const seconds = ms => (ms / 1000).toFixed(1) + " s";
export const alertName = type => type.replace("_", " ");

/** An instant in a zone, e.g. "24 Nov 2026, 14:03:22 EET". */
export function time(ms, zone) {
  if (!ms) return "–";
  return new Date(ms).toLocaleString("en-GB", { timeZone: zone || undefined, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
}

/** A local day from the API (yyyy-mm-dd), e.g. "Mon 5 Jan 2026", without moving it through any zone. */
export function day(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short", year: "numeric" });
}
