// Layering, VS Code style: each folder may use only what its layer allows (an allowlist in
// eslint/layers.mjs), and the lint fails when a layer reaches up or a library leaves its folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.mjs';

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
    files: ['shared/**/*.ts', 'src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Logging goes through one small logger per process kind (shared/log/logger.ts shapes the line):
    // src-main/platform/log.ts writes stderr, src-renderer/ipc/log.ts and the preload's the console.
    // What a command tells its user is output, written through its io (process.stdout/stderr).
    files: ['shared/**/*.ts', 'src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/ipc/log.ts', 'src-main/app/preloadLog.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The preload's bridge is the transport: only the client knows it is there.
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/ipc/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'jiedai', message: 'Only src-renderer/ipc/client.ts talks to the transport.' },
      ],
      'no-restricted-globals': ['error', { name: 'jiedai', message: 'Only src-renderer/ipc/client.ts talks to the transport.' }],
    },
  },
);
