import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// scripts/electron-runtime.mjs is plain JavaScript (it runs before anything is built): typed by hand.
type Env = Record<string, string | undefined>;
type Runtime = {
  runtimeStatus(input: { electronDir: string; env: Env; platform: string }): { executable: string; present: boolean };
  runtimeDownloadUrl(input: { version: string; platform: string; arch: string; env: Env }): string;
  runtimeCacheRoot(input: { env: Env; platform: string; homeDir: string }): string;
  runtimeCachePath(cacheRoot: string, url: string): string;
  probeUrl(url: string, timeoutMs?: number): Promise<{ reachable: boolean; reason?: string }>;
};
type ElectronGetCache = { Cache: new (root: string) => { getCachePath(url: string, fileName: string): string } };

const scripts = new URL('../../scripts/', import.meta.url);
const runtime = (await import(new URL('electron-runtime.mjs', scripts).href)) as Runtime;
const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-runtime-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
async function server(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    s.closeAllConnections();
    s.close();
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}
/** A port nothing listens on: opened, then closed again. */
async function closedPort(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return `http://127.0.0.1:${port}/`;
}

/**
 * A copy of the project as far as `start-electron.mjs --check-runtime` looks: its scripts and an
 * electron package without its binary, whose installer fails as electron's does (with a stack).
 */
function fakeProject(): { root: string; electronDir: string } {
  const root = tempDir();
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const file of ['start-electron.mjs', 'electron-runtime.mjs', 'electron-addon.mjs']) {
    fs.copyFileSync(path.join(projectRoot, 'scripts', file), path.join(root, 'scripts', file));
  }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fake', type: 'module' }));
  const electronDir = path.join(root, 'node_modules', 'electron');
  fs.mkdirSync(electronDir, { recursive: true });
  fs.writeFileSync(path.join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  fs.writeFileSync(
    path.join(electronDir, 'install.js'),
    "console.error(new Error('connect ETIMEDOUT 140.82.112.3:443').stack); process.exit(1);\n",
  );
  return { root, electronDir };
}
function runCheck(root: string, env: Env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/proxy|^electron_|^npm_config_electron/i.test(k)));
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start-electron.mjs'), '--check-runtime'], {
    env: { ...clean, electron_config_cache: path.join(root, 'cache'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the Electron runtime check of npm start', () => {
  it('finds the runtime where the electron package runs it from', () => {
    const electronDir = tempDir();
    expect(runtime.runtimeStatus({ electronDir, env: {}, platform: 'linux' }).present).toBe(false);
    fs.mkdirSync(path.join(electronDir, 'dist'));
    fs.writeFileSync(path.join(electronDir, 'path.txt'), 'electron');
    fs.writeFileSync(path.join(electronDir, 'dist', 'electron'), '');
    expect(runtime.runtimeStatus({ electronDir, env: {}, platform: 'linux' })).toEqual({
      executable: path.join(electronDir, 'dist', 'electron'),
      present: true,
    });
    const override = tempDir();
    expect(runtime.runtimeStatus({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: override }, platform: 'linux' }).present).toBe(false);
  });

  it("asks for the zip @electron/get would download, at the mirror if one is set, and looks for it in @electron/get's cache", async () => {
    const base = { version: '45.4.1', platform: 'linux', arch: 'x64' };
    const url = runtime.runtimeDownloadUrl({ ...base, env: {} });
    expect(url).toBe('https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip');
    expect(runtime.runtimeDownloadUrl({ ...base, env: { ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' } })).toBe(
      'https://npmmirror.com/mirrors/electron/v45.4.1/electron-v45.4.1-linux-x64.zip',
    );
    expect(runtime.runtimeCacheRoot({ env: {}, platform: 'linux', homeDir: '/home/a' })).toBe(path.join('/home/a', '.cache', 'electron'));
    const { Cache } = (await import(new URL('../../node_modules/@electron/get/dist/Cache.js', import.meta.url).href)) as ElectronGetCache;
    expect(runtime.runtimeCachePath('/c', url)).toBe(new Cache('/c').getCachePath(url, 'electron-v45.4.1-linux-x64.zip'));
  });

  it('probes the host with one bounded request: answers, redirects, refusals and silence', async () => {
    const ok = await server((_req, res) => res.writeHead(200).end());
    const redirect = await server((_req, res) => res.writeHead(302, { location: `${ok}file.zip` }).end());
    const missing = await server((_req, res) => res.writeHead(404).end());
    const silent = await server(() => {}); // never answers
    expect(await runtime.probeUrl(`${ok}file.zip`)).toEqual({ reachable: true });
    expect(await runtime.probeUrl(`${redirect}file.zip`)).toEqual({ reachable: true });
    expect(await runtime.probeUrl(`${missing}file.zip`)).toEqual({ reachable: false, reason: expect.stringContaining('answered 404') });
    expect(await runtime.probeUrl(`${await closedPort()}file.zip`)).toEqual({
      reachable: false,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    const started = Date.now();
    expect(await runtime.probeUrl(`${silent}file.zip`, 300)).toEqual({
      reachable: false,
      reason: expect.stringContaining('did not answer'),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says in two lines, naming npm run web, that the runtime cannot be had when its host is out of reach', async () => {
    const { root } = fakeProject();
    const result = await runCheck(root, { ELECTRON_MIRROR: await closedPort() });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^Electron 45\.4\.1 is not installed here and cannot be fetched: 127\.0\.0\.1:\d+ is out of reach \(ECONNREFUSED\)\.$/,
    );
    expect(lines[1]).toContain('`npm run web`');
    expect(result.stdout).toBe('');
  });

  it('keeps a failed download to the same two lines, without the stack electron prints', async () => {
    const { root } = fakeProject();
    const result = await runCheck(root, { ELECTRON_MIRROR: await server((_req, res) => res.writeHead(200).end()) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Fetching the Electron 45.4.1 runtime');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      'Electron 45.4.1 is not installed here and cannot be fetched: the download failed (Error: connect ETIMEDOUT 140.82.112.3:443).',
      expect.stringContaining('`npm run web`'),
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('goes on when the runtime is there', async () => {
    const { root } = fakeProject();
    const dist = tempDir();
    fs.writeFileSync(path.join(dist, 'electron'), '');
    const result = await runCheck(root, { ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_MIRROR: await closedPort() });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
