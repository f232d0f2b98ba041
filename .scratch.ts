import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { countersignPdf, createSigner, signPdf, verifyPdf } from './server/src/signing';
import { ensureSoftwareKey } from './server/src/signing/pki';
const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scr-'));
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 3; i++) doc.addPage().drawText(`page ${i}`, { x: 50, y: 700, font, size: 12 });
  const form = doc.getForm();
  const tf = form.createTextField('hoten');
  tf.setText('Nguyen');
  tf.addToPage(doc.getPage(0), { x: 50, y: 600 });
  const pdf = await doc.save({ useObjectStreams: false });
  const signer = createSigner({ NODE_ENV: 'development', DATA_DIR: dir });
  const roots = ensureSoftwareKey(dir).chain;
  const show = async (name: string, bytes: Uint8Array) => {
    const r = await verifyPdf(bytes, { trustRoots: roots });
    console.log(name, JSON.stringify(r.signatures.map((s) => [s.indication, s.subIndication ?? '', s.after.text.vi, s.findings.map((f) => f.detail).join('|')])));
  };
  const opts = { reason: 'r', location: 'l', name: 'n' };
  // form PDF, certified, then countersign
  const s1 = await signPdf(pdf, signer, opts);
  await show('form+cert', s1);
  await show('form+cert+counter', await countersignPdf(s1, signer, opts));
  // linearized original, countersigned twice
  writeFileSync(join(dir, 'a.pdf'), pdf);
  execFileSync('qpdf', ['--linearize', join(dir, 'a.pdf'), join(dir, 'lin.pdf')]);
  const lin = new Uint8Array(readFileSync(join(dir, 'lin.pdf')));
  const l1 = await countersignPdf(lin, signer, opts);
  await show('linearized+sig', l1);
  await show('linearized+sig+sig', await countersignPdf(l1, signer, opts));
  // qpdf object streams, then qpdf --check on countersigned
  execFileSync('qpdf', ['--object-streams=generate', join(dir, 'a.pdf'), join(dir, 'os.pdf')]);
  const os1 = await countersignPdf(new Uint8Array(readFileSync(join(dir, 'os.pdf'))), signer, opts);
  writeFileSync(join(dir, 'os1.pdf'), os1);
  try { execFileSync('qpdf', ['--check', join(dir, 'os1.pdf')], { stdio: 'pipe' }); console.log('qpdf ok'); } catch (e) { console.log('qpdf check failed', String((e as { stdout: Buffer }).stdout).slice(0, 300)); }
  await show('objstm+sig', os1);
};
main();
