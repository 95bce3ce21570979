// How times and durations read on every page.
export const time = ms => ms ? new Date(ms).toLocaleString() : "–";
export const seconds = ms => (ms / 1000).toFixed(1) + " s";
export const alertName = type => type.replace("_", " ");
