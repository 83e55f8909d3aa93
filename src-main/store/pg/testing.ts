import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readHubDatabase, writeHubDatabase } from './hubDatabase';
import { SyncPg, type StartPgWorker } from './syncPg';

/**
 * PostgreSQL for tests (issue 14). `JIEDAI_TEST_PG` (a postgres:// URL of a server where the user may
 * create databases) is used when set (CI starts one, see .ci/run); else, where Debian's PostgreSQL
 * binaries are installed, one throwaway cluster per test process is started on 127.0.0.1 on a free
 * port with its data under the temp folder (as the `postgres` user when run as root) and stopped at
 * exit; else there is none and the PostgreSQL variants skip, saying why (`pgUnavailable`).
 */

/** The bridge's thread from source (tests run TypeScript through tsx). */
export const startPgWorkerForTests: StartPgWorker = (workerData, transferList) => {
  const source = new URL('./pgWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData, transferList: transferList as never[] });
};

/** The newest installed PostgreSQL's bin folder (Debian's layout); null when none is installed. */
export function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  try {
    const versions = fs
      .readdirSync(root)
      .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ? path.join(root, versions[0], 'bin') : null;
  } catch {
    return null;
  }
}

/** A PostgreSQL client program (pg_dump, pg_restore) of the newest installed version; null when none is installed. */
export function pgProgram(name: string): string | null {
  const bin = pgBinDir();
  return bin && fs.existsSync(path.join(bin, name)) ? path.join(bin, name) : null;
}

/** Why no PostgreSQL variant runs here (null: one does). */
export function pgUnavailable(): string | null {
  if (process.env.JIEDAI_TEST_PG) return null;
  if (pgBinDir()) return null;
  return "no PostgreSQL for the tests: set JIEDAI_TEST_PG=postgres://… or install Debian's postgresql package";
}

let server: { url: string; stop: () => void } | null = null;

function freePort(): number {
  // A port from the ephemeral range no one listens on (checked by the server's start: retried on a clash).
  return 20_000 + Math.floor(Math.random() * 20_000);
}

/**
 * A throwaway cluster on 127.0.0.1 (a free port, its data and socket under the temp folder), stopped
 * (immediate) and removed at this process's exit or by `stop`. `durable`: fsync, synchronous commit
 * and full-page writes on, as a production server runs (the bench); else off (tests).
 */
export function startPgCluster(bin: string, options: { durable?: boolean } = {}): { url: string; stop: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-pg-'));
  const data = path.join(dir, 'data');
  const root = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  if (root) execFileSync('chown', ['postgres:postgres', dir]);
  as(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'jiedai',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    ...(options.durable ? [] : ['--no-sync']),
  ]);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = freePort();
    try {
      as(path.join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-w',
        '-l',
        path.join(dir, 'log'),
        '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${options.durable ? '' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off '}-c max_connections=200`,
        'start',
      ]);
      const stop = () => {
        try {
          as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
        } catch {
          // already gone
        }
        fs.rmSync(dir, { recursive: true, force: true });
      };
      process.once('exit', stop);
      // A test process may be killed rather than exit (a test runner ends its workers): a detached
      // watchdog stops the cluster and removes its folder once this process is gone, however it went.
      const ctl = path.join(bin, 'pg_ctl');
      const stopCmd = root ? `runuser -u postgres -- ${ctl} -D ${data} -m immediate stop` : `${ctl} -D ${data} -m immediate stop`;
      const watchdog = spawn(
        'sh',
        ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCmd} >/dev/null 2>&1; rm -rf ${dir}`],
        { detached: true, stdio: 'ignore' },
      );
      watchdog.unref();
      return { url: `postgres://jiedai@127.0.0.1:${port}/postgres`, stop };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function adminUrl(): string {
  if (process.env.JIEDAI_TEST_PG) return process.env.JIEDAI_TEST_PG;
  const bin = pgBinDir();
  if (!bin) throw new Error(pgUnavailable()!);
  server ??= startPgCluster(bin);
  return server.url;
}

let counter = 0;

/**
 * A new, empty database (C collation, UTF-8) on the test server; its URL. Synchronous (through the
 * bridge), so a test kit that builds a Core synchronously can ask for one.
 */
export function freshPgDatabase(label = 'hub'): string {
  const admin = adminUrl();
  const name = `jiedai_${label.toLowerCase().replace(/\W/g, '_').slice(0, 20)}_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  const conn = new SyncPg(admin, startPgWorkerForTests);
  try {
    conn.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
  } finally {
    conn.close();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The backend a hub test runs on, chosen by `JIEDAI_TEST_HUB_BACKEND` (`postgres`, else SQLite). */
export function hubBackend(): 'sqlite' | 'postgres' {
  return process.env.JIEDAI_TEST_HUB_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Readies a hub test's data folder for the backend under test: on PostgreSQL it gets a database of
 * its own, remembered in the folder (hub-database.json), so every core opened on the folder (a restart,
 * a CLI child, a worker) finds the same data; on SQLite nothing is done. Returns the folder.
 */
export function hubTestFolder(dataDir: string): string {
  if (hubBackend() === 'postgres' && readHubDatabase(dataDir) === undefined)
    writeHubDatabase(dataDir, freshPgDatabase(path.basename(dataDir)));
  return dataDir;
}
