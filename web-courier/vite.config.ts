import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { serviceWorker } from './sw-plugin.ts';

const server = 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/courier/',
  plugins: [solid(), serviceWorker()],
  build: { outDir: 'dist' },
  server: {
    proxy: { '/trpc': server, '/api': server, '/health': server, '/field': server },
  },
});
