import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Maps a request path to a file inside `root`, or null. Anything that would leave the folder
 * (`..`, encoded slashes, absolute paths, NUL) is refused, and so is anything whose real path
 * (symbolic links resolved) is not under the root's real path: a link in the renderer folder
 * pointing at /etc/passwd serves nothing. The real path is what is returned and opened.
 */
export function resolveStaticFile(root: string, urlPath: string): { file: string; type: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootAbs = path.resolve(root);
  const file = path.resolve(rootAbs, relative);
  if (!inside(rootAbs, file)) return null;
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = fs.realpathSync(rootAbs);
    realFile = fs.realpathSync(file);
    if (!inside(realRoot, realFile) || !fs.statSync(realFile).isFile()) return null;
  } catch {
    return null; // missing, a dangling link, or unreadable
  }
  return { file: realFile, type: TYPES[path.extname(realFile)] ?? 'application/octet-stream' };
}

function inside(root: string, file: string): boolean {
  return file !== root && file.startsWith(root + path.sep);
}
