// The companion's API: JSON in and out, the sign-in cookie, and URLs whose query strings are always built by
// URLSearchParams (never by pasting text into a string).

let signedOut = () => {};

/** What to do when the API says the session is gone (the sign-in form). */
export function onSignedOut(handler) { signedOut = handler; }

/** path?name=value&... with every value encoded; null, undefined and "" values are left out. */
export function url(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A path segment, e.g. a device id in /api/devices/{id}. */
export const segment = value => encodeURIComponent(value);

export async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", headers: { "content-type": "application/json" }, ...options });
  if (response.status === 401 && path !== "/api/auth/login") { signedOut(); throw new Error("signed out"); }
  const text = await response.text();
  const body = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  if (!response.ok) throw new Error(body?.detail ?? body?.title ?? `HTTP ${response.status}`);
  return body;
}
