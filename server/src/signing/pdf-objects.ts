// A small reader of PDF objects as a conforming reader finds them: from `startxref` through the cross-reference
// sections (classic tables, cross-reference streams, hybrid files) chained by /Prev, to each object at its
// offset or inside an object stream. The verifier needs this for one revision at a time (the bytes up to a
// signature's byte range end), which is why it reads raw bytes instead of loading the file with pdf-lib:
// pdf-lib scans every `N G obj` in the file and keeps the last, which is not what a viewer shows.
import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';

export type PdfName = { kind: 'name'; name: string };
export type PdfString = { kind: 'string'; bytes: Buffer };
export type PdfRef = { kind: 'ref'; num: number; gen: number };
export type PdfDict = { kind: 'dict'; entries: Map<string, PdfValue> };
export type PdfStream = { kind: 'stream'; dict: PdfDict; raw: Buffer };
export type PdfValue =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfDict
  | PdfStream
  | PdfValue[];

export class PdfSyntaxError extends Error {}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
// \n \r \t \b \f \( \) \\ in a literal string.
const ESCAPES = new Map([
  [0x6e, 10],
  [0x72, 13],
  [0x74, 9],
  [0x62, 8],
  [0x66, 12],
  [0x28, 0x28],
  [0x29, 0x29],
  [0x5c, 0x5c],
]);
const isRegular = (b: number | undefined) => b !== undefined && !WHITESPACE.has(b) && !DELIMITERS.has(b);

export const isDict = (v: PdfValue | undefined): v is PdfDict =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'dict';
export const isStream = (v: PdfValue | undefined): v is PdfStream =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'stream';
export const isRef = (v: PdfValue | undefined): v is PdfRef =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'ref';
export const isName = (v: PdfValue | undefined, name?: string): v is PdfName =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  v.kind === 'name' &&
  (name === undefined || v.name === name);
export const isString = (v: PdfValue | undefined): v is PdfString =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'string';

/** The dictionary of a dictionary or a stream. */
export const dictOf = (v: PdfValue | undefined): PdfDict | undefined =>
  isDict(v) ? v : isStream(v) ? v.dict : undefined;

class Lexer {
  pos: number;
  constructor(
    readonly bytes: Buffer,
    pos: number,
    private readonly lengthOf: (ref: PdfRef) => number | undefined = () => undefined,
  ) {
    this.pos = pos;
  }

  skipSpace() {
    const { bytes } = this;
    while (this.pos < bytes.length) {
      const b = bytes[this.pos]!;
      if (WHITESPACE.has(b)) this.pos += 1;
      else if (b === 0x25) {
        while (this.pos < bytes.length && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) this.pos += 1;
      } else break;
    }
  }

  keyword(): string {
    this.skipSpace();
    const start = this.pos;
    while (isRegular(this.bytes[this.pos])) this.pos += 1;
    return this.bytes.toString('latin1', start, this.pos);
  }

  peekKeyword(): string {
    const at = this.pos;
    const word = this.keyword();
    this.pos = at;
    return word;
  }

  private integerAhead(): number | undefined {
    this.skipSpace();
    const m = /^\d+/.exec(this.bytes.toString('latin1', this.pos, this.pos + 12));
    if (!m || isRegular(this.bytes[this.pos + m[0].length])) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  value(depth = 0): PdfValue {
    if (depth > 64) throw new PdfSyntaxError('nesting too deep');
    this.skipSpace();
    const { bytes } = this;
    const b = bytes[this.pos];
    if (b === undefined) throw new PdfSyntaxError('unexpected end of file');
    if (b === 0x2f) return this.name();
    if (b === 0x28) return this.literalString();
    if (b === 0x3c && bytes[this.pos + 1] === 0x3c) return this.dictOrStream(depth);
    if (b === 0x3c) return this.hexString();
    if (b === 0x5b) {
      this.pos += 1;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (bytes[this.pos] === 0x5d) {
          this.pos += 1;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    const word = this.keyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      // `num gen R` is a reference; two integers and no R are two numbers.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        const gen = this.integerAhead();
        if (gen !== undefined) {
          this.skipSpace();
          if (bytes[this.pos] === 0x52 && !isRegular(bytes[this.pos + 1])) {
            this.pos += 1;
            return { kind: 'ref', num: Number(word), gen };
          }
        }
        this.pos = save;
      }
      return Number(word);
    }
    throw new PdfSyntaxError(
      `unexpected token ${JSON.stringify(word.slice(0, 20) || String.fromCharCode(b))}`,
    );
  }

  private name(): PdfName {
    this.pos += 1;
    const start = this.pos;
    while (isRegular(this.bytes[this.pos])) this.pos += 1;
    const raw = this.bytes.toString('latin1', start, this.pos);
    return {
      kind: 'name',
      name: raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    };
  }

  private literalString(): PdfString {
    const { bytes } = this;
    this.pos += 1;
    const out: number[] = [];
    let nesting = 1;
    while (this.pos < bytes.length) {
      const b = bytes[this.pos++]!;
      if (b === 0x5c) {
        const e = bytes[this.pos++];
        if (e === undefined) break;
        const simple = ESCAPES.get(e);
        if (simple !== undefined) out.push(simple);
        else if (e >= 0x30 && e <= 0x37) {
          let octal = e - 0x30;
          for (let k = 0; k < 2 && (bytes[this.pos] ?? 0) >= 0x30 && (bytes[this.pos] ?? 0) <= 0x37; k += 1)
            octal = octal * 8 + (bytes[this.pos++]! - 0x30);
          out.push(octal & 0xff);
        } else if (e === 0x0d) {
          if (bytes[this.pos] === 0x0a) this.pos += 1;
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (b === 0x28) nesting += 1;
      if (b === 0x29 && --nesting === 0) return { kind: 'string', bytes: Buffer.from(out) };
      out.push(b);
    }
    throw new PdfSyntaxError('unterminated string');
  }

  private hexString(): PdfString {
    const end = this.bytes.indexOf(0x3e, this.pos);
    if (end === -1) throw new PdfSyntaxError('unterminated hex string');
    let digits = this.bytes.toString('latin1', this.pos + 1, end).replace(/\s/g, '');
    if (!/^[0-9A-Fa-f]*$/.test(digits)) throw new PdfSyntaxError('bad hex string');
    if (digits.length % 2 === 1) digits += '0';
    this.pos = end + 1;
    return { kind: 'string', bytes: Buffer.from(digits, 'hex') };
  }

  private dictOrStream(depth: number): PdfDict | PdfStream {
    const { bytes } = this;
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (bytes[this.pos] === 0x3e && bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      const key = this.value(depth + 1);
      if (!isName(key)) throw new PdfSyntaxError('dictionary key is not a name');
      entries.set(key.name, this.value(depth + 1));
    }
    const dict: PdfDict = { kind: 'dict', entries };
    const after = this.pos;
    if (this.keyword() !== 'stream') {
      this.pos = after;
      return dict;
    }
    if (bytes[this.pos] === 0x0d) this.pos += 1;
    if (bytes[this.pos] === 0x0a) this.pos += 1;
    const start = this.pos;
    const lengthValue = entries.get('Length');
    const length =
      typeof lengthValue === 'number'
        ? lengthValue
        : isRef(lengthValue)
          ? this.lengthOf(lengthValue)
          : undefined;
    if (length !== undefined && Number.isInteger(length) && length >= 0 && start + length <= bytes.length) {
      const probe = new Lexer(bytes, start + length);
      if (probe.keyword() === 'endstream') {
        this.pos = probe.pos;
        return { kind: 'stream', dict, raw: bytes.subarray(start, start + length) };
      }
    }
    // A wrong /Length: take the bytes up to `endstream`, as readers do.
    const end = bytes.indexOf('endstream', start, 'latin1');
    if (end === -1) throw new PdfSyntaxError('stream without endstream');
    let stop = end;
    if (bytes[stop - 1] === 0x0a) stop -= 1;
    if (bytes[stop - 1] === 0x0d) stop -= 1;
    this.pos = end + 'endstream'.length;
    return { kind: 'stream', dict, raw: bytes.subarray(start, Math.max(start, stop)) };
  }
}

const applyPredictor = (data: Buffer, params: PdfDict | undefined): Buffer => {
  const predictor = params?.entries.get('Predictor');
  if (typeof predictor !== 'number' || predictor < 10) return data;
  const columns = (params?.entries.get('Columns') as number | undefined) ?? 1;
  const colors = (params?.entries.get('Colors') as number | undefined) ?? 1;
  const bpc = (params?.entries.get('BitsPerComponent') as number | undefined) ?? 8;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((columns * colors * bpc) / 8);
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = Buffer.alloc(rows * rowLength);
  for (let r = 0; r < rows; r += 1) {
    const type = data[r * (rowLength + 1)]!;
    for (let i = 0; i < rowLength; i += 1) {
      const raw = data[r * (rowLength + 1) + 1 + i]!;
      const left = i >= bpp ? out[r * rowLength + i - bpp]! : 0;
      const up = r > 0 ? out[(r - 1) * rowLength + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[(r - 1) * rowLength + i - bpp]! : 0;
      let value = raw;
      if (type === 1) value = raw + left;
      else if (type === 2) value = raw + up;
      else if (type === 3) value = raw + Math.floor((left + up) / 2);
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      }
      out[r * rowLength + i] = value & 0xff;
    }
  }
  return out;
};

/** The decoded bytes of a stream with no filter or FlateDecode (what object and xref streams use). */
export const decodeStream = (stream: PdfStream): Buffer => {
  const filter = stream.dict.entries.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter === undefined || filter === null ? [] : [filter];
  const parmsValue = stream.dict.entries.get('DecodeParms');
  const parms = Array.isArray(parmsValue) ? parmsValue : [parmsValue];
  let data: Buffer = Buffer.from(stream.raw);
  filters.forEach((f, i) => {
    if (!isName(f)) throw new PdfSyntaxError('bad filter');
    if (f.name !== 'FlateDecode' && f.name !== 'Fl') throw new PdfSyntaxError(`unsupported filter ${f.name}`);
    data = inflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
    const p = parms[i];
    data = applyPredictor(data, isDict(p) ? p : undefined);
  });
  return data;
};

export type XrefEntry =
  | { type: 'free' }
  | { type: 'offset'; offset: number; gen: number }
  | { type: 'compressed'; stream: number; index: number };

/** One revision of a PDF: the objects its newest cross-reference section chain makes visible. */
export type Revision = {
  /** The bytes of this revision (a prefix of the file). */
  bytes: Buffer;
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
  /** Offsets of the cross-reference sections read, newest first. */
  sections: number[];
  /** Every (object number → offset) any section of the chain names, for the hidden-object check. */
  namedOffsets: Set<number>;
  get: (num: number) => PdfValue;
  resolve: (value: PdfValue | undefined) => PdfValue | undefined;
};

const lastStartXref = (bytes: Buffer): number => {
  const tail = bytes.toString('latin1', Math.max(0, bytes.length - 2048));
  const matches = [...tail.matchAll(/startxref\s+(\d+)/g)];
  const last = matches.at(-1);
  if (!last) throw new PdfSyntaxError('no startxref');
  return Number(last[1]);
};

/**
 * Reads the revision that ends at the end of `bytes` (which must end with `%%EOF` and an optional end of
 * line). Throws PdfSyntaxError when the cross-reference chain cannot be read.
 */
export const readRevision = (bytes: Buffer): Revision => {
  const entries = new Map<number, XrefEntry>();
  const sections: number[] = [];
  const namedOffsets = new Set<number>();
  let trailer: PdfDict | undefined;
  const pending: number[] = [lastStartXref(bytes)];
  const seen = new Set<number>();
  const objectCache = new Map<number, PdfValue>();
  const streamCache = new Map<number, { values: Map<number, number>; data: Buffer; first: number }>();

  const setEntry = (num: number, entry: XrefEntry) => {
    if (entry.type === 'offset') namedOffsets.add(entry.offset);
    if (!entries.has(num)) entries.set(num, entry);
  };

  const parseAt = (offset: number, expect?: number): PdfValue => {
    if (offset < 0 || offset >= bytes.length)
      throw new PdfSyntaxError(`object offset ${offset} outside the revision`);
    const lexer = new Lexer(bytes, offset, (ref) => {
      const v = get(ref.num);
      return typeof v === 'number' ? v : undefined;
    });
    const num = Number(lexer.keyword());
    const gen = Number(lexer.keyword());
    if (lexer.keyword() !== 'obj' || !Number.isInteger(num) || !Number.isInteger(gen))
      throw new PdfSyntaxError(`no object at offset ${offset}`);
    if (expect !== undefined && num !== expect)
      throw new PdfSyntaxError(`object ${expect} is not at offset ${offset}`);
    return lexer.value();
  };

  const readXrefStream = (offset: number) => {
    const stream = parseAt(offset);
    if (!isStream(stream) || !isName(stream.dict.entries.get('Type'), 'XRef'))
      throw new PdfSyntaxError(`no cross-reference at ${offset}`);
    const data = decodeStream(stream);
    const d = stream.dict.entries;
    const w = d.get('W');
    const size = d.get('Size');
    if (!Array.isArray(w) || w.length < 3 || typeof size !== 'number')
      throw new PdfSyntaxError('bad xref stream');
    const widths = w.map((x) => (typeof x === 'number' ? x : 0));
    const index = d.get('Index');
    const ranges = Array.isArray(index) ? (index as number[]) : [0, size];
    const rowLength = widths[0]! + widths[1]! + widths[2]!;
    let at = 0;
    const field = (width: number, fallback: number) => {
      if (width === 0) return fallback;
      let v = 0;
      for (let i = 0; i < width; i += 1) v = v * 256 + (data[at + i] ?? 0);
      at += width;
      return v;
    };
    for (let r = 0; r + 1 < ranges.length; r += 2) {
      for (let k = 0; k < ranges[r + 1]!; k += 1) {
        if (at + rowLength > data.length) throw new PdfSyntaxError('xref stream too short');
        const num = ranges[r]! + k;
        const type = field(widths[0]!, 1);
        const a = field(widths[1]!, 0);
        const b = field(widths[2]!, 0);
        if (type === 0) setEntry(num, { type: 'free' });
        else if (type === 1) setEntry(num, { type: 'offset', offset: a, gen: b });
        else if (type === 2) setEntry(num, { type: 'compressed', stream: a, index: b });
      }
    }
    return stream.dict;
  };

  const readTable = (offset: number) => {
    const lexer = new Lexer(bytes, offset);
    if (lexer.keyword() !== 'xref') throw new PdfSyntaxError(`no cross-reference at ${offset}`);
    for (;;) {
      const word = lexer.keyword();
      if (word === 'trailer') break;
      const start = Number(word);
      const count = Number(lexer.keyword());
      if (!Number.isInteger(start) || !Number.isInteger(count))
        throw new PdfSyntaxError('bad xref subsection');
      for (let k = 0; k < count; k += 1) {
        const off = Number(lexer.keyword());
        const gen = Number(lexer.keyword());
        const kind = lexer.keyword();
        if (kind === 'n') setEntry(start + k, { type: 'offset', offset: off, gen });
        else if (kind === 'f') setEntry(start + k, { type: 'free' });
        else throw new PdfSyntaxError('bad xref entry');
      }
    }
    const dict = lexer.value();
    if (!isDict(dict)) throw new PdfSyntaxError('trailer is not a dictionary');
    // A hybrid file: the table's entries come first, then those of its cross-reference stream.
    const stm = dict.entries.get('XRefStm');
    if (typeof stm === 'number' && !seen.has(stm)) {
      seen.add(stm);
      readXrefStream(stm);
    }
    return dict;
  };

  while (pending.length > 0) {
    const offset = pending.shift()!;
    if (seen.has(offset) || sections.length > 500) throw new PdfSyntaxError('cross-reference loop');
    seen.add(offset);
    sections.push(offset);
    if (offset < 0 || offset >= bytes.length) throw new PdfSyntaxError('startxref outside the file');
    const dict =
      new Lexer(bytes, offset).peekKeyword() === 'xref' ? readTable(offset) : readXrefStream(offset);
    trailer ??= dict;
    const prev = dict.entries.get('Prev');
    if (typeof prev === 'number') pending.push(prev);
  }
  if (!trailer) throw new PdfSyntaxError('no trailer');

  const objectStream = (num: number) => {
    const cached = streamCache.get(num);
    if (cached) return cached;
    const stream = get(num);
    if (!isStream(stream) || !isName(stream.dict.entries.get('Type'), 'ObjStm'))
      throw new PdfSyntaxError(`object ${num} is not an object stream`);
    const data = decodeStream(stream);
    const n = stream.dict.entries.get('N');
    const first = stream.dict.entries.get('First');
    if (typeof n !== 'number' || typeof first !== 'number') throw new PdfSyntaxError('bad object stream');
    const lexer = new Lexer(data, 0);
    const values = new Map<number, number>();
    const order: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const objNum = Number(lexer.keyword());
      const off = Number(lexer.keyword());
      values.set(objNum, off);
      order.push(objNum);
    }
    const result = { values, data, first, order };
    streamCache.set(num, result);
    return result;
  };

  const resolving = new Set<number>();
  const get = (num: number): PdfValue => {
    if (objectCache.has(num)) return objectCache.get(num)!;
    const entry = entries.get(num);
    if (!entry || entry.type === 'free' || resolving.has(num)) return null;
    resolving.add(num);
    try {
      let value: PdfValue;
      if (entry.type === 'offset') value = parseAt(entry.offset, num);
      else {
        const { values, data, first } = objectStream(entry.stream);
        const off = values.get(num);
        if (off === undefined) throw new PdfSyntaxError(`object ${num} missing from its object stream`);
        value = new Lexer(data, first + off).value();
      }
      objectCache.set(num, value);
      return value;
    } finally {
      resolving.delete(num);
    }
  };

  const resolve = (value: PdfValue | undefined): PdfValue | undefined => {
    let v = value;
    for (let i = 0; i < 32 && isRef(v); i += 1) v = get(v.num);
    return v;
  };

  return { bytes, entries, trailer, sections, namedOffsets, get, resolve };
};

/** A canonical text of a value for comparing two revisions' objects (streams by the hash of their bytes). */
export const canonical = (value: PdfValue | undefined): string => {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(' ')}]`;
  switch (value.kind) {
    case 'name':
      return `/${encodeURIComponent(value.name)}`;
    case 'string':
      return `<${value.bytes.toString('hex')}>`;
    case 'ref':
      return `${value.num} ${value.gen} R`;
    case 'dict':
      return `<<${[...value.entries.keys()]
        .sort()
        .map((k) => `/${encodeURIComponent(k)} ${canonical(value.entries.get(k))}`)
        .join(' ')}>>`;
    case 'stream':
      return `${canonical(value.dict)}stream:${createHash('sha256').update(value.raw).digest('hex')}`;
  }
};
