import { Serdes } from 'kstreams';

/** An order placed by a customer (topic `orders`, key = order id). */
export interface Order {
  readonly orderId: string;
  readonly product: string;
  readonly quantity: number;
  /** Total price in cents. */
  readonly amountCents: number;
}

/** A payment for an order (topic `payments`, key = order id). */
export interface Payment {
  readonly orderId: string;
  readonly amountCents: number;
}

/** A stock reservation for an order (topic `stock`, key = order id). */
export interface StockReservation {
  readonly orderId: string;
  readonly product: string;
  readonly reserved: number;
}

/** The outcome written to `order-status` (key = order id). */
export interface OrderStatus {
  readonly orderId: string;
  readonly status: 'CONFIRMED';
  readonly product: string;
  readonly quantity: number;
  readonly amountCents: number;
}

/** Why a record went to the dead-letter topic. */
export type DeadLetterReason =
  | 'late-event'
  | 'no-payment-within-window'
  | 'no-stock-within-window'
  | 'payment-amount-mismatch'
  | 'stock-quantity-mismatch'
  | 'payment-without-order'
  | 'stock-without-order';

/** A record written to the dead-letter topic (key = order id). */
export interface DeadLetter {
  readonly reason: DeadLetterReason;
  readonly orderId: string | null;
  /** The event(s) concerned, as received. */
  readonly events: { readonly order?: Order | null; readonly payment?: Payment | null; readonly stock?: StockReservation | null; readonly late?: unknown };
}

/** JSON serdes of the sample's topics. */
export const orderSerdes = {
  key: Serdes.string(),
  order: Serdes.json<Order>(),
  payment: Serdes.json<Payment>(),
  stock: Serdes.json<StockReservation>(),
  status: Serdes.json<OrderStatus>(),
  deadLetter: Serdes.json<DeadLetter>(),
};
