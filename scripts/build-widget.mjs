// Bundles the web chat widget (src-renderer/widget) into dist/widget: widget.js (the script a shop puts
// on its pages), chat.js and chat.css (the chat page the hub serves). Plain browser code, no framework;
// the dictionaries are cut to the widget's own words at build time (see src-renderer/widget/words.ts).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORDS = path.join(ROOT, 'src-renderer/widget/words.ts');

/** words.ts evaluated once (it picks the `widget.*` sentences from both dictionaries), as a module of that value only. */
async function widgetWords() {
  const out = await build({ entryPoints: [WORDS], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning' });
  const temp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-words-')), 'words.mjs');
  fs.writeFileSync(temp, out.outputFiles[0].text);
  try {
    const { WORDS: value } = await import(pathToFileURL(temp).href);
    return `export const WORDS = ${JSON.stringify(value)};`;
  } finally {
    fs.rmSync(path.dirname(temp), { recursive: true, force: true });
  }
}

/** Builds the widget into `outdir`; returns each file's size and gzip size. */
export async function buildWidget(outdir = path.join(ROOT, 'dist/widget')) {
  const words = await widgetWords();
  const onlyTheWords = {
    name: 'widget-words',
    setup(b) {
      b.onLoad({ filter: /[\\/]src-renderer[\\/]widget[\\/]words\.ts$/ }, () => ({ contents: words, loader: 'js' }));
    },
  };
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { widget: path.join(ROOT, 'src-renderer/widget/loader.ts'), chat: path.join(ROOT, 'src-renderer/widget/chat.ts') },
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [onlyTheWords],
  });
  return Object.fromEntries(
    fs.readdirSync(outdir).map((name) => {
      const body = fs.readFileSync(path.join(outdir, name));
      return [name, { bytes: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length }];
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = await buildWidget(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  const total = Object.values(sizes).reduce((n, s) => n + s.gzip, 0);
  // The performance row: the widget's script well under 100 KB compressed.
  if (total > 100 * 1024) {
    console.error(`the widget is ${total} bytes gzipped, over the 100 KB budget`);
    process.exit(1);
  }
}
