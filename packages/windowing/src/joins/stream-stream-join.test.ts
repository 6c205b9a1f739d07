import { Serdes, Topology, type Record } from '@kstreams/core';
import { inMemoryBackend } from '@kstreams/store-memory';
import { TopologyTestDriver } from '@kstreams/test-driver';
import { describe, expect, it } from 'vitest';
import { JoinWindows } from '../windows.js';
import { addStreamStreamJoin } from './stream-stream-join.js';

function runJoin(kind: 'inner' | 'left' | 'outer', windows = JoinWindows.ofTimeDifferenceAndGrace(10, 5)) {
  const out: string[] = [];
  const base = new Topology()
    .addSource('left', { topics: ['left'], keySerde: Serdes.string(), valueSerde: Serdes.string() })
    .addSource('right', { topics: ['right'], keySerde: Serdes.string(), valueSerde: Serdes.string() });
  const topology = addStreamStreamJoin(base, {
    name: 'joined',
    left: 'left',
    right: 'right',
    kind,
    windows,
    joiner: (left, right) => `${left ?? '-'}+${right ?? '-'}`,
    backend: inMemoryBackend(),
    keySerde: Serdes.string(),
    leftValueSerde: Serdes.string(),
    rightValueSerde: Serdes.string(),
  }).addProcessor('capture', () => ({ process: (record: Record<string | null, string>) => void out.push(`${record.key}:${record.value}@${record.timestamp}`) }), 'joined');
  const driver = new TopologyTestDriver(topology);
  const left = driver.createInputTopic('left', Serdes.string(), Serdes.string());
  const right = driver.createInputTopic('right', Serdes.string(), Serdes.string());
  const take = (): string[] => out.splice(0, out.length);
  return { driver, left, right, take };
}

describe('addStreamStreamJoin', () => {
  // KStreamKStreamJoin: a record joins every record of the other side with the same key within
  // [t - before, t + after]; the result is timestamped max(t, other t).
  it('inner joins records within the window in both directions, including out-of-order ones', () => {
    const { left, right, take } = runJoin('inner');
    left.pipeInput('a', 'L1', 100);
    right.pipeInput('a', 'R1', 105);
    right.pipeInput('a', 'R2', 111); // 11 ms after L1: outside
    left.pipeInput('a', 'L2', 95); // out of order: joins R1 (10 ms) but not R2
    right.pipeInput('b', 'R3', 100);
    expect(take()).toEqual(['a:L1+R1@105', 'a:L2+R1@105']);
  });

  // Java 3.x (KAFKA-10847): a left record without a match is held until its window closes
  // (t + after + grace < stream time), then emitted as joiner(left, null); a match arriving in
  // time prevents the null result entirely.
  it('left join emits unmatched left records only after the window and grace have passed', () => {
    const { left, right, take } = runJoin('left');
    left.pipeInput('a', 'L1', 100);
    left.pipeInput('b', 'L2', 101);
    right.pipeInput('b', 'R1', 110); // joins L2 within the window
    expect(take()).toEqual(['b:L2+R1@110']);
    right.pipeInput('c', 'R2', 115); // 100 + 10 + 5 = 115: not yet closed
    expect(take()).toEqual([]);
    right.pipeInput('c', 'R3', 116); // closed: L1 is emitted without a match; unmatched right records never are
    expect(take()).toEqual(['a:L1+-@100']);
  });

  it('left join emits an out-of-order record whose window already ended at once', () => {
    const { left, take } = runJoin('left');
    left.pipeInput('a', 'L1', 100);
    left.pipeInput('b', 'L2', 80); // window ends at 90 < stream time 100
    expect(take()).toEqual(['b:L2+-@80']);
  });

  // Outer joins hold both sides; each side's window end uses its own look-ahead
  // (after for left records, before for right records).
  it('outer join emits unmatched records of both sides once their windows close, oldest first', () => {
    const { left, right, take } = runJoin('outer', JoinWindows.ofTimeDifferenceWithNoGrace(10));
    left.pipeInput('a', 'L1', 100);
    right.pipeInput('b', 'R1', 102);
    left.pipeInput('c', 'L2', 105);
    right.pipeInput('c', 'R2', 106);
    expect(take()).toEqual(['c:L2+R2@106']);
    left.pipeInput('d', 'L3', 113);
    expect(take()).toEqual(['a:L1+-@100', 'b:-+R1@102']);
  });

  it('drops records without a key or value and counts them', () => {
    const { driver, left, take } = runJoin('inner');
    left.pipeInput(null, 'x', 1);
    left.pipeInput('a', null, 2);
    expect(take()).toEqual([]);
    expect([...driver.droppedRecords()]).toEqual([['null-key', 1], ['null-value', 1]]);
  });

  // KIP-962: left and outer joins no longer drop null-key records; they come out unjoined at once.
  it('left join forwards a null-key record unjoined at once', () => {
    const { left, right, take } = runJoin('left');
    left.pipeInput(null, 'x', 1);
    right.pipeInput(null, 'y', 2); // the right side of a left join still drops it
    expect(take()).toEqual(['null:x+-@1']);
  });

  it('wires a window store per side and, for left/outer joins, the outer-join store', () => {
    expect([...runJoin('left').driver.getAllStateStores().keys()].sort()).toEqual(['joined-other-store', 'joined-outer-store', 'joined-this-store']);
    expect([...runJoin('inner').driver.getAllStateStores().keys()].sort()).toEqual(['joined-other-store', 'joined-this-store']);
  });
});
