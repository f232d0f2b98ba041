// Scan pipeline: pages per second on one core (sharp.concurrency(1), pages one after another) from the
// scanner's JPEG to a saved A4 PDF (decode → orient → measure → deskew + crop → contrast → 1-bit / JPEG →
// PDF assembly), and KB per page; beside it the same JPEGs through Debian's img2pdf with no clean-up.
// Signing is measured in signing.bench.ts. Targets (issue 4): ≥ 5 pages/s per core, ≤ 100 KB per text page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { assembleComponentPdf, saveComponentPdf } from '../../server/src/digitize/assemble';
import { type ProcessedPage, processPage } from '../../server/src/digitize/pipeline';
import { makeScan, type ScanOptions } from '../fixtures/scans/synthetic';

/** Ten desk scans: 13 pt typed forms, 1–3° of skew either way, scanner noise; one seal, one photo. */
const SET: ScanOptions[] = [
  { skew: 1.2 },
  { skew: -2.1 },
  { skew: 2.8 },
  { skew: -1.4, border: 60 },
  { skew: 1.7 },
  { skew: -2.9 },
  { skew: 2.2, border: 40 },
  { skew: -1.1 },
  { skew: 1.5, stamp: true },
  { skew: -2.4, photo: true },
].map((o, i) => ({ ...o, fontSize: 54, lines: 42, noise: 14, seed: 300 + i }));

const META = {
  title: 'Tờ khai đăng ký khai sinh',
  dossierCode: 'H42.01-250210-0007',
  componentCode: 'TP01',
  digitizedCode: '046190001234.1.000894.TP01.01',
  author: 'Nguyễn Thị Thu Hà',
  createdAt: new Date('2025-02-10T08:30:00+07:00'),
};

const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

export async function run() {
  sharp.concurrency(1);
  const scans = await Promise.all(SET.map((o) => makeScan(o)));
  const inputBytes = scans.reduce((s, b) => s + b.byteLength, 0);

  // Warm the JIT and libvips once, outside the clock.
  await processPage(scans[0]!, { mode: 'auto' });

  const stages = { process: 0, assemble: 0 };
  const start = performance.now();
  const results: ProcessedPage[] = [];
  for (const bytes of scans) results.push(await processPage(bytes, { mode: 'auto' }));
  stages.process = performance.now() - start;
  const assembled = performance.now();
  const doc = await assembleComponentPdf(
    results.map((result) => ({ kind: 'processed', result })),
    META,
  );
  const pdf = await saveComponentPdf(doc);
  stages.assemble = performance.now() - assembled;
  const total = performance.now() - start;

  const text = results.filter((r) => r.mode === 'bilevel').map((r) => r.image.data.byteLength);
  const other = results.filter((r) => r.mode !== 'bilevel').map((r) => r.image.data.byteLength);
  const skewError = Math.max(...results.map((r, i) => Math.abs(r.skewDegrees - SET[i]!.skew!)));

  const dir = mkdtempSync(join(tmpdir(), 'pd-bench-scan-'));
  try {
    const files = scans.map((bytes, i) => {
      const path = join(dir, `page-${String(i).padStart(2, '0')}.jpg`);
      writeFileSync(path, bytes);
      return path;
    });
    const out = join(dir, 'img2pdf.pdf');
    const refStart = performance.now();
    execFileSync('img2pdf', ['--pagesize', 'A4', '-o', out, ...files]);
    const refTime = performance.now() - refStart;
    const refSize = statSync(out).size;

    const n = scans.length;
    const rows = [
      ['', 'pages/s/core', 'ms/page', 'KB/page all', 'KB/text page', 'KB/photo|seal page'],
      [
        'PostDesk (clean, 1-bit/JPEG, PDF)',
        ((n * 1000) / total).toFixed(2),
        (total / n).toFixed(0),
        kb(pdf.byteLength / n),
        kb(mean(text)),
        kb(mean(other)),
      ],
      [
        'img2pdf (no clean-up)',
        ((n * 1000) / refTime).toFixed(2),
        (refTime / n).toFixed(0),
        kb(refSize / n),
        '—',
        '—',
      ],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const row of rows)
      process.stdout.write(`${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')}\n`);
    process.stdout.write(
      `${n} pages (${results.map((r) => r.mode[0]).join('')}: b=1-bit, g=grey, c=colour), input ${kb(inputBytes / n)} KB/page JPEG q90; ` +
        `processing ${(stages.process / n).toFixed(0)} ms/page, assembly + save ${stages.assemble.toFixed(0)} ms for all; ` +
        `worst skew error ${skewError.toFixed(2)}°\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
