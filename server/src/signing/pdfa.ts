// PDF/A-2b (ISO 19005-2, level B) for what PostDesk archives: digitized copies and the results it signs.
// Applied to the pdf-lib document before the signature placeholder goes in, so the signature covers the
// archival form and the later incremental updates (DSS, document timestamps, counter-signatures) keep it:
// PDF/A-2 allows incremental updates, and each of ours keeps the trailer's /ID.
//
// What it adds: the sRGB output intent (a profile built in srgb-icc.ts), XMP metadata equal to the document
// information dictionary plus the dossier, component and digitized-document codes in a PostDesk schema
// declared as a PDF/A extension schema, and the trailer's document ID. What it fixes in place: things a
// conforming file may not carry and that change nothing a reader sees (image interpolation, alternate
// images, transfer functions, NeedAppearances). What it cannot fix it reports, and then the file does not
// claim PDF/A (a false claim is worse than none): fonts not embedded, CMYK colour with an RGB intent, LZW,
// PostScript XObjects, non-standard blend modes, visible annotations without an appearance.
import { randomUUID } from 'node:crypto';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from 'pdf-lib';
import { SRGB_DESCRIPTION, srgbIccProfile } from './srgb-icc';

/** The XMP namespace of PostDesk's own properties. */
export const POSTDESK_XMP_NS = 'https://postdesk.vn/ns/archive/1.0/';

export type ArchivalMeta = {
  title: string;
  author: string;
  subject?: string;
  keywords?: string[];
  createdAt: Date;
  /** The dossier the file belongs to, its component code and the digitized-document code (DOMAIN.md). */
  dossierCode?: string;
  componentCode?: string;
  digitizedCode?: string;
  /** What the file is, for the custom XMP property DocumentKind: `digitized-copy`, `result`, … */
  kind?: string;
  language?: string;
};

export type ArchivalResult = {
  /** True when the file claims PDF/A-2b (pdfaid:part 2, conformance B): nothing in `issues`. */
  pdfa: boolean;
  /** Why it does not claim it, one line per kind of problem (English, for the log and the tests). */
  issues: string[];
  documentId: string;
};

/** Blend modes ISO 32000-1 Table 136 defines; PDF/A-2 §6.2.10 allows no others. */
const BLEND_MODES = new Set([
  'Normal',
  'Compatible',
  'Multiply',
  'Screen',
  'Overlay',
  'Darken',
  'Lighten',
  'ColorDodge',
  'ColorBurn',
  'HardLight',
  'SoftLight',
  'Difference',
  'Exclusion',
  'Hue',
  'Saturation',
  'Color',
  'Luminosity',
]);

const FONT_FILES = ['FontFile', 'FontFile2', 'FontFile3'].map((k) => PDFName.of(k));

const nameOf = (value: PDFObject | undefined) => (value instanceof PDFName ? value.decodeText() : undefined);

const resolve = (doc: PDFDocument, value: PDFObject | undefined): PDFObject | undefined =>
  value instanceof PDFRef ? doc.context.lookup(value) : value;

const dictOf = (doc: PDFDocument, value: PDFObject | undefined) => {
  const resolved = resolve(doc, value);
  if (resolved instanceof PDFDict) return resolved;
  if (resolved instanceof PDFStream) return resolved.dict;
  return undefined;
};

const hasEmbeddedProgram = (doc: PDFDocument, font: PDFDict) => {
  const descriptor = dictOf(doc, font.get(PDFName.of('FontDescriptor')));
  return Boolean(descriptor && FONT_FILES.some((k) => descriptor.has(k)));
};

/** A font the file draws with is embedded: simple fonts directly, composite fonts in their descendant. */
const fontEmbedded = (doc: PDFDocument, font: PDFDict) => {
  const subtype = nameOf(font.get(PDFName.of('Subtype')));
  if (subtype === 'Type3') return true;
  if (subtype === 'Type0') {
    const descendants = resolve(doc, font.get(PDFName.of('DescendantFonts')));
    const first = descendants instanceof PDFArray ? dictOf(doc, descendants.get(0)) : undefined;
    return Boolean(first && hasEmbeddedProgram(doc, first));
  }
  return hasEmbeddedProgram(doc, font);
};

const filtersOf = (doc: PDFDocument, dict: PDFDict) => {
  const filter = resolve(doc, dict.get(PDFName.of('Filter')));
  if (filter instanceof PDFName) return [filter.decodeText()];
  if (filter instanceof PDFArray) return filter.asArray().map((f) => nameOf(resolve(doc, f)) ?? '');
  return [];
};

const usesCmyk = (doc: PDFDocument, value: PDFObject | undefined): boolean => {
  const space = resolve(doc, value);
  if (space instanceof PDFName) return space.decodeText() === 'DeviceCMYK';
  if (space instanceof PDFArray) {
    // [/Indexed base …], [/Separation name alternate …], [/DeviceN names alternate …]: the device spaces inside.
    const family = nameOf(resolve(doc, space.get(0)));
    if (family === 'Indexed') return usesCmyk(doc, space.get(1));
    if (family === 'Separation' || family === 'DeviceN') return usesCmyk(doc, space.get(2));
  }
  return false;
};

/** Annotation flags (ISO 32000-1 Table 165). */
const FLAG = { invisible: 1, hidden: 2, print: 4, noView: 32, toggleNoView: 256 };

const zeroArea = (doc: PDFDocument, annot: PDFDict) => {
  const rect = resolve(doc, annot.get(PDFName.of('Rect')));
  if (!(rect instanceof PDFArray) || rect.size() < 4) return true;
  const [x1, y1, x2, y2] = rect.asArray().map((n) => {
    const v = resolve(doc, n);
    return v instanceof PDFNumber ? v.asNumber() : 0;
  });
  return x1 === x2 || y1 === y2;
};

/**
 * Looks at every object once: fixes what may be dropped without changing what is shown, and names what would
 * make a PDF/A claim false.
 */
const inspect = (doc: PDFDocument) => {
  const issues = new Set<string>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined;
    if (!dict) continue;
    const type = nameOf(dict.get(PDFName.of('Type')));
    const subtype = nameOf(dict.get(PDFName.of('Subtype')));
    if (object instanceof PDFStream && filtersOf(doc, dict).some((f) => f === 'LZWDecode' || f === 'LZW'))
      issues.add('LZW-compressed stream');
    if (type === 'Font' && !fontEmbedded(doc, dict)) {
      issues.add(`font not embedded: ${nameOf(dict.get(PDFName.of('BaseFont'))) ?? '?'}`);
    }
    if (subtype === 'Image') {
      dict.delete(PDFName.of('Alternates'));
      dict.delete(PDFName.of('OPI'));
      if (dict.get(PDFName.of('Interpolate')) === PDFBool.True)
        dict.set(PDFName.of('Interpolate'), PDFBool.False);
      if (usesCmyk(doc, dict.get(PDFName.of('ColorSpace'))))
        issues.add('CMYK image with an RGB output intent');
    }
    if (subtype === 'PS' || (subtype === 'Form' && nameOf(dict.get(PDFName.of('Subtype2'))) === 'PS'))
      issues.add('PostScript XObject');
    if (subtype === 'Form') dict.delete(PDFName.of('OPI'));
    if (type === 'ExtGState') {
      dict.delete(PDFName.of('TR'));
      if (dict.has(PDFName.of('TR2')) && nameOf(dict.get(PDFName.of('TR2'))) !== 'Default')
        dict.delete(PDFName.of('TR2'));
      const blend = resolve(doc, dict.get(PDFName.of('BM')));
      const modes =
        blend instanceof PDFArray ? blend.asArray().map((b) => nameOf(b)) : blend ? [nameOf(blend)] : [];
      if (modes.some((m) => !m || !BLEND_MODES.has(m))) issues.add('non-standard blend mode');
    }
    if (type === 'Group' || dict.has(PDFName.of('S'))) {
      if (nameOf(dict.get(PDFName.of('S'))) === 'Transparency' && usesCmyk(doc, dict.get(PDFName.of('CS'))))
        issues.add('CMYK transparency group with an RGB output intent');
    }
    if (type === 'Annot' && subtype !== 'Popup') {
      const flags = resolve(doc, dict.get(PDFName.of('F')));
      const value = flags instanceof PDFNumber ? flags.asNumber() : 0;
      const hiding = FLAG.invisible | FLAG.hidden | FLAG.noView | FLAG.toggleNoView;
      // Printing an annotation and never hiding it is what PDF/A asks; an annotation the file hid is dropped
      // from the page it is on by the caller's own stripping, so here it only gets the print flag.
      dict.set(PDFName.of('F'), PDFNumber.of((value | FLAG.print) & ~hiding));
      if (!zeroArea(doc, dict) && subtype !== 'Link' && !dict.has(PDFName.of('AP')))
        issues.add(`visible ${subtype ?? ''} annotation without an appearance`);
    }
  }
  const form = dictOf(doc, doc.catalog.get(PDFName.of('AcroForm')));
  form?.delete(PDFName.of('NeedAppearances'));
  form?.delete(PDFName.of('XFA'));
  return [...issues];
};

const xml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** XMP dates are ISO 8601; the information dictionary's D:…Z dates pdf-lib writes are whole seconds in UTC. */
const xmpDate = (date: Date) =>
  new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const CUSTOM_PROPERTIES = [
  ['DossierCode', 'dossierCode', 'Mã hồ sơ thủ tục hành chính / administrative dossier code'],
  ['ComponentCode', 'componentCode', 'Mã thành phần hồ sơ / dossier component code'],
  ['DigitizedCode', 'digitizedCode', 'Mã kết quả số hóa / digitized-document code'],
  ['DocumentKind', 'kind', 'Loại tài liệu / what the document is (digitized-copy, result)'],
] as const;

type XmpInput = {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  createdAt: Date;
  modifiedAt: Date;
  documentId: string;
  pdfa: boolean;
  custom: Record<string, string | undefined>;
};

const xmpPacket = (m: XmpInput) => {
  const custom = CUSTOM_PROPERTIES.filter(([, key]) => m.custom[key]);
  const extension = custom
    .map(
      ([name, , description]) =>
        `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${xml(description)}</pdfaProperty:description></rdf:li>`,
    )
    .join('\n');
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    ...(m.pdfa
      ? [
          '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">',
          '<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>',
          '</rdf:Description>',
        ]
      : []),
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(m.title)}</rdf:li></rdf:Alt></dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${xml(m.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(m.subject)}</rdf:li></rdf:Alt></dc:description>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<xmp:CreateDate>${xmpDate(m.createdAt)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(m.modifiedAt)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${xmpDate(m.modifiedAt)}</xmp:MetadataDate>`,
    '<xmp:CreatorTool>PostDesk</xmp:CreatorTool>',
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
    '<pdf:Producer>PostDesk</pdf:Producer>',
    `<pdf:Keywords>${xml(m.keywords)}</pdf:Keywords>`,
    '</rdf:Description>',
    '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    `<xmpMM:DocumentID>uuid:${m.documentId}</xmpMM:DocumentID>`,
    `<xmpMM:InstanceID>uuid:${m.documentId}</xmpMM:InstanceID>`,
    '</rdf:Description>',
    ...(custom.length
      ? [
          `<rdf:Description rdf:about="" xmlns:postdesk="${POSTDESK_XMP_NS}">`,
          ...custom.map(([name, key]) => `<postdesk:${name}>${xml(m.custom[key]!)}</postdesk:${name}>`),
          '</rdf:Description>',
          '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
          '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
          '<pdfaSchema:schema>PostDesk archive</pdfaSchema:schema>',
          `<pdfaSchema:namespaceURI>${POSTDESK_XMP_NS}</pdfaSchema:namespaceURI>`,
          '<pdfaSchema:prefix>postdesk</pdfaSchema:prefix>',
          `<pdfaSchema:property><rdf:Seq>\n${extension}\n</rdf:Seq></pdfaSchema:property>`,
          '</rdf:li></rdf:Bag></pdfaExtension:schemas>',
          '</rdf:Description>',
        ]
      : []),
    '</rdf:RDF>',
    '</x:xmpmeta>',
    // Room to edit the packet in place, as XMP writers leave.
    ...Array.from({ length: 20 }, () => ' '.repeat(99)),
    '<?xpacket end="w"?>',
  ];
  return Buffer.from(lines.join('\n'), 'utf8');
};

/**
 * Makes `doc` a PDF/A-2b file (when nothing in it prevents it) carrying `meta`. Sets the document information
 * dictionary from `meta` so it and the XMP say the same. Call before the signature placeholder; save once.
 */
export const makeArchival = async (doc: PDFDocument, meta: ArchivalMeta): Promise<ArchivalResult> => {
  // Fonts and images pdf-lib embeds lazily become objects only now: inspect them too.
  await doc.flush();
  const issues = inspect(doc);
  const createdAt = new Date(Math.floor(meta.createdAt.getTime() / 1000) * 1000);
  const subject = meta.subject ?? meta.title;
  const keywords = [
    ...(meta.keywords ?? []),
    meta.dossierCode,
    meta.componentCode,
    meta.digitizedCode,
  ].filter((k): k is string => Boolean(k));
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(subject);
  doc.setKeywords([...new Set(keywords)]);
  doc.setCreator('PostDesk');
  doc.setProducer('PostDesk');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  if (meta.language) doc.setLanguage(meta.language);
  // ID: the same two halves for a new file (ISO 32000-1 §14.4); the XMP carries it as the document's UUID.
  const documentId = randomUUID();
  const idHex = documentId.replace(/-/g, '').toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(idHex), PDFHexString.of(idHex)]);

  const profile = srgbIccProfile();
  const icc = doc.context.flateStream(profile, { N: 3 });
  const intent = doc.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of(SRGB_DESCRIPTION),
    Info: PDFString.of(SRGB_DESCRIPTION),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: doc.context.register(icc),
  });
  doc.catalog.set(PDFName.of('OutputIntents'), doc.context.obj([intent]));

  const pdfa = issues.length === 0;
  const packet = xmpPacket({
    title: meta.title,
    author: meta.author,
    subject,
    keywords: doc.getKeywords() ?? '',
    createdAt,
    modifiedAt: createdAt,
    documentId,
    pdfa,
    custom: {
      dossierCode: meta.dossierCode,
      componentCode: meta.componentCode,
      digitizedCode: meta.digitizedCode,
      kind: meta.kind,
    },
  });
  // PDF/A-2 §6.6.2.1: the metadata stream has no filter, so it stays readable without decompression.
  const metadata = PDFRawStream.of(
    doc.context.obj({ Type: 'Metadata', Subtype: 'XML', Length: packet.length }),
    packet,
  );
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));
  return { pdfa, issues, documentId };
};
