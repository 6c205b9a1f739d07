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

const isObject = (value: unknown): value is { readonly [field: string]: unknown } => typeof value === 'object' && value !== null;
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** An order with a non-empty id and product, and whole, non-negative quantity and amount. */
export const isOrder = (value: unknown): value is Order =>
  isObject(value) && isText(value['orderId']) && isText(value['product']) && isCount(value['quantity']) && isCount(value['amountCents']);
/** A payment with an order id and a whole, non-negative amount. */
export const isPayment = (value: unknown): value is Payment => isObject(value) && isText(value['orderId']) && isCount(value['amountCents']);
/** A stock reservation with an order id, a product and a whole, non-negative count. */
export const isStockReservation = (value: unknown): value is StockReservation =>
  isObject(value) && isText(value['orderId']) && isText(value['product']) && isCount(value['reserved']);

/**
 * JSON serdes of the sample's topics. The input serdes validate what they parse: a record that
 * is not JSON, or not the expected shape, fails deserialization, so the runtime's
 * deserialization handler (the dead-letter queue of `dlqTopic`) gets it, bytes and all.
 */
export const orderSerdes = {
  key: Serdes.string(),
  order: Serdes.json<Order>({ validate: isOrder }),
  payment: Serdes.json<Payment>({ validate: isPayment }),
  stock: Serdes.json<StockReservation>({ validate: isStockReservation }),
  status: Serdes.json<OrderStatus>(),
  deadLetter: Serdes.json<DeadLetter>(),
};
