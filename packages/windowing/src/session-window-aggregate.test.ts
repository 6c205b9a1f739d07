import { Serdes } from '@kstreams/core';
import { describe, expect, it } from 'vitest';
import { backend, describeWindowed, runWired } from './driver-fixture.test-helper.js';
import { sessionAggregate, sessionCount } from './session-window-aggregate.js';
import { SessionWindows } from './windows.js';

const options = (windows: SessionWindows, emitStrategy?: 'on-window-close') => ({
  storeName: 'sessions',
  backend: backend(),
  keySerde: Serdes.string(),
  aggregateSerde: Serdes.int64(),
  windows,
  ...(emitStrategy === undefined ? {} : { emitStrategy }),
});

describe('sessionCount', () => {
  // KStreamSessionWindowAggregate: a record merges every session of its key that overlaps
  // [t - gap, t + gap]; merged-away sessions are forwarded as tombstones (Change(null, old)),
  // then the merged session with its new aggregate, timestamped with the session end.
  it('extends, starts and merges sessions, forwarding tombstones for merged-away ones', () => {
    const { pipe, take } = runWired(sessionCount(options(SessionWindows.ofInactivityGapAndGrace(10, 20))));
    pipe('a', 'x', 0);
    pipe('a', 'x', 5);
    expect(take().map(describeWindowed)).toEqual(['a@0/0=1 (0)', 'a@0/0=null (0)', 'a@0/5=2 (5)']);
    pipe('b', 'x', 3);
    pipe('a', 'x', 30);
    pipe('a', 'x', 20);
    expect(take().map(describeWindowed)).toEqual(['b@3/3=1 (3)', 'a@30/30=1 (30)', 'a@30/30=null (30)', 'a@20/30=2 (30)']);
    pipe('a', 'x', 12); // out of order, within grace: bridges [0,5] and [20,30]
    expect(take().map(describeWindowed)).toEqual(['a@0/5=null (5)', 'a@20/30=null (30)', 'a@0/30=5 (30)']);
  });

  // A session that ends before streamTime - gap - grace can no longer change: a record that
  // would only create or extend such a session is dropped as late.
  it('drops a record whose session is already closed', () => {
    const { driver, pipe, take } = runWired(sessionCount(options(SessionWindows.ofInactivityGapAndGrace(10, 5))));
    pipe('a', 'x', 100);
    pipe('a', 'x', 86); // close time 85, session [86,86] still open
    pipe('a', 'x', 84); // merges nothing (84 + 10 < 86? no: overlaps [86,86]) -> [84,86]
    pipe('b', 'x', 70); // [70,70] ends before 85: late
    expect(take().map(describeWindowed)).toEqual(['a@100/100=1 (100)', 'a@86/86=1 (86)', 'a@86/86=null (86)', 'a@84/86=2 (86)']);
    expect(driver.droppedRecords().get('late-record')).toBe(1);
  });

  // A closed session is final: a late record within grace no longer merges into it.
  it('does not merge a record into a session that already closed', () => {
    const { pipe, take } = runWired(sessionCount(options(SessionWindows.ofInactivityGapWithNoGrace(10))));
    pipe('a', 'x', 0);
    pipe('a', 'x', 25);
    pipe('a', 'x', 15); // close time 15: [0,0] is closed; [15,15] merges with [25,25] only
    expect(take().map(describeWindowed).at(-1)).toBe('a@15/25=2 (25)');
  });

  it('sessionAggregate combines aggregates with the merger', () => {
    const { pipe, take } = runWired(
      sessionAggregate({ ...options(SessionWindows.ofInactivityGapAndGrace(10, 10)), aggregateSerde: Serdes.string(), initializer: () => '', aggregator: (_key, value, text) => text + (value ?? ''), merger: (_key, left, right) => (left ?? '') + (right ?? '') }),
    );
    pipe('a', 'x', 0);
    pipe('a', 'z', 20);
    pipe('a', 'y', 10);
    expect(take().map(describeWindowed).at(-1)).toBe('a@0/20=xzy (20)');
  });
});

describe('sessionCount with emitStrategy on-window-close', () => {
  // Emit-final for sessions: a session is final once streamTime - gap - grace passes its end.
  it('forwards each session once, when no record can extend it any more', () => {
    const { pipe, take } = runWired(sessionCount(options(SessionWindows.ofInactivityGapAndGrace(10, 5), 'on-window-close')));
    pipe('a', 'x', 0);
    pipe('a', 'x', 4);
    pipe('b', 'x', 6);
    pipe('a', 'x', 19); // close time 4: a's [0,4] could still be extended by a record at 4..
    expect(take()).toEqual([]);
    pipe('a', 'x', 21); // close time 6: [0,4] is final
    expect(take().map(describeWindowed)).toEqual(['a@0/4=2 (4)']);
    pipe('c', 'x', 60); // close time 45: b's [6,6] and a's [19,21] are final
    // In store order: by key within the time segment.
    expect(take().map(describeWindowed)).toEqual(['a@19/21=2 (21)', 'b@6/6=1 (6)']);
  });
});
