#!/usr/bin/env node
// `npm start`: launches the desk in Electron.
//
//   node scripts/start-electron.mjs --check-runtime   (before `npm run build`)
//     makes sure the Electron runtime is here or can be fetched (electron-runtime.mjs), and says so
//     in two lines, naming `npm run web`, when it cannot: nothing is built for Electron before that.
//   node scripts/start-electron.mjs [--data-dir DIR …]  (after the build)
//     the same check, then the Electron copy of better-sqlite3 (electron-addon.mjs), then Electron.
//
// The helpers exported here are pure and tested in src-main/app/startElectron.test.ts; main() only
// runs when this file is executed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureElectronAddon } from './electron-addon.mjs';
import { ensureRuntime } from './electron-runtime.mjs';

export * from './electron-addon.mjs';

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

const BUILD_HELP = [
  'Jiedai could not get a copy of better-sqlite3 built for Electron (see the lines above).',
  "It needs either better-sqlite3's prebuilt binary (github.com) or Electron's headers (electronjs.org)",
  'and a C++ toolchain (Debian/Ubuntu: build-essential python3; macOS: xcode-select --install;',
  'Windows: Visual Studio Build Tools). Until then `npm run web` opens the same desk in a browser.',
].join('\n');

async function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  const args = process.argv.slice(2);
  const checkOnly = args.includes('--check-runtime');

  let electronVersion;
  let electronDir;
  try {
    electronDir = path.dirname(requireFromRoot.resolve('electron/package.json'));
    electronVersion = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    console.error('The electron package is not installed.');
    console.error('Run `npm install`, or use `npm run web` to open Jiedai in your browser.');
    process.exit(1);
  }

  const runtime = await ensureRuntime({ electronDir, version: electronVersion });
  if (!runtime.ok) {
    for (const line of runtime.lines) console.error(line);
    process.exit(1);
  }
  if (checkOnly) return;

  if (
    !fs.existsSync(path.join(root, 'dist', 'main', 'app', 'main.js')) ||
    !fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))
  ) {
    console.error('The app is not built yet: run `npm run build` first (`npm start` does both).');
    process.exit(1);
  }

  const bindingPath = ensureElectronAddon(root, requireFromRoot, electronVersion);
  if (!bindingPath) {
    console.error(BUILD_HELP);
    process.exit(1);
  }

  const plan = launchPlan({ electronPath: runtime.executable, root, userArgs: args, env: process.env, bindingPath });
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

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error('`npm run web` opens the same desk in a browser.');
    process.exit(1);
  });
}
