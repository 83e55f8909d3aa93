import fs from 'node:fs';
import path from 'node:path';

export const PORT_FILE = 'browser-mode.port';
export const DEFAULT_PORT = 5180;

/**
 * The port a data folder's browser mode listens on, kept in the folder: a page's origin is its
 * address (`http://127.0.0.1:PORT`), and its replica (IndexedDB) and outbox belong to that origin, so
 * a host that moved to another port at each start would make every desk download the shop again and
 * strand what it had queued. The first start takes `--port` (or 5180, or any free one when 5180 is
 * taken) and remembers the one it got; later starts use it again.
 */
export function rememberedPort(dataDir: string): number | null {
  try {
    const n = Number(fs.readFileSync(path.join(dataDir, PORT_FILE), 'utf8').trim());
    return Number.isInteger(n) && n > 0 && n <= 65535 ? n : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function rememberPort(dataDir: string, port: number): void {
  if (rememberedPort(dataDir) === port) return;
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, PORT_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${port}\n`);
  fs.renameSync(temp, file);
}

/**
 * Which port to try, and what to do when it is taken: `--port N` (0: any free one) is what the
 * operator asked for; otherwise the folder's own port (taken: refuse, since moving would change the
 * desks' origin) or, on a folder that has none yet, 5180 with any free port as the fallback.
 */
export function portPlan(dataDir: string, asked: number | undefined): { port: number; whenTaken: 'refuse' | 'anyFree'; kept: boolean } {
  if (asked !== undefined) return { port: asked, whenTaken: 'refuse', kept: false };
  const kept = rememberedPort(dataDir);
  if (kept !== null) return { port: kept, whenTaken: 'refuse', kept: true };
  return { port: DEFAULT_PORT, whenTaken: 'anyFree', kept: false };
}
