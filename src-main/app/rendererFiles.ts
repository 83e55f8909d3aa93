import { resolveStaticFile } from '../platform/staticFiles';
import { isAppUrl } from './appOrigin';

/**
 * The window's Content-Security-Policy: the renderer's own scripts, styles, fonts and images, and
 * nothing else: no inline script, no eval, no remote origin, no plugins, no framing, no forms.
 * It talks to the core over IPC only, so connect-src needs no more than 'self'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export type RendererReply = {
  status: 200 | 404 | 405;
  headers: Record<string, string>;
  /** The file to send (absolute, inside the renderer folder); absent for an error. */
  file?: string;
};

/**
 * Decides what the `jiedai://app/…` protocol answers. Only GET and HEAD, only our own host, and
 * only files inside the built renderer (the same resolver as browser mode, which refuses `..`,
 * encoded separators, absolute paths and NUL).
 */
export function rendererReply(rendererDir: string, requestUrl: string, method: string): RendererReply {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { ...SECURITY_HEADERS } };
  if (!isAppUrl(requestUrl)) return { status: 404, headers: { ...SECURITY_HEADERS } };
  const found = resolveStaticFile(rendererDir, new URL(requestUrl).pathname);
  if (!found) return { status: 404, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } };
  return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': found.type }, file: found.file };
}
