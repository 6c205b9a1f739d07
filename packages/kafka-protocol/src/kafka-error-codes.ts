/** A Kafka protocol error code: its name and whether retrying may succeed (as in Java's `Errors`). */
export interface KafkaErrorCode {
  readonly code: number;
  readonly name: string;
  readonly retriable: boolean;
}

const TABLE: readonly (readonly [number, string, boolean])[] = [
  [-1, 'UNKNOWN_SERVER_ERROR', false],
  [1, 'OFFSET_OUT_OF_RANGE', false],
  [2, 'CORRUPT_MESSAGE', true],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', true],
  [5, 'LEADER_NOT_AVAILABLE', true],
  [6, 'NOT_LEADER_OR_FOLLOWER', true],
  [7, 'REQUEST_TIMED_OUT', true],
  [10, 'MESSAGE_TOO_LARGE', false],
  [12, 'OFFSET_METADATA_TOO_LARGE', false],
  [13, 'NETWORK_EXCEPTION', true],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', true],
  [15, 'COORDINATOR_NOT_AVAILABLE', true],
  [16, 'NOT_COORDINATOR', true],
  [17, 'INVALID_TOPIC_EXCEPTION', false],
  [18, 'RECORD_LIST_TOO_LARGE', false],
  [19, 'NOT_ENOUGH_REPLICAS', true],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', true],
  [21, 'INVALID_REQUIRED_ACKS', false],
  [22, 'ILLEGAL_GENERATION', false],
  [24, 'INVALID_GROUP_ID', false],
  [25, 'UNKNOWN_MEMBER_ID', false],
  [27, 'REBALANCE_IN_PROGRESS', false],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false],
  [30, 'GROUP_AUTHORIZATION_FAILED', false],
  [32, 'INVALID_TIMESTAMP', false],
  [35, 'UNSUPPORTED_VERSION', false],
  [42, 'INVALID_REQUEST', false],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', false],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', false],
  [47, 'INVALID_PRODUCER_EPOCH', false],
  [48, 'INVALID_TXN_STATE', false],
  [49, 'INVALID_PRODUCER_ID_MAPPING', false],
  [50, 'INVALID_TRANSACTION_TIMEOUT', false],
  [51, 'CONCURRENT_TRANSACTIONS', true],
  [52, 'TRANSACTION_COORDINATOR_FENCED', false],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false],
  [56, 'KAFKA_STORAGE_ERROR', true],
  [59, 'UNKNOWN_PRODUCER_ID', false],
  [74, 'FENCED_LEADER_EPOCH', true],
  [75, 'UNKNOWN_LEADER_EPOCH', true],
  [82, 'FENCED_INSTANCE_ID', false],
  [87, 'INVALID_RECORD', false],
  [89, 'THROTTLING_QUOTA_EXCEEDED', true],
  [90, 'PRODUCER_FENCED', false],
  [118, 'INVALID_TRANSACTION_STATE_AFTER_VERIFICATION', false],
  [120, 'TRANSACTION_ABORTABLE', false],
];

const BY_CODE = new Map<number, KafkaErrorCode>(TABLE.map(([code, name, retriable]) => [code, { code, name, retriable }]));
const BY_NAME = new Map<string, KafkaErrorCode>([...BY_CODE.values()].map((entry) => [entry.name, entry]));

/** The error code's name and retriability; unknown codes are fatal, named by their number. */
export function kafkaErrorCode(code: number): KafkaErrorCode {
  return BY_CODE.get(code) ?? { code, name: `UNKNOWN_ERROR_CODE_${code}`, retriable: false };
}

/** The numeric code of a named Kafka error (throws for a name this table does not know). */
export function kafkaErrorCodeOf(name: string): number {
  const entry = BY_NAME.get(name);
  if (entry === undefined) throw new Error(`Unknown Kafka error name "${name}"`);
  return entry.code;
}

/** Error codes that mean this producer (id + epoch) was replaced by a newer one. */
export function isFencingCode(code: number): boolean {
  return code === 90 || code === 47 || code === 52;
}
