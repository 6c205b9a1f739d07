import { createBackendHarness, describeBackendConformance } from '@kstreams/store-conformance';
import { inMemoryBackend } from './in-memory-backend.js';

describeBackendConformance('in-memory', () => createBackendHarness(inMemoryBackend()));
