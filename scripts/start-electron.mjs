#!/usr/bin/env node
// `npm start` (after `npm run build`): launches the desk in Electron.
//
// better-sqlite3 in node_modules is built for Node (tests, the CLI and browser mode use it).
// Electron has its own ABI, so it gets a second copy of the addon, built once per Electron version
// into .native/electron-<version>/better_sqlite3.node and handed to the core through
// JIEDAI_NATIVE_BINDING (better-sqlite3's `nativeBinding` option). node_modules is never touched,
// so `npm test` keeps working after `npm start`.
//
// The Electron copy comes from, in order:
//   1. the cache in .native/ (its stamp names the better-sqlite3 version, platform and arch);
//   2. better-sqlite3's prebuilt binary for this Electron ABI (prebuild-install, from GitHub);
//   3. a source build with node-gyp against Electron's headers (needs Python and a C++ compiler).
// Both downloads need the network; a clear message says what to do when neither works.
//
// The functions exported here are pure (paths, arguments, decisions) and tested in
// src-main/app/startElectron.test.ts; main() only runs when this file is executed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';
export const ADDON_FILE = 'better_sqlite3.node';

/** `.native/electron-<version>/` under the project root. */
export function nativeDir(root, electronVersion) {
  return path.join(root, '.native', `electron-${electronVersion}`);
}

/** Where the Electron-ABI addon lives; this is what JIEDAI_NATIVE_BINDING points at. */
export function nativeBindingPath(root, electronVersion) {
  return path.join(nativeDir(root, electronVersion), ADDON_FILE);
}

/** What a cached addon must have been built from to be reused. */
export function buildStamp({ electronVersion, betterSqlite3Version, platform, arch }) {
  return { electron: electronVersion, betterSqlite3: betterSqlite3Version, platform, arch };
}

/**
 * True when the cached addon can be used as is: it exists and its stamp matches. A new
 * better-sqlite3 (its JavaScript must match its addon) or another platform/arch means a rebuild.
 */
export function isCachedBuildUsable(stampText, expected, addonExists) {
  if (!addonExists || typeof stampText !== 'string') return false;
  let stamp;
  try {
    stamp = JSON.parse(stampText);
  } catch {
    return false;
  }
  return Object.entries(expected).every(([key, value]) => stamp?.[key] === value);
}

/** Arguments for prebuild-install: fetch better-sqlite3's published binary for this Electron. */
export function prebuildInstallArgs(electronVersion, platform, arch) {
  return ['--runtime=electron', `--target=${electronVersion}`, `--platform=${platform}`, `--arch=${arch}`, '--verbose'];
}

/** Arguments for node-gyp: a release build against Electron's headers, cached apart from Node's. */
export function nodeGypArgs(electronVersion, arch, homeDir) {
  return [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    `--dist-url=${ELECTRON_HEADERS_URL}`,
    `--devdir=${path.join(homeDir, '.electron-gyp')}`,
  ];
}

/**
 * Where a node-gyp CLI may be, best first: the project's own, the one npm announces to scripts
 * (npm_config_node_gyp), then the one bundled with the npm that runs us or that sits beside node.
 */
export function nodeGypCandidates({ root, env, execPath }) {
  const candidates = [path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  if (env.npm_config_node_gyp) candidates.push(env.npm_config_node_gyp);
  if (env.npm_execpath) candidates.push(path.join(path.dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  const nodeDir = path.dirname(execPath);
  candidates.push(path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates;
}

/**
 * How to launch Electron: the project root as the app (package.json's main is the bundled shell),
 * the user's own flags after it (--data-dir, --no-demo-buyers, …), and the addon's path in the
 * environment. ELECTRON_RUN_AS_NODE is dropped: inherited (from an editor's terminal, say) it
 * would start Electron as plain Node.
 */
export function launchPlan({ electronPath, root, userArgs, env, bindingPath }) {
  const childEnv = { ...env, JIEDAI_NATIVE_BINDING: bindingPath };
  delete childEnv.ELECTRON_RUN_AS_NODE;
  return { command: electronPath, args: [root, ...userArgs], env: childEnv };
}

/** Copies the better-sqlite3 package without its Node build, so a build can never touch node_modules. */
export function copyFilter(packageDir) {
  const nodeBuild = path.join(packageDir, 'build');
  return (source) => source !== nodeBuild && !source.startsWith(nodeBuild + path.sep);
}

// ---------------------------------------------------------------------------------------------

const BUILD_HELP = `
Jiedai could not get a copy of better-sqlite3 built for Electron.
It tried better-sqlite3's prebuilt binary (from github.com) and then a build from source with
node-gyp (headers from ${ELECTRON_HEADERS_URL}). To fix it:
  - make sure this machine can reach github.com and electronjs.org (or set HTTPS_PROXY);
  - for a build from source, install Python 3 and a C++ toolchain:
      Debian/Ubuntu: sudo apt-get install build-essential python3
      macOS:         xcode-select --install
      Windows:       Visual Studio Build Tools with "Desktop development with C++"
  - then run \`npm start\` again.
Meanwhile \`npm run web\` opens the same desk in a browser and needs no Electron build.`;

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) console.error(`  ${command}: ${result.error.message}`);
  return result.status === 0;
}

function buildAddon({ root, packageDir, electronVersion, requireFromPackage }) {
  const nativeRoot = path.join(root, '.native');
  fs.mkdirSync(nativeRoot, { recursive: true });
  // Leftovers of an interrupted build (Ctrl+C skips the cleanup below).
  for (const entry of fs.readdirSync(nativeRoot)) {
    if (entry.startsWith('build-')) fs.rmSync(path.join(nativeRoot, entry), { recursive: true, force: true });
  }
  const work = fs.mkdtempSync(path.join(nativeRoot, 'build-'));
  const copy = path.join(work, 'better-sqlite3');
  try {
    fs.cpSync(packageDir, copy, { recursive: true, filter: copyFilter(packageDir) });
    const built = path.join(copy, 'build', 'Release', ADDON_FILE);

    let prebuildCli = null;
    try {
      prebuildCli = requireFromPackage.resolve('prebuild-install/bin.js');
    } catch {
      // not installed: go straight to node-gyp
    }
    if (prebuildCli) {
      console.log('  trying the prebuilt binary (prebuild-install) …');
      run(process.execPath, [prebuildCli, ...prebuildInstallArgs(electronVersion, process.platform, process.arch)], { cwd: copy });
    }

    if (!fs.existsSync(built)) {
      console.log('  building from source (node-gyp) …');
      const args = nodeGypArgs(electronVersion, process.arch, os.homedir());
      const gyp = nodeGypCandidates({ root, env: process.env, execPath: process.execPath }).find((file) => fs.existsSync(file));
      if (gyp) run(process.execPath, [gyp, ...args], { cwd: copy });
      else run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', 'node-gyp', ...args], { cwd: copy, shell: process.platform === 'win32' });
    }

    if (!fs.existsSync(built)) return null;
    return fs.readFileSync(built);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Returns the path of an Electron-ABI better_sqlite3.node, building it first if needed. */
function ensureElectronAddon(root, requireFromRoot, electronVersion) {
  const packageDir = path.dirname(requireFromRoot.resolve('better-sqlite3/package.json'));
  const betterSqlite3Version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  const expected = buildStamp({ electronVersion, betterSqlite3Version, platform: process.platform, arch: process.arch });
  const dir = nativeDir(root, electronVersion);
  const addon = nativeBindingPath(root, electronVersion);
  const stampFile = path.join(dir, 'stamp.json');
  const stampText = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : undefined;
  if (isCachedBuildUsable(stampText, expected, fs.existsSync(addon))) return addon;

  console.log(`Preparing better-sqlite3 ${betterSqlite3Version} for Electron ${electronVersion} (once per version) …`);
  const bytes = buildAddon({
    root,
    packageDir,
    electronVersion,
    requireFromPackage: createRequire(path.join(packageDir, 'package.json')),
  });
  if (!bytes) return null;
  fs.mkdirSync(dir, { recursive: true });
  // Write then rename, so an interrupted run never leaves a half-written addon behind.
  fs.writeFileSync(`${addon}.tmp`, bytes);
  fs.renameSync(`${addon}.tmp`, addon);
  fs.writeFileSync(stampFile, `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`  ready: ${path.relative(root, addon)}`);
  return addon;
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const requireFromRoot = createRequire(path.join(root, 'package.json'));

  if (!fs.existsSync(path.join(root, 'dist', 'main', 'app', 'main.js')) || !fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
    console.error('The app is not built yet: run `npm run build` first (`npm start` does both).');
    process.exit(1);
  }

  const electronVersion = requireFromRoot('electron/package.json').version;
  const bindingPath = ensureElectronAddon(root, requireFromRoot, electronVersion);
  if (!bindingPath) {
    console.error(BUILD_HELP);
    process.exit(1);
  }

  let electronPath;
  try {
    // In plain Node the electron package exports the runtime's path, fetching the runtime on first use.
    electronPath = requireFromRoot('electron');
  } catch (error) {
    console.error(`Could not get the Electron ${electronVersion} runtime: ${error instanceof Error ? error.message : String(error)}`);
    console.error('It is downloaded on first launch from github.com (or ELECTRON_MIRROR). `npm run web` works without it.');
    process.exit(1);
  }

  const plan = launchPlan({ electronPath, root, userArgs: process.argv.slice(2), env: process.env, bindingPath });
  const child = spawn(plan.command, plan.args, { stdio: 'inherit', env: plan.env, windowsHide: false });
  let closed = false;
  child.on('error', (error) => {
    console.error(`Could not start Electron: ${error.message}`);
    process.exit(1);
  });
  child.on('close', (code, signal) => {
    closed = true;
    if (code === null) {
      console.error(`Electron exited with signal ${signal}`);
      process.exit(1);
    }
    process.exit(code);
  });
  // Ctrl+C already reaches Electron (same process group), and a second SIGINT would make it quit at
  // once, skipping the database close: so wait for it rather than forward. A SIGTERM sent to this
  // script alone is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {
    if (!closed) child.kill('SIGTERM');
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
