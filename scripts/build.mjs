#!/usr/bin/env node
// The production artefact: both web apps built once (with .br and .gz copies for the server to send as they
// are) and the server bundled into dist/server/main.js, so nothing is compiled at run time.
//   node scripts/build.mjs            build everything
//   node scripts/build.mjs --stale    build only what is missing or older than its sources (npm start)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_OUT = join(ROOT, 'dist/server/main.js');

/** Newest modification time under `paths` (folders walked, build output and dependencies skipped). */
const newest = (paths) => {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (!info.isDirectory()) {
      latest = Math.max(latest, info.mtimeMs);
      return;
    }
    for (const name of readdirSync(path)) {
      if (name === 'node_modules' || name === 'dist') continue;
      visit(join(path, name));
    }
  };
  for (const path of paths) visit(path);
  return latest;
};

const stale = (output, sources) => !existsSync(output) || statSync(output).mtimeMs < newest(sources);

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest|xml|wasm|map)$/;

/** `.br` and `.gz` beside every compressible file of a built app (the server picks what the browser accepts). */
const precompress = (dir) => {
  let count = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const bytes = readFileSync(path);
    if (bytes.length < 1024) continue;
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    count += 1;
  }
  return count;
};

const buildWeb = (app) => {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', app], { cwd: ROOT, stdio: 'inherit' });
  const files = precompress(join(ROOT, app, 'dist'));
  process.stdout.write(`build: ${app}: ${files} files precompressed (br, gzip)\n`);
};

/**
 * The server and the workspace's own packages in one ES module; every npm dependency stays a plain import
 * from node_modules (sharp, pkcs11js, argon2 and PGlite carry native or wasm parts). Source files find the
 * repository's folders (migrations, fonts, the built apps) from their own place, so each `import.meta.url`
 * is rewritten to the original file's URL, except in files that look for a sibling in the bundle (the CPU
 * threads' entry, built beside main.js when it exists).
 */
const BUNDLE_RELATIVE = [/[\\/]server[\\/]src[\\/]jobs[\\/]threads\.ts$/];
const THREAD_ENTRY = join(ROOT, 'server/src/jobs/cpu-worker.ts');

const buildServer = async () => {
  const { build } = await import('esbuild');
  const outDir = dirname(SERVER_OUT);
  const sourceUrl = {
    name: 'source-url',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('@postdesk/') ? undefined : { path: args.path, external: true },
      );
      b.onLoad({ filter: /[\\/](server|shared)[\\/]src[\\/].*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (BUNDLE_RELATIVE.some((re) => re.test(args.path))) return { contents: text, loader: 'ts' };
        const rel = relative(outDir, args.path).split('\\').join('/');
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
  await build({
    entryPoints: {
      main: join(ROOT, 'server/src/main.ts'),
      'verify-restore': join(ROOT, 'server/src/tools/verify-restore.ts'),
      ...(existsSync(THREAD_ENTRY) ? { 'cpu-worker': THREAD_ENTRY } : {}),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [sourceUrl],
  });
  const kib = Math.round(statSync(SERVER_OUT).size / 1024);
  process.stdout.write(`build: server: ${relative(ROOT, SERVER_OUT)} (${kib} KiB)\n`);
};

const WEB_APPS = ['web-counter', 'web-courier'];

/** Builds what is missing or out of date; with `all`, everything. */
export const buildAll = async ({ all }) => {
  const shared = join(ROOT, 'shared/src');
  for (const app of WEB_APPS) {
    if (all || stale(join(ROOT, app, 'dist/index.html'), [join(ROOT, app), shared])) buildWeb(app);
  }
  if (all || stale(SERVER_OUT, [join(ROOT, 'server/src'), shared, join(ROOT, 'scripts/build.mjs')]))
    await buildServer();
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildAll({ all: !process.argv.includes('--stale') });
}
