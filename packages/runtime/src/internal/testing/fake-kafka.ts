import { InMemoryChangelog } from '@kstreams/changelog';
import type {
  AcknowledgedOffset,
  ChangelogReaderClient,
  ConsumedBatch,
  ConsumedRecord,
  ConsumerRebalanceListener,
  KafkaAdmin,
  KafkaClientFactory,
  NewTopic,
  OffsetToCommit,
  ProducerRecord,
  RecordProducer,
  StreamConsumer,
  StreamConsumerOptions,
  TopicPartition,
  TransactionalProducer,
  TransactionalProducerState,
} from '../../kafka/kafka-client.js';
import { partitionKey } from '../../kafka/kafka-client.js';
import { LATEST_SUPPORTED_VERSION, encodeAssignmentInfo } from '@kstreams/assignor';
import { Headers, ProducerFencedError } from '@kstreams/core';

type FakeEvent =
  | { readonly kind: 'assign'; readonly partitions: readonly TopicPartition[]; readonly standbyTasks: readonly string[] }
  | { readonly kind: 'revoke-all' }
  | { readonly kind: 'lost' }
  | { readonly kind: 'fatal'; readonly error: Error };

interface FakeConsumerState {
  readonly index: number;
  readonly listener: ConsumerRebalanceListener;
  readonly events: FakeEvent[];
  readonly batches: ConsumedBatch[];
  readonly wake: Set<() => void>;
  assigned: TopicPartition[];
  connected: boolean;
  disconnected: boolean;
}

/**
 * An in-memory stand-in for the Kafka clients, driven by the test; logs calls in order. Group
 * events (assignments, eager revocations, lost partitions, fatal errors) are queued and applied
 * by the consumer's next `poll()`, as the real group member does.
 */
export class FakeKafka implements KafkaClientFactory {
  readonly log: string[] = [];
  readonly topics = new Map<string, number>();
  readonly created: NewTopic[] = [];
  readonly produced: ProducerRecord[] = [];
  readonly commits: OffsetToCommit[][] = [];
  readonly paused = new Set<string>();
  consumerOptions: StreamConsumerOptions | undefined;
  consumersCreated = 0;
  failSendsWith: Error | undefined;
  /** Fails commits with this error while set. */
  failCommitsWith: Error | undefined;
  /** Fails the next transactional commit (EndTxn) with this error, once. */
  failNextTransactionCommitWith: Error | undefined;
  /** Records of committed transactions, as a read_committed reader sees them. */
  readonly committedOutput: ProducerRecord[] = [];
  /** Transactional producers created, by transactional id. */
  readonly transactionalIds: string[] = [];
  /** Standby tasks every consumer gets with an assignment. */
  standbyTasks: string[] = [];
  /** The host maps (interactive queries) every consumer gets with an assignment. */
  partitionsByHost = new Map<string, TopicPartition[]>();
  standbyPartitionsByHost = new Map<string, TopicPartition[]>();
  /** Records sent to `*-changelog` topics land here too, and restores read them from here. */
  readonly changelog = new InMemoryChangelog();
  #consumers: FakeConsumerState[] = [];

  constructor(topics: { [topic: string]: number }) {
    for (const [topic, count] of Object.entries(topics)) this.topics.set(topic, count);
  }

  /** Topics the consumers subscribe to. */
  async subscribed(): Promise<readonly string[]> {
    return (await this.consumerOptions?.subscription())?.topics ?? [];
  }

  /** Ends a join: every connected consumer (or only the `consumer`-th created) gets this assignment at its next poll. New partitions start paused. */
  assign(partitions: TopicPartition[], consumer?: number): void {
    for (const state of this.#targets(consumer)) {
      const before = new Set(state.assigned.map(partitionKey));
      for (const partition of partitions) if (!before.has(partitionKey(partition))) this.paused.add(partitionKey(partition));
      state.assigned = [...partitions];
      this.#push(state, { kind: 'assign', partitions, standbyTasks: [...this.standbyTasks] });
    }
  }

  /** Starts an eager rebalance: every partition is revoked at the next poll. */
  rebalance(): void {
    for (const state of this.#targets(undefined)) this.#push(state, { kind: 'revoke-all' });
  }

  /** The group moved on without the members: their partitions are lost. */
  lose(consumer?: number): void {
    for (const state of this.#targets(consumer)) this.#push(state, { kind: 'lost' });
  }

  /** A fatal group error: the next poll throws it. */
  crash(error: Error): void {
    for (const state of this.#targets(undefined)) this.#push(state, { kind: 'fatal', error });
  }

  #push(state: FakeConsumerState, event: FakeEvent): void {
    state.events.push(event);
    for (const wake of state.wake) wake();
  }

  #targets(consumer: number | undefined): FakeConsumerState[] {
    return this.#consumers.filter((state) => state.connected && !state.disconnected && (consumer === undefined || state.index === consumer));
  }

  /** Hands a batch to the consumers that own the partition, as the fetcher would. */
  async deliver(topic: string, partition: number, values: string[], firstOffset = 0): Promise<void> {
    const records: ConsumedRecord[] = values.map((value, index) => ({
      topic,
      partition,
      offset: firstOffset + index,
      key: Buffer.from(`k${firstOffset + index}`),
      value: Buffer.from(value),
      timestamp: 1_000 + firstOffset + index,
      headers: new Headers(),
    }));
    for (const state of this.#targets(undefined)) {
      state.batches.push({ topic, partition, records, highWatermark: firstOffset + values.length });
      for (const wake of state.wake) wake();
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  createConsumer(options: StreamConsumerOptions): StreamConsumer {
    this.consumerOptions = options;
    const fake = this;
    const state: FakeConsumerState = { index: this.consumersCreated++, listener: options.listener, events: [], batches: [], wake: new Set(), assigned: [], connected: false, disconnected: false };
    this.#consumers.push(state);
    let owned: TopicPartition[] = [];
    return {
      connect: async () => {
        fake.log.push('consumer.connect');
        state.connected = true;
      },
      poll: async () => {
        for (let event = state.events.shift(); event !== undefined; event = state.events.shift()) {
          if (event.kind === 'fatal') throw event.error;
          if (event.kind === 'lost') {
            const lost = owned;
            owned = [];
            await state.listener.onPartitionsLost(lost);
          } else if (event.kind === 'revoke-all') {
            const revoked = owned;
            owned = [];
            await state.listener.onPartitionsRevoked(revoked);
          } else {
            const now = new Set(event.partitions.map(partitionKey));
            const revoked = owned.filter((partition) => !now.has(partitionKey(partition)));
            if (revoked.length > 0) await state.listener.onPartitionsRevoked(revoked);
            owned = [...event.partitions];
            const userData = encodeAssignmentInfo({
              version: LATEST_SUPPORTED_VERSION,
              commonlySupportedVersion: LATEST_SUPPORTED_VERSION,
              activeTasks: [],
              standbyTasks: event.standbyTasks.map((taskId) => ({ taskId, partitions: [] })),
              partitionsByHost: fake.partitionsByHost,
              standbyPartitionsByHost: fake.standbyPartitionsByHost,
              errorCode: 0,
              nextProbingRebalanceMs: undefined,
            });
            await state.listener.onPartitionsAssigned({ generationId: 1, memberId: `member-${state.index}`, isLeader: state.index === 0, partitions: event.partitions, userData, committed: new Map() });
          }
        }
        const owns = new Set(owned.map(partitionKey));
        return state.batches.splice(0).filter((batch) => owns.has(partitionKey(batch)));
      },
      pause: (partitions) => partitions.forEach((partition) => {
        if (!fake.paused.has(partitionKey(partition))) fake.log.push(`pause ${partitionKey(partition)}`);
        fake.paused.add(partitionKey(partition));
      }),
      resume: (partitions) => partitions.forEach((partition) => {
        if (fake.paused.has(partitionKey(partition))) fake.log.push(`resume ${partitionKey(partition)}`);
        fake.paused.delete(partitionKey(partition));
      }),
      paused: () => [],
      seek: (partition, offset) => void fake.log.push(`seek ${partitionKey(partition)}@${offset}`),
      rewindToCommitted: async (partitions) => {
        fake.log.push(`rewind ${partitions.map(partitionKey).join(',')}`);
        state.batches.splice(0);
        return new Map();
      },
      commit: async (offsets) => {
        if (fake.failCommitsWith !== undefined) throw fake.failCommitsWith;
        if (offsets.length === 0) return;
        fake.log.push('commit');
        fake.commits.push([...offsets]);
      },
      identity: () => ({ generationId: 1, memberId: `member-${state.index}`, groupInstanceId: null }),
      requestRejoin: () => undefined,
      rebalanceInProgress: () => state.events.length > 0,
      suspendHeartbeats: () => undefined,
      onWake: (listener) => {
        state.wake.add(listener);
        return () => state.wake.delete(listener);
      },
      close: async () => {
        if (state.disconnected) return;
        fake.log.push('consumer.disconnect');
        // A consumer that left the group hears nothing more.
        state.disconnected = true;
      },
    };
  }

  createProducer(): RecordProducer {
    return {
      connect: async () => undefined,
      send: async (records) => {
        if (this.failSendsWith) throw this.failSendsWith;
        this.log.push(`send ${records.length}`);
        this.produced.push(...records);
        const acknowledged = new Map<string, AcknowledgedOffset>();
        for (const { topic, partition, key, value } of records) {
          const offset = topic.endsWith('-changelog') ? this.changelog.append({ topic, partition }, key, value) : this.produced.length - 1;
          acknowledged.set(`${topic}-${partition}`, { topic, partition, lastOffset: offset });
        }
        return [...acknowledged.values()];
      },
      disconnect: async () => void this.log.push('producer.disconnect'),
    };
  }

  /**
   * A transactional producer: sends are logged and held per transaction; a commit moves them to
   * {@link committedOutput} and the offsets to {@link commits}; an abort drops them.
   */
  createTransactionalProducer(transactionalId: string): TransactionalProducer {
    const fake = this;
    let state: TransactionalProducerState = 'created';
    let open: ProducerRecord[] = [];
    let offsets: OffsetToCommit[] = [];
    this.transactionalIds.push(transactionalId);
    const inner = this.createProducer();
    return {
      get state() {
        return state;
      },
      connect: async () => {
        fake.log.push(`txn.init ${transactionalId}`);
        state = 'ready';
      },
      beginTransaction: () => {
        if (state !== 'ready') throw new Error(`beginTransaction while ${state}`);
        fake.log.push('txn.begin');
        state = 'in-transaction';
      },
      send: async (records) => {
        if (state !== 'in-transaction') throw new Error(`send while ${state}`);
        open.push(...records);
        try {
          return await inner.send(records);
        } catch (error) {
          state = 'abortable';
          throw error;
        }
      },
      sendOffsetsToTransaction: async (list, group) => {
        fake.log.push(`txn.offsets ${list.map((entry) => `${partitionKey(entry)}@${entry.offset}`).join(',')} generation ${group.generationId} ${group.memberId}`);
        offsets.push(...list);
      },
      commitTransaction: async () => {
        const failure = fake.failNextTransactionCommitWith;
        if (failure !== undefined) {
          fake.failNextTransactionCommitWith = undefined;
          // As the real producer: fencing is fatal for it, other failures leave the transaction to abort.
          state = failure instanceof ProducerFencedError ? 'failed' : 'abortable';
          throw failure;
        }
        fake.log.push('txn.commit');
        fake.committedOutput.push(...open);
        if (offsets.length > 0) fake.commits.push(offsets);
        open = [];
        offsets = [];
        state = 'ready';
      },
      abortTransaction: async () => {
        if (state === 'failed') throw new Error('the producer was fenced: abort refused');
        fake.log.push('txn.abort');
        open = [];
        offsets = [];
        state = 'ready';
      },
      disconnect: async () => {
        fake.log.push('txn.close');
        state = 'closed';
      },
    };
  }

  createChangelogReader(): ChangelogReaderClient {
    const changelog = this.changelog;
    return {
      read: (partition, options) => changelog.read(partition, options),
      endOffsets: (partitions) => changelog.endOffsets(partitions),
      beginningOffsets: (partitions) => changelog.beginningOffsets(partitions),
      disconnect: async () => void this.log.push('changelogReader.disconnect'),
    };
  }

  createAdmin(): KafkaAdmin {
    return {
      connect: async () => undefined,
      createTopics: async (topics) => {
        this.created.push(...topics);
        for (const topic of topics) this.topics.set(topic.topic, topic.numPartitions);
      },
      partitionCounts: async (topics) => new Map(topics.filter((topic) => this.topics.has(topic)).map((topic) => [topic, this.topics.get(topic)!])),
      listTopics: async () => [...this.topics.keys()],
      committedOffsets: async () => [],
      endOffsets: async () => [],
      disconnect: async () => undefined,
    };
  }
}
