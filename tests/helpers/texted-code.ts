import { desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../server/src/db/client';
import { devMailbox, outbox } from '../../server/src/db/schema';

/**
 * The one-time code of the latest text matching `where` (an outbox condition), as the phone shows it. A text
 * still waiting is read from the outbox; once delivered its code is erased there, so it is read from what
 * the development sender "sent" to the same phone (delivery writes the mailbox before it erases the outbox).
 */
export const textedCode = async (db: Db, where: SQL, pattern: RegExp) => {
  const [row] = await db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(where)
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!row) return null;
  const message = row.payload as { to: string; body: string; erased?: true };
  if (!message.erased) return pattern.exec(message.body)?.[1] ?? null;
  const sent = await db
    .select({ body: devMailbox.body })
    .from(devMailbox)
    .where(eq(devMailbox.recipient, message.to))
    .orderBy(desc(devMailbox.id));
  for (const { body } of sent) {
    const code = pattern.exec(body)?.[1];
    if (code) return code;
  }
  return null;
};

export const isOtpText = sql`true`;
