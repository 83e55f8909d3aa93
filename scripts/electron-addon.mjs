// The Electron copy of better-sqlite3, for `npm start`.
//
// better-sqlite3 in node_modules is built for Node (tests, the CLI and browser mode use it).
// Electron has its own ABI, so it gets a second copy of the addon, built once per Electron version
// into .native/electron-<version>/better_sqlite3.node and handed to the core through
// JIEDAI_NATIVE_BINDING (better-sqlite3's `nativeBinding` option). node_modules is never touched,
// so `npm test` keeps working after `npm start`.
//
// The copy comes from, in order:
//   1. the cache in .native/ (its stamp names the better-sqlite3 version, platform and arch, and
//      the addon's own ABI must be Electron's: it is read from the file before every use);
//   2. better-sqlite3's prebuilt binary for this Electron ABI (prebuild-install, from GitHub);
//   3. a source build with node-gyp against Electron's headers (needs Python and a C++ compiler).
// A build whose ABI is not Electron's is never cached.
//
// Why the ABI is checked and not trusted: node-gyp lets npm_config_* variables override its
// command line, and Debian's npm sets nodedir=/usr, so under `npm start` a "build for Electron"
// silently compiled against Node's headers and was cached as Electron's. buildEnv() drops those
// variables; addonAbi() catches anything else that goes wrong the same way.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

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
 * True when the cached addon's stamp matches: a new better-sqlite3 (its JavaScript must match its
 * addon) or another platform/arch means a rebuild. The addon's ABI is checked apart (checkAddonAbi).
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

/**
 * The Node ABI (NODE_MODULE_VERSION) an addon was compiled for, read from the file without loading
 * it: a V8 addon exports `node_register_module_v<ABI>` (ELF, Mach-O and PE alike). Null if absent.
 */
export function addonAbi(bytes) {
  const match = /node_register_module_v(\d+)/.exec(bytes.toString('latin1'));
  return match ? Number(match[1]) : null;
}

/**
 * The ABI of an addon file: from its exported symbol, or else by loading it in a child Node, which
 * either loads it (then it is this Node's ABI) or says "compiled … using NODE_MODULE_VERSION X".
 */
export function addonFileAbi(file) {
  const fromSymbol = addonAbi(fs.readFileSync(file));
  if (fromSymbol !== null) return fromSymbol;
  const child = spawnSync(process.execPath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', file], { encoding: 'utf8' });
  if (child.status === 0) return Number(process.versions.modules);
  const match = /NODE_MODULE_VERSION (\d+)/.exec(String(child.stderr));
  return match ? Number(match[1]) : null;
}

/**
 * Electron's ABI for its version: the electron package's own abi_version file when it is that
 * version, else node-abi's offline table. Null when neither knows.
 */
export function electronAbi(electronVersion, requireFromRoot) {
  try {
    const electronDir = path.dirname(requireFromRoot.resolve('electron/package.json'));
    const pkg = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8'));
    const file = path.join(electronDir, 'abi_version');
    if (pkg.version === electronVersion && fs.existsSync(file)) {
      const abi = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(abi) && abi > 0) return abi;
    }
  } catch {
    // no electron package: ask node-abi
  }
  try {
    return Number(requireFromRoot('node-abi').getAbi(electronVersion, 'electron'));
  } catch {
    return null;
  }
}

/** `{ ok: true }` when the addon at `file` is built for `expectedAbi`, else `{ ok: false, reason }` (a sentence). */
export function checkAddonAbi(file, expectedAbi, electronVersion) {
  if (!fs.existsSync(file)) return { ok: false, reason: `${file} does not exist.` };
  const abi = addonFileAbi(file);
  if (abi === expectedAbi) return { ok: true };
  const built =
    abi === null ? 'an unknown ABI' : `ABI ${abi}${abi === Number(process.versions.modules) ? ` (this Node ${process.version})` : ''}`;
  return { ok: false, reason: `${path.basename(file)} is built for ${built}, not Electron ${electronVersion}'s ABI ${expectedAbi}.` };
}

/**
 * The environment for prebuild-install and node-gyp: without the npm_config_* settings that would
 * override the Electron target given on the command line (node-gyp lets the environment win).
 */
export function buildEnv(env) {
  const overriding = /^npm_config_(nodedir|target|target_arch|arch|runtime|disturl|dist_url|devdir)$/i;
  return Object.fromEntries(Object.entries(env).filter(([key]) => !overriding.test(key)));
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

/** Copies the better-sqlite3 package without its Node build, so a build can never touch node_modules. */
export function copyFilter(packageDir) {
  const nodeBuild = path.join(packageDir, 'build');
  return (source) => source !== nodeBuild && !source.startsWith(nodeBuild + path.sep);
}

/**
 * The cached addon when its stamp matches and its ABI is Electron's; a cache that fails the ABI
 * check is thrown away, with a sentence, so the next step rebuilds it. Returns the path or null.
 */
export function usableCachedAddon({ dir, expectedStamp, expectedAbi, electronVersion, log = console.log }) {
  const addon = path.join(dir, ADDON_FILE);
  const stampFile = path.join(dir, 'stamp.json');
  const stampText = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : undefined;
  if (!isCachedBuildUsable(stampText, expectedStamp, fs.existsSync(addon))) return null;
  const check = checkAddonAbi(addon, expectedAbi, electronVersion);
  if (check.ok) return addon;
  log(`The cached Electron copy of better-sqlite3 is unusable: ${check.reason} Throwing it away and building it again.`);
  fs.rmSync(dir, { recursive: true, force: true });
  return null;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) console.error(`  ${command}: ${result.error.message}`);
  return result.status === 0;
}

/** Builds the addon in a scratch copy of the package; returns the built file's bytes or null. */
function buildAddon({ root, packageDir, electronVersion, requireFromPackage }) {
  const nativeRoot = path.join(root, '.native');
  fs.mkdirSync(nativeRoot, { recursive: true });
  // Leftovers of an interrupted build (Ctrl+C skips the cleanup below).
  for (const entry of fs.readdirSync(nativeRoot)) {
    if (entry.startsWith('build-')) fs.rmSync(path.join(nativeRoot, entry), { recursive: true, force: true });
  }
  const work = fs.mkdtempSync(path.join(nativeRoot, 'build-'));
  const copy = path.join(work, 'better-sqlite3');
  const env = buildEnv(process.env);
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
      run(process.execPath, [prebuildCli, ...prebuildInstallArgs(electronVersion, process.platform, process.arch)], { cwd: copy, env });
    }

    if (!fs.existsSync(built)) {
      console.log('  building from source (node-gyp) …');
      const gyp = nodeGypCandidates({ root, env: process.env, execPath: process.execPath }).find((file) => fs.existsSync(file));
      if (!gyp) {
        console.error('  node-gyp is not installed (it comes with npm).');
        return null;
      }
      // Without npm's nodedir in the environment node-gyp fetches Electron's headers into --devdir.
      run(process.execPath, [gyp, ...nodeGypArgs(electronVersion, process.arch, os.homedir())], { cwd: copy, env });
    }

    if (!fs.existsSync(built)) return null;
    return { file: built, bytes: fs.readFileSync(built) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Returns the path of an Electron-ABI better_sqlite3.node, building it first if needed, or null. */
export function ensureElectronAddon(root, requireFromRoot, electronVersion) {
  const packageDir = path.dirname(requireFromRoot.resolve('better-sqlite3/package.json'));
  const betterSqlite3Version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  const expectedStamp = buildStamp({ electronVersion, betterSqlite3Version, platform: process.platform, arch: process.arch });
  const expectedAbi = electronAbi(electronVersion, requireFromRoot);
  if (expectedAbi === null) {
    console.error(`Cannot tell which ABI Electron ${electronVersion} has (no abi_version in the electron package, no node-abi entry).`);
    return null;
  }
  const dir = nativeDir(root, electronVersion);
  const cached = usableCachedAddon({ dir, expectedStamp, expectedAbi, electronVersion });
  if (cached) return cached;

  console.log(`Preparing better-sqlite3 ${betterSqlite3Version} for Electron ${electronVersion} (ABI ${expectedAbi}, once per version) …`);
  const built = buildAddon({ root, packageDir, electronVersion, requireFromPackage: createRequire(path.join(packageDir, 'package.json')) });
  if (!built) return null;
  const abi = addonAbi(built.bytes);
  if (abi !== expectedAbi) {
    console.error(`  the build came out for ABI ${abi ?? 'unknown'}, not Electron's ${expectedAbi}: not using it.`);
    return null;
  }
  fs.mkdirSync(dir, { recursive: true });
  const addon = nativeBindingPath(root, electronVersion);
  // Write then rename, so an interrupted run never leaves a half-written addon behind.
  fs.writeFileSync(`${addon}.tmp`, built.bytes);
  fs.renameSync(`${addon}.tmp`, addon);
  fs.writeFileSync(path.join(dir, 'stamp.json'), `${JSON.stringify({ ...expectedStamp, abi }, null, 2)}\n`);
  console.log(`  ready: ${path.relative(root, addon)}`);
  return addon;
}
