import type { ReadRecord } from 'kstreams-sample-kit';
import type { DeadLetter } from './order-events.js';
import type { OrderOutcome } from './order-generator.js';
import type { OrderServiceAppTopics } from './order-service-app.js';

/** What the output topics hold: confirmed orders, dead letters by reason, undeserializable records. */
export interface OrderTally {
  readonly confirmed: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly undeserializable: number;
}

/** Counts what a topic reader has read from the order service's output topics. */
export function tallyOutputs(read: ReadonlyMap<string, readonly ReadRecord[]>, topics: OrderServiceAppTopics): OrderTally {
  const rejected: Record<string, number> = {};
  for (const record of read.get(topics.deadLetters) ?? []) {
    const reason = (JSON.parse(record.value ?? '{}') as DeadLetter).reason;
    rejected[reason] = (rejected[reason] ?? 0) + 1;
  }
  return { confirmed: read.get(topics.orderStatus)?.length ?? 0, rejected, undeserializable: read.get(topics.undeserializable)?.length ?? 0 };
}

/** One line: `confirmed 40, rejected {...}, undeserializable 3`. */
export function formatTally(tally: OrderTally): string {
  const reasons = Object.entries(tally.rejected).sort(([left], [right]) => left.localeCompare(right)).map(([reason, count]) => `${reason} ${count}`);
  return `confirmed ${tally.confirmed}; dead letters: ${reasons.length === 0 ? 'none' : reasons.join(', ')}; undeserializable ${tally.undeserializable}`;
}

/** The tally the outputs must reach when `sent` orders (by the outcome they were made for) are through. */
export function expectedTally(sent: ReadonlyMap<OrderOutcome, number>): OrderTally {
  const rejected: Record<string, number> = {};
  for (const [outcome, count] of sent) if (outcome !== 'confirmed' && outcome !== 'undeserializable') rejected[outcome] = count;
  return { confirmed: sent.get('confirmed') ?? 0, rejected, undeserializable: sent.get('undeserializable') ?? 0 };
}
