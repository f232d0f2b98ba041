import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a PDF to a temporary file and reads it back with poppler and qpdf, as a person's viewer would. */
export const inspectPdf = (bytes: Uint8Array) => {
  const path = join(mkdtempSync(join(tmpdir(), 'pd-pdf-')), 'form.pdf');
  writeFileSync(path, bytes);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  const size = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info);
  let qpdfOk = true;
  try {
    execFileSync('qpdf', ['--check', path], { stdio: 'pipe' });
  } catch {
    qpdfOk = false;
  }
  /** Collapses the layout's runs of spaces and line breaks, so a wrapped phrase can be found. */
  const flat = text.replace(/\s+/g, ' ');
  return { path, text, flat, pages, width: Number(size?.[1]), height: Number(size?.[2]), qpdfOk };
};
