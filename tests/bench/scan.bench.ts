// Scan pipeline: pages per second on one core (sharp.concurrency(1), pages one after another) from the
// scanner's JPEG to a saved A4 PDF (decode → orient → measure → deskew + crop → contrast → 1-bit / JPEG →
// PDF assembly → PAdES signature with the software key), and KB per page; beside it the same JPEGs through
// Debian's img2pdf with no clean-up. "Per core" is pages per CPU second of the process (CPU time, so that
// other work on the machine does not skew it); wall time is printed too. Token signing: signing.bench.ts. Targets (issue 4): ≥ 5 pages/s per core, ≤ 100 KB per text page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { assembleComponentPdf, saveComponentPdf } from '../../server/src/digitize/assemble';
import { type ProcessedPage, processPage } from '../../server/src/digitize/pipeline';
import { signPdfDocument } from '../../server/src/signing';
import { createSigner } from '../../server/src/signing/signer';
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

  const keyDir = mkdtempSync(join(tmpdir(), 'pd-bench-key-'));
  const signer = createSigner({ NODE_ENV: 'test', DATA_DIR: keyDir });
  await signer.certificate();

  const profile: Record<string, number> = {};
  const stages = { process: 0, assemble: 0, sign: 0 };
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const cpuStart = cpu();
  const start = performance.now();
  const results: ProcessedPage[] = [];
  for (const bytes of scans) results.push(await processPage(bytes, { mode: 'auto', profile }));
  stages.process = performance.now() - start;
  const assembled = performance.now();
  const cpuAssemble = cpu();
  const doc = await assembleComponentPdf(
    results.map((result) => ({ kind: 'processed', result })),
    META,
  );
  const unsigned = await saveComponentPdf(doc);
  stages.assemble = performance.now() - assembled;
  const cpuAssembleOnly = cpu() - cpuAssemble;
  const signStart = performance.now();
  const pdf = await signPdfDocument(
    await assembleComponentPdf(
      results.map((result) => ({ kind: 'processed', result })),
      META,
    ),
    signer,
    { reason: 'Số hóa', location: 'Huế', name: META.author },
  );
  stages.sign = performance.now() - signStart;
  const total = performance.now() - start - stages.assemble;
  // CPU time of this process: the per-core figure, whatever else the machine is doing.
  const cpuTotal = cpu() - cpuStart - cpuAssembleOnly;
  rmSync(keyDir, { recursive: true, force: true });

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
    // `times` prints the CPU time of the shell's children: img2pdf's own, as for PostDesk above.
    const times = execFileSync('bash', ['-c', 'img2pdf --pagesize A4 -o "$0" "$@" && times', out, ...files], {
      encoding: 'utf8',
    });
    const refTime = performance.now() - refStart;
    const child = times.trim().split('\n').at(-1)!.split(/\s+/);
    const seconds = (t: string) => {
      const m = /(\d+)m([\d.]+)s/.exec(t);
      return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
    };
    const refCpu = (seconds(child[0]!) + seconds(child[1]!)) * 1000;
    const refSize = statSync(out).size;

    const n = scans.length;
    const rows = [
      [
        '',
        'pages/s/core (CPU)',
        'CPU ms/page',
        'wall ms/page',
        'KB/page all',
        'KB/text page',
        'KB/photo|seal page',
      ],
      [
        'PostDesk (clean, 1-bit G4/JPEG, PDF, signed)',
        ((n * 1000) / cpuTotal).toFixed(2),
        (cpuTotal / n).toFixed(0),
        (total / n).toFixed(0),
        kb(pdf.byteLength / n),
        kb(mean(text)),
        kb(mean(other)),
      ],
      [
        'img2pdf (no clean-up)',
        ((n * 1000) / refCpu).toFixed(2),
        (refCpu / n).toFixed(0),
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
        `assembly + PAdES signature (software key) ${stages.sign.toFixed(0)} ms for all; unsigned PDF ${kb(unsigned.byteLength / n)} KB/page; ` +
        `worst skew error ${skewError.toFixed(2)}°\n`,
    );
    process.stdout.write(
      `profile, CPU ms/page: ${Object.entries(profile)
        .map(([stage, ms]) => `${stage} ${(ms / n).toFixed(0)}`)
        .join(' · ')}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
