// Procedure search (advise): latency per query over a national-size catalogue (SEARCH_PROCEDURES, default 10,020)
// on PostgreSQL, p50 / p99, for the kinds of queries a clerk types: words without diacritics, with diacritics,
// a colloquial name, a code prefix; beside each, the same statements replayed alone on a raw connection (the
// limit, `sqlAlone`), interleaved in the same run, and the ratio of the two p99s (target ≤ 1.5×).
import { sql } from 'drizzle-orm';
import { findProcedures } from '../../server/src/catalog/queries';
import { rows } from '../../server/src/db/client';
import { benchDatabase, percentile, sqlAlone } from './pg';

const TOTAL = Number(process.env.SEARCH_PROCEDURES ?? 10_020);
const ROUNDS = 40;
const QUERIES = [
  'ly lich tu phap',
  'đổi bằng lái',
  'dang ky khai sinh',
  'chứng thực bản sao',
  '3.000',
  'ho chieu pho thong',
  'giay phep xay dung nha o',
];
const WORDS = [
  'cấp',
  'đăng ký',
  'thay đổi',
  'gia hạn',
  'xác nhận',
  'thu hồi',
  'điều chỉnh',
  'cấp lại',
  'công nhận',
  'thẩm định',
];
const OBJECTS = [
  'giấy phép',
  'chứng chỉ',
  'giấy chứng nhận',
  'thông báo',
  'hồ sơ',
  'văn bằng',
  'hợp đồng',
  'quyết định',
  'dự án',
  'giấy xác nhận',
];
const FIELDS = [
  'đất đai',
  'xây dựng',
  'giáo dục',
  'y tế',
  'thương mại',
  'nông nghiệp',
  'giao thông',
  'tài nguyên',
  'lao động',
  'văn hóa',
];

export const run = async () => {
  const database = await benchDatabase();
  if (!database) {
    process.stdout.write('PostgreSQL not reachable on 127.0.0.1:5432, skipped\n');
    return;
  }
  const db = database.db;
  const [seeded] = await rows<{ n: number }>(db, sql`select count(*)::int as n from procedures`);
  const extra = TOTAL - Number(seeded!.n);
  // Synthetic procedures, each with a version in force, spread over the seeded agencies.
  await db.execute(sql`
    with gen as (
      select g,
        (array[${sql.join(
          WORDS.map((w) => sql`${w}`),
          sql`, `,
        )}])[1 + g % ${WORDS.length}] || ' ' ||
        (array[${sql.join(
          OBJECTS.map((w) => sql`${w}`),
          sql`, `,
        )}])[1 + (g / 10) % ${OBJECTS.length}] || ' ' ||
        (array[${sql.join(
          FIELDS.map((w) => sql`${w}`),
          sql`, `,
        )}])[1 + (g / 100) % ${FIELDS.length}] || ' số ' || g as name,
        (array[${sql.join(
          FIELDS.map((w) => sql`${w}`),
          sql`, `,
        )}])[1 + (g / 100) % ${FIELDS.length}] as field
      from generate_series(1, ${extra}) g
    ), ins as (
      insert into procedures (code, name, field, agency_id, level)
      select '9.' || lpad(g::text, 6, '0'), name, field,
        (select id from offices where kind in ('agency', 'commune_committee') order by code offset (g % 5) limit 1), 'province'
      from gen returning id
    )
    insert into procedure_versions (procedure_id, version, effective_from, processing_hours, fees, postal_tariff,
      components, pickup_allowed, delivery_allowed, legal_basis, result_name, result_is_paper)
    select id, 1, '2025-07-01', 40, '[]', 26000, '[]', true, true, '[]', 'Kết quả', true from ins`);
  await db.execute(sql`analyze procedures`);
  const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from procedures`);
  process.stdout.write(`procedures in the catalogue: ${count!.n}\n`);

  const limit = await sqlAlone(`postgres://postgres@127.0.0.1:5432/${database.name}`);
  const all: number[] = [];
  const allSql: number[] = [];
  const p = (times: number[], q: number) => percentile(times, q).toFixed(1).padStart(6);
  process.stdout.write(`${''.padEnd(28)} PostDesk p50 / p99 ms    its SQL alone p50 / p99 ms   p99 ratio\n`);
  for (const q of QUERIES) {
    const times: number[] = [];
    const sqlTimes: number[] = [];
    const statements = await limit.record((recorder) => findProcedures(recorder, { q }));
    let hits = 0;
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      hits = (await findProcedures(db, { q })).length;
      times.push(performance.now() - t);
      t = performance.now();
      await limit.replay(statements);
      sqlTimes.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    sqlTimes.sort((a, b) => a - b);
    all.push(...times);
    allSql.push(...sqlTimes);
    process.stdout.write(
      `${JSON.stringify(q).padEnd(28)} ${p(times, 50)} / ${p(times, 99)}          ${p(sqlTimes, 50)} / ${p(sqlTimes, 99)}` +
        `          ${(percentile(times, 99) / percentile(sqlTimes, 99)).toFixed(2)}×   ${hits} hits, ${statements.length} statements\n`,
    );
  }
  all.sort((a, b) => a - b);
  allSql.sort((a, b) => a - b);
  process.stdout.write(
    `${'all queries'.padEnd(28)} ${p(all, 50)} / ${p(all, 99)}          ${p(allSql, 50)} / ${p(allSql, 99)}` +
      `          ${(percentile(all, 99) / percentile(allSql, 99)).toFixed(2)}×\n`,
  );
  await limit.close();
  await database.drop();
};
