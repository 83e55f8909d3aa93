import { isAppUrl } from './appOrigin';

/** The window may only ever show the desk's own pages; every other navigation is refused. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}

/**
 * A link the desk asks to open in a new window goes to the system browser, and only when it is
 * plain http(s): never file:, smb:, javascript:, custom app schemes or anything with credentials.
 * Returns the URL to hand to the OS, or null to drop it.
 */
export function externalLinkTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

/**
 * Permissions the desk's page may have: writing text to the clipboard (an agent copies an order
 * number or a reply) and notifications (an export that ended while the window was behind others):
 * no camera, microphone, location, clipboard reading, devices or the rest.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'notifications']);

export function mayGrantPermission(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}
