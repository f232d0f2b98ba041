// What happened to a PDF after a signature: the revision the signature covers (the bytes up to the end of its
// byte range) against the file's final revision, object by object through both cross-reference chains.
// A later signature covering the rest proves only that the later signer signed it, not that nothing changed;
// only these changes leave the earlier signature's content as it was signed:
// - new signatures (a signature field, its widget, its value, the AcroForm's /Fields and /SigFlags, the
//   page's /Annots gaining the widget), document timestamps and the DSS (ISO 32000-2 §12.8.4.3, PAdES);
// - with the DocMDP permission P >= 2, filling in existing form fields; with P = 3 (and for documents with no
//   certification signature), adding or changing annotations;
// - document information (/Info) and the XMP metadata stream, as viewers update them when saving.
// Anything else (page content, resources, the page tree, the catalogue, an earlier signature, objects
// appended outside every cross-reference section) is a modification of what was signed.
import {
  canonical,
  dictOf,
  isDict,
  isName,
  isRef,
  type PdfDict,
  type PdfValue,
  type Revision,
  readRevision,
} from './pdf-objects';

export type ChangeKind =
  | 'signature-added'
  | 'timestamp-added'
  | 'dss-updated'
  | 'form-filled'
  | 'annotation-changed'
  | 'metadata-updated'
  | 'page-content-changed'
  | 'page-resources-changed'
  | 'page-changed'
  | 'page-tree-changed'
  | 'catalog-changed'
  | 'form-changed'
  | 'signature-changed'
  | 'hidden-object'
  | 'trailing-data'
  | 'object-changed';

export type RevisionChange = {
  kind: ChangeKind;
  /** 1-based page number, for changes on one page. */
  page?: number;
  count: number;
  /** Whether the change is permitted after this signature (see the header of this file). */
  allowed: boolean;
};

type Role =
  | { kind: 'catalog' }
  | { kind: 'pages' }
  | { kind: 'page'; page: number }
  | { kind: 'content'; page: number }
  | { kind: 'resource'; page?: number }
  | { kind: 'annots'; page: number }
  | { kind: 'annotation'; page?: number }
  | { kind: 'acroform' }
  | { kind: 'fields' }
  | { kind: 'field' }
  | { kind: 'sig-field' }
  | { kind: 'sig-value'; type: 'Sig' | 'DocTimeStamp' }
  | { kind: 'dss' }
  | { kind: 'metadata' }
  | { kind: 'catalog-part' };

const BACK_POINTERS = new Set(['Parent', 'P']);

/** The role each reachable object plays in a revision, strongest first (page content before annotations). */
const rolesOf = (rev: Revision) => {
  const roles = new Map<number, Role>();
  const pageNumbers = new Map<number, number>();

  const mark = (value: PdfValue | undefined, role: Role, depth = 0, skip = BACK_POINTERS) => {
    if (depth > 200 || value === undefined) return;
    if (isRef(value)) {
      if (roles.has(value.num)) return;
      roles.set(value.num, role);
      mark(rev.get(value.num), role, depth + 1, skip);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) mark(item, role, depth + 1, skip);
      return;
    }
    const dict = dictOf(value);
    if (dict) for (const [key, item] of dict.entries) if (!skip.has(key)) mark(item, role, depth + 1, skip);
  };

  const root = rev.trailer.entries.get('Root');
  const catalog = dictOf(rev.resolve(root));
  if (!isRef(root) || !catalog) throw new Error('no document catalogue');
  roles.set(root.num, { kind: 'catalog' });

  // The page tree, pages in order; what a page draws with is its content.
  const pages: { num: number; dict: PdfDict }[] = [];
  const walkPages = (value: PdfValue | undefined, inherited: PdfValue[], depth: number) => {
    if (!isRef(value) || depth > 64 || roles.get(value.num)?.kind === 'page') return;
    const dict = dictOf(rev.get(value.num));
    if (!dict) return;
    const kids = rev.resolve(dict.entries.get('Kids'));
    if (isName(dict.entries.get('Type'), 'Pages') || Array.isArray(kids)) {
      roles.set(value.num, { kind: 'pages' });
      if (isRef(dict.entries.get('Kids')))
        roles.set((dict.entries.get('Kids') as { num: number }).num, { kind: 'pages' });
      const own = [...dict.entries]
        .filter(([k]) => !['Kids', 'Parent', 'Type', 'Count'].includes(k))
        .map(([, v]) => v);
      for (const kid of Array.isArray(kids) ? kids : []) walkPages(kid, [...inherited, ...own], depth + 1);
      return;
    }
    const page = pages.length + 1;
    pages.push({ num: value.num, dict });
    pageNumbers.set(value.num, page);
    roles.set(value.num, { kind: 'page', page });
    for (const [key, item] of dict.entries) {
      if (key === 'Parent' || key === 'Annots') continue;
      mark(item, key === 'Contents' ? { kind: 'content', page } : { kind: 'resource', page });
    }
    for (const item of inherited) mark(item, { kind: 'resource' });
  };
  walkPages(catalog.entries.get('Pages'), [], 0);

  // The form: signature fields (and their values) apart from other fields.
  const acroFormValue = catalog.entries.get('AcroForm');
  if (isRef(acroFormValue)) roles.set(acroFormValue.num, { kind: 'acroform' });
  const acroForm = dictOf(rev.resolve(acroFormValue));
  const walkField = (value: PdfValue | undefined, inheritedType: string | undefined, depth: number) => {
    if (!isRef(value) || depth > 32 || roles.has(value.num)) return;
    const dict = dictOf(rev.get(value.num));
    if (!dict) return;
    const ft = dict.entries.get('FT');
    const type = isName(ft) ? ft.name : inheritedType;
    roles.set(value.num, type === 'Sig' ? { kind: 'sig-field' } : { kind: 'field' });
    const kids = rev.resolve(dict.entries.get('Kids'));
    for (const kid of Array.isArray(kids) ? kids : []) walkField(kid, type, depth + 1);
    if (type === 'Sig') {
      const v = dict.entries.get('V');
      const sig = dictOf(rev.resolve(v));
      if (isRef(v) && sig) {
        roles.set(v.num, {
          kind: 'sig-value',
          type: isName(sig.entries.get('Type'), 'DocTimeStamp') ? 'DocTimeStamp' : 'Sig',
        });
      }
    }
    for (const [key, item] of dict.entries) {
      if (key === 'Kids' || BACK_POINTERS.has(key) || (type === 'Sig' && key === 'V')) continue;
      mark(item, type === 'Sig' ? { kind: 'sig-field' } : { kind: 'field' });
    }
  };
  if (acroForm) {
    const fieldsValue = acroForm.entries.get('Fields');
    if (isRef(fieldsValue)) roles.set(fieldsValue.num, { kind: 'fields' });
    const fields = rev.resolve(fieldsValue);
    for (const field of Array.isArray(fields) ? fields : []) walkField(field, undefined, 0);
    for (const [key, item] of acroForm.entries) if (key !== 'Fields') mark(item, { kind: 'acroform' });
  }

  // Annotations, page by page (signature widgets are already known as fields).
  for (const { dict } of pages) {
    const page = pageNumbers.get(pages.find((p) => p.dict === dict)!.num)!;
    const annotsValue = dict.entries.get('Annots');
    if (isRef(annotsValue) && !roles.has(annotsValue.num))
      roles.set(annotsValue.num, { kind: 'annots', page });
    const annots = rev.resolve(annotsValue);
    for (const annot of Array.isArray(annots) ? annots : []) mark(annot, { kind: 'annotation', page });
  }

  mark(catalog.entries.get('DSS'), { kind: 'dss' });
  mark(catalog.entries.get('Metadata'), { kind: 'metadata' });
  mark(rev.trailer.entries.get('Info'), { kind: 'metadata' });
  for (const [key, item] of catalog.entries)
    mark(item, key === 'Perms' ? { kind: 'catalog-part' } : { kind: 'catalog-part' });
  return { roles, pageNumbers, catalog, acroForm };
};

const refNumbers = (rev: Revision, value: PdfValue | undefined): number[] => {
  const array = rev.resolve(value);
  return Array.isArray(array) ? array.filter(isRef).map((r) => r.num) : [];
};

/** Keys of two dictionaries whose values differ. */
const changedKeys = (a: PdfDict | undefined, b: PdfDict | undefined) => {
  const keys = new Set([...(a?.entries.keys() ?? []), ...(b?.entries.keys() ?? [])]);
  return [...keys].filter((k) => canonical(a?.entries.get(k)) !== canonical(b?.entries.get(k)));
};

/** The DocMDP permission of a certification signature (its /Reference), when it has one. */
export const docMdpPermission = (sig: PdfDict | undefined, rev: Revision): 1 | 2 | 3 | undefined => {
  const refs = rev.resolve(sig?.entries.get('Reference'));
  for (const item of Array.isArray(refs) ? refs : []) {
    const ref = dictOf(rev.resolve(item));
    if (!ref || !isName(ref.entries.get('TransformMethod'), 'DocMDP')) continue;
    const params = dictOf(rev.resolve(ref.entries.get('TransformParams')));
    const p = params?.entries.get('P');
    return p === 1 || p === 3 ? p : 2;
  }
  return undefined;
};

export type RevisionAnalysis = {
  /** The signed bytes end where a revision ends (`%%EOF`), so the signature covers a whole revision. */
  coversRevision: boolean;
  changes: RevisionChange[];
  /** True when any change is not permitted. */
  modified: boolean;
};

/**
 * Compares the revision a signature covers (`signedLength` bytes) with the file's final revision.
 * `permission`: the document's DocMDP P value (from its certification signature), if any.
 */
export const analyseRevisions = (
  bytes: Buffer,
  signedLength: number,
  finalRevision: Revision,
  permission: 1 | 2 | 3 | undefined,
): RevisionAnalysis => {
  const tail = bytes.toString('latin1', Math.max(0, signedLength - 16), signedLength);
  if (!/%%EOF\s*$/.test(tail)) {
    return { coversRevision: false, changes: [], modified: true };
  }
  if (signedLength === bytes.length || /^\s*$/.test(bytes.toString('latin1', signedLength))) {
    return { coversRevision: true, changes: [], modified: false };
  }
  let signed: Revision;
  try {
    signed = readRevision(bytes.subarray(0, signedLength));
  } catch {
    return { coversRevision: false, changes: [], modified: true };
  }
  const p = permission ?? 3;
  const changes = new Map<string, RevisionChange>();
  const add = (kind: ChangeKind, allowed: boolean, page?: number) => {
    const key = `${kind}:${page ?? ''}:${allowed}`;
    const existing = changes.get(key);
    if (existing) existing.count += 1;
    else changes.set(key, { kind, ...(page === undefined ? {} : { page }), count: 1, allowed });
  };

  // The final chain must pass through the signed revision's cross-reference (an update appends, it does not
  // replace history), and every object appended after the signature must be one a section names.
  if (!finalRevision.sections.includes(signed.sections[0]!)) add('object-changed', false);
  // Bytes after the last revision's %%EOF (or appended with no cross-reference of their own) are no update
  // a reader applies, but some tools show them.
  const lastEof = bytes.lastIndexOf('%%EOF');
  if (
    lastEof < signedLength ||
    !/^%%EOF\s*$/.test(bytes.toString('latin1', lastEof)) ||
    finalRevision.sections[0]! < signedLength
  )
    add('trailing-data', false);
  const appended = bytes.toString('latin1', signedLength);
  for (const m of appended.matchAll(/(?:^|[\s>])(\d+)\s+(\d+)\s+obj\b/g)) {
    const at = signedLength + m.index + m[0].indexOf(m[1]!);
    if (!finalRevision.namedOffsets.has(at) && !finalRevision.sections.includes(at))
      add('hidden-object', false);
  }

  let before: ReturnType<typeof rolesOf>;
  let after: ReturnType<typeof rolesOf>;
  try {
    before = rolesOf(signed);
    after = rolesOf(finalRevision);
  } catch {
    add('catalog-changed', false);
    return { coversRevision: true, changes: [...changes.values()], modified: true };
  }
  const signedRoot = signed.trailer.entries.get('Root');
  const finalRoot = finalRevision.trailer.entries.get('Root');
  if (canonical(signedRoot) !== canonical(finalRoot)) add('catalog-changed', false);
  if (
    canonical(signed.trailer.entries.get('Encrypt')) !==
    canonical(finalRevision.trailer.entries.get('Encrypt'))
  )
    add('catalog-changed', false);

  const numbers = new Set([...signed.entries.keys(), ...finalRevision.entries.keys()]);
  for (const num of numbers) {
    const a = signed.entries.get(num);
    const b = finalRevision.entries.get(num);
    // The same offset in both chains is the same bytes (the signed revision is a prefix of the file).
    if (a?.type === 'offset' && b?.type === 'offset' && a.offset === b.offset) continue;
    let oldValue: PdfValue;
    let newValue: PdfValue;
    try {
      oldValue = signed.get(num);
      newValue = finalRevision.get(num);
    } catch {
      add('object-changed', false);
      continue;
    }
    if (canonical(oldValue) === canonical(newValue)) continue;
    const oldRole = before.roles.get(num);
    const newRole = after.roles.get(num);
    const role = oldRole ?? newRole;
    if (!role) continue;
    const existed = oldRole !== undefined;
    const oldDict = dictOf(oldValue);
    const newDict = dictOf(newValue);
    switch (role.kind) {
      case 'catalog': {
        if (!existed) {
          add('catalog-changed', false);
          break;
        }
        for (const key of changedKeys(oldDict, newDict)) {
          if (key === 'DSS' || key === 'Extensions') add('dss-updated', true);
          else if (key === 'AcroForm') {
            if (
              !acroFormOk(
                signed,
                finalRevision,
                oldDict?.entries.get('AcroForm'),
                newDict?.entries.get('AcroForm'),
              )
            )
              add('form-changed', false);
          } else if (key === 'Metadata') add('metadata-updated', true);
          else add('catalog-changed', false);
        }
        break;
      }
      case 'pages':
        add('page-tree-changed', false);
        break;
      case 'page': {
        if (!existed) {
          add('page-tree-changed', false);
          break;
        }
        for (const key of changedKeys(oldDict, newDict)) {
          if (key === 'Annots') {
            if (
              !annotsKept(
                signed,
                finalRevision,
                oldDict?.entries.get('Annots'),
                newDict?.entries.get('Annots'),
              )
            )
              add('annotation-changed', p >= 3, role.page);
          } else if (key === 'Contents') add('page-content-changed', false, role.page);
          else if (key === 'Resources') add('page-resources-changed', false, role.page);
          else add('page-changed', false, role.page);
        }
        break;
      }
      case 'content':
        add('page-content-changed', false, role.page);
        break;
      case 'resource':
        if (role.page === undefined) add('page-tree-changed', false);
        else add('page-resources-changed', false, role.page);
        break;
      case 'annots': {
        const kept = refNumbers(signed, oldValue);
        const now = new Set(refNumbers(finalRevision, newValue));
        if (!existed || !kept.every((n) => now.has(n))) add('annotation-changed', p >= 3, role.page);
        break;
      }
      case 'annotation':
        add('annotation-changed', p >= 3, role.page);
        break;
      case 'acroform':
        if (existed && !acroFormDictOk(signed, finalRevision, oldDict, newDict)) add('form-changed', false);
        break;
      case 'fields': {
        const kept = refNumbers(signed, oldValue);
        const now = new Set(refNumbers(finalRevision, newValue));
        if (existed && !kept.every((n) => now.has(n))) add('form-changed', false);
        break;
      }
      case 'field':
        if (existed) add('form-filled', p >= 2);
        else add('form-changed', false);
        break;
      case 'sig-field': {
        if (!existed) break;
        // Signing an empty signature field fills in its /V; anything else on a signed field is tampering.
        const keys = changedKeys(oldDict, newDict);
        const filling =
          oldDict?.entries.get('V') === undefined && keys.every((k) => ['V', 'AP', 'F'].includes(k));
        if (!filling) add('signature-changed', false);
        break;
      }
      case 'sig-value':
        if (existed) add('signature-changed', false);
        else if (newRole?.kind === 'sig-value')
          add(
            newRole.type === 'DocTimeStamp' ? 'timestamp-added' : 'signature-added',
            p >= 2 || newRole.type === 'DocTimeStamp',
          );
        break;
      case 'dss':
        add('dss-updated', true);
        break;
      case 'metadata':
        add('metadata-updated', true);
        break;
      case 'catalog-part':
        add('catalog-changed', false);
        break;
    }
  }
  const list = [...changes.values()];
  return { coversRevision: true, changes: list, modified: list.some((c) => !c.allowed) };
};

const annotsKept = (signed: Revision, final: Revision, a: PdfValue | undefined, b: PdfValue | undefined) => {
  const kept = refNumbers(signed, a);
  const now = new Set(refNumbers(final, b));
  return kept.every((n) => now.has(n));
};

const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA']);

const acroFormDictOk = (signed: Revision, final: Revision, a: PdfDict | undefined, b: PdfDict | undefined) =>
  changedKeys(a, b).every(
    (k) =>
      ACROFORM_KEYS.has(k) &&
      (k !== 'Fields' || annotsKept(signed, final, a?.entries.get('Fields'), b?.entries.get('Fields'))),
  );

const acroFormOk = (signed: Revision, final: Revision, a: PdfValue | undefined, b: PdfValue | undefined) => {
  // Moved to another object (or made): judged by its contents; an indirect form changes as its own object.
  if (isRef(a) && isRef(b) && a.num === b.num) return true;
  const before = dictOf(signed.resolve(a));
  const after = dictOf(final.resolve(b));
  if (!after) return false;
  return acroFormDictOk(signed, final, before, after);
};

export const describeChanges = (changes: RevisionChange[]) => ({
  vi:
    changes.length === 0
      ? 'Sau chữ ký này: không có thay đổi'
      : `Sau chữ ký này: ${changes.map(changeTextVi).join('; ')}`,
  en:
    changes.length === 0
      ? 'After this signature: no changes'
      : `After this signature: ${changes.map(changeTextEn).join('; ')}`,
});

const changeTextVi = (c: RevisionChange): string => {
  const page = c.page === undefined ? '' : ` ${c.page}`;
  switch (c.kind) {
    case 'signature-added':
      return `thêm ${c.count} chữ ký`;
    case 'timestamp-added':
      return `thêm ${c.count} dấu thời gian tài liệu`;
    case 'dss-updated':
      return 'thêm dữ liệu kiểm tra chứng thư (DSS)';
    case 'form-filled':
      return `điền ${c.count} ô biểu mẫu`;
    case 'annotation-changed':
      return `thêm hoặc sửa ghi chú trên trang${page}`;
    case 'metadata-updated':
      return 'cập nhật thông tin mô tả tài liệu';
    case 'page-content-changed':
      return `nội dung trang${page} bị thay đổi`;
    case 'page-resources-changed':
      return `phông chữ, hình ảnh của trang${page} bị thay đổi`;
    case 'page-changed':
      return `trang${page} bị thay đổi`;
    case 'page-tree-changed':
      return 'danh sách trang bị thay đổi (thêm, bớt hoặc đổi trang)';
    case 'catalog-changed':
      return 'cấu trúc tài liệu bị thay đổi';
    case 'form-changed':
      return 'biểu mẫu bị thay đổi';
    case 'signature-changed':
      return 'chữ ký trước đó bị thay đổi';
    case 'hidden-object':
      return `có ${c.count} đối tượng ẩn được chèn vào tệp`;
    case 'trailing-data':
      return 'có dữ liệu lạ được nối vào cuối tệp';
    case 'object-changed':
      return `${c.count} đối tượng khác bị thay đổi`;
  }
};

const changeTextEn = (c: RevisionChange): string => {
  const page = c.page === undefined ? '' : ` ${c.page}`;
  switch (c.kind) {
    case 'signature-added':
      return `${c.count} signature(s) added`;
    case 'timestamp-added':
      return `${c.count} document timestamp(s) added`;
    case 'dss-updated':
      return 'validation data (DSS) added';
    case 'form-filled':
      return `${c.count} form field(s) filled in`;
    case 'annotation-changed':
      return `annotations added or changed on page${page}`;
    case 'metadata-updated':
      return 'document information updated';
    case 'page-content-changed':
      return `the content of page${page} was changed`;
    case 'page-resources-changed':
      return `the fonts or images of page${page} were changed`;
    case 'page-changed':
      return `page${page} was changed`;
    case 'page-tree-changed':
      return 'the list of pages was changed';
    case 'catalog-changed':
      return 'the document structure was changed';
    case 'form-changed':
      return 'the form was changed';
    case 'signature-changed':
      return 'an earlier signature was changed';
    case 'hidden-object':
      return `${c.count} hidden object(s) inserted into the file`;
    case 'trailing-data':
      return 'unknown data appended to the end of the file';
    case 'object-changed':
      return `${c.count} other object(s) changed`;
  }
};

export { isDict };
