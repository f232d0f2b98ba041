import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Emits `sw.js` with the list of every built file, so the service worker can cache the whole app shell at
 * install time (the courier opens the app later with no signal). The cache name changes with the build.
 */
export const serviceWorker = (): Plugin => ({
  name: 'postdesk-courier-sw',
  apply: 'build',
  enforce: 'post',
  generateBundle(_options, bundle) {
    const files = Object.keys(bundle).filter((name) => name !== 'sw.js' && !name.endsWith('.map'));
    const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12);
    const template = readFileSync(fileURLToPath(new URL('./src/sw.template.js', import.meta.url)), 'utf8');
    const source = template
      .replace('__VERSION__', JSON.stringify(version))
      .replace('__FILES__', JSON.stringify(files.filter((name) => name !== 'index.html')));
    this.emitFile({ type: 'asset', fileName: 'sw.js', source });
  },
});
