import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { communes, provinces } from '../db/schema';

const contains = (haystack: string, needle: string) =>
  haystack.toLocaleLowerCase('vi').includes(needle.toLocaleLowerCase('vi'));

/** "12 Lê Lợi, Phường Thuận Hóa, Thành phố Huế": the commune and province are added unless the line already has them (an id-card QR gives the whole address). */
export const joinAddress = (line: string, commune?: string | null, province?: string | null) =>
  [
    line,
    ...[commune, province].filter((part): part is string => Boolean(part) && !contains(line, part!)),
  ].join(', ');

/** The commune and province of an address, with the full printable line. */
export const resolveAddress = async (db: Db, address: { line: string; communeCode: string | null }) => {
  const line = address.line.normalize('NFC');
  const [row] = address.communeCode
    ? await db
        .select({ commune: communes.name, province: provinces.name, provinceCode: provinces.code })
        .from(communes)
        .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
        .where(eq(communes.code, address.communeCode))
    : [];
  return {
    line,
    communeCode: address.communeCode,
    provinceCode: row?.provinceCode ?? null,
    full: joinAddress(line, row?.commune, row?.province),
  };
};
