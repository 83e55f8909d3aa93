import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './appOrigin';
import { rendererReply } from './rendererFiles';

/**
 * Must run before `app` is ready. `standard` gives jiedai://app a real origin (relative URLs,
 * 'self' in the CSP, IndexedDB for the replica); `secure` makes it a secure context. Not
 * `corsEnabled` (that would let other origins read it) and not `bypassCSP`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves the built renderer on jiedai://app/, with the CSP on every response. */
export function serveRenderer(rendererDir: string, log: (message: string, error?: unknown) => void): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const reply = rendererReply(rendererDir, request.url, request.method);
    if (!reply.file) return new Response(reply.status === 405 ? 'Method not allowed' : 'Not found', reply);
    try {
      const body = request.method === 'HEAD' ? null : await fs.readFile(reply.file);
      return new Response(body, { status: reply.status, headers: reply.headers });
    } catch (error) {
      log(`could not read ${reply.file}`, error);
      return new Response('Not found', { status: 404, headers: reply.headers });
    }
  });
}
