import { describe, expect, it } from 'vitest';
import { BatchProducer, type OutgoingRecord } from '../batch-producer.js';
import { KafkaProtocolError } from '../kafka-protocol-error.js';
import { scriptedCluster, type SeenBatch } from './testing/scripted-cluster.js';

const NOT_LEADER = 6;
const OUT_OF_ORDER = 45;
const DUPLICATE = 46;

const records = (partition: number, from: number, count: number): OutgoingRecord[] =>
  Array.from({ length: count }, (_, index) => ({ topic: 't', partition, key: null, value: Buffer.from(`v${from + index}`), headers: [], timestamp: 0 }));

/** Offsets as a log would give them: a batch's base offset is its base sequence. */
const written = (batch: SeenBatch) => ({ errorCode: 0, baseOffset: batch.baseSequence });

async function producerOn(cluster: ReturnType<typeof scriptedCluster>['cluster'], options = {}): Promise<BatchProducer> {
  const producer = new BatchProducer(cluster, { lingerMs: 0, batchSizeBytes: 100, retryBackoffMs: 1, ...options });
  await producer.connect();
  return producer;
}

describe('ProduceSender retries', () => {
  it('resends a failed batch and the later batches refused as out of order, in sequence order', async () => {
    let firstBatchWritten = false;
    const { cluster, seen } = scriptedCluster((batch, attempt) => {
      if (batch.baseSequence === 0 && attempt === 1) return { errorCode: NOT_LEADER };
      // As a broker does: nothing after a gap in the sequence is accepted.
      if (batch.baseSequence > 0 && !firstBatchWritten) return { errorCode: OUT_OF_ORDER };
      if (batch.baseSequence === 0) firstBatchWritten = true;
      return written(batch);
    });
    const producer = await producerOn(cluster);
    const sends = [producer.send(records(0, 0, 4)), producer.send(records(0, 4, 4)), producer.send(records(0, 8, 4))];
    const acknowledged = await Promise.all(sends);
    const firstTries = seen.filter((_, index) => index < seen.findIndex((batch, position) => position > 0 && batch.baseSequence === 0));
    const retries = seen.slice(firstTries.length).map((batch) => batch.baseSequence);
    expect(retries).toEqual([...retries].sort((left, right) => left - right));
    expect(new Set(retries)).toEqual(new Set(firstTries.map((batch) => batch.baseSequence)));
    expect(acknowledged.map((offsets) => offsets[0]?.lastOffset)).toEqual([3, 7, 11]);
    await producer.disconnect();
  });

  it('counts DUPLICATE_SEQUENCE_NUMBER as written', async () => {
    const { cluster } = scriptedCluster(() => ({ errorCode: DUPLICATE }));
    const producer = await producerOn(cluster);
    await expect(producer.send(records(1, 0, 3))).resolves.toEqual([]);
    expect(producer.buffered).toEqual({ records: 0, bytes: 0 });
  });

  it('fails for good on OUT_OF_ORDER_SEQUENCE_NUMBER of the next expected batch, and refuses later sends', async () => {
    const { cluster } = scriptedCluster(() => ({ errorCode: OUT_OF_ORDER }));
    const producer = await producerOn(cluster);
    const error = await producer.send(records(0, 0, 2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect((error as KafkaProtocolError).errorName).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(producer.state).toBe('failed');
    await expect(producer.send(records(0, 2, 1))).rejects.toBe(error);
  });

  it('gives up on a retriable error after the delivery timeout, naming the partition', async () => {
    const { cluster } = scriptedCluster(() => ({ errorCode: NOT_LEADER }));
    const producer = await producerOn(cluster, { deliveryTimeoutMs: 50, retryBackoffMs: 5 });
    await expect(producer.send(records(2, 0, 1))).rejects.toThrow(/Producing 1 records to t-2 failed with NOT_LEADER_OR_FOLLOWER and kept failing for 50 ms/);
  });

  it('gives each batch of a partition the next sequence, across send calls', async () => {
    const { cluster, seen } = scriptedCluster(written);
    const producer = await producerOn(cluster);
    await Promise.all([producer.send(records(0, 0, 5)), producer.send(records(0, 5, 5)), producer.send(records(1, 0, 3))]);
    const sequences = (partition: number) => seen.filter((batch) => batch.partition === partition).map((batch) => [batch.baseSequence, batch.recordCount]);
    let next = 0;
    for (const [base, count] of sequences(0)) {
      expect(base).toBe(next);
      next += count ?? 0;
    }
    expect(next).toBe(10);
    expect(sequences(1)[0]?.[0]).toBe(0);
  });
});
