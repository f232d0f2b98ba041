// Scan pipeline: pages per second on one core (sharp.concurrency(1), pages one after another) from the
// scanner's JPEG to a saved A4 PDF (decode → orient → measure → deskew + crop → contrast → 1-bit / JPEG →
// PDF assembly → PAdES signature with the software key), and KB per page; beside it the same JPEGs through
// Debian's img2pdf with no clean-up, and the ratio of the two. "Per core" is pages per CPU second of the process
// (CPU time, so that other work on the machine does not skew it); wall time is printed too. Token signing:
// signing.bench.ts. Targets (issues 4 and 17): ≥ 5 pages/s per core on the desk set, ≤ 100 KB per text page.
// Then the other kinds of page the desk meets (phone photos at an angle, an ID card, faded ink) with bytes per
// page by kind, and the event loop's delay while five pages are processed on the CPU threads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { assembleComponentPdf, saveComponentPdf } from '../../server/src/digitize/assemble';
import { type ProcessedPage, processPage } from '../../server/src/digitize/pipeline';
import { processPageOffThread, startCpuThreads, stopCpuThreads } from '../../server/src/jobs/threads';
import { signPdfDocument } from '../../server/src/signing';
import { createSigner } from '../../server/src/signing/signer';
import { makePhonePhoto, makeScan, type ScanOptions } from '../fixtures/scans/synthetic';

type Kind =
  | 'desk text'
  | 'seal + signature'
  | 'ID photo'
  | 'photo block'
  | 'faded ink'
  | 'phone photo'
  | 'ID card';

/** Ten desk scans: 13 pt typed forms, 1–3° of skew either way, scanner noise; a seal, an ID photo, a photo. */
const SET: (ScanOptions & { kind: Kind })[] = [
  { skew: 1.2, kind: 'desk text' as const },
  { skew: -2.1, kind: 'desk text' as const },
  { skew: 2.8, kind: 'desk text' as const },
  { skew: -1.4, border: 60, kind: 'desk text' as const },
  { skew: 1.7, kind: 'desk text' as const },
  { skew: -2.9, kind: 'desk text' as const },
  { skew: 2.2, border: 40, kind: 'desk text' as const },
  { skew: 1.5, stamp: true, signature: true, kind: 'seal + signature' as const },
  { skew: -1.1, idPhoto: true, kind: 'ID photo' as const },
  { skew: -2.4, photo: true, kind: 'photo block' as const },
].map((o, i) => ({ ...o, fontSize: 54, lines: 42, noise: 14, seed: 300 + i }));

/** What else reaches the desk: phone photos at an angle (one in a shadow), an ID card, faded ink, a faded seal. */
const OTHERS: { kind: Kind; make: () => Promise<Uint8Array> }[] = [
  {
    kind: 'phone photo',
    make: () =>
      makePhonePhoto({
        size: { width: 2250, height: 3000 },
        corners: [
          { x: 260, y: 230 },
          { x: 2010, y: 300 },
          { x: 2120, y: 2800 },
          { x: 140, y: 2720 },
        ],
        shadow: true,
        page: { lines: 50 },
      }),
  },
  {
    kind: 'phone photo',
    make: () =>
      makePhonePhoto({
        size: { width: 2250, height: 3000 },
        corners: [
          { x: 180, y: 330 },
          { x: 2060, y: 210 },
          { x: 2150, y: 2850 },
          { x: 90, y: 2700 },
        ],
        page: { lines: 50, stamp: true },
        seed: 9,
      }),
  },
  {
    kind: 'ID card',
    make: () =>
      makePhonePhoto({
        size: { width: 2000, height: 1500 },
        corners: [
          { x: 420, y: 330 },
          { x: 1560, y: 380 },
          { x: 1530, y: 1110 },
          { x: 390, y: 1060 },
        ],
        card: true,
      }),
  },
  {
    kind: 'faded ink',
    make: () => makeScan({ skew: 1, ink: '#9a9a9a', lines: 42, fontSize: 54, seed: 320 }),
  },
  {
    kind: 'faded ink',
    make: () => makeScan({ skew: -0.6, faintSeal: true, lines: 42, fontSize: 54, seed: 321 }),
  },
];

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

  const imageBytes = (r: ProcessedPage) =>
    r.image.data.byteLength +
    (r.image.kind === 'bilevel' ? r.image.regions.reduce((sum, g) => sum + g.data.byteLength, 0) : 0);
  const text = results.filter((r) => r.mode === 'bilevel').map(imageBytes);
  const other = results.filter((r) => r.mode !== 'bilevel').map(imageBytes);
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
    process.stdout.write(
      `desk set: PostDesk / img2pdf pages per CPU second = ${(refCpu / cpuTotal).toFixed(2)} (1 = as fast as a plain wrap with no clean-up)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Bytes per page by kind: the page's own PDF (as stored before signing), desk set and the others.
  const others = await Promise.all(OTHERS.map((o) => o.make()));
  const otherCpu = cpu();
  const otherResults: ProcessedPage[] = [];
  for (const bytes of others) otherResults.push(await processPage(bytes, { mode: 'auto' }));
  const otherMs = cpu() - otherCpu;
  const byKind = new Map<Kind, { pages: number; bytes: number; modes: string[] }>();
  const all = [
    ...results.map((r, i) => ({ r, kind: SET[i]!.kind })),
    ...otherResults.map((r, i) => ({ r, kind: OTHERS[i]!.kind })),
  ];
  for (const { r, kind } of all) {
    const pdfBytes = await saveComponentPdf(
      await assembleComponentPdf([{ kind: 'processed', result: r }], META),
    );
    const entry = byKind.get(kind) ?? { pages: 0, bytes: 0, modes: [] };
    entry.pages += 1;
    entry.bytes += pdfBytes.byteLength;
    const regions = r.image.kind === 'bilevel' ? r.image.regions.map((g) => g.kind[0]).join('') : '';
    entry.modes.push(
      `${r.image.kind === 'bilevel' ? `1-bit${regions ? `+${regions}` : ''}` : `${r.mode} JPEG`}${r.found ? ` (${r.found})` : ''}${r.review.length ? ` [${r.review.join(',')}]` : ''}`,
    );
    byKind.set(kind, entry);
  }
  process.stdout.write('KB per page PDF by kind (1-bit+c/g: 1-bit page with colour/grey regions):\n');
  for (const [kind, e] of byKind)
    process.stdout.write(
      `  ${kind.padEnd(17)} ${kb(e.bytes / e.pages).padStart(5)} KB × ${e.pages}  ${e.modes.join(' · ')}\n`,
    );
  process.stdout.write(
    `other kinds: ${((others.length * 1000) / otherMs).toFixed(2)} pages/s/core (CPU), ${(otherMs / others.length).toFixed(0)} CPU ms/page\n`,
  );

  // Off the request path: five pages on the CPU threads while the event loop's delay is sampled.
  startCpuThreads();
  try {
    // Warm the threads (module load, JIT) outside the measurement.
    await processPageOffThread(scans[0]!, { mode: 'auto' }, processPage);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const wall = performance.now();
    const done = await Promise.all(
      scans.slice(0, 5).map((bytes) => processPageOffThread(bytes, { mode: 'auto' }, processPage)),
    );
    loop.disable();
    process.stdout.write(
      `event loop while ${done.length} pages process on the CPU threads: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms (target p99 < 50 ms); ${((performance.now() - wall) / done.length).toFixed(0)} wall ms/page\n`,
    );
  } finally {
    await stopCpuThreads();
  }
}
