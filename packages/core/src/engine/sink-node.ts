import { SerializationError, TopologyError } from '../errors/streams-error.js';
import type { Record } from '../processor/record.js';
import type { Serializer } from '../serde/serde.js';
import type { SinkNodeModel } from '../topology/topology-model.js';
import type { GraphNode } from './graph-node.js';
import type { NodeHost } from './node-host.js';
import { handleProcessingFailure } from './processing-failure.js';
import type { OutgoingRecord, PartitionChooser } from './record-collector.js';

/**
 * A sink node: picks the topic (fixed or per record), serializes key and value with the sink's
 * serializers (else the app's default serdes), binds the partitioner and hands the bytes to the
 * task's record collector. Serialization errors go to the processing exception handler.
 */
export class SinkNode implements GraphNode {
  readonly name: string;
  readonly #model: SinkNodeModel;
  readonly #host: NodeHost;

  constructor(model: SinkNodeModel, host: NodeHost) {
    this.name = model.name;
    this.#model = model;
    this.#host = host;
  }

  init(): void {
    this.#serializer('key');
    this.#serializer('value');
  }

  close(): void {}

  receive(record: Record<unknown, unknown>): void {
    try {
      this.#send(record);
    } catch (error) {
      handleProcessingFailure(this.#host, this.name, [record], error);
    }
  }

  receiveBatch(records: readonly Record<unknown, unknown>[]): void {
    for (const record of records) this.receive(record);
  }

  #send(record: Record<unknown, unknown>): void {
    const model = this.#model;
    const topic = typeof model.topic === 'string'
      ? model.topic
      : model.topic(record.key, record.value, { recordMetadata: this.#host.recordMetadata() });
    const key = this.#serialize('key', topic, record);
    const value = this.#serialize('value', topic, record);
    const partitioner = model.partitioner;
    const choosePartition: PartitionChooser | undefined = partitioner === undefined
      ? undefined
      : (numPartitions) => partitioner(topic, record.key, record.value, numPartitions);
    const outgoing: { -readonly [Field in keyof OutgoingRecord]: OutgoingRecord[Field] } = {
      topic,
      key,
      value,
      headers: record.headers,
      timestamp: record.timestamp,
      producerName: this.name,
    };
    if (choosePartition !== undefined) outgoing.choosePartition = choosePartition;
    this.#host.collector.send(outgoing);
  }

  #serialize(part: 'key' | 'value', topic: string, record: Record<unknown, unknown>): Uint8Array | null {
    const data = part === 'key' ? record.key : record.value;
    try {
      return this.#serializer(part).serialize(topic, data, record.headers);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SerializationError(
        `Sink "${this.name}" cannot serialize the ${part} for topic "${topic}": ${reason}. Check the sink's ${part} serializer.`,
        { cause: error, taskId: this.#host.taskIdText },
      );
    }
  }

  #serializer(part: 'key' | 'value'): Serializer<unknown> {
    const serializer = part === 'key'
      ? this.#model.keySerializer ?? this.#host.defaultKeySerde
      : this.#model.valueSerializer ?? this.#host.defaultValueSerde;
    if (serializer === undefined) {
      throw new TopologyError(
        `Sink "${this.name}" has no ${part} serializer and no default ${part} serde is configured. ` +
          `Pass ${part}Serializer to addSink("${this.name}", ...) or set default${part === 'key' ? 'Key' : 'Value'}Serde in the config.`,
        { taskId: this.#host.taskIdText },
      );
    }
    return serializer;
  }
}
