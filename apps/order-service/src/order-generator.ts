import type { Producer } from 'kafkajs';
import type { DeadLetterReason, Order, Payment, StockReservation } from './order-events.js';
import type { OrderServiceTopics } from './order-service-topology.js';

/** What the generator makes of an order: confirmed, a business rejection, or an undeserializable record. */
export type OrderOutcome = 'confirmed' | Extract<DeadLetterReason, 'payment-amount-mismatch' | 'no-stock-within-window' | 'no-payment-within-window'> | 'undeserializable';

/** One cycle of outcomes: most orders go through; every kind of failure shows up in every 12 orders. */
const OUTCOME_CYCLE: readonly OrderOutcome[] = [
  'confirmed', 'confirmed', 'payment-amount-mismatch', 'confirmed', 'confirmed', 'no-stock-within-window',
  'confirmed', 'confirmed', 'no-payment-within-window', 'confirmed', 'confirmed', 'undeserializable',
];

const PRODUCTS = ['pen', 'ink', 'paper', 'stapler'] as const;

/** An input record: which input topic, the order id key, the value bytes as text, when (ms after the order). */
export interface GeneratedEvent {
  readonly input: 'orders' | 'payments' | 'stock';
  readonly key: string;
  readonly value: string;
  readonly delayMs: number;
}

/** The order of number `index` of a run: its id, the outcome it is made for, and its input records. */
export interface GeneratedOrder {
  readonly orderId: string;
  readonly outcome: OrderOutcome;
  readonly events: readonly GeneratedEvent[];
}

/** The deterministic order number `index` (`<prefix>-<index>`), made to end in `OUTCOME_CYCLE[index % 12]`. */
export function generatedOrder(index: number, prefix = 'o'): GeneratedOrder {
  const orderId = `${prefix}-${index}`;
  const outcome = OUTCOME_CYCLE[index % OUTCOME_CYCLE.length] as OrderOutcome;
  const product = PRODUCTS[index % PRODUCTS.length] as string;
  const quantity = 1 + (index % 3);
  const order: Order = { orderId, product, quantity, amountCents: quantity * 250 };
  const payment: Payment = { orderId, amountCents: outcome === 'payment-amount-mismatch' ? order.amountCents - 1 : order.amountCents };
  const stock: StockReservation = { orderId, product, reserved: quantity };
  const event = (input: GeneratedEvent['input'], value: unknown, delayMs: number): GeneratedEvent => ({ input, key: orderId, value: JSON.stringify(value), delayMs });
  if (outcome === 'undeserializable') return { orderId, outcome, events: [{ input: 'orders', key: orderId, value: `{"orderId":"${orderId}","product":`, delayMs: 0 }] };
  const events = [event('orders', order, 0)];
  if (outcome !== 'no-payment-within-window') events.push(event('payments', payment, 300));
  if (outcome !== 'no-stock-within-window') events.push(event('stock', stock, 600));
  return { orderId, outcome, events };
}

/**
 * Sends the input records of orders `from` .. `from + count - 1` in one idempotent batch per
 * call; order `index` is stamped `timestampOf(index)` (plus each event's delay).
 */
export async function sendGeneratedOrders(
  producer: Producer,
  topics: Pick<OrderServiceTopics, 'orders' | 'payments' | 'stock'>,
  { from, count, timestampOf, prefix }: { from: number; count: number; timestampOf: (index: number) => number; prefix?: string },
): Promise<GeneratedOrder[]> {
  const orders = Array.from({ length: count }, (_, offset) => generatedOrder(from + offset, prefix));
  const topicMessages = (['orders', 'payments', 'stock'] as const).map((input) => ({
    topic: topics[input],
    messages: orders.flatMap((order, offset) =>
      order.events.filter((event) => event.input === input).map((event) => ({ key: event.key, value: event.value, timestamp: String(timestampOf(from + offset) + event.delayMs) })),
    ),
  }));
  await producer.sendBatch({ acks: -1, topicMessages: topicMessages.filter((entry) => entry.messages.length > 0) });
  return orders;
}

/**
 * Sends `count` confirmed orders from index `from` on (skipping indices made to fail), stamped
 * `timestamp`: traffic that moves stream time on, so the join windows before it close and
 * unmatched orders are reported.
 */
export async function sendClosingOrders(
  producer: Producer,
  topics: Pick<OrderServiceTopics, 'orders' | 'payments' | 'stock'>,
  { from, count, timestamp, prefix }: { from: number; count: number; timestamp: number; prefix?: string },
): Promise<GeneratedOrder[]> {
  const sent: GeneratedOrder[] = [];
  for (let index = from; sent.length < count; index++) {
    if (generatedOrder(index, prefix).outcome !== 'confirmed') continue;
    sent.push(...(await sendGeneratedOrders(producer, topics, { from: index, count: 1, timestampOf: () => timestamp, ...(prefix === undefined ? {} : { prefix }) })));
  }
  return sent;
}
