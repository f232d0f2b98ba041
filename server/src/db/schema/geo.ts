import { doublePrecision, index, pgEnum, pgTable, text, varchar } from 'drizzle-orm/pg-core';

/** Two-tier local government since 1 July 2025: province → commune (phường, xã, đặc khu); no districts. */
export const provinces = pgTable('provinces', {
  code: varchar('code', { length: 2 }).primaryKey(),
  name: text('name').notNull(),
});

export const communeKind = pgEnum('commune_kind', ['phuong', 'xa', 'dac_khu']);

export const communes = pgTable(
  'communes',
  {
    code: varchar('code', { length: 5 }).primaryKey(),
    provinceCode: varchar('province_code', { length: 2 })
      .notNull()
      .references(() => provinces.code),
    name: text('name').notNull(),
    kind: communeKind('kind').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
  },
  (t) => [index('communes_by_province').on(t.provinceCode)],
);
