import type { DeadLetter, DeadLetterReason, Order, OrderStatus, Payment, StockReservation } from './order-events.js';

/** An order and its payment, after the first join (either side may be missing). */
export interface OrderWithPayment {
  readonly order: Order | null;
  readonly payment: Payment | null;
}

/** An order, its payment and its stock reservation, after both joins. */
export interface OrderPaymentStock extends OrderWithPayment {
  readonly stock: StockReservation | null;
}

/** What happens to one joined result. */
export type Decision = { readonly kind: 'status'; readonly status: OrderStatus } | { readonly kind: 'dead-letter'; readonly deadLetter: DeadLetter };

/**
 * Decides an order's fate: CONFIRMED when the payment covers exactly the order's amount and the
 * reservation covers its quantity; otherwise a dead letter naming what was missing or wrong.
 */
export function decideOrderStatus(orderId: string, joined: OrderPaymentStock): Decision {
  const reason = rejection(joined);
  if (reason !== undefined) return { kind: 'dead-letter', deadLetter: { reason, orderId, events: joined } };
  const order = joined.order as Order;
  return { kind: 'status', status: { orderId, status: 'CONFIRMED', product: order.product, quantity: order.quantity, amountCents: order.amountCents } };
}

function rejection({ order, payment, stock }: OrderPaymentStock): DeadLetterReason | undefined {
  if (order === null) return payment !== null ? 'payment-without-order' : 'stock-without-order';
  if (payment === null) return 'no-payment-within-window';
  if (payment.amountCents !== order.amountCents) return 'payment-amount-mismatch';
  if (stock === null) return 'no-stock-within-window';
  if (stock.product !== order.product || stock.reserved < order.quantity) return 'stock-quantity-mismatch';
  return undefined;
}
