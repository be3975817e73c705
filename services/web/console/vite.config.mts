import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Built into services/web/dist/console and served at /console/ (docs/adr/0060-typed-console.md).
export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [preact()],
  resolve: {
    alias: {
      // Only the vocabulary: the package's index also carries the schema validators, which
      // have no business in a browser bundle.
      '@aduan/contracts/vocabulary': here('../../../libs/contracts/src/vocabulary.ts'),
    },
  },
  build: {
    outDir: here('../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP forbids inline scripts; the preload helper stays in the bundle.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
