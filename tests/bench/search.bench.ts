// Procedure search (advise): latency per query over 2,000 procedures on PostgreSQL, p50 / p99, for the
// kinds of queries a clerk types: words without diacritics, with diacritics, a colloquial name, a code prefix.
import { sql } from 'drizzle-orm';
import { findProcedures } from '../../server/src/catalog/queries';
import { rows } from '../../server/src/db/client';
import { benchDatabase, percentile } from './pg';

const TOTAL = 2000;
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

  const all: number[] = [];
  for (const q of QUERIES) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      hits = (await findProcedures(db, { q })).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    process.stdout.write(
      `${JSON.stringify(q).padEnd(28)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(times, 99).toFixed(1).padStart(6)} ms   ${hits} hits\n`,
    );
  }
  all.sort((a, b) => a - b);
  process.stdout.write(
    `all queries                   p50 ${percentile(all, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(all, 99).toFixed(1).padStart(6)} ms\n`,
  );
  await database.drop();
};
