// The layers of the code, as an allowlist: each folder names the folders and the packages it may
// import; anything else fails the lint. VS Code's layering rule is the model (a layer reaches down,
// never up, and a library stays in the folder that owns it). `npm run lint` runs it, and
// tests/cross/layers.test.ts lints probe files that break each rule and expects every one to fail.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages every test file may use besides its layer's own (tests sit beside the code they test). */
const TEST_PACKAGES = [
  'vitest',
  '@testing-library/*',
  'fake-indexeddb',
  'fake-indexeddb/*',
  'jszip',
  'exceljs',
  'papaparse',
  'iconv-lite',
  'playwright-core',
  'jsdom',
  'node:*',
  'esbuild',
  'ws',
  'react',
  'react-dom',
];

const RENDERER_UI = ['shared', 'renderer-ipc', 'renderer-db', 'renderer-state', 'renderer-charts', 'renderer-ui'];

/**
 * Most specific folder first: a file belongs to the first layer whose folder holds it.
 * `may`: the layers it may import; `packages`: the packages it may import (`node:*` = Node built-ins,
 * `@scope/*` = every package of a scope).
 */
export const LAYERS = [
  { name: 'shared', dirs: ['shared'], may: ['shared'], packages: ['zod', 'uuid', 'iconv-lite'] },

  // Node infrastructure below everything on the Node side (worker threads).
  { name: 'main-platform', dirs: ['src-main/platform'], may: ['shared', 'main-platform'], packages: ['node:*'] },
  { name: 'main-store', dirs: ['src-main/store'], may: ['shared', 'main-store'], packages: ['better-sqlite3', 'pg', 'node:*'] },
  {
    name: 'main-services',
    dirs: ['src-main/services'],
    may: ['shared', 'main-platform', 'main-store', 'main-services'],
    packages: ['node:*', 'zod', 'exceljs', 'papaparse', 'iconv-lite', 'archiver', 'pinyin-pro', 'uuid'],
  },
  // Tier 2: a desk core's replica of its team hub (applier, outbox, rebase, the hub link).
  {
    name: 'main-teamsync',
    dirs: ['src-main/teamSync'],
    may: ['shared', 'main-platform', 'main-store', 'main-services', 'main-teamsync'],
    packages: ['node:*', 'ws'],
  },
  {
    name: 'main-channels',
    dirs: ['src-main/channels'],
    may: ['shared', 'main-platform', 'main-store', 'main-services', 'main-channels'],
    packages: ['node:*'],
  },
  {
    name: 'main-core',
    dirs: ['src-main/core'],
    may: ['shared', 'main-platform', 'main-store', 'main-services', 'main-channels', 'main-teamsync', 'main-core'],
    packages: ['node:*', 'zod'],
  },
  {
    name: 'main-host',
    dirs: ['src-main/host'],
    may: ['shared', 'main-platform', 'main-core', 'main-host'],
    packages: ['node:*', 'fastify', '@fastify/*', 'ws'],
  },
  // The team hub's network face: a core (in its worker) behind fastify, with browser mode's frames and per-socket sessions.
  {
    name: 'main-hub',
    dirs: ['src-main/hub'],
    may: ['shared', 'main-platform', 'main-core', 'main-host', 'main-hub'],
    packages: ['node:*', 'fastify', '@fastify/*', 'ws'],
  },
  { name: 'main-app', dirs: ['src-main/app'], may: ['shared', 'main-platform', 'main-core', 'main-app'], packages: ['node:*', 'electron'] },
  // The CLI is a shell: it reaches the shop only through the core's contract (never a service or the store).
  { name: 'main-cli', dirs: ['src-main/cli'], may: ['shared', 'main-platform', 'main-core', 'main-hub', 'main-cli'], packages: ['node:*'] },

  { name: 'renderer-ipc', dirs: ['src-renderer/ipc'], may: ['shared', 'renderer-ipc'], packages: ['react'] },
  // The web chat widget (issue 13): a small bundle of its own for buyers' browsers, no framework; its
  // CSS is an asset. It takes shared's types and words only (scripts/build-widget.mjs cuts the words).
  { name: 'renderer-widget', dirs: ['src-renderer/widget'], may: ['shared', 'renderer-widget'], packages: [], assets: true },
  {
    name: 'renderer-db',
    dirs: ['src-renderer/db'],
    may: ['shared', 'renderer-ipc', 'renderer-db'],
    packages: ['dexie', 'dexie-react-hooks', 'react'],
  },
  { name: 'renderer-state', dirs: ['src-renderer/state'], may: ['shared', 'renderer-state'], packages: ['zustand', 'zustand/*'] },
  {
    name: 'renderer-test',
    dirs: ['src-renderer/test'],
    may: [...RENDERER_UI, 'renderer-test'],
    packages: ['react', 'react-dom', 'react-virtuoso', '@testing-library/*', 'vitest', 'fake-indexeddb', 'fake-indexeddb/*'],
  },
  // The reports' charts: the one folder that may import ECharts (its core, the charts and components it draws, a renderer).
  {
    name: 'renderer-charts',
    dirs: ['src-renderer/features/reports/charts'],
    may: RENDERER_UI,
    packages: ['react', 'echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'],
  },
  {
    name: 'renderer-ui',
    dirs: [
      'src-renderer/app',
      'src-renderer/features',
      'src-renderer/components',
      'src-renderer/hooks',
      'src-renderer/i18n',
      'src-renderer/main.tsx',
    ],
    may: RENDERER_UI,
    packages: ['react', 'react-dom', 'react-dom/*', 'react-virtuoso', 'emojibase-data/*'],
    assets: true,
  },
];

const BUILTINS = new Set(builtinModules);

function layerOfFile(absolute) {
  const rel = path.relative(ROOT, absolute).split(path.sep).join('/');
  return LAYERS.find((layer) => layer.dirs.some((dir) => rel === dir || rel.startsWith(`${dir}/`)));
}

/** `node:fs` and `fs` are built-ins; `@scope/name/sub` is the package `@scope/name`; `name/sub` is `name`. */
function packageOf(specifier) {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) return 'node:*';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packageAllowed(specifier, allowed) {
  const name = packageOf(specifier);
  return allowed.some((entry) => {
    if (entry === name || entry === specifier) return true;
    if (entry.endsWith('/*')) {
      const base = entry.slice(0, -2);
      return name === base ? specifier !== name : name.startsWith(`${base}/`) || specifier.startsWith(`${base}/`);
    }
    return false;
  });
}

/** A test may compose any layer of its own side (a service test builds a core, a component test a fake client). */
const sameSide = (a, b) => a.name.split('-')[0] === b.name.split('-')[0] || b.name === 'shared';

const isTestFile = (file) => /\.test\.tsx?$/.test(file) || /\/testing\//.test(file.split(path.sep).join('/'));

const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only the layers and packages its layer allows (an allowlist).' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} ({{target}}): it may use {{may}}.',
      outside: '{{from}} may not import {{target}}, which is outside every layer.',
      package: '{{from}} may not import the package "{{name}}": it may use {{packages}}.',
    },
  },
  create(context) {
    const file = context.filename;
    const me = layerOfFile(file);
    if (!me) return {};
    const testing = isTestFile(file);
    const packages = testing ? [...me.packages, ...TEST_PACKAGES] : me.packages;

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (me.assets && /\.css$/.test(specifier)) return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = path.resolve(path.dirname(file), specifier);
        const layer = layerOfFile(target);
        if (!layer) {
          // Tests may use the repo's test helpers (tests/, fixtures); production code may not.
          if (testing && path.relative(ROOT, target).startsWith('tests')) return;
          context.report({ node, messageId: 'outside', data: { from: me.name, target: specifier } });
        } else if (!me.may.includes(layer.name) && !(testing && sameSide(me, layer))) {
          context.report({ node, messageId: 'layer', data: { from: me.name, to: layer.name, target: specifier, may: me.may.join(', ') } });
        }
        return;
      }
      if (!packageAllowed(specifier, packages)) {
        context.report({ node, messageId: 'package', data: { from: me.name, name: packageOf(specifier), packages: packages.join(', ') } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'allowed-imports': allowedImports } };
