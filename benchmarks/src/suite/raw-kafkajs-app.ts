/**
 * The raw kafkajs contender process for W1: the pipeline benchmark's hand-written kafkajs pipe
 * (`startRawKafkajsPipe`) with W1's JSON filter and map, reporting to the suite like the other
 * contenders (`running` once it joined its group).
 */
import kafkajs from 'kafkajs';
import { startRawKafkajsPipe } from '../pipeline-raw-kafkajs.js';
import { appRunFromArguments, cpuSeconds, peakRssMb, report } from './app-protocol.js';

const run = appRunFromArguments();
if (run.topology !== 'w1') throw new Error(`the raw kafkajs contender runs W1 only, not ${run.topology}`);
let processed = 0;

/** W1's filter and map on the raw bytes: parse, drop every tenth, add a field, serialize. */
function filterAndMap(value: Buffer): Buffer | undefined {
  if (++processed === run.records) setImmediate(() => report('processed', {}));
  const parsed = JSON.parse(value.toString('utf8')) as { seq: number };
  if (parsed.seq % 10 === 0) return undefined;
  return Buffer.from(JSON.stringify({ ...parsed, processed: true }), 'utf8');
}

const kafka = new kafkajs.Kafka({ clientId: run.applicationId, brokers: [run.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
const pipe = await startRawKafkajsPipe({
  kafka,
  brokers: [run.bootstrap],
  inputTopic: run.input,
  outputTopic: run.output,
  groupId: run.applicationId,
  commitIntervalMs: run.commitMs,
  transform: filterAndMap,
});
void pipe.assigned.then(() => report('running', {}));
process.once('SIGTERM', () => {
  void pipe.stop().finally(() => {
    report('exit', { cpuSeconds: cpuSeconds(), peakRssMb: peakRssMb() });
    process.exit(0);
  });
});
