import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client';
import { FILE_REFERENCES } from './gc';
import type { FileStore } from './store';

/**
 * After a restore: the stored files some row names that are not in the store. Columns and arrays of hashes
 * always name stored files; a hash found elsewhere in a JSON payload counts only when the `files` table
 * knows it (payloads also carry hashes of things never stored, such as an upload's original bytes).
 */
export const findMissingFiles = async (db: Db, store: FileStore) => {
  const parts = FILE_REFERENCES.map(({ table, column, json }) => {
    const t = sql.identifier(table);
    const c = sql.identifier(column);
    if (json === 'anywhere')
      return sql`select v #>> '{}' as sha from ${t} r, jsonb_path_query(r.${c}, 'strict $.**') v
                 where jsonb_typeof(v) = 'string' and exists (select 1 from files f where f.sha256 = v #>> '{}')`;
    if (json === 'array') return sql`select jsonb_array_elements_text(r.${c}) as sha from ${t} r`;
    return sql`select ${c} as sha from ${t} where ${c} is not null`;
  });
  const referenced = await rows<{ sha: string }>(db, sql.join(parts, sql` union `));
  const missing: string[] = [];
  for (const { sha } of referenced) if (!(await store.has(sha))) missing.push(sha);
  return { referenced: referenced.length, missing };
};
