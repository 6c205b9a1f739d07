/**
 * The kstreams contender process: runs one workload's topology with `KafkaStreams` (one stream
 * thread, defaults plus what the workload states) and reports to the suite (see app-protocol.ts).
 * A configuration kstreams does not support yet (exactly-once before it lands) is reported as
 * `rejected`, so the suite picks it up by itself once it is supported.
 */
import { ConfigError, KafkaStreams, type StateRestoreListener } from 'kstreams';
import { appRunFromArguments, cpuSeconds, peakRssMb, report } from './app-protocol.js';
import { kstreamsTopology } from './kstreams-topologies.js';

const run = appRunFromArguments();
let processed = 0;
const topology = kstreamsTopology(run, () => {
  if (++processed === run.records) report('processed', {});
});

let streams: KafkaStreams;
try {
  streams = new KafkaStreams(topology, {
    applicationId: run.applicationId,
    bootstrapServers: run.bootstrap,
    stateDir: run.stateDir,
    commitIntervalMs: run.commitMs,
    processingGuarantee: run.guarantee,
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  report('rejected', { message: error.message });
  process.exit(0);
}

// One store partition per input partition: `restored` once all of them have finished.
let restoresEnded = 0;
let restored = 0;
let restoreStartedAt = 0;
const restoreListener: StateRestoreListener = {
  onRestoreStart() {
    if (restoreStartedAt === 0) restoreStartedAt = Date.now();
  },
  onRestoreEnd(_partition, _store, total) {
    restored += total;
    if (++restoresEnded === run.partitions) report('restored', { records: restored, startedAt: restoreStartedAt });
  },
};
streams.setGlobalStateRestoreListener(restoreListener);
let wasRunning = false;
streams.onStateChange((state) => {
  if (state === 'RUNNING' && !wasRunning) {
    wasRunning = true;
    report('running', {});
  }
  if (state === 'ERROR') report('error', { message: 'the application went to ERROR' });
});

process.once('SIGTERM', () => {
  void streams.close({ timeoutMs: 60_000 }).finally(() => {
    report('exit', { cpuSeconds: cpuSeconds(), peakRssMb: peakRssMb() });
    process.exit(0);
  });
});
try {
  await streams.start();
} catch (error) {
  // A configuration checked only when the application starts counts as refused, too.
  if (!(error instanceof ConfigError)) throw error;
  report('rejected', { message: error.message });
  process.exit(0);
}
