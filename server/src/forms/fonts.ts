import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

export type FontRole = 'regular' | 'bold';
export type Fonts = Record<FontRole, PDFFont>;

const FONT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../assets/fonts');
const FILES: Record<FontRole, string> = { regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf' };

let bytes: Record<FontRole, Uint8Array> | undefined;

/** The TTF bytes, read from disk once per process. */
export const fontBytes = (): Record<FontRole, Uint8Array> => {
  bytes ??= {
    regular: new Uint8Array(readFileSync(resolve(FONT_DIR, FILES.regular))),
    bold: new Uint8Array(readFileSync(resolve(FONT_DIR, FILES.bold))),
  };
  return bytes;
};

// pdf-lib parses the font file again for every document, which costs more (~45 ms for the two) than drawing a
// whole form. So the parsed font (its decoded tables) is shared, and each document gets a thin view of it with
// its own glyph cache: fontkit caches a glyph object with the code points of its first use, and a glyph first
// met as a component of an accented letter (E inside Ệ, during another document's subsetting) has none, which
// would leave it out of the next document's ToUnicode map and break copying and searching the text.
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type ParsedFont = ReturnType<Fontkit['create']>;
const parsed = new WeakMap<Uint8Array, ParsedFont>();
const sharedFontkit: Fontkit = {
  create: (buffer: Uint8Array, postscriptName?: string) => {
    if (postscriptName) return fontkit.create(buffer, postscriptName);
    let font = parsed.get(buffer);
    if (!font) {
      font = fontkit.create(buffer);
      parsed.set(buffer, font);
    }
    if (!('_glyphs' in font)) return fontkit.create(buffer);
    const view = Object.create(font) as ParsedFont & { _glyphs: object };
    view._glyphs = {};
    return view;
  },
};

// pdf-lib keeps only glyph ids and advance widths from fontkit's layout, never GPOS positions, so OpenType
// shaping buys nothing for NFC Vietnamese (every letter has a precomposed glyph) and was most of the time
// spent per form.
const NO_SHAPING = Object.fromEntries(
  [
    'ccmp',
    'locl',
    'rlig',
    'mark',
    'mkmk',
    'calt',
    'clig',
    'liga',
    'rclt',
    'curs',
    'kern',
    'dist',
    'abvm',
    'blwm',
  ].map((feature) => [feature, false]),
);

/** Embeds Noto Sans Regular and Bold as subsets (only the glyphs used end up in the file). */
export const embedFonts = async (doc: PDFDocument): Promise<Fonts> => {
  doc.registerFontkit(sharedFontkit);
  const { regular, bold } = fontBytes();
  const [r, b] = await Promise.all([
    doc.embedFont(regular, { subset: true, features: NO_SHAPING }),
    doc.embedFont(bold, { subset: true, features: NO_SHAPING }),
  ]);
  return { regular: r, bold: b };
};
