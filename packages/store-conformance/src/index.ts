/**
 * @kstreams/store-conformance: the vitest suites every kstreams store backend runs unchanged.
 */
export { describeBackendConformance } from './describe-backend-conformance.js';
export { describeStoreConformance } from './describe-store-conformance.js';
export {
  createBackendHarness,
  type BackendHarness,
  type BackendHarnessFactory,
  type BackendHarnessOptions,
} from './backend-harness.js';
