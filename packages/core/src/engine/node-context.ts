import type { DropReason } from './task-metrics.js';
import { InvalidStateStoreError, TopologyError } from '../errors/streams-error.js';
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Cancellable, PunctuationType, Punctuator } from '../processor/punctuation.js';
import type { Record } from '../processor/record.js';
import type { RecordMetadata } from '../processor/record-metadata.js';
import type { TaskId } from '../processor/task-id.js';
import type { StateStore } from '../state/state-store.js';
import type { GraphNode } from './graph-node.js';
import { isPromiseLike } from './maybe-promise.js';
import type { NodeHost } from './node-host.js';

/**
 * The context handed to one processor instance: forwards to that node's children, gives access
 * to the stores connected to it, and schedules punctuators on behalf of the node. Serves as
 * both `ProcessorContext` and `FixedKeyProcessorContext`.
 */
export class NodeContext implements ProcessorContext<unknown, unknown> {
  readonly #host: NodeHost;
  readonly #nodeName: string;
  readonly #storeNames: ReadonlySet<string>;
  #children: readonly GraphNode[] = [];
  #childrenByName = new Map<string, GraphNode>();

  constructor(host: NodeHost, nodeName: string, storeNames: Iterable<string>) {
    this.#host = host;
    this.#nodeName = nodeName;
    this.#storeNames = new Set(storeNames);
  }

  /** Wires the node's children (done once the whole graph exists). */
  setChildren(children: readonly GraphNode[]): void {
    this.#children = children;
    this.#childrenByName = new Map(children.map((child) => [child.name, child]));
  }

  applicationId(): string {
    return this.#host.applicationId;
  }

  taskId(): TaskId {
    return this.#host.taskId;
  }

  appConfigs(): Readonly<{ [key: string]: unknown }> {
    return this.#host.appConfigs;
  }

  recordMetadata(): RecordMetadata | undefined {
    return this.#host.recordMetadata();
  }

  currentStreamTimeMs(): number {
    return this.#host.streamTimeMs();
  }

  currentSystemTimeMs(): number {
    return this.#host.systemTimeMs();
  }

  getStateStore<S extends StateStore = StateStore>(name: string): S {
    // As Kafka Streams: every processor may read a global store without being connected to it.
    const store = this.#storeNames.has(name) ? this.#host.store(name) : this.#host.globalStore?.(name);
    if (store === undefined) {
      const connected = [...this.#storeNames].map((storeName) => `"${storeName}"`).join(', ') || 'none';
      throw new InvalidStateStoreError(
        `Processor "${this.#nodeName}" cannot use state store "${name}": it is not connected to it (connected: ${connected}). ` +
          `Connect it with addStateStore(builder, "${this.#nodeName}") or connectProcessorAndStateStores("${this.#nodeName}", "${name}").`,
        { taskId: this.#host.taskIdText },
      );
    }
    return store as S;
  }

  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) {
      throw new RangeError(`Processor "${this.#nodeName}" scheduled a punctuator every ${intervalMs} ms; the interval must be a whole number >= 1.`);
    }
    return this.#host.schedule(this.#nodeName, intervalMs, type, punctuator);
  }

  commit(): void {
    this.#host.requestCommit();
  }

  recordDropped(reason: DropReason): void {
    this.#host.metrics.recordDropped(reason);
  }

  forward<K, V>(record: Record<K, V>, childName?: string): void {
    for (const child of this.#targets(childName)) {
      const result = child.receive(record);
      if (isPromiseLike(result)) this.#host.trackPending(result);
    }
  }

  forwardBatch<K, V>(records: readonly Record<K, V>[], childName?: string): void {
    if (records.length === 0) return;
    for (const child of this.#targets(childName)) {
      const result = child.receiveBatch(records);
      if (isPromiseLike(result)) this.#host.trackPending(result);
    }
  }

  #targets(childName: string | undefined): readonly GraphNode[] {
    if (childName === undefined) return this.#children;
    const child = this.#childrenByName.get(childName);
    if (child === undefined) {
      const names = this.#children.map((candidate) => `"${candidate.name}"`).join(', ') || 'none';
      throw new TopologyError(
        `Processor "${this.#nodeName}" forwarded to unknown child "${childName}"; its children are: ${names}. ` +
          'Forward to one of them, or add the child with this processor as its parent.',
        { taskId: this.#host.taskIdText },
      );
    }
    return [child];
  }
}
