// `node dist/server/verify-restore.js`: after restoring a backup, with the production environment (the
// restored DATABASE_URL and the store's S3_* or FILES_DIR): every dossier's event chain is recomputed and
// every file a row names is looked up in the store. Exit code 1 when anything is broken or missing.
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../db/client';
import { verifyChain } from '../dossiers/engine';
import { parseEnv } from '../env';
import { fileStoreFromEnv } from '../files/store';
import { findMissingFiles } from '../files/verify';

const env = parseEnv();
if (!env.DATABASE_URL) throw new Error('Set DATABASE_URL to the restored database.');
const database = await openDatabase({ url: env.DATABASE_URL });
const files = fileStoreFromEnv(env);
const out = (line: string) => process.stdout.write(`${line}\n`);

const ids = await rows<{ id: string }>(database.db, sql`select id from dossiers order by id`);
const broken: string[] = [];
let events = 0;
for (const { id } of ids) {
  const chain = await verifyChain(database.db, id);
  events += chain.events;
  if (!chain.ok) broken.push(id);
}
out(`dossiers: ${ids.length}, events: ${events}, hash chains broken: ${broken.length}`);
for (const id of broken.slice(0, 20)) out(`  broken chain: dossier ${id}`);

const { referenced, missing } = await findMissingFiles(database.db, files);
out(`files named by rows: ${referenced}, missing from the ${files.kind} store: ${missing.length}`);
for (const sha of missing.slice(0, 20)) out(`  missing: ${sha}`);

await database.close();
process.exit(broken.length > 0 || missing.length > 0 ? 1 : 0);
