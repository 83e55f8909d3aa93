import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { hubTestFolder } from '../../src-main/store/pg/testing';

const ROOT = path.resolve(import.meta.dirname, '../..');

let built: Promise<string> | undefined;
let bundleDir: string | null = null;

/**
 * The `jiedai` CLI bundled from the current sources as `npm run build:main` bundles it
 * (scripts/build-main.mjs: the same entries, format, externals and layout, so the CLI finds its
 * core worker at ../core/worker.js), into a temporary folder, once per test file. Starting it takes
 * a fraction of what tsx takes, so a test can kill and restart the hub many times.
 */
export function hubCliBundle(): Promise<string> {
  built ??= (async () => {
    const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-hub-cli-${crypto.randomBytes(3).toString('hex')}-`)));
    bundleDir = dir;
    await build({
      // The same worker entries as build-main (spawnWorker finds them relative to the bundle).
      entryPoints: [
        'src-main/cli/jiedai.ts',
        'src-main/core/worker.ts',
        'src-main/services/logExport/exportWorker.ts',
        'src-main/services/phrases/files/parseWorker.ts',
        'src-main/store/pg/pgWorker.ts',
      ].map((entry) => path.join(ROOT, entry)),
      outbase: path.join(ROOT, 'src-main'),
      outdir: dir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate', 'exceljs', 'pg-native', 'cloudflare:sockets'],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    // The packages left outside resolve from the repository's node_modules.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return path.join(dir, 'cli', 'jiedai.js');
  })();
  return built;
}

/** Every hub process a test started and that has not exited: killed when the test process ends, however it ends. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
  // The bundle goes with the test process (its node_modules is a link: removing it leaves the repository's).
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
});

/**
 * Loaded first in each hub process: when the test process dies without killing it (a crashed or
 * killed test worker), the hub's standard input reaches its end and the hub kills itself.
 */
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent(
  // Preloads run in every thread; a worker's stdin is not the process's and ends at once.
  "import { isMainThread } from 'node:worker_threads'; if (isMainThread) { process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL')); process.stdin.on('error', () => undefined); process.stdin.resume(); }",
)}`;

/** Kills (SIGKILL) every hub process still running and removes the bundle; for afterAll and failure paths. */
export async function killAllHubs(): Promise<void> {
  await Promise.all([...alive].map((child) => killChild(child)));
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = null;
  built = undefined;
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

export const HUB_OWNER = { nick: '店长', password: 'owner-pass-123' };

/**
 * A real `jiedai hub` process on one data folder: `init` once, then `start` / `kill` (SIGKILL: no
 * orderly close, no checkpoint) / `start` again on the same port and folder, `stop` (SIGTERM).
 */
export class HubProcess {
  private child: ChildProcess | null = null;
  port = 0;
  starts = 0;
  /** What the processes wrote to stderr (the last 8 KB), for a failure's message. */
  stderr = '';

  constructor(
    readonly cli: string,
    readonly dataDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ['--import', ORPHAN_GUARD, this.cli, 'hub', '--data-dir', this.dataDir, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    alive.add(child);
    child.once('exit', () => alive.delete(child));
    child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-8192)));
    return child;
  }

  /** `jiedai hub init`: the shop and its owner (the password from the environment, as an owner may give it). */
  async init(shop = '小店', owner = HUB_OWNER): Promise<void> {
    const child = this.spawn(['init', '--shop', shop, '--owner', owner.nick], { JIEDAI_OWNER_PASSWORD: owner.password });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    if (code !== 0) throw new Error(`jiedai hub init exited ${code}: ${this.stderr}`);
  }

  /** `jiedai hub --port N` (the port of the first start after that); resolves once it listens. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error('the hub is running');
    const child = this.spawn(['--port', String(this.port)]);
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the hub did not start in ${timeoutMs} ms: ${this.stderr}`)), timeoutMs);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /Listening on https?:\/\/[^:]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          this.port = Number(m[1]);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the hub exited while starting (${code ?? signal}): ${this.stderr}`));
      });
    });
    this.starts += 1;
  }

  /** SIGKILL, as a crash or a pulled plug of the process would: whatever it was doing stops where it is. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await killChild(child);
  }

  /** SIGTERM: the hub closes its sockets and its store in order. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** POST /api/auth/login on a hub. */
export async function hubLogin(url: string, account: string, password: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account, password }),
  });
  const body = (await response.json()) as { token: string; agent: { id: string; nick: string; role: 'owner' | 'supervisor' | 'agent' } };
  if (response.status !== 200) throw new Error(`login ${account}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}
