// Which zone each site counts its days in (GET /api/sites), and what the companion says about itself (GET /api/info);
// fetched once per sign-in.
import { api } from "./api.js";

let loaded = null;

export function sites() {
  loaded ??= Promise.all([api("/api/sites"), api("/api/info")]).then(([list, info]) => ({
    list,
    info,
    zoneOf: site => list.find(s => s.name === site)?.timeZone ?? info.defaultTimeZone,
  }));
  return loaded;
}

/** Forget what was fetched (after signing out, or when a site's zone may have changed). */
export function forgetSites() { loaded = null; }
