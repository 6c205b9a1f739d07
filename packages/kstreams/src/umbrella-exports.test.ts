import * as core from '@kstreams/core';
import * as metrics from '@kstreams/metrics';
import * as runtime from '@kstreams/runtime';
import * as storeLmdb from '@kstreams/store-lmdb';
import * as storeMemory from '@kstreams/store-memory';
import * as testDriver from '@kstreams/test-driver';
import * as assignor from '@kstreams/assignor';
import * as changelog from '@kstreams/changelog';
import * as kafkaProtocol from '@kstreams/kafka-protocol';
import * as windowing from '@kstreams/windowing';
import * as queryServer from '@kstreams/query-server';
import * as reset from '@kstreams/reset';
import { describe, expect, it } from 'vitest';
import * as kstreams from './index.js';
import * as kstreamsTestDriver from './test-driver.js';
import * as kstreamsAssignor from './assignor.js';
import * as kstreamsChangelog from './changelog.js';
import * as kstreamsKafkaProtocol from './kafka-protocol.js';
import * as kstreamsWindowing from './windowing.js';
import * as kstreamsQueryServer from './query-server.js';
import * as kstreamsReset from './reset.js';

describe('the kstreams umbrella package', () => {
  it('re-exports every value export of core, runtime, metrics and both store backends, unchanged', () => {
    for (const building of [core, runtime, metrics, storeMemory, storeLmdb]) {
      for (const [name, value] of Object.entries(building)) {
        expect(kstreams, `export "${name}"`).toHaveProperty(name);
        expect((kstreams as Record<string, unknown>)[name], `export "${name}"`).toBe(value);
      }
    }
  });

  it('exports nothing of its own, and keeps the test driver out of the main entry point', () => {
    const building = new Set([core, runtime, metrics, storeMemory, storeLmdb].flatMap((module) => Object.keys(module)));
    expect(Object.keys(kstreams).filter((name) => !building.has(name))).toEqual([]);
    expect(kstreams).not.toHaveProperty('TopologyTestDriver');
  });

  it('offers the test driver under kstreams/test-driver', () => {
    expect(Object.keys(kstreamsTestDriver).sort()).toEqual(Object.keys(testDriver).sort());
    expect(kstreamsTestDriver.TopologyTestDriver).toBe(testDriver.TopologyTestDriver);
  });

  it('offers windowing, changelog, assignor, kafka-protocol and reset under their own subpaths, unchanged', () => {
    for (const [subpath, building] of [[kstreamsWindowing, windowing], [kstreamsChangelog, changelog], [kstreamsAssignor, assignor], [kstreamsKafkaProtocol, kafkaProtocol], [kstreamsReset, reset]] as const) {
      expect(Object.keys(subpath).sort()).toEqual(Object.keys(building).sort());
      for (const [name, value] of Object.entries(building)) expect((subpath as Record<string, unknown>)[name], `export "${name}"`).toBe(value);
    }
  });

  it('offers the query server under kstreams/query-server, unchanged', () => {
    expect(Object.keys(kstreamsQueryServer).sort()).toEqual(Object.keys(queryServer).sort());
    expect(kstreamsQueryServer.startQueryServer).toBe(queryServer.startQueryServer);
  });
});
