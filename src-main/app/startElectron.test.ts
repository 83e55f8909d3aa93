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
  launchPlan(input: { electronPath: string; root: string; userArgs: string[]; env: Record<string, string | undefined>; bindingPath: string }): {
    command: string;
    args: string[];
    env: Record<string, string | undefined>;
  };
  copyFilter(packageDir: string): (source: string) => boolean;
};

const scriptUrl = new URL('../../scripts/start-electron.mjs', import.meta.url).href;
const script = (await import(scriptUrl)) as StartElectron;

const root = path.resolve('/src/jiedai');
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
});
