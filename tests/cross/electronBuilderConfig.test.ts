import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject } from 'ajv';
import type { Configuration } from 'app-builder-lib';
import type * as BuilderConfig from 'app-builder-lib/out/util/config/config';
import { describe, expect, it } from 'vitest';

// The installers cannot be built on this machine (no Electron download), so the packaging config is
// checked the way electron-builder checks it before doing anything: against its own JSON schema.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const configPath = path.join(root, 'electron-builder.yml');
const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder and ships no types; load() is all that is used.
const yaml = require('js-yaml') as { load(text: string): unknown };

const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(schema);

function problems(config: unknown): string[] {
  return validate(config)
    ? []
    : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const config = yaml.load(fs.readFileSync(configPath, 'utf8')) as Configuration;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; productName: string };

function targetsOf(platform: 'linux' | 'win' | 'mac'): string[] {
  const target = config[platform]?.target;
  const list = Array.isArray(target) ? target : target == null ? [] : [target];
  return list.map((t) => (typeof t === 'string' ? t : t.target)).map((t) => t.toLowerCase());
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's own schema", () => {
    expect(problems(config)).toEqual([]);
  });

  it('is one the schema check would reject if it were wrong (a misspelt key, a wrong type)', () => {
    expect(problems({ ...config, asarUnpak: config.asarUnpack })).not.toEqual([]);
    expect(problems({ ...config, linux: { ...config.linux, categroy: 'Office' } })).not.toEqual([]);
    expect(problems({ ...config, npmRebuild: 'sometimes' })).not.toEqual([]);
  });

  it('is accepted by electron-builder itself, merged with package.json as a real build would', async () => {
    const { getConfig, validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js')) as typeof BuilderConfig;
    const { DebugLogger } = await import('builder-util');
    const merged = await getConfig(root, configPath, null);
    await expect(validateConfiguration(merged, new DebugLogger(false))).resolves.toBeUndefined();
    expect(merged.appId).toBe('com.jiedai.desk');
  });

  it('unpacks better-sqlite3 from the asar, where a native addon cannot load', () => {
    expect(config.asar).not.toBe(false);
    const unpack = Array.isArray(config.asarUnpack) ? config.asarUnpack : [config.asarUnpack];
    expect(unpack.some((p) => typeof p === 'string' && p.includes('node_modules/better-sqlite3'))).toBe(true);
  });

  it('rebuilds better-sqlite3 for Electron while packaging', () => {
    expect(config.npmRebuild).toBe(true);
  });

  it('packs the built app and leaves the development addon in .native out', () => {
    const files = (config.files ?? []) as string[];
    expect(files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(files.some((p) => p.startsWith('!.native'))).toBe(true);
    expect(pkg.main.startsWith('dist/')).toBe(true);
  });

  it('makes AppImage and deb for Linux, an NSIS installer for Windows and a dmg for macOS', () => {
    expect(targetsOf('linux')).toEqual(expect.arrayContaining(['appimage', 'deb']));
    expect(targetsOf('win')).toContain('nsis');
    expect(targetsOf('mac')).toContain('dmg');
    expect(config.linux?.category).toBe('Office');
    expect(config.linux?.maintainer).toMatch(/<[^>]+@[^>]+>/);
    expect(config.productName).toBe(pkg.productName);
  });

  it('flips the Electron fuses that stop the packaged app being used as a plain Node runtime', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("never deletes the shop's data when the app is uninstalled on Windows", () => {
    expect(config.nsis?.deleteAppDataOnUninstall).toBe(false);
  });

  it('points at an app icon of at least 512×512 (macOS needs 512 to make its icns)', () => {
    expect(typeof config.icon).toBe('string');
    const icon = path.join(root, config.icon as string);
    expect(pngSize(icon)).toEqual({ width: 512, height: 512 });
    const linuxIcons = path.join(root, config.linux?.icon as string);
    expect(fs.readdirSync(linuxIcons).filter((f) => /^\d+x\d+\.png$/.test(f)).length).toBeGreaterThanOrEqual(4);
  });
});
