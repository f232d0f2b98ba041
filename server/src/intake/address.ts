import { appError } from '@postdesk/shared';
import { eq, inArray } from 'drizzle-orm';
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

type AddressInput = { line: string; communeCode: string | null };

/**
 * Several addresses resolved in one query; a commune code that does not exist is refused (COMMUNE_UNKNOWN,
 * listing every unknown code) before anything is written.
 */
export const resolveAddresses = async (db: Db, addresses: AddressInput[]) => {
  const codes = [...new Set(addresses.flatMap((a) => (a.communeCode ? [a.communeCode] : [])))];
  const found =
    codes.length > 0
      ? await db
          .select({
            code: communes.code,
            commune: communes.name,
            province: provinces.name,
            provinceCode: provinces.code,
          })
          .from(communes)
          .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
          .where(inArray(communes.code, codes))
      : [];
  const missing = codes.filter((c) => !found.some((f) => f.code === c));
  if (missing.length > 0) throw appError('COMMUNE_UNKNOWN', { communes: missing });
  return addresses.map((address) => {
    const line = address.line.normalize('NFC');
    const row = found.find((f) => f.code === address.communeCode);
    return {
      line,
      communeCode: address.communeCode,
      provinceCode: row?.provinceCode ?? null,
      full: joinAddress(line, row?.commune, row?.province),
    };
  });
};
