/**
 * Files chosen for a whole dossier before its scanning page is open (at the intake result): held in memory for
 * the page to take once, then split across the components in order.
 */
let pending: { dossierId: string; files: File[] } | undefined;

export const handOverBatch = (dossierId: string, files: File[]) => {
  pending = { dossierId, files };
};

export const takeBatch = (dossierId: string) => {
  if (pending?.dossierId !== dossierId) return [];
  const { files } = pending;
  pending = undefined;
  return files;
};

/**
 * Which component each file goes to: the first file to the first component still to scan, the second to the
 * second…; files beyond the last component go to the last one (a separator sheet is not needed for one file
 * per component, and a component of several pages is one multi-page PDF).
 */
export const splitByOrder = <T>(files: T[], componentCodes: string[]) => {
  const parts = new Map<string, T[]>();
  if (componentCodes.length === 0) return parts;
  files.forEach((file, index) => {
    const code = componentCodes[Math.min(index, componentCodes.length - 1)]!;
    parts.set(code, [...(parts.get(code) ?? []), file]);
  });
  return parts;
};
