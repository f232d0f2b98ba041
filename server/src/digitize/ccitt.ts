// CCITT Group 4 (ITU-T T.6) for 1-bit pages, in TypeScript: the page is coded row by row from the positions
// where the colour changes, so the deskew can hand over each row as it makes it and no 1-bit page is ever held
// in memory. A PDF image with /Filter /CCITTFaxDecode /K -1 reads the result (`g4DecodeParms`). libtiff (inside
// sharp) codes the same pages to the same bytes — the unit test holds the two side by side — but through it a
// page cost a full byte-per-pixel copy handed to libvips and about 40 ms of CPU; here it is the changes only.

/** [code, length in bits] of a run, by run length: terminating codes 0–63. */
type Code = readonly [number, number];

const bits = (s: string): Code => [Number.parseInt(s, 2), s.length];

// T.4 tables 2 and 3: terminating codes for runs 0–63, then make-up codes for 64, 128, … 1728, then the
// extended make-up codes for 1792 … 2560 that both colours share.
const WHITE_TERMINATING = `00110101 000111 0111 1000 1011 1100 1110 1111 10011 10100 00111 01000 001000 000011 110100
  110101 101010 101011 0100111 0001100 0001000 0010111 0000011 0000100 0101000 0101011 0010011 0100100 0011000
  00000010 00000011 00011010 00011011 00010010 00010011 00010100 00010101 00010110 00010111 00101000 00101001
  00101010 00101011 00101100 00101101 00000100 00000101 00001010 00001011 01010010 01010011 01010100 01010101
  00100100 00100101 01011000 01011001 01011010 01011011 01001010 01001011 00110010 00110011 00110100`;
const WHITE_MAKEUP = `11011 10010 010111 0110111 00110110 00110111 01100100 01100101 01101000 01100111 011001100
  011001101 011010010 011010011 011010100 011010101 011010110 011010111 011011000 011011001 011011010 011011011
  010011000 010011001 010011010 011000 010011011`;
const BLACK_TERMINATING = `0000110111 010 11 10 011 0011 0010 00011 000101 000100 0000100 0000101 0000111 00000100
  00000111 000011000 0000010111 0000011000 0000001000 00001100111 00001101000 00001101100 00000110111 00000101000
  00000010111 00000011000 000011001010 000011001011 000011001100 000011001101 000001101000 000001101001
  000001101010 000001101011 000011010010 000011010011 000011010100 000011010101 000011010110 000011010111
  000001101100 000001101101 000011011010 000011011011 000001010100 000001010101 000001010110 000001010111
  000001100100 000001100101 000001010010 000001010011 000000100100 000000110111 000000111000 000000100111
  000000101000 000001011000 000001011001 000000101011 000000101100 000001011010 000001100110 000001100111`;
const BLACK_MAKEUP = `0000001111 000011001000 000011001001 000001011011 000000110011 000000110100 000000110101
  0000001101100 0000001101101 0000001001010 0000001001011 0000001001100 0000001001101 0000001110010
  0000001110011 0000001110100 0000001110101 0000001110110 0000001110111 0000001010010 0000001010011
  0000001010100 0000001010101 0000001011010 0000001011011 0000001100100 0000001100101`;
const EXTENDED_MAKEUP = `00000001000 00000001100 00000001101 000000010010 000000010011 000000010100 000000010101
  000000010110 000000010111 000000011100 000000011101 000000011110 000000011111`;

const table = (text: string) => text.trim().split(/\s+/).map(bits);

type RunCodes = { terminating: Code[]; makeup: Code[] };
const WHITE: RunCodes = {
  terminating: table(WHITE_TERMINATING),
  makeup: [...table(WHITE_MAKEUP), ...table(EXTENDED_MAKEUP)],
};
const BLACK: RunCodes = {
  terminating: table(BLACK_TERMINATING),
  makeup: [...table(BLACK_MAKEUP), ...table(EXTENDED_MAKEUP)],
};
/** The longest make-up code (2560): longer runs repeat it. */
const MAX_MAKEUP = 2560;

// T.6 table 1: the two-dimensional modes. Vertical codes by a1 − b1 from −3 to +3.
const PASS = bits('0001');
const HORIZONTAL = bits('001');
const VERTICAL: Code[] = ['0000010', '000010', '010', '1', '011', '000011', '0000011'].map(bits);
const EOL = bits('000000000001');

/** Bits into bytes, most significant first, in a buffer that grows as needed. */
class BitWriter {
  private out: Uint8Array;
  private length = 0;
  private acc = 0;
  private count = 0;

  constructor(capacity: number) {
    this.out = new Uint8Array(Math.max(64, capacity));
  }

  put(code: Code) {
    // At most 13 bits per code and at most 7 pending: the accumulator stays within 20 bits.
    this.acc = (this.acc << code[1]) | code[0];
    this.count += code[1];
    while (this.count >= 8) {
      this.count -= 8;
      if (this.length === this.out.length) this.grow();
      this.out[this.length++] = (this.acc >>> this.count) & 255;
    }
    this.acc &= (1 << this.count) - 1;
  }

  /** Pads the last byte with zero bits and returns the bytes written. */
  finish() {
    if (this.count > 0) this.put([0, 8 - this.count]);
    return this.out.slice(0, this.length);
  }

  private grow() {
    const bigger = new Uint8Array(this.out.length * 2);
    bigger.set(this.out);
    this.out = bigger;
  }
}

/**
 * A G4 coder for a page `width` pixels wide. Each row is given as the ascending positions where the colour
 * changes, starting from white (paper) at the left edge: the first position turns to black (ink), the next back
 * to white, and so on. `finish` adds the end-of-facsimile-block and returns the coded page.
 */
export class G4Encoder {
  private readonly out: BitWriter;
  // Changing elements of the reference (previous) and coding rows, each followed by sentinels at `width`.
  private reference: Int32Array;
  private coding: Int32Array;
  rows = 0;

  constructor(
    readonly width: number,
    expectedRows = 1,
  ) {
    this.out = new BitWriter(Math.ceil((width * expectedRows) / 64));
    this.reference = new Int32Array(width + 3).fill(width);
    this.coding = new Int32Array(width + 3).fill(width);
  }

  /** Codes the next row from its `count` changing positions (`changes[0..count)`, each in 0..width). */
  row(changes: ArrayLike<number>, count: number) {
    const width = this.width;
    const cur = this.coding;
    for (let i = 0; i < count; i += 1) cur[i] = changes[i]!;
    cur[count] = width;
    cur[count + 1] = width;
    cur[count + 2] = width;
    const ref = this.reference;
    const out = this.out;
    let a0 = -1;
    let black = false;
    let ia = 0; // first coding change after a0
    let ib = 0; // first reference change after a0
    while (a0 < width) {
      while (cur[ia]! <= a0) ia += 1;
      while (ref[ib]! <= a0) ib += 1;
      const a1 = cur[ia]!;
      // b1: the first reference change after a0 to the colour opposite a0's. Even-numbered changes turn to
      // black, so from white look for an even index, from black for an odd one.
      const k = (ib & 1) === (black ? 1 : 0) ? ib : ib + 1;
      const b1 = ref[k]!;
      const b2 = ref[k + 1]!;
      if (b2 < a1) {
        out.put(PASS);
        a0 = b2;
      } else if (a1 - b1 <= 3 && b1 - a1 <= 3) {
        out.put(VERTICAL[a1 - b1 + 3]!);
        a0 = a1;
        black = !black;
      } else {
        const a2 = cur[ia + 1]!;
        out.put(HORIZONTAL);
        this.run(a1 - Math.max(0, a0), black ? BLACK : WHITE);
        this.run(a2 - a1, black ? WHITE : BLACK);
        a0 = a2;
      }
    }
    // This row is the next one's reference.
    this.coding = ref;
    this.reference = cur;
    this.rows += 1;
  }

  finish() {
    this.out.put(EOL);
    this.out.put(EOL);
    return this.out.finish();
  }

  private run(length: number, codes: RunCodes) {
    let left = length;
    while (left > MAX_MAKEUP) {
      this.out.put(codes.makeup.at(-1)!);
      left -= MAX_MAKEUP;
    }
    if (left >= 64) {
      this.out.put(codes.makeup[(left >> 6) - 1]!);
      left &= 63;
    }
    this.out.put(codes.terminating[left]!);
  }
}

/** G4 data of a 1-bit page given one byte per pixel, non-zero = ink (black). */
export const encodeG4 = (ink: Uint8Array, width: number, height: number) => {
  const encoder = new G4Encoder(width, height);
  const changes = new Int32Array(width + 1);
  for (let y = 0; y < height; y += 1) {
    let n = 0;
    let black = false;
    for (let x = 0, p = y * width; x < width; x += 1, p += 1) {
      const isInk = ink[p] !== 0;
      if (isInk !== black) {
        changes[n++] = x;
        black = !black;
      }
    }
    encoder.row(changes, n);
  }
  return encoder.finish();
};

/** The decode parameters a PDF image needs for G4 data made here (ink black, rows not byte-aligned). */
export const g4DecodeParms = (width: number, height: number) => ({ K: -1, Columns: width, Rows: height });
