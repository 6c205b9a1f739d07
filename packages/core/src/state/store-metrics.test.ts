import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Stores } from './stores.js';
import { SortedArrayBackend } from './testing/sorted-array-backend.js';
import { createTestContext } from './testing/test-context.js';
import { numberSerde, stringSerde } from './testing/test-serdes.js';

type Recorded = { instrument: string; value: number; attributes: unknown };

function installRecordingMeter(): Recorded[] {
  const recorded: Recorded[] = [];
  const instrument = (name: string) => ({
    record: (value: number, attributes: unknown) => recorded.push({ instrument: name, value, attributes }),
    add: (value: number, attributes: unknown) => recorded.push({ instrument: name, value, attributes }),
  });
  const meter = { createHistogram: instrument, createCounter: instrument };
  metrics.setGlobalMeterProvider({ getMeter: () => meter } as never);
  return recorded;
}

afterEach(() => metrics.disable());

describe('Store metrics', () => {
  it('records operation latency with store name, store type and task id', () => {
    const recorded = installRecordingMeter();
    const store = Stores.keyValueStoreBuilder({ name: 'counts', backend: new SortedArrayBackend(), keySerde: stringSerde, valueSerde: numberSerde }).build();
    store.init(createTestContext());
    store.put('a', 1);
    store.get('a');
    const instruments = recorded.map((entry) => entry.instrument);
    expect(instruments).toEqual(['kstreams.state.put.latency', 'kstreams.state.get.latency']);
    expect(recorded[0]?.attributes).toEqual({ 'store.name': 'counts', 'store.type': 'sorted-array-state', 'task.id': '0_0' });
    expect(recorded[0]?.value).toBeGreaterThanOrEqual(0);
  });

  it('counts writes dropped by retention as dropped-records', () => {
    const recorded = installRecordingMeter();
    const store = Stores.windowStoreBuilder({
      name: 'windows', backend: new SortedArrayBackend(), retentionMs: 60_000, windowSizeMs: 60_000, keySerde: stringSerde, valueSerde: numberSerde,
    }).build();
    store.init(createTestContext());
    store.put('a', 1, 600_000);
    store.put('a', 1, 0);
    expect(recorded.filter((entry) => entry.instrument === 'kstreams.state.dropped-records').map((entry) => entry.value)).toEqual([1]);
  });

  it('skips latency timing entirely while the meter provider is the no-op one', () => {
    const store = Stores.keyValueStoreBuilder({ name: 'quiet', backend: new SortedArrayBackend(), keySerde: stringSerde, valueSerde: numberSerde }).build();
    store.init(createTestContext());
    const now = vi.spyOn(performance, 'now');
    try {
      store.put('a', 1);
      expect(store.get('a')).toBe(1);
      store.flush();
      expect(now).not.toHaveBeenCalled();
    } finally {
      now.mockRestore();
    }
  });
});
