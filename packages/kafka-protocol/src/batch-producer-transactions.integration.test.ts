import { uniqueTopicName } from '@kstreams/kafka-broker/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchProducer, type OutgoingRecord } from './batch-producer.js';
import { GroupFencedError, ProducerFencedProtocolError } from './kafka-protocol-error.js';
import { createTopic, joinGroup, readTopic, testKafka } from './internal/testing/integration-kafka.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const record = (topic: string, partition: number, value: string): OutgoingRecord => ({ topic, partition, key: null, value: Buffer.from(value), headers: [], timestamp: Date.now() });

async function transactional(kafka: ReturnType<typeof testKafka>, transactionalId = uniqueTopicName('txn')): Promise<BatchProducer> {
  const producer = new BatchProducer(kafka, { transactionalId, transactionTimeoutMs: 30_000 });
  await producer.connect();
  closers.push(() => producer.disconnect());
  return producer;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const values = (messages: readonly { value: Buffer | null }[]): string[] => messages.map((message) => message.value?.toString() ?? '');

describe('BatchProducer (transactional)', () => {
  it('makes committed records visible to a read_committed consumer and hides aborted ones', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 2 });
    const producer = await transactional(kafka);
    producer.beginTransaction();
    await producer.send([record(topic, 0, 'committed-1'), record(topic, 1, 'committed-2')]);
    await producer.commitTransaction();
    producer.beginTransaction();
    await producer.send([record(topic, 0, 'aborted-1'), record(topic, 1, 'aborted-2')]);
    await producer.abortTransaction();
    producer.beginTransaction();
    void producer.send([record(topic, 0, 'last')]);
    await producer.commitTransaction();

    const committed = await readTopic(kafka, topic, (read) => read.length >= 3 && values(read).includes('last'));
    expect(values(committed).sort()).toEqual(['committed-1', 'committed-2', 'last']);
    const everything = await readTopic(kafka, topic, (read) => read.length >= 5, { readUncommitted: true });
    expect(values(everything).sort()).toEqual(['aborted-1', 'aborted-2', 'committed-1', 'committed-2', 'last']);
  });

  it('commits offsets with TxnOffsetCommit v3 and the group metadata; they are visible only after the commit', async () => {
    const kafka = testKafka();
    const input = await createTopic(kafka, { partitions: 2 });
    const output = await createTopic(kafka, { partitions: 1 });
    const groupId = uniqueTopicName('group');
    const member = await joinGroup(kafka, groupId);
    closers.push(() => member.leave());
    const producer = await transactional(kafka);
    const group = { groupId, generationId: member.generationId, memberId: member.memberId, groupInstanceId: null };
    const admin = kafka.admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    const committedOffsets = async () => (await admin.fetchOffsets({ groupId, topics: [input] }))[0]?.partitions.map(({ partition, offset, metadata }) => ({ partition, offset, metadata })).sort((a, b) => a.partition - b.partition);

    producer.beginTransaction();
    await producer.send([record(output, 0, 'out')]);
    await producer.sendOffsetsToTransaction([{ topic: input, partition: 0, offset: 17, metadata: 'time=5' }, { topic: input, partition: 1, offset: 3 }], group);
    expect(await committedOffsets()).toEqual([{ partition: 0, offset: '-1', metadata: null }, { partition: 1, offset: '-1', metadata: null }]);
    await producer.commitTransaction();
    // The coordinator writes the commit marker after EndTxn returns: the offsets appear shortly after.
    await waitUntil(async () => (await committedOffsets())?.[0]?.offset === '17');
    const [first, second] = (await committedOffsets()) ?? [];
    expect([first?.offset, first?.metadata, second?.offset]).toEqual(['17', 'time=5', '3']);

    producer.beginTransaction();
    await producer.sendOffsetsToTransaction([{ topic: input, partition: 0, offset: 99 }], group);
    await producer.abortTransaction();
    producer.beginTransaction();
    await producer.sendOffsetsToTransaction([{ topic: input, partition: 1, offset: 20 }], group);
    await producer.commitTransaction();
    await waitUntil(async () => (await committedOffsets())?.[1]?.offset === '20');
    expect((await committedOffsets())?.[0]?.offset).toBe('17');
  });

  it('refuses offsets of a stale generation or an unknown member with GroupFencedError', async () => {
    const kafka = testKafka();
    const input = await createTopic(kafka, { partitions: 1 });
    const groupId = uniqueTopicName('group');
    const member = await joinGroup(kafka, groupId);
    closers.push(() => member.leave());
    const offsets = [{ topic: input, partition: 0, offset: 1 }];

    const staleGeneration = await transactional(kafka);
    staleGeneration.beginTransaction();
    const generationError = await staleGeneration
      .sendOffsetsToTransaction(offsets, { groupId, generationId: member.generationId + 1, memberId: member.memberId, groupInstanceId: null })
      .catch((error: unknown) => error);
    expect(generationError).toBeInstanceOf(GroupFencedError);
    expect((generationError as GroupFencedError).errorName).toBe('ILLEGAL_GENERATION');
    expect(staleGeneration.state).toBe('abortable');
    await staleGeneration.abortTransaction();
    expect(staleGeneration.state).toBe('ready');

    const unknownMember = await transactional(kafka);
    unknownMember.beginTransaction();
    const memberError = await unknownMember
      .sendOffsetsToTransaction(offsets, { groupId, generationId: member.generationId, memberId: 'not-a-member', groupInstanceId: null })
      .catch((error: unknown) => error);
    expect(memberError).toBeInstanceOf(GroupFencedError);
    expect((memberError as GroupFencedError).errorName).toBe('UNKNOWN_MEMBER_ID');
  });

  it('fences a zombie: a second producer with the same transactional id makes the first fail with ProducerFencedError', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 1 });
    const transactionalId = uniqueTopicName('txn');
    const zombie = await transactional(kafka, transactionalId);
    zombie.beginTransaction();
    await zombie.send([record(topic, 0, 'from-zombie')]);

    const successor = await transactional(kafka, transactionalId);
    expect(successor.identity.producerEpoch).toBeGreaterThan(zombie.identity.producerEpoch);
    const error = await zombie.commitTransaction().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProducerFencedProtocolError);
    expect((error as ProducerFencedProtocolError).retriable).toBe(false);
    expect(zombie.state).toBe('failed');
    await expect(zombie.send([record(topic, 0, 'again')])).rejects.toBe(error);

    successor.beginTransaction();
    await successor.send([record(topic, 0, 'from-successor')]);
    await successor.commitTransaction();
    const messages = await readTopic(kafka, topic, (read) => values(read).includes('from-successor'));
    expect(values(messages)).toEqual(['from-successor']);
  });

  it('after a failed send, aborts, takes a new epoch and commits the next transaction', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 1, configs: { 'max.message.bytes': '2000' } });
    const producer = await transactional(kafka);
    producer.beginTransaction();
    await producer.abortTransaction(); // nothing was sent: no EndTxn needed
    producer.beginTransaction();
    const sent = producer.send([record(topic, 0, 'fits'), { ...record(topic, 0, 'x'), value: Buffer.alloc(5000) }]);
    await expect(sent).rejects.toThrow(/MESSAGE_TOO_LARGE/);
    expect(producer.state).toBe('abortable');
    await expect(producer.commitTransaction()).rejects.toThrow(/MESSAGE_TOO_LARGE/);
    const epoch = producer.identity.producerEpoch;
    await producer.abortTransaction();
    expect(producer.identity.producerEpoch).toBeGreaterThan(epoch);
    producer.beginTransaction();
    await producer.send([record(topic, 0, 'after-abort')]);
    await producer.commitTransaction();
    const messages = await readTopic(kafka, topic, (read) => values(read).includes('after-abort'));
    expect(values(messages)).toEqual(['after-abort']);
  });

  it('refuses sends outside a transaction and transaction calls on an idempotent producer', async () => {
    const kafka = testKafka();
    const topic = await createTopic(kafka, { partitions: 1 });
    const producer = await transactional(kafka);
    await expect(producer.send([record(topic, 0, 'x')])).rejects.toThrow(/call beginTransaction\(\) before sending/);
    const idempotent = new BatchProducer(kafka);
    expect(() => idempotent.beginTransaction()).toThrow(/needs a transactional producer/);
  });
});
