import { TopologyTestDriver } from 'kstreams/test-driver';
import { describe, expect, it } from 'vitest';
import { orderSerdes, type Order } from './order-events.js';
import { orderServiceTopology } from './order-service-topology.js';

const topics = { orders: 'orders', payments: 'payments', stock: 'stock', orderStatus: 'order-status', deadLetters: 'order-dlq' };

function run() {
  const driver = new TopologyTestDriver(orderServiceTopology(topics));
  const orders = driver.createInputTopic(topics.orders, orderSerdes.key, orderSerdes.order);
  const payments = driver.createInputTopic(topics.payments, orderSerdes.key, orderSerdes.payment);
  const stock = driver.createInputTopic(topics.stock, orderSerdes.key, orderSerdes.stock);
  const statuses = driver.createOutputTopic(topics.orderStatus, orderSerdes.key, orderSerdes.status);
  const deadLetters = driver.createOutputTopic(topics.deadLetters, orderSerdes.key, orderSerdes.deadLetter);
  const order = (orderId: string, amountCents: number, at: number, quantity = 1): void => orders.pipeInput(orderId, { orderId, product: 'pen', quantity, amountCents } satisfies Order, at);
  const pay = (orderId: string, amountCents: number, at: number): void => payments.pipeInput(orderId, { orderId, amountCents }, at);
  const reserve = (orderId: string, reserved: number, at: number): void => stock.pipeInput(orderId, { orderId, product: 'pen', reserved }, at);
  const reasons = () => deadLetters.readKeyValuesToList().map(({ key, value }) => `${key}:${value?.reason}`);
  return { order, pay, reserve, statuses, reasons };
}

describe('the order-service topology', () => {
  it('confirms an order whose payment and stock arrive within 10 s, in any order', () => {
    const { order, pay, reserve, statuses, reasons } = run();
    order('o1', 500, 0);
    pay('o1', 500, 2_000);
    reserve('o1', 1, 3_000);
    reserve('o2', 2, 4_000); // stock first, then the order and its payment
    order('o2', 900, 5_000, 2);
    pay('o2', 900, 6_000);
    expect(statuses.readKeyValuesToList()).toEqual([
      { key: 'o1', value: { orderId: 'o1', status: 'CONFIRMED', product: 'pen', quantity: 1, amountCents: 500 } },
      { key: 'o2', value: { orderId: 'o2', status: 'CONFIRMED', product: 'pen', quantity: 2, amountCents: 900 } },
    ]);
    expect(reasons()).toEqual([]);
  });

  it('sends mismatched payments and stock to the dead-letter topic', () => {
    const { order, pay, reserve, statuses, reasons } = run();
    order('o1', 500, 0);
    pay('o1', 400, 1_000);
    reserve('o1', 1, 1_500);
    order('o2', 500, 2_000, 3);
    pay('o2', 500, 2_500);
    reserve('o2', 1, 3_000);
    expect(statuses.isEmpty()).toBe(true);
    expect(reasons()).toEqual(['o1:payment-amount-mismatch', 'o2:stock-quantity-mismatch']);
  });

  // The joins hold an unmatched event until its window (10 s) and grace (1 s) have passed in
  // stream time, as Kafka Streams' outer joins do; only then is it known to be unmatched.
  it('reports events left unmatched after the window closes, and events too late to join', () => {
    const { order, pay, reserve, statuses, reasons } = run();
    order('o3', 500, 1_000);
    reserve('o3', 1, 1_500);
    pay('o9', 700, 2_000);
    expect(reasons()).toEqual([]);
    // Later traffic moves stream time past 1 s + 10 s + 1 s.
    order('o4', 100, 14_000);
    pay('o4', 100, 14_500);
    reserve('o4', 1, 15_000);
    order('o5', 100, 20_000);
    pay('o5', 100, 20_100);
    reserve('o5', 1, 20_200);
    order('o6', 100, 1_500); // its window closed long ago
    expect(statuses.readKeyValuesToList().map(({ key }) => key)).toEqual(['o4', 'o5']);
    expect(reasons().sort()).toEqual(['o3:no-payment-within-window', 'o6:late-event', 'o9:payment-without-order']);
  });
});
