/**
 * Turns one partition of a kafkajs fetch response into committed changelog records, as a
 * read_committed Java consumer does: aborted transactional batches and control batches are
 * dropped, and the next offset to read is the end of the last whole record batch (so offsets
 * of markers and compacted-away records are skipped without being returned).
 */

/** The fields of a kafkajs-decoded record that the reader uses (kafkajs 2.2.4 internals). */
export interface FetchedMessage {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  readonly batchContext: {
    readonly firstOffset: string;
    readonly lastOffsetDelta: number;
    readonly producerId: string;
    readonly inTransaction: boolean;
    readonly isControlBatch: boolean;
  };
}

/** One aborted transaction as the broker lists it in a read_committed fetch response. */
export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** A committed record in plain numbers and bytes. */
export interface CommittedRecord {
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/** What {@link committedRecords} found. */
export interface CommittedRecords {
  readonly records: CommittedRecord[];
  /** The offset after the last whole batch decoded; `undefined` when no batch was decoded. */
  readonly batchesEndOffset: number | undefined;
}

/** Control record keys are `version: int16, type: int16`; type 0 is an abort marker. */
function isAbortMarker(message: FetchedMessage): boolean {
  const key = message.key;
  return key !== null && key.length >= 4 && key.readInt16BE(2) === 0;
}

function groupBatches<M extends FetchedMessage>(messages: readonly M[]): M[][] {
  const batches: M[][] = [];
  let current: M[] | undefined;
  for (const message of messages) {
    if (current === undefined || current[0]?.batchContext.firstOffset !== message.batchContext.firstOffset) {
      current = [];
      batches.push(current);
    }
    current.push(message);
  }
  return batches;
}

/** Committed data records at or after `fromOffset`, and where the decoded batches end. */
export function committedRecords(messages: readonly FetchedMessage[], abortedTransactions: readonly AbortedTransaction[], fromOffset: number): CommittedRecords {
  return committedMessages(messages, abortedTransactions, fromOffset, (message, offset) => ({ offset, key: message.key, value: message.value, timestamp: Number(message.timestamp) }));
}

/**
 * The committed data messages at or after `fromOffset`, each turned into a record by `toRecord`
 * (the input consumer keeps headers, the changelog reader does not), and where the batches end.
 */
export function committedMessages<M extends FetchedMessage, R>(
  messages: readonly M[],
  abortedTransactions: readonly AbortedTransaction[],
  fromOffset: number,
  toRecord: (message: M, offset: number) => R,
): { records: R[]; batchesEndOffset: number | undefined } {
  const pendingAborts = [...abortedTransactions].sort((left, right) => Number(left.firstOffset) - Number(right.firstOffset));
  const abortedProducers = new Set<string>();
  const records: R[] = [];
  let batchesEndOffset: number | undefined;
  for (const batch of groupBatches(messages)) {
    const context = batch[0]!.batchContext;
    const lastOffset = Number(context.firstOffset) + context.lastOffsetDelta;
    batchesEndOffset = lastOffset + 1;
    while (pendingAborts.length > 0 && Number(pendingAborts[0]!.firstOffset) <= lastOffset) abortedProducers.add(pendingAborts.shift()!.producerId);
    if (context.isControlBatch) {
      if (batch.some(isAbortMarker)) abortedProducers.delete(context.producerId);
      continue;
    }
    if (context.inTransaction && abortedProducers.has(context.producerId)) continue;
    for (const message of batch) {
      const offset = Number(message.offset);
      if (offset >= fromOffset) records.push(toRecord(message, offset));
    }
  }
  return { records, batchesEndOffset };
}
