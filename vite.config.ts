import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer bundle: the same files serve the Electron window and browser mode. */
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
});
