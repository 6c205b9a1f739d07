import { RecordBatchBuilder, type BatchIdentity, type BatchRecord } from '../record-batch-builder.js';

/** The offset of the last acknowledged record of one partition, per `send` call. */
export interface PartitionLastOffset {
  readonly topic: string;
  readonly partition: number;
  readonly lastOffset: number;
}

/**
 * One `send` call: resolves once every batch holding one of its records is acknowledged, with
 * the last offset written per partition.
 */
export class SendHandle {
  pendingBatches = 0;
  #appending = true;
  readonly #lastOffsets = new Map<PartitionState, number>();
  readonly promise: Promise<PartitionLastOffset[]>;
  #resolve!: (offsets: PartitionLastOffset[]) => void;
  #reject!: (error: Error) => void;
  #settled = false;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A send whose caller never awaits must not become an unhandled rejection: errors are also
    // surfaced by flush() and the next send().
    this.promise.catch(() => undefined);
  }

  /** Called when the last record of the call has been appended. */
  appended(): void {
    this.#appending = false;
    this.#maybeResolve();
  }

  acknowledged(partition: PartitionState, lastOffset: number): void {
    if (lastOffset >= 0 && lastOffset > (this.#lastOffsets.get(partition) ?? -1)) this.#lastOffsets.set(partition, lastOffset);
    this.pendingBatches--;
    this.#maybeResolve();
  }

  fail(error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#reject(error);
  }

  #maybeResolve(): void {
    if (this.#settled || this.#appending || this.pendingBatches > 0) return;
    this.#settled = true;
    this.#resolve([...this.#lastOffsets].map(([partition, lastOffset]) => ({ topic: partition.topic, partition: partition.partition, lastOffset })));
  }
}

/** A batch of one partition: open (appending), queued, in flight, then done. */
export class ProducerBatch {
  readonly builder: RecordBatchBuilder;
  readonly createdAt: number;
  /** Each send call with records here, and the offset delta of its last record here. */
  readonly handles: SendHandle[] = [];
  readonly lastDeltas: number[] = [];
  /** The encoded batch once it got its sequence (first send); reused by retries. */
  bytes: Buffer | undefined;
  baseSequence = -1;
  attempts = 0;

  constructor(readonly partition: PartitionState, options: { initialCapacity: number; expectedSize: number }, now: number) {
    this.builder = new RecordBatchBuilder(options.initialCapacity, options.expectedSize);
    this.createdAt = now;
  }

  /** Appends a record on behalf of a send call. */
  append(record: BatchRecord, handle: SendHandle): void {
    const delta = this.builder.append(record);
    const last = this.handles.length - 1;
    if (last >= 0 && this.handles[last] === handle) {
      this.lastDeltas[last] = delta;
    } else {
      this.handles.push(handle);
      this.lastDeltas.push(delta);
      handle.pendingBatches++;
    }
  }

  /** Encodes the batch with the producer identity (only once: retries resend the same bytes). */
  seal(identity: Omit<BatchIdentity, 'baseSequence'>, baseSequence: number): Buffer {
    if (this.bytes === undefined) {
      this.baseSequence = baseSequence;
      this.bytes = this.builder.close({ ...identity, baseSequence });
    }
    return this.bytes;
  }

  get recordCount(): number {
    return this.builder.count;
  }

  get sizeInBytes(): number {
    return this.builder.sizeInBytes;
  }
}

/** Per-partition producer state: the open batch, the queue, sequences and in-flight count. */
export class PartitionState {
  open: ProducerBatch | undefined;
  /** Batches ready to send, in order (retries first, by sequence). */
  readonly queue: ProducerBatch[] = [];
  /** Batches that failed retriably, waiting for the partition's in-flight batches to return. */
  readonly retries: ProducerBatch[] = [];
  inFlight = 0;
  /** Sequence of the next batch sent for the first time. */
  nextSequence = 0;
  /** The sequence the broker expects after the last acknowledged batch. */
  ackedSequenceEnd = 0;
  /** Whether AddPartitionsToTxn covered this partition in the current transaction. */
  inTransaction = false;
  /** Size of the partition's last closed batch (the next one starts with that much room). */
  lastBatchBytes = 0;
  /** No new sends until this time (retry backoff). */
  backoffUntil = 0;

  constructor(readonly topic: string, readonly partition: number) {}

  /** A partition may send when nothing waits for in-flight batches to return. */
  get blocked(): boolean {
    return this.retries.length > 0;
  }

  /** Resets sequences (a new producer id or epoch). */
  resetSequences(): void {
    this.nextSequence = 0;
    this.ackedSequenceEnd = 0;
  }
}
