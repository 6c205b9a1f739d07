import { createBackendHarness, describeBackendConformance, describeStoreConformance } from '@kstreams/store-conformance';
import { inMemoryBackend } from './in-memory-backend.js';

describeBackendConformance('in-memory', () => createBackendHarness(inMemoryBackend()));
describeStoreConformance('in-memory', () => createBackendHarness(inMemoryBackend()));
