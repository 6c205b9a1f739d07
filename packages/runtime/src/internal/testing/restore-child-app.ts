/**
 * A KafkaStreams app in a child process for the kill -9 test, run as
 * `node --import tsx --conditions source restore-child-app.ts <brokers> <applicationId> <input> <stateDir>`:
 * keeps the latest value per key in an LMDB store, commits every 50 ms, prints
 * `processed <n>` every 20 ms and runs until it is killed.
 */
import { KafkaStreams } from '../../kafka-streams.js';
import { latestValueTopology } from './latest-value-topology.js';

const [brokers = '', applicationId = '', input = '', stateDir = ''] = process.argv.slice(2);
const streams = new KafkaStreams(latestValueTopology(input), { applicationId, bootstrapServers: brokers, stateDir, commitIntervalMs: 50, consumer: { sessionTimeout: 6_000, heartbeatInterval: 1_000 } });
streams.onStateChange((state) => process.stdout.write(`state ${state}\n`));
await streams.start();
process.once('SIGTERM', () => void streams.close({ timeoutMs: 20_000 }).then(() => process.exit(0)));
setInterval(() => {
  const tasks = streams.localThreadsMetadata().flatMap((thread) => thread.activeTasks);
  const processed = tasks.reduce((sum, task) => sum + task.processedRecords, 0);
  process.stdout.write(`tasks ${tasks.map((task) => `${task.taskId}:${task.state}`).join(',')}\nprocessed ${processed}\n`);
}, 20);
