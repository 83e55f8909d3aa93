import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the preload bundle', () => {
  // A sandboxed preload can require('electron') and nothing else: any other require (a Node
  // built-in slipped into bridge.ts or the contract) would only fail inside Electron, at launch.
  it('requires nothing but electron, bundled as scripts/build-main.mjs does', async () => {
    const out = await build({
      entryPoints: [path.join(root, 'src-main/app/preload.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const required = new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    // One thing reaches the page: window.jiedai (its shape is checked in bridge.test.ts).
    expect(code.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(code).toContain('exposeInMainWorld("jiedai"');
  });
});
