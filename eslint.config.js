// Layering, VS Code style: each folder may use only what its layer allows, and the build fails
// when a layer reaches up or a library leaves its folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'url', 'util', 'stream', 'zlib'];

const restrict = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', '.tsbuild/**', '.native/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [nodeBuiltins, 'shared/ is pure: no Node built-ins.'],
      [['electron', 'better-sqlite3', 'react', 'react-dom', 'zustand', 'dexie', 'dexie-react-hooks', 'ws'], 'shared/ imports no platform library (zod and uuid only).'],
      [['**/src-main/**', '**/src-renderer/**'], 'shared/ never imports an app layer.'],
    ),
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [nodeBuiltins, 'The renderer is a web page: no Node built-ins.'],
      [['electron', 'better-sqlite3', 'ws'], 'The renderer talks to the core only through src-renderer/ipc/client.ts.'],
      [['**/src-main/**'], 'The renderer never imports src-main.'],
    ),
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/db/**'],
    rules: restrict(
      [nodeBuiltins, 'The renderer is a web page: no Node built-ins.'],
      [['electron', 'better-sqlite3', 'ws'], 'The renderer talks to the core only through src-renderer/ipc/client.ts.'],
      [['**/src-main/**'], 'The renderer never imports src-main.'],
      [['dexie', 'dexie-react-hooks'], 'Dexie lives in src-renderer/db only.'],
    ),
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/db/**', 'src-renderer/state/**'],
    rules: restrict(
      [nodeBuiltins, 'The renderer is a web page: no Node built-ins.'],
      [['electron', 'better-sqlite3', 'ws'], 'The renderer talks to the core only through src-renderer/ipc/client.ts.'],
      [['**/src-main/**'], 'The renderer never imports src-main.'],
      [['dexie', 'dexie-react-hooks'], 'Dexie lives in src-renderer/db only.'],
      [['zustand', 'zustand/*'], 'zustand lives in src-renderer/state only.'],
    ),
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/store/**'],
    rules: restrict(
      [['better-sqlite3'], 'SQL and better-sqlite3 live in src-main/store only.'],
      [['**/src-renderer/**', 'react', 'react-dom', 'zustand', 'dexie'], 'The Node side never imports the renderer or its libraries.'],
    ),
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: restrict(
      [['better-sqlite3'], 'SQL and better-sqlite3 live in src-main/store only.'],
      [['electron'], 'Only the Electron shell (src-main/app) imports electron; the core runs without it.'],
      [['**/src-renderer/**', 'react', 'react-dom', 'zustand', 'dexie'], 'The Node side never imports the renderer or its libraries.'],
    ),
  },
  {
    files: ['src-main/store/**/*.ts'],
    rules: restrict(
      [['electron'], 'The store runs without Electron.'],
      [['**/src-renderer/**', 'react', 'react-dom', 'zustand', 'dexie'], 'The Node side never imports the renderer or its libraries.'],
    ),
  },
);
