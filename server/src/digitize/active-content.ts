import { PDFArray, type PDFDocument, PDFDict, PDFName, type PDFObject, PDFRef, PDFStream } from 'pdf-lib';

/**
 * Keys that make a PDF do something when it is opened or touched: scripts, automatic and triggered actions,
 * attached files, rich media and XFA forms. A digitized copy is a picture of paper and needs none of them.
 */
const ACTIVE_KEYS = new Set([
  'JS',
  'JavaScript',
  'OpenAction',
  'AA',
  'Launch',
  'EmbeddedFile',
  'EmbeddedFiles',
  'RichMedia',
  'RichMediaContent',
  'RichMediaSettings',
  'XFA',
]);

/** Action types that run something or reach outside the document. */
const ACTIVE_ACTIONS = new Set([
  'JavaScript',
  'Launch',
  'ImportData',
  'SubmitForm',
  'ResetForm',
  'RichMediaExecute',
  'GoToE',
  'GoToR',
  'Rendition',
  'Sound',
  'Movie',
  'SetOCGState',
  'Hide',
  'Trans',
  'GoTo3DView',
]);

/** Annotations that carry a file, a player or a 3D model. */
const ACTIVE_ANNOTATIONS = new Set(['FileAttachment', 'RichMedia', 'Screen', 'Movie', 'Sound', '3D']);

const nameOf = (value: PDFObject | undefined) => (value instanceof PDFName ? value.decodeText() : undefined);

const dictOf = (doc: PDFDocument, value: PDFObject | undefined) => {
  const resolved = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (resolved instanceof PDFDict) return resolved;
  if (resolved instanceof PDFStream) return resolved.dict;
  return undefined;
};

const isActiveAction = (doc: PDFDocument, value: PDFObject | undefined) =>
  ACTIVE_ACTIONS.has(nameOf(dictOf(doc, value)?.get(PDFName.of('S'))) ?? '');

const isActiveAnnotation = (doc: PDFDocument, value: PDFObject | undefined) =>
  ACTIVE_ANNOTATIONS.has(nameOf(dictOf(doc, value)?.get(PDFName.of('Subtype'))) ?? '');

const cleanDict = (doc: PDFDocument, dict: PDFDict) => {
  for (const key of dict.keys()) {
    const name = key.decodeText();
    const value = dict.get(key);
    if (ACTIVE_KEYS.has(name) || (name === 'A' && isActiveAction(doc, value))) {
      dict.delete(key);
      continue;
    }
    if (name === 'Next') {
      const next = value instanceof PDFArray ? value : undefined;
      if (next) {
        for (let i = next.size() - 1; i >= 0; i -= 1) if (isActiveAction(doc, next.get(i))) next.remove(i);
      } else if (isActiveAction(doc, value)) {
        dict.delete(key);
      }
      continue;
    }
    if (name === 'Annots') {
      const annots = value instanceof PDFRef ? doc.context.lookup(value) : value;
      if (annots instanceof PDFArray) {
        for (let i = annots.size() - 1; i >= 0; i -= 1) {
          if (isActiveAnnotation(doc, annots.get(i))) annots.remove(i);
        }
      }
    }
  }
};

/** Every direct dictionary inside `value` (indirect ones are visited on their own). */
const visit = (doc: PDFDocument, value: PDFObject | undefined, seen: Set<PDFObject>) => {
  if (value === undefined || value instanceof PDFRef || seen.has(value)) return;
  seen.add(value);
  const dict = value instanceof PDFStream ? value.dict : value instanceof PDFDict ? value : undefined;
  if (dict) {
    cleanDict(doc, dict);
    for (const [, inner] of dict.entries()) visit(doc, inner, seen);
  } else if (value instanceof PDFArray) {
    for (const inner of value.asArray()) visit(doc, inner, seen);
  }
};

/** The indirect objects reachable from the trailer: pdf-lib writes every object it holds, used or not. */
const reachable = (doc: PDFDocument) => {
  const found = new Set<string>();
  const stack: PDFObject[] = [doc.context.trailerInfo.Root, doc.context.trailerInfo.Info].filter(
    (v): v is PDFObject => v !== undefined,
  );
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (value instanceof PDFRef) {
      if (found.has(value.tag)) continue;
      found.add(value.tag);
      const target = doc.context.lookup(value);
      if (target) stack.push(target);
    } else if (value instanceof PDFStream) {
      stack.push(value.dict);
    } else if (value instanceof PDFDict) {
      for (const [, inner] of value.entries()) stack.push(inner);
    } else if (value instanceof PDFArray) {
      stack.push(...value.asArray());
    }
  }
  return found;
};

/**
 * Takes scripts, actions, attachments, rich media and XFA out of a PDF in place, then drops every object no
 * longer reachable, so not even the dead script's text is left in the file a clerk signs.
 */
export const stripActiveContent = (doc: PDFDocument) => {
  const seen = new Set<PDFObject>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(doc, object, seen);
  visit(doc, doc.catalog, seen);
  const keep = reachable(doc);
  for (const [ref] of doc.context.enumerateIndirectObjects()) {
    if (!keep.has(ref.tag)) doc.context.delete(ref);
  }
  return doc;
};
