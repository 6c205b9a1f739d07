import { describe, expect, it } from 'vitest';
import { orderSerdes } from './order-events.js';
import { generatedOrder } from './order-generator.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the order-service input serdes', () => {
  it('read well-formed orders, payments and reservations', () => {
    expect(orderSerdes.order.deserialize('orders', bytes('{"orderId":"o1","product":"pen","quantity":2,"amountCents":500}'))).toEqual({ orderId: 'o1', product: 'pen', quantity: 2, amountCents: 500 });
    expect(orderSerdes.payment.deserialize('payments', bytes('{"orderId":"o1","amountCents":500}'))).toEqual({ orderId: 'o1', amountCents: 500 });
    expect(orderSerdes.stock.deserialize('stock', bytes('{"orderId":"o1","product":"pen","reserved":2}'))).toEqual({ orderId: 'o1', product: 'pen', reserved: 2 });
  });

  it('fail on broken JSON and on JSON of the wrong shape, naming the topic (the dead-letter queue gets those records)', () => {
    expect(() => orderSerdes.order.deserialize('orders', bytes('{"orderId":"o1","product":'))).toThrow(/"orders"/);
    expect(() => orderSerdes.order.deserialize('orders', bytes('{"orderId":"o1","product":"pen","quantity":-1,"amountCents":500}'))).toThrow(/failed validation/);
    expect(() => orderSerdes.payment.deserialize('payments', bytes('{"orderId":"o1","amountCents":"lots"}'))).toThrow(/failed validation/);
    expect(() => orderSerdes.stock.deserialize('stock', bytes('[]'))).toThrow(/failed validation/);
  });
});

describe('generatedOrder', () => {
  it('makes every outcome once in each 12 orders, the undeserializable one as broken JSON', () => {
    const orders = Array.from({ length: 12 }, (_, index) => generatedOrder(index));
    expect(orders.filter((order) => order.outcome === 'confirmed')).toHaveLength(8);
    const broken = orders.find((order) => order.outcome === 'undeserializable')!;
    expect(() => orderSerdes.order.deserialize('orders', bytes(broken.events[0]!.value))).toThrow();
    const unpaid = orders.find((order) => order.outcome === 'no-payment-within-window')!;
    expect(unpaid.events.map((event) => event.input)).toEqual(['orders', 'stock']);
  });
});
