// The counter queue under load: `npm run bench -- queue`. Kiosks issue numbers and three desks call them for a
// fixed time at one post office, first alone and then with the supervisor's board (waits per desk and group)
// and the waiting-room screen read in a loop, as a live board would. Prints numbers issued and called per
// second in both runs (their ratio is the board's price) and the p50/p99 of the board and screen reads.
// The clock is a fixed working morning advanced by the benchmark, so it runs the same on a weekend.
import { eq } from 'drizzle-orm';
import { desks, offices, queueGroups } from '../../server/src/db/schema';
import { callNext, waitingScreen } from '../../server/src/queue/desk';
import { queueFigures } from '../../server/src/queue/figures';
import { takeTicket } from '../../server/src/queue/tickets';
import { benchDatabase, percentile } from './pg';

const SECONDS = Number(process.env.QUEUE_BENCH_SECONDS ?? 10);
const KIOSKS = 4;
const say = (text: string) => process.stdout.write(`${text}\n`);

/** Monday 31/08/2026, 08:00 in Huế, plus the benchmark's elapsed time. */
const START = Date.parse('2026-08-31T08:00:00+07:00');

export const run = async () => {
  const database = await benchDatabase();
  if (!database) {
    say('PostgreSQL not reachable on 127.0.0.1:5432, skipped');
    return;
  }
  const db = database.db;
  try {
    const [office] = await db.select({ id: offices.id }).from(offices).where(eq(offices.code, 'H57.90.01'));
    const officeId = office!.id;
    const deskIds = (await db.select({ id: desks.id }).from(desks).where(eq(desks.officeId, officeId))).map(
      (d) => d.id,
    );
    const groupIds = (
      await db.select({ id: queueGroups.id }).from(queueGroups).where(eq(queueGroups.officeId, officeId))
    ).map((g) => g.id);
    let offset = 0;
    const now = () => new Date(START + offset++ * 50);

    const phase = async (withBoard: boolean) => {
      let issued = 0;
      let called = 0;
      const reads: number[] = [];
      const until = performance.now() + SECONDS * 1000;
      const kiosk = async (k: number) => {
        while (performance.now() < until) {
          await takeTicket(db, {
            officeId,
            groupId: groupIds[(issued + k) % groupIds.length]!,
            claims: issued % 7 === 0 ? ['elderly'] : [],
            source: 'kiosk',
            now: now(),
          });
          issued++;
        }
      };
      const desk = async (deskId: string) => {
        while (performance.now() < until) {
          if (await callNext(db, { deskId, officeId, now: now() })) called++;
        }
      };
      const board = async () => {
        while (withBoard && performance.now() < until) {
          const t0 = performance.now();
          const at = now();
          await queueFigures(db, { officeIds: [officeId], from: '2026-08-31', to: '2026-09-01', now: at });
          await waitingScreen(db, { officeId, now: at });
          reads.push(performance.now() - t0);
        }
      };
      await Promise.all([
        ...Array.from({ length: KIOSKS }, (_, k) => kiosk(k)),
        ...deskIds.map((d) => desk(d)),
        board(),
      ]);
      reads.sort((a, b) => a - b);
      return { issued, called, reads };
    };

    await phase(false); // warm-up
    const alone = await phase(false);
    const live = await phase(true);
    const rate = (n: number) => (n / SECONDS).toFixed(1).padStart(7);
    say(`${KIOSKS} kiosks, ${deskIds.length} desks, ${SECONDS} s per run, PostgreSQL pool`);
    say(`without board: issued ${rate(alone.issued)}/s   called ${rate(alone.called)}/s`);
    say(`board live:    issued ${rate(live.issued)}/s   called ${rate(live.called)}/s`);
    say(
      `board + screen read (whole day's numbers so far): p50 ${percentile(live.reads, 50)?.toFixed(1)} ms   p99 ${percentile(live.reads, 99)?.toFixed(1)} ms   (${live.reads.length} reads)`,
    );
    say(
      `issued with the board live / without: ${(live.issued / Math.max(1, alone.issued)).toFixed(2)}; called: ${(live.called / Math.max(1, alone.called)).toFixed(2)}`,
    );
  } finally {
    await database.drop();
  }
};
