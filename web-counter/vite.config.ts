import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const server = 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [solid()],
  build: { outDir: 'dist' },
  server: {
    proxy: { '/trpc': server, '/api': server, '/forms': server, '/health': server, '/desk': server },
  },
});
