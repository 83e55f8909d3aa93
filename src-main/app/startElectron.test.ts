import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// scripts/start-electron.mjs is plain JavaScript (it runs before anything is built); its pure helpers
// are typed here by hand and loaded from a runtime URL so TypeScript does not look for declarations.
type Stamp = { electron: string; betterSqlite3: string; platform: string; arch: string };
type StartElectron = {
  ELECTRON_HEADERS_URL: string;
  nativeBindingPath(root: string, electronVersion: string): string;
  buildStamp(input: { electronVersion: string; betterSqlite3Version: string; platform: string; arch: string }): Stamp;
  isCachedBuildUsable(stampText: string | undefined, expected: Stamp, addonExists: boolean): boolean;
  prebuildInstallArgs(electronVersion: string, platform: string, arch: string): string[];
  nodeGypArgs(electronVersion: string, arch: string, homeDir: string): string[];
  nodeGypCandidates(input: { root: string; env: Record<string, string | undefined>; execPath: string }): string[];
  launchPlan(input: {
    electronPath: string;
    root: string;
    userArgs: string[];
    env: Record<string, string | undefined>;
    bindingPath: string;
  }): {
    command: string;
    args: string[];
    env: Record<string, string | undefined>;
  };
  copyFilter(packageDir: string): (source: string) => boolean;
  addonAbi(bytes: Buffer): number | null;
  addonFileAbi(file: string): number | null;
  electronAbi(electronVersion: string, requireFromRoot: NodeJS.Require): number | null;
  checkAddonAbi(file: string, expectedAbi: number, electronVersion: string): { ok: true } | { ok: false; reason: string };
  usableCachedAddon(input: {
    dir: string;
    expectedStamp: Stamp;
    expectedAbi: number;
    electronVersion: string;
    log: (line: string) => void;
  }): string | null;
  buildEnv(env: Record<string, string | undefined>): Record<string, string | undefined>;
};

const scriptUrl = new URL('../../scripts/start-electron.mjs', import.meta.url).href;
const script = (await import(scriptUrl)) as StartElectron;

const root = path.resolve('/src/jiedai');
const requireFromHere = createRequire(import.meta.url);
/** The addon the tests load: built for this Node, the thing a bad "Electron" build turned out to be. */
const nodeAddon = path.join(
  path.dirname(requireFromHere.resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node',
);
const electronVersion = (requireFromHere('electron/package.json') as { version: string }).version;
const stamp = script.buildStamp({ electronVersion: '45.4.1', betterSqlite3Version: '12.11.1', platform: 'linux', arch: 'x64' });

describe('start-electron', () => {
  it('keeps the Electron copy of the addon under .native, apart from the Node one in node_modules', () => {
    const file = script.nativeBindingPath(root, '45.4.1');
    expect(file).toBe(path.join(root, '.native', 'electron-45.4.1', 'better_sqlite3.node'));
    expect(file).not.toContain('node_modules');
  });

  it('reuses a cached addon only when it was built from the same better-sqlite3, platform and arch', () => {
    const same = JSON.stringify(stamp);
    expect(script.isCachedBuildUsable(same, stamp, true)).toBe(true);
    expect(script.isCachedBuildUsable(same, stamp, false)).toBe(false);
    expect(script.isCachedBuildUsable(undefined, stamp, true)).toBe(false);
    expect(script.isCachedBuildUsable('{broken', stamp, true)).toBe(false);
    expect(script.isCachedBuildUsable(JSON.stringify({ ...stamp, betterSqlite3: '12.12.0' }), stamp, true)).toBe(false);
    expect(script.isCachedBuildUsable(JSON.stringify({ ...stamp, arch: 'arm64' }), stamp, true)).toBe(false);
  });

  it('builds from source against the Electron headers, for Electron, in release mode', () => {
    const args = script.nodeGypArgs('45.4.1', 'x64', '/home/a');
    expect(args.slice(0, 4)).toEqual(['rebuild', '--release', '--runtime=electron', '--target=45.4.1']);
    expect(args).toContain('--dist-url=https://electronjs.org/headers');
    expect(args).toContain(`--devdir=${path.join('/home/a', '.electron-gyp')}`);
    expect(script.prebuildInstallArgs('45.4.1', 'win32', 'x64')).toEqual(
      expect.arrayContaining(['--runtime=electron', '--target=45.4.1', '--platform=win32', '--arch=x64']),
    );
  });

  it("looks for node-gyp in the project first, then npm's own", () => {
    const candidates = script.nodeGypCandidates({
      root,
      env: { npm_config_node_gyp: '/npm/node_modules/node-gyp/bin/node-gyp.js' },
      execPath: '/usr/bin/node',
    });
    expect(candidates[0]).toBe(path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
    expect(candidates[1]).toBe('/npm/node_modules/node-gyp/bin/node-gyp.js');
    expect(candidates).toContain(path.join('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'));
  });

  it('launches the project as the app with the user flags and the addon path, never as plain Node', () => {
    const plan = script.launchPlan({
      electronPath: '/e/electron',
      root,
      userArgs: ['--data-dir', '/tmp/shop', '--no-demo-buyers'],
      env: { PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' },
      bindingPath: '/b.node',
    });
    expect(plan.command).toBe('/e/electron');
    expect(plan.args).toEqual([root, '--data-dir', '/tmp/shop', '--no-demo-buyers']);
    expect(plan.env).toEqual({ PATH: '/bin', JIEDAI_NATIVE_BINDING: '/b.node' });
  });

  it("copies better-sqlite3 without its Node build, so the Electron build cannot overwrite the tests' addon", () => {
    const pkg = path.join(root, 'node_modules', 'better-sqlite3');
    const keep = script.copyFilter(pkg);
    expect(keep(path.join(pkg, 'src', 'better_sqlite3.cpp'))).toBe(true);
    expect(keep(path.join(pkg, 'deps', 'sqlite3', 'sqlite3.c'))).toBe(true);
    expect(keep(path.join(pkg, 'build-tools'))).toBe(true);
    expect(keep(path.join(pkg, 'build'))).toBe(false);
    expect(keep(path.join(pkg, 'build', 'Release', 'better_sqlite3.node'))).toBe(false);
  });

  it("knows Electron's ABI offline, and it is not this Node's", () => {
    const abi = script.electronAbi(electronVersion, requireFromHere);
    expect(abi).toBe(Number((requireFromHere('node-abi') as { getAbi(v: string, r: string): string }).getAbi(electronVersion, 'electron')));
    expect(abi).not.toBe(Number(process.versions.modules));
  });

  it('reads the ABI an addon was built for from the file, without loading it', () => {
    expect(script.addonFileAbi(nodeAddon)).toBe(Number(process.versions.modules));
    expect(script.addonAbi(Buffer.from('\0_node_register_module_v150\0'))).toBe(150);
    expect(script.addonAbi(Buffer.from('napi_register_module_v1'))).toBeNull();
  });

  it("refuses a Node-ABI addon labelled as Electron's", () => {
    const abi = script.electronAbi(electronVersion, requireFromHere)!;
    const check = script.checkAddonAbi(nodeAddon, abi, electronVersion);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(`built for ABI ${process.versions.modules}`);
    expect(check.ok ? '' : check.reason).toContain(`not Electron ${electronVersion}'s ABI ${abi}`);
  });

  it('throws away a cached "Electron" addon that is really built for Node, and says so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-native-'));
    try {
      const expectedStamp = script.buildStamp({
        electronVersion,
        betterSqlite3Version: '12.11.1',
        platform: process.platform,
        arch: process.arch,
      });
      const cache = path.join(dir, `electron-${electronVersion}`);
      const plant = () => {
        fs.mkdirSync(cache, { recursive: true });
        fs.copyFileSync(nodeAddon, path.join(cache, 'better_sqlite3.node'));
        fs.writeFileSync(path.join(cache, 'stamp.json'), JSON.stringify(expectedStamp));
      };
      const said: string[] = [];
      const log = (line: string) => said.push(line);
      plant();
      // The same file passes where its ABI is the expected one: the refusal below is about the ABI alone.
      expect(
        script.usableCachedAddon({ dir: cache, expectedStamp, expectedAbi: Number(process.versions.modules), electronVersion, log }),
      ).toBe(path.join(cache, 'better_sqlite3.node'));
      const electron = script.electronAbi(electronVersion, requireFromHere)!;
      expect(script.usableCachedAddon({ dir: cache, expectedStamp, expectedAbi: electron, electronVersion, log })).toBeNull();
      expect(fs.existsSync(cache)).toBe(false);
      expect(said).toEqual([
        expect.stringMatching(/cached Electron copy of better-sqlite3 is unusable: .*ABI \d+.*not Electron .*Throwing it away/),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps npm's nodedir and target settings away from node-gyp, which would let them override the Electron target", () => {
    const env = script.buildEnv({
      PATH: '/bin',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      npm_config_target: '20.19.0',
      npm_config_runtime: 'node',
      npm_config_disturl: 'https://nodejs.org/dist',
      npm_config_node_gyp: '/npm/node-gyp.js',
    });
    expect(env).toEqual({ PATH: '/bin', npm_config_node_gyp: '/npm/node-gyp.js' });
  });
});
