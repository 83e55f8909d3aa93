// Bundles the Node side (Electron main + preload, core worker, log-export worker, browser-mode host, CLI)
// into dist/main.
// Only native and Electron modules (and exceljs, see below) stay outside the bundle.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // exceljs stays a package (a production dependency, loaded lazily by the export thread): bundled, its
  // archiver's `new Buffer()` counts as app code and Node prints a deprecation warning on every export.
  external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate', 'exceljs', 'pg-native', 'cloudflare:sockets'],
  outbase: 'src-main',
  outdir: 'dist/main',
};

// ESM bundles that include CommonJS dependencies need a real `require` for Node built-ins.
const requireShim =
  "import { createRequire as __jiedaiCreateRequire } from 'node:module'; const require = __jiedaiCreateRequire(import.meta.url);";

await Promise.all([
  build({
    ...common,
    format: 'esm',
    banner: { js: requireShim },
    // Worker entries keep their place under dist/main: core/worker.js, services/logExport/exportWorker.js,
    // services/phrases/files/parseWorker.js
    // (spawnWorker finds them relative to the bundle that starts them).
    entryPoints: [
      'src-main/app/main.ts',
      'src-main/core/worker.ts',
      'src-main/services/logExport/exportWorker.ts',
      'src-main/services/phrases/files/parseWorker.ts',
      'src-main/store/pg/pgWorker.ts',
      'src-main/host/server.ts',
      'src-main/cli/jiedai.ts',
    ],
  }),
  // A sandboxed preload cannot be an ES module.
  build({ ...common, format: 'cjs', entryPoints: ['src-main/app/preload.ts'], outExtension: { '.js': '.cjs' } }),
]);
