/**
 * The desk's own origin. The renderer is served from a privileged custom scheme rather than
 * file:// (which Electron's security guide advises against): a standard scheme gives the page a real
 * origin, so 'self' in the Content-Security-Policy, IndexedDB (the Dexie replica) and the sender
 * check all have something exact to compare with.
 */
export const APP_SCHEME = 'jiedai';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` is a page of the desk itself (`jiedai://app/…`), nothing else. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Node's URL gives a custom scheme an opaque origin ('null'), so compare scheme and host, and
  // refuse credentials or a port that would make it a different origin in Chromium.
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
