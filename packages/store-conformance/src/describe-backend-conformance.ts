import { describe } from 'vitest';
import type { BackendHarnessFactory } from './backend-harness.js';
import { useConformanceContext } from './internal/conformance-context.js';
import { dataCases } from './internal/data-cases.js';
import { differentialCases } from './internal/differential-cases.js';
import { iteratorCases } from './internal/iterator-cases.js';
import { lifecycleCases } from './internal/lifecycle-cases.js';
import { orderingCases } from './internal/ordering-cases.js';

/**
 * Registers vitest suites that check a store backend against the byte-level contract
 * (`KeyValueBytesStore` / `StoreBackend` of `@kstreams/core`): unsigned byte order, inclusive
 * and missing range bounds, reverse scans, prefix scans (0x00/0xff edges), batches, delete
 * results, empty and 1 MiB values, 50k keys, iterator close/dispose, iteration while writing,
 * counts, flush, close/reopen/destroy, independent segment stores, and a seeded randomized
 * differential run against a reference model.
 *
 * `factory` is called before every test and must give a fresh, isolated harness
 * (for persistent backends: a new temporary state directory, see {@link createBackendHarness}).
 * Call it at the top level of a `*.test.ts` file.
 *
 * @example
 * import { createBackendHarness, describeBackendConformance } from '@kstreams/store-conformance';
 * import { inMemoryBackend } from '@kstreams/store-memory';
 *
 * describeBackendConformance('in-memory', () => createBackendHarness(inMemoryBackend()));
 */
export function describeBackendConformance(label: string, factory: BackendHarnessFactory): void {
  describe(`store backend conformance: ${label}`, () => {
    const context = useConformanceContext(factory);
    orderingCases(context);
    dataCases(context);
    iteratorCases(context);
    lifecycleCases(context);
    differentialCases(context);
  });
}
