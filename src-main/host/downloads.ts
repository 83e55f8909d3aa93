import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** What a ticket stands for (the core's answer to redeem). */
export type DownloadFile = { path: string; fileName: string };

export type DownloadOptions = {
  /** Trades a ticket for its file, once (CoreClient.redeemDownload); null when unknown, used or expired. */
  redeem(ticket: string): Promise<DownloadFile | null>;
  /** The data folder's exports/: nothing outside it is ever served, whatever the core answers. */
  exportsDir: string;
};

const ROUTE = /^\/downloads\/([A-Za-z0-9_-]{16,128})$/;

/** True for the paths this module answers (the host routes them here). */
export function isDownloadPath(url: string | undefined): boolean {
  return (url ?? '').split('?')[0]!.startsWith('/downloads/');
}

/**
 * `Content-Disposition` for any file name: an ASCII fallback for old clients and RFC 5987's
 * `filename*` with the UTF-8 name (Chinese names arrive intact). Quotes, backslashes and controls never
 * reach the header.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'export';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function refuse(res: ServerResponse, status: number): void {
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(status === 404 ? 'Not found' : 'Refused');
}

/** The real path of a regular file inside root, or null (symlinks resolved on both sides). */
async function inside(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, real] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(file)]);
    const rel = path.relative(realRoot, real);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? real : null;
  } catch {
    return null;
  }
}

/**
 * `GET /downloads/<ticket>`: streams a finished export as an attachment. The ticket came over the
 * token-guarded socket (a link cannot carry the token's header) and works once, for a minute; an
 * unknown, used or expired one is a plain 404, as is anything that resolves outside exports/.
 * Written against Node's request and response so any server (http today, fastify later) can mount it.
 */
export async function serveDownload(req: IncomingMessage, res: ServerResponse, options: DownloadOptions): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    refuse(res, 405);
    return;
  }
  const ticket = ROUTE.exec((req.url ?? '').split('?')[0]!)?.[1];
  const found = ticket ? await options.redeem(ticket).catch(() => null) : null;
  if (!found) {
    refuse(res, 404);
    return;
  }
  await sendExportFile(res, found, options.exportsDir);
}

/**
 * Streams one finished export as an attachment, if its real path lies inside `exportsDir` (a plain
 * 404 otherwise). True once every byte went out (the hub removes a file fetched once).
 */
export async function sendExportFile(res: ServerResponse, found: DownloadFile, exportsDir: string): Promise<boolean> {
  const file = await inside(exportsDir, found.path);
  if (!file) {
    refuse(res, 404);
    return false;
  }
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch {
    refuse(res, 404);
    return false;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      refuse(res, 404);
      return false;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(stat.size),
      'content-disposition': contentDisposition(found.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'referrer-policy': 'no-referrer',
    });
    // The stream reads through the descriptor already checked, so a swap of the path changes nothing.
    await pipeline(handle.createReadStream({ autoClose: false }), res);
    return true;
  } catch {
    if (!res.headersSent) refuse(res, 500);
    else res.destroy();
    return false;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
