/**
 * An exactly-once running-sum app in a child process (zombie and kill -9 tests), run as
 * `node --import tsx --conditions source exactly-once-child-app.ts <brokers> <applicationId> <input> <output> <stateDir> [commitIntervalMs] [transactionTimeoutMs]`.
 * Prints `processed <n>` every 50 ms and `state <state>` on changes; closes cleanly on SIGTERM.
 * The environment variable `EOS_GUARANTEE` chooses `exactly_once_v2` (default) or `exactly_once`.
 */
import { KafkaStreams } from '../../kafka-streams.js';
import type { ProcessingGuarantee } from '../../streams-config.js';
import { exactlyOnceSumTopology } from './exactly-once-topology.js';

const [brokers = '', applicationId = '', input = '', output = '', stateDir = '', commitIntervalMs = '100', transactionTimeoutMs = '10000'] = process.argv.slice(2);
const streams = new KafkaStreams(exactlyOnceSumTopology(input, output), {
  applicationId,
  bootstrapServers: brokers,
  stateDir,
  processingGuarantee: (process.env['EOS_GUARANTEE'] ?? 'exactly_once_v2') as ProcessingGuarantee,
  commitIntervalMs: Number(commitIntervalMs),
  transactionTimeoutMs: Number(transactionTimeoutMs),
  consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 },
});
streams.onStateChange((state) => process.stdout.write(`state ${state}\n`));
await streams.start();
process.once('SIGTERM', () => void streams.close({ timeoutMs: 20_000 }).then(() => process.exit(0)));
setInterval(() => {
  const tasks = streams.localThreadsMetadata().flatMap((thread) => thread.activeTasks);
  process.stdout.write(`processed ${tasks.reduce((sum, task) => sum + task.processedRecords, 0)}\n`);
}, 50);
