// Can the Electron runtime be had? `npm start` asks this first, before it builds anything native:
// the `electron` package (45 and later) fetches its binary lazily, on first use, and on a machine
// that cannot reach the release host that would otherwise fail late, with a stack trace.
//
// The answer, in order: the binary is already in node_modules/electron/dist; or @electron/get's
// cache holds the zip (installing from it needs no network); or one bounded HTTP request shows the
// release host (or ELECTRON_MIRROR) answering. Only then is electron's own installer run.
//
// The functions here are pure or take what they touch as arguments; they are tested in
// src-main/app/startElectron.test.ts.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export const ELECTRON_RELEASES_URL = 'https://github.com/electron/electron/releases/download/';
/** How long the reachability check may take in all (redirects included). */
export const PROBE_TIMEOUT_MS = 6000;

/** The executable's path inside the electron package, as electron's installer writes it to path.txt. */
export function platformExecutable(platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * Where the runtime would be run from, as the electron package itself resolves it
 * (ELECTRON_OVERRIDE_DIST_PATH, then dist/<path.txt>), and whether it is there.
 */
export function runtimeStatus({ electronDir, env, platform }) {
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || platformExecutable(platform))
    : path.join(electronDir, 'dist', relative || platformExecutable(platform));
  return { executable, present: fs.existsSync(executable) };
}

/** The first set value of @electron/get's names for a mirror setting (.npmrc, package.json config, environment). */
function mirrorSetting(env, name) {
  const snake = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return (
    env[`npm_config_electron_${name.toLowerCase()}`] ||
    env[`NPM_CONFIG_ELECTRON_${snake.toUpperCase()}`] ||
    env[`npm_config_electron_${snake}`] ||
    env[`npm_package_config_electron_${name}`] ||
    env[`npm_package_config_electron_${snake}`] ||
    env[`ELECTRON_${snake.toUpperCase()}`] ||
    undefined
  );
}

/** The zip @electron/get would download: the same mirror settings, the same file name. */
export function runtimeDownloadUrl({ version, platform, arch, env }) {
  const tag = `v${version.replace(/^v/, '')}`;
  const base = mirrorSetting(env, 'mirror') || ELECTRON_RELEASES_URL;
  const dir = (mirrorSetting(env, 'customDir') || tag).replace('{{ version }}', tag.slice(1));
  const file = mirrorSetting(env, 'customFilename') || `electron-${tag}-${platform}-${arch}.zip`;
  return `${base}${dir}/${file}`;
}

/** @electron/get's default cache folder (env-paths('electron').cache), or electron_config_cache. */
export function runtimeCacheRoot({ env, platform, homeDir }) {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Caches', 'electron');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(homeDir, 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME || path.join(homeDir, '.cache'), 'electron');
}

/** Where @electron/get keeps a downloaded zip: a folder named by the SHA-256 of the URL's folder. */
export function runtimeCachePath(cacheRoot, url) {
  const parsed = new URL(url);
  parsed.hash = '';
  parsed.search = '';
  const fileName = path.posix.basename(parsed.pathname);
  parsed.pathname = path.posix.dirname(parsed.pathname);
  return path.join(cacheRoot, crypto.createHash('sha256').update(parsed.toString()).digest('hex'), fileName);
}

/** Whether a proxy is configured: Node's own requests ignore it, so a probe would say nothing. */
export function proxyConfigured(env) {
  return [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'GLOBAL_AGENT_HTTPS_PROXY',
    'npm_config_https_proxy',
    'npm_config_proxy',
  ].some((key) => Boolean(env[key]));
}

/**
 * One HEAD request (following up to three redirects) within `timeoutMs` in all. Resolves
 * `{ reachable: true }` for a 2xx answer, otherwise `{ reachable: false, reason }`; never rejects.
 */
export function probeUrl(url, timeoutMs = PROBE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  const attempt = (target, redirectsLeft) =>
    new Promise((resolve) => {
      let parsed;
      try {
        parsed = new URL(target);
      } catch {
        resolve({ reachable: false, reason: `${target} is not a URL` });
        return;
      }
      const client = parsed.protocol === 'http:' ? http : https;
      const left = Math.max(1, deadline - Date.now());
      const request = client.request(parsed, { method: 'HEAD', timeout: left }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location && redirectsLeft > 0) {
          resolve(attempt(new URL(location, parsed).href, redirectsLeft - 1));
        } else if (status >= 200 && status < 300) {
          resolve({ reachable: true });
        } else {
          resolve({ reachable: false, reason: `${parsed.host} answered ${status}` });
        }
      });
      const timer = setTimeout(() => request.destroy(new Error('timeout')), left);
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', (error) => {
        clearTimeout(timer);
        const reason =
          error.message === 'timeout'
            ? `${parsed.host} did not answer within ${Math.round(timeoutMs / 1000)} s`
            : `${parsed.host} is out of reach (${error.code ?? error.message})`;
        resolve({ reachable: false, reason });
      });
      request.on('close', () => clearTimeout(timer));
      request.end();
    });
  return attempt(url, 3);
}

/** The two lines `npm start` ends with when the runtime cannot be had. */
export function runtimeMissingLines(version, reason) {
  return [
    `Electron ${version} is not installed here and cannot be fetched: ${reason}.`,
    'Use `npm run web` to open Jiedai in your browser instead (same desk, no Electron needed).',
  ];
}

/**
 * Makes sure the runtime is present: returns `{ ok: true, executable }`, or `{ ok: false, lines }`
 * (what to print). Downloads only when the zip is cached or the host answered the probe.
 */
export async function ensureRuntime({
  electronDir,
  version,
  env = process.env,
  platform = process.platform,
  arch = process.arch,
  log = console.log,
  probe = probeUrl,
}) {
  const status = runtimeStatus({ electronDir, env, platform });
  if (status.present) return { ok: true, executable: status.executable };
  const url = runtimeDownloadUrl({ version, platform, arch, env });
  const cached = fs.existsSync(runtimeCachePath(runtimeCacheRoot({ env, platform, homeDir: os.homedir() }), url));
  if (!cached && !proxyConfigured(env)) {
    const answer = await probe(url);
    if (!answer.reachable) return { ok: false, lines: runtimeMissingLines(version, answer.reason) };
  }
  log(`Fetching the Electron ${version} runtime (once) …`);
  // electron's installer prints a stack trace when it fails: keep its stderr and say one line of it.
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    cwd: electronDir,
    env,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  const after = runtimeStatus({ electronDir, env, platform });
  if (result.status === 0 && after.present) return { ok: true, executable: after.executable };
  const firstLine = String(result.stderr ?? '')
    .split('\n')
    .map((line) => line.trim())
    .find(Boolean);
  const reason = result.error ? result.error.message : (firstLine ?? `the installer exited with code ${result.status}`);
  return { ok: false, lines: runtimeMissingLines(version, `the download failed (${reason.replace(/\.$/, '')})`) };
}
