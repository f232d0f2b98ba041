import type { Db } from '../db/client';
import type { AddressJson } from '../db/schema';
import { resolveAddress } from '../intake/address';

/** A stored address as one line (street, commune, province); the line alone when the commune is unknown. */
export const joinAddressOf = async (db: Db, address: Pick<AddressJson, 'line' | 'communeCode'>) => {
  try {
    return (await resolveAddress(db, { line: address.line, communeCode: address.communeCode })).full;
  } catch {
    return address.line;
  }
};
