import { ByteReader } from '../byte-reader.js';
import type { KafkajsProtocolRequest } from '../kafkajs-request.js';
import type { KafkajsBroker, ProducerCluster } from '../kafkajs-producer-cluster.js';
import type { ProducePartitionResponse, ProduceResponse } from '../../produce-request.js';

/** One batch as a scripted broker saw it in a Produce request. */
export interface SeenBatch {
  readonly topic: string;
  readonly partition: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/** The broker's answer to one batch: an error code, or success with this base offset. */
export type ScriptedAnswer = { readonly errorCode: number; readonly baseOffset?: number };

/**
 * A {@link ProducerCluster} for unit tests of the sender's retry logic (the broker tests cover
 * the real thing): one node leads everything, Produce requests are decoded and answered by
 * `answer`, InitProducerId returns id 1000 epoch 0.
 */
export function scriptedCluster(answer: (batch: SeenBatch, attempt: number) => ScriptedAnswer): { cluster: ProducerCluster; seen: SeenBatch[] } {
  const seen: SeenBatch[] = [];
  const attempts = new Map<string, number>();
  const broker = { initProducerId: () => Promise.resolve({ producerId: '1000', producerEpoch: 0 }) } as unknown as KafkajsBroker;
  const cluster: ProducerCluster = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    ensureTopics: () => Promise.resolve(),
    refreshMetadata: () => Promise.resolve(),
    leaderOf: () => 1,
    coordinator: () => Promise.resolve(broker),
    anyBroker: () => Promise.resolve(broker),
    async send<Response>(_nodeId: number, request: KafkajsProtocolRequest<Response>): Promise<Response> {
      const body = (await request.request.encode()).buffer;
      const topics = new Map<string, ProducePartitionResponse[]>();
      for (const batch of decodeBatches(body)) {
        seen.push(batch);
        const key = `${batch.topic}-${batch.partition}-${batch.baseSequence}`;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        const { errorCode, baseOffset = -1 } = answer(batch, attempt);
        const list = topics.get(batch.topic) ?? [];
        list.push({ partition: batch.partition, errorCode, baseOffset, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null });
        topics.set(batch.topic, list);
      }
      await new Promise((resolve) => setImmediate(resolve));
      const response: ProduceResponse = { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })), throttleTimeMs: 0 };
      return response as Response;
    },
  };
  return { cluster, seen };
}

function decodeBatches(body: Buffer): SeenBatch[] {
  const reader = new ByteReader(body);
  reader.string(); // transactional id
  reader.int16(); // acks
  reader.int32(); // timeout
  const batches: SeenBatch[] = [];
  for (let topicCount = reader.int32(); topicCount > 0; topicCount--) {
    const topic = reader.string() ?? '';
    for (let partitionCount = reader.int32(); partitionCount > 0; partitionCount--) {
      const partition = reader.int32();
      const length = reader.int32();
      const batch = body.subarray(reader.offset, reader.offset + length);
      reader.offset += length;
      batches.push({ topic, partition, baseSequence: batch.readInt32BE(53), recordCount: batch.readInt32BE(57) });
    }
  }
  return batches;
}
