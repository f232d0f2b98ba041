// Event-loop health while CPU work runs (issue 21): ten scanned pages processed (two at a time, as the page
// job's concurrency) and a 100-stop day planned as the dispatch page does (legal dates, 1.5 s solver budget), with a cheap JSON request sent at
// 20 req/s to an HTTP server in the same process. Printed: the event loop's delay (perf_hooks
// monitorEventLoopDelay, p50/p99/max) and the requests' latency measured from when each was due (so a stall
// counts in full), first with the work inline on the event loop (the old way), then on CPU threads
// (jobs/threads.ts, the server's worker and all roles). Target: p99 < 50 ms with threads.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Problem, solveWithDeadlines } from '../../shared/src/routing';
import { processPage } from '../../server/src/digitize/pipeline';
import {
  defaultThreadCount,
  planOffThread,
  processPageOffThread,
  startCpuThreads,
  stopCpuThreads,
} from '../../server/src/jobs/threads';
import { makeScan } from '../fixtures/scans/synthetic';
import { hueLegalDay } from './hue-day';

const PAGES = Number(process.env.EVENTLOOP_PAGES ?? 10);
const STOPS = 100;
const RATE = 20;

const out = (line: string) => process.stdout.write(`${line}\n`);

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const measure = async (scans: Uint8Array[], problem: Problem) => {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, at: Date.now() }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await fetch(url).then((r) => r.text());

  const latencies: number[] = [];
  const started = performance.now();
  let running = true;
  const sent: Promise<void>[] = [];
  // Requests are due every 50 ms; one late because the loop was blocked counts from when it was due.
  const client = (async () => {
    for (let i = 0; running; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(
        fetch(url)
          .then((r) => r.text())
          .then(() => {
            latencies.push(performance.now() - due);
          }),
      );
    }
  })();

  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const queue = [...scans];
  const pageLane = async () => {
    for (let bytes = queue.shift(); bytes; bytes = queue.shift())
      await processPageOffThread(bytes, { mode: 'auto', rotate: 0, page: 0 }, processPage);
  };
  const work = Promise.all([
    pageLane(),
    pageLane(),
    // What the dispatch page's `courier.plan` runs: the legal plan, on a CPU thread when they are started.
    planOffThread(problem, { timeLimitMs: 1_500, seed: 1 }, solveWithDeadlines),
  ]);
  await work;
  const wall = performance.now() - started;
  loop.disable();
  running = false;
  await client;
  await Promise.all(sent);
  server.close();
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (ns: number) => ns / 1e6;
  return {
    wall,
    loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    requests: { n: sorted.length, p50: pct(sorted, 0.5), p99: pct(sorted, 0.99), max: sorted.at(-1) ?? 0 },
  };
};

export const run = async () => {
  out(`making ${PAGES} synthetic A4 scans at 300 dpi …`);
  const scans: Uint8Array[] = [];
  for (let i = 0; i < PAGES; i++)
    scans.push(
      new Uint8Array(
        await makeScan({ skew: i % 2 ? 1.7 : -2.2, fontSize: 54, lines: 42, noise: 14, seed: 900 + i }),
      ),
    );
  const problem = hueLegalDay(STOPS, 8, 7);
  const f = (n: number) => n.toFixed(0).padStart(6);
  out(
    `cores: ${availableParallelism()}, threads: ${defaultThreadCount()}; ${PAGES} pages (2 at a time) + a ${STOPS}-stop plan; requests at ${RATE}/s`,
  );
  out('mode      wall s   loop p50   p99    max   req n   p50    p99    max  (ms)');
  for (const mode of ['inline', 'threads'] as const) {
    if (mode === 'threads') {
      startCpuThreads();
      // Warm the threads (module load) outside the measurement, as a running server has them.
      await processPageOffThread(scans[0]!, { mode: 'auto', rotate: 0, page: 0 }, processPage);
    }
    const r = await measure(scans, problem);
    out(
      `${mode.padEnd(8)} ${(r.wall / 1000).toFixed(1).padStart(6)} ${f(r.loop.p50)} ${f(r.loop.p99)} ${f(r.loop.max)}  ${String(r.requests.n).padStart(5)} ${f(r.requests.p50)} ${f(r.requests.p99)} ${f(r.requests.max)}`,
    );
  }
  await stopCpuThreads();
};
