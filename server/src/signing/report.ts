// The validation report as a PDF (Vietnamese first, English below each line): what /verify showed, to attach
// to a dossier or hand to a citizen. The JSON report is the same `VerifyResult`.
import { PDFDocument, type PDFFont, rgb } from 'pdf-lib';
import { embedFonts } from '../forms/fonts';
import { INDICATION_TEXT } from './validation';
import type { VerifyResult } from './verify';

const wrap = (text: string, font: PDFFont, size: number, width: number) => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
};

const when = (d: Date | string) => `${new Date(d).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

export const validationReportPdf = async (result: VerifyResult, fileName: string, sha256: string) => {
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedFonts(doc);
  doc.setTitle('Báo cáo kiểm tra chữ ký số');
  let page = doc.addPage([595.28, 841.89]);
  let y = 790;
  const write = (
    text: string,
    opts: { size?: number; font?: PDFFont; color?: [number, number, number] } = {},
  ) => {
    const size = opts.size ?? 10;
    for (const line of wrap(text.normalize('NFC'), opts.font ?? regular, size, 495)) {
      if (y < 50) {
        page = doc.addPage([595.28, 841.89]);
        y = 790;
      }
      page.drawText(line, {
        x: 50,
        y,
        size,
        font: opts.font ?? regular,
        color: rgb(...(opts.color ?? [0, 0, 0])),
      });
      y -= size * 1.45;
    }
  };
  write('Báo cáo kiểm tra chữ ký số / Signature validation report', { size: 15, font: bold });
  write(`Tệp / File: ${fileName}`);
  write(`SHA-256: ${sha256}`);
  write(`Thời điểm kiểm tra / Validated at: ${when(result.validatedAt)}`);
  write('Kết luận theo ETSI EN 319 102-1 / Verdicts per ETSI EN 319 102-1', {
    size: 9,
    color: [0.35, 0.35, 0.35],
  });
  if (result.signatures.length === 0) write('Tệp không có chữ ký số. / The file has no signature.');
  result.signatures.forEach((s, i) => {
    y -= 8;
    const color: [number, number, number] =
      s.indication === 'TOTAL-PASSED'
        ? [0, 0.45, 0.1]
        : s.indication === 'INDETERMINATE'
          ? [0.6, 0.4, 0]
          : [0.75, 0, 0];
    write(
      `${s.kind === 'document-timestamp' ? 'Dấu thời gian tài liệu' : 'Chữ ký'} ${i + 1}: ${s.signer.commonName || '?'}`,
      {
        size: 12,
        font: bold,
      },
    );
    write(
      `${INDICATION_TEXT[s.indication].vi} — ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`,
      {
        font: bold,
        color,
      },
    );
    write(`${s.message.vi} (${s.message.en})`);
    write(`${s.after.text.vi} (${s.after.text.en})`);
    if (s.signer.organization) write(`Tổ chức / Organisation: ${s.signer.organization}`);
    if (s.signer.serial) write(`Số hiệu chứng thư / Certificate serial: ${s.signer.serial}`);
    if (s.signedAt) write(`Thời điểm ký theo máy người ký / Claimed signing time: ${when(s.signedAt)}`);
    write(
      `Chứng thư được kiểm tra tại / Certificate checked at: ${when(s.validationTime.at)} (${
        s.validationTime.source === 'timestamp'
          ? 'dấu thời gian tin cậy / trusted timestamp'
          : 'hiện tại / now'
      })`,
    );
    if (s.chain.path.length > 0) write(`Chuỗi chứng thư / Chain: ${s.chain.path.join(' → ')}`);
    for (const r of s.revocation) write(`Thu hồi / Revocation: ${r.certificate}: ${r.status} (${r.source})`);
    for (const f of s.findings) write(`• ${f.indication} / ${f.subIndication}: ${f.detail}`, { size: 9 });
  });
  return new Uint8Array(await doc.save());
};
