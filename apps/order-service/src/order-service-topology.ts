import { inMemoryBackend, Topology, type Processor, type ProcessorContext, type Record, type StoreBackend } from 'kstreams';
import { addStreamStreamJoin, JoinWindows } from '@kstreams/windowing';
import { decideOrderStatus, type OrderPaymentStock, type OrderWithPayment } from './decide-order-status.js';
import { orderSerdes, type DeadLetter, type Order, type Payment, type StockReservation } from './order-events.js';

/** The topics of the sample. */
export interface OrderServiceTopics {
  readonly orders: string;
  readonly payments: string;
  readonly stock: string;
  readonly orderStatus: string;
  readonly deadLetters: string;
}

/** Events of one order must arrive within this much of each other. */
export const JOIN_WINDOW_MS = 10_000;
/** How late (in stream time) an event may still arrive. */
export const GRACE_MS = 1_000;

/**
 * The order service: orders, payments and stock reservations (all keyed by order id, so
 * co-partitioned) are outer-joined within 10 s (+1 s grace) into one order status. An order
 * with a matching payment and enough reserved stock is CONFIRMED on `orderStatus`; everything
 * else goes to `deadLetters` with a reason: a missing or mismatched payment or reservation, a
 * payment or reservation without an order, or an event so late its join window is closed.
 */
export function orderServiceTopology(topics: OrderServiceTopics, backend: StoreBackend = inMemoryBackend()) {
  const windows = JoinWindows.ofTimeDifferenceAndGrace(JOIN_WINDOW_MS, GRACE_MS);
  const keySerde = orderSerdes.key;
  const base = Topology.untyped()
    .addSource('orders', { topics: [topics.orders], keySerde, valueSerde: orderSerdes.order })
    .addSource('payments', { topics: [topics.payments], keySerde, valueSerde: orderSerdes.payment })
    .addSource('stock', { topics: [topics.stock], keySerde, valueSerde: orderSerdes.stock })
    .addProcessor('orders-on-time', lateEventGate('order-payment-this'), 'orders')
    .addProcessor('payments-on-time', lateEventGate('order-payment-other'), 'payments')
    .addProcessor('stock-on-time', lateEventGate('order-payment-stock-other'), 'stock');
  const withPayments = addStreamStreamJoin(base, {
    name: 'order-payment',
    left: 'orders-on-time',
    right: 'payments-on-time',
    kind: 'outer',
    windows,
    joiner: (order: Order | null, payment: Payment | null): OrderWithPayment => ({ order, payment }),
    backend,
    keySerde,
    leftValueSerde: orderSerdes.order as never,
    rightValueSerde: orderSerdes.payment as never,
  });
  const withStock = addStreamStreamJoin(withPayments, {
    name: 'order-payment-stock',
    left: 'order-payment',
    right: 'stock-on-time',
    kind: 'outer',
    windows,
    joiner: (joined: OrderWithPayment | null, stock: StockReservation | null): OrderPaymentStock => ({ order: joined?.order ?? null, payment: joined?.payment ?? null, stock }),
    backend,
    keySerde,
    leftValueSerde: orderWithPaymentSerde,
    rightValueSerde: orderSerdes.stock as never,
  });
  return withStock
    .addProcessor('order-status', decider, 'order-payment-stock')
    .addSink('status-sink', topics.orderStatus, { keySerde, valueSerde: orderSerdes.status }, 'order-status')
    .addSink('dead-letters', topics.deadLetters, { keySerde, valueSerde: orderSerdes.deadLetter }, 'order-status', 'orders-on-time', 'payments-on-time', 'stock-on-time');
}

const orderWithPaymentSerde = {
  serialize: (_topic: string, data: OrderWithPayment) => new TextEncoder().encode(JSON.stringify(data)),
  deserialize: (_topic: string, data: Uint8Array | null) => JSON.parse(new TextDecoder().decode(data ?? new Uint8Array())) as OrderWithPayment,
};

/**
 * Passes on-time events to `joinChild`; an event whose join window (+ grace) already closed in
 * stream time can no longer join anything, so it goes to the dead-letter sink instead.
 */
function lateEventGate(joinChild: string): () => Processor<string, unknown, string, unknown> {
  return () => {
    let context: ProcessorContext<string, unknown>;
    return {
      init: (given) => void (context = given),
      process: (record: Record<string, unknown>) => {
        if (record.timestamp + JOIN_WINDOW_MS + GRACE_MS >= context.currentStreamTimeMs()) return context.forward(record, joinChild);
        const deadLetter: DeadLetter = { reason: 'late-event', orderId: record.key, events: { late: record.value } };
        context.forward(record.withValue(deadLetter), 'dead-letters');
      },
    };
  };
}

/** Routes each joined result: confirmed statuses to the status sink, the rest to dead letters. */
function decider(): Processor<string, OrderPaymentStock, string, unknown> {
  let context: ProcessorContext<string, unknown>;
  return {
    init: (given) => void (context = given),
    process: (record) => {
      const decision = decideOrderStatus(record.key, record.value);
      if (decision.kind === 'status') context.forward(record.withValue(decision.status), 'status-sink');
      else context.forward(record.withValue(decision.deadLetter), 'dead-letters');
    },
  };
}
