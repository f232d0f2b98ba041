// `npm run bench`: every benchmark in this folder, one after another, printing figures to compare run to run.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const only = process.argv[2];
const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const mod = (await import(`./${file}`)) as { run: () => Promise<void> };
  await mod.run();
}
