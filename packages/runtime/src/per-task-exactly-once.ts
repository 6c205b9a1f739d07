import type { Logger } from './internal/engine-ports.js';
import type { AcknowledgedOffset, GroupMetadata, OffsetToCommit, ProducerRecord, RecordProducer, TransactionalProducer } from './kafka/kafka-client.js';
import type { KafkaRecordCollector } from './kafka-record-collector.js';

/** The input offsets of one task, committed in that task's own transaction. */
export interface TaskOffsets {
  readonly taskId: string;
  readonly offsets: readonly OffsetToCommit[];
}

/** What a {@link PerTaskExactlyOnce} is built from. */
export interface PerTaskExactlyOnceOptions {
  /** Creates a transactional producer with this `transactional.id`. */
  readonly createProducer: (transactionalId: string) => TransactionalProducer;
  /** Creates the record collector of one task, sending through that task's producer. */
  readonly createCollector: (producer: Pick<RecordProducer, 'send'>, taskId: string) => KafkaRecordCollector;
  /** The application id: the prefix of every task's transactional id and the consumer group. */
  readonly applicationId: string;
  /** The tasks the thread owns now: producers of other tasks are closed. */
  readonly activeTaskIds: () => readonly string[];
  readonly logger: Logger;
}

/** One task incarnation's transactional producer and collector. */
interface TaskProducer {
  readonly taskId: string;
  readonly producer: TransactionalProducer;
  readonly collector: KafkaRecordCollector;
  /** InitProducerId, started when the task is created: it fences the task's previous owner. */
  readonly connected: Promise<void>;
  isConnected: boolean;
}

/**
 * The `exactly_once` (Kafka Streams' original, "alpha") commit path of one stream thread: one
 * transactional producer per active task, `transactional.id` `<applicationId>-<taskId>`. The
 * producer is created with the task; its InitProducerId bumps the epoch of that id, which fences
 * the task's previous owner (a zombie's next send or commit fails with ProducerFenced) and aborts
 * the transaction it left open. A transaction begins lazily with the task's first send; each
 * commit flushes the task's collector, adds its input offsets with the group id only (no
 * generation or member: fencing is by producer epoch, not by the group) and commits. The producer
 * is closed when the task is closed, and every producer when the thread aborts after a failure.
 */
export class PerTaskExactlyOnce {
  readonly #options: PerTaskExactlyOnceOptions;
  readonly #tasks = new Map<string, TaskProducer>();
  /** Producers being closed, by task id: a new producer with the same id waits for them. */
  readonly #retiring = new Map<string, Promise<void>>();
  #failure: unknown;

  constructor(options: PerTaskExactlyOnceOptions) {
    this.#options = options;
  }

  /** The transactional id of a task's producer. */
  transactionalId(taskId: string): string {
    return `${this.#options.applicationId}-${taskId}`;
  }

  /** Task ids with a producer now. */
  producerTaskIds(): string[] {
    return [...this.#tasks.keys()];
  }

  /** The collector of a new task incarnation: a new producer, whose InitProducerId starts now. */
  collectorFor(taskId: string): KafkaRecordCollector {
    const previous = this.#tasks.get(taskId);
    if (previous !== undefined) this.#retire(previous);
    const producer = this.#options.createProducer(this.transactionalId(taskId));
    const entry = { taskId, producer, isConnected: false } as TaskProducer;
    const connected = (this.#retiring.get(taskId) ?? Promise.resolve()).then(() => producer.connect()).then(() => {
      entry.isConnected = true;
    });
    // A failed InitProducerId surfaces at the task's first send or commit.
    connected.catch(() => undefined);
    Object.assign(entry, { connected, collector: this.#options.createCollector({ send: (records) => this.#send(entry, records) }, taskId) });
    this.#tasks.set(taskId, entry);
    return entry.collector;
  }

  /** Thread connect: nothing to do, producers come with their tasks. */
  async connect(): Promise<void> {}

  /** The error of a failed flush or commit, until {@link abort}: the transactions must be aborted and every task reset. */
  get failure(): unknown {
    return this.#failure;
  }

  /** The fatal production error of any task's collector. */
  get fatalError(): KafkaRecordCollector['fatalError'] {
    for (const entry of this.#tasks.values()) if (entry.collector.fatalError !== undefined) return entry.collector.fatalError;
    return undefined;
  }

  /** Back-pressure over every task's collector; first closes the producers of tasks the thread no longer owns. */
  async waitForRoom(): Promise<void> {
    const active = new Set(this.#options.activeTaskIds());
    for (const entry of [...this.#tasks.values()]) if (!active.has(entry.taskId)) this.#retire(entry);
    for (const entry of [...this.#tasks.values()]) await entry.collector.waitForRoom();
  }

  /**
   * Commits each task in its own transaction: flush its collector, add its offsets (a
   * transaction with offsets only is begun here), commit. A task with neither output nor offsets
   * commits nothing. The first failure stops the commit and is kept in {@link failure}.
   */
  async commitTasks(tasks: readonly TaskOffsets[]): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      for (const { taskId, offsets } of tasks) await this.#commitTask(taskId, offsets);
    } catch (error) {
      this.#failure ??= error;
      throw error;
    }
  }

  /** After a failure: waits for the sends in flight, aborts every open transaction, closes every producer (tasks get new ones). */
  async abort(): Promise<void> {
    for (const entry of [...this.#tasks.values()]) this.#retire(entry);
    await Promise.all(this.#retiring.values());
    this.#failure = undefined;
  }

  /** Collectors are reset with their producers in {@link abort}. */
  async reset(): Promise<void> {
    await Promise.all(this.#retiring.values());
  }

  /** Aborts what is open and closes every producer. */
  async disconnect(): Promise<void> {
    await this.abort();
  }

  #send(entry: TaskProducer, records: readonly ProducerRecord[]): Promise<readonly AcknowledgedOffset[]> {
    // Synchronous once connected, so batches reach the producer in the collector's order.
    if (entry.isConnected) return this.#sendInTransaction(entry.producer, records);
    return entry.connected.then(() => this.#sendInTransaction(entry.producer, records));
  }

  #sendInTransaction(producer: TransactionalProducer, records: readonly ProducerRecord[]): Promise<readonly AcknowledgedOffset[]> {
    if (producer.state === 'ready') producer.beginTransaction();
    return producer.send(records);
  }

  async #commitTask(taskId: string, offsets: readonly OffsetToCommit[]): Promise<void> {
    const entry = this.#tasks.get(taskId);
    if (entry === undefined) {
      if (offsets.length > 0) throw new Error(`Task ${taskId} has no transactional producer; its offsets cannot be committed.`);
      return;
    }
    await entry.collector.flush();
    await entry.connected;
    const { producer } = entry;
    if (!inTransaction(producer)) {
      if (offsets.length === 0) return;
      producer.beginTransaction();
    }
    if (offsets.length > 0) await producer.sendOffsetsToTransaction(offsets, this.#groupOnly());
    await producer.commitTransaction();
  }

  /** As Kafka Streams under `exactly_once`: the group id only (generation -1, no member), so the group does not fence; the producer epoch does. */
  #groupOnly(): GroupMetadata {
    return { groupId: this.#options.applicationId, generationId: -1, memberId: '', groupInstanceId: null };
  }

  /** Closes a task's producer in the background: sends settle, an open transaction is aborted. */
  #retire(entry: TaskProducer): void {
    if (this.#tasks.get(entry.taskId) === entry) this.#tasks.delete(entry.taskId);
    const before = this.#retiring.get(entry.taskId) ?? Promise.resolve();
    const closing = before.then(async () => {
      await entry.collector.reset().catch(() => undefined);
      const connected = await entry.connected.then(() => true, () => false);
      if (connected && inTransaction(entry.producer)) {
        await entry.producer.abortTransaction().catch((error: unknown) => this.#options.logger.debug(`Aborting the transaction of task ${entry.taskId} failed (it was fenced or timed out).`, { error }));
      }
      await entry.producer.disconnect().catch((error: unknown) => this.#options.logger.warn(`Closing the transactional producer of task ${entry.taskId} failed.`, { error }));
    });
    this.#retiring.set(entry.taskId, closing);
    void closing.finally(() => {
      if (this.#retiring.get(entry.taskId) === closing) this.#retiring.delete(entry.taskId);
    });
  }
}

function inTransaction(producer: TransactionalProducer): boolean {
  return producer.state === 'in-transaction' || producer.state === 'abortable';
}
