// A minimal sRGB ICC profile (version 2.1, display class, matrix/TRC), built here from the published sRGB
// constants (IEC 61966-2-1) so the PDF/A output intent needs no profile file shipped with, or licensed for,
// the server. The tags are the nine an RGB matrix/TRC display profile requires (ICC.1:2001-04 §6.3.1.2):
// description, copyright, media white point, the three D50-adapted colorants and one tone curve shared by
// the three channels.

/** sRGB primaries adapted to D50 with the Bradford transform (the values ICC's own sRGB profiles carry). */
const COLORANTS = {
  rXYZ: [0.436065674, 0.222488403, 0.013916016],
  gXYZ: [0.385147095, 0.716873169, 0.097076416],
  bXYZ: [0.143066406, 0.06060791, 0.714096069],
} as const;
/** The profile connection space's illuminant, D50. */
const D50 = [0.964202881, 1.0, 0.824905396] as const;
/** Entries of the sampled tone curve: 1024 is what common sRGB profiles carry, enough for 16-bit data. */
const CURVE_POINTS = 1024;

export const SRGB_DESCRIPTION = 'sRGB IEC61966-2.1';

const s15Fixed16 = (value: number) => Math.round(value * 65536);

/** The sRGB electro-optical transfer function: encoded value (0–1) to linear light (0–1). */
const srgbToLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

const pad4 = (bytes: Buffer) =>
  bytes.length % 4 === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(4 - (bytes.length % 4))]);

const xyzTag = (xyz: readonly number[]) => {
  const out = Buffer.alloc(20);
  out.write('XYZ ', 0, 'latin1');
  xyz.forEach((v, i) => {
    out.writeInt32BE(s15Fixed16(v), 8 + 4 * i);
  });
  return out;
};

/** textDescriptionType: the ASCII description, empty Unicode and ScriptCode parts (67-byte ScriptCode field). */
const descTag = (text: string) => {
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const out = Buffer.alloc(12 + ascii.length + 4 + 4 + 2 + 1 + 67);
  out.write('desc', 0, 'latin1');
  out.writeUInt32BE(ascii.length, 8);
  ascii.copy(out, 12);
  return out;
};

const textTag = (text: string) =>
  Buffer.concat([Buffer.from('text\0\0\0\0', 'latin1'), Buffer.from(`${text}\0`, 'latin1')]);

const curveTag = () => {
  const out = Buffer.alloc(12 + 2 * CURVE_POINTS);
  out.write('curv', 0, 'latin1');
  out.writeUInt32BE(CURVE_POINTS, 8);
  for (let i = 0; i < CURVE_POINTS; i += 1) {
    out.writeUInt16BE(Math.round(srgbToLinear(i / (CURVE_POINTS - 1)) * 65535), 12 + 2 * i);
  }
  return out;
};

let cached: Uint8Array | undefined;

/** The profile's bytes (about 2.6 KB), built once per process. */
export const srgbIccProfile = (): Uint8Array => {
  if (cached) return cached;
  const curve = curveTag();
  // Tags sharing data point at the same offset (the three channels use one curve).
  const data: [string, Buffer][] = [
    ['desc', descTag(SRGB_DESCRIPTION)],
    ['cprt', textTag('No copyright, use freely (built from IEC 61966-2-1 constants by PostDesk)')],
    ['wtpt', xyzTag(D50)],
    ['rXYZ', xyzTag(COLORANTS.rXYZ)],
    ['gXYZ', xyzTag(COLORANTS.gXYZ)],
    ['bXYZ', xyzTag(COLORANTS.bXYZ)],
    ['rTRC', curve],
  ];
  const shared: [string, string][] = [
    ['gTRC', 'rTRC'],
    ['bTRC', 'rTRC'],
  ];
  const tagCount = data.length + shared.length;
  const tableEnd = 128 + 4 + 12 * tagCount;
  const offsets = new Map<string, { offset: number; size: number }>();
  const bodies: Buffer[] = [];
  let offset = tableEnd;
  for (const [sig, body] of data) {
    offsets.set(sig, { offset, size: body.length });
    const padded = pad4(body);
    bodies.push(padded);
    offset += padded.length;
  }
  for (const [sig, target] of shared) offsets.set(sig, offsets.get(target)!);
  const size = offset;

  const header = Buffer.alloc(128);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntr', 12, 'latin1');
  header.write('RGB ', 16, 'latin1');
  header.write('XYZ ', 20, 'latin1');
  // Creation date 2026-01-01 00:00:00: a fixed date keeps the profile (and files embedding it) reproducible.
  [2026, 1, 1, 0, 0, 0].forEach((v, i) => {
    header.writeUInt16BE(v, 24 + 2 * i);
  });
  header.write('acsp', 36, 'latin1');
  header.writeUInt32BE(0, 64); // perceptual rendering intent
  D50.forEach((v, i) => {
    header.writeInt32BE(s15Fixed16(v), 68 + 4 * i);
  });

  const table = Buffer.alloc(4 + 12 * tagCount);
  table.writeUInt32BE(tagCount, 0);
  [...data.map(([sig]) => sig), ...shared.map(([sig]) => sig)].forEach((sig, i) => {
    const entry = offsets.get(sig)!;
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(entry.offset, 8 + 12 * i);
    table.writeUInt32BE(entry.size, 12 + 12 * i);
  });
  cached = new Uint8Array(Buffer.concat([header, table, ...bodies]));
  return cached;
};
