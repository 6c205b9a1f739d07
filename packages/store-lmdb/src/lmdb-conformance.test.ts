import { createBackendHarness, describeBackendConformance, describeStoreConformance } from '@kstreams/store-conformance';
import { lmdbBackend } from './lmdb-backend.js';

// A small pending-write limit so the kit's data also crosses early commits, not just flush().
describeBackendConformance('lmdb', () => createBackendHarness(lmdbBackend({ maxPendingEntries: 64 })));
describeStoreConformance('lmdb', () => createBackendHarness(lmdbBackend({ maxPendingEntries: 64 })));
