import { StreamsConfig } from '@kstreams/runtime';
import { checkResetOptions } from './check-reset-options.js';
import { inferInternalTopics, selectTopicsToDelete } from './internal-topic-names.js';
import { KafkajsResetAdmin, type GroupMemberDescription, type ResetAdmin } from './kafkajs-reset-admin.js';
import { planInputOffsets, planSeekToEnd, type PlannedOffset } from './offset-plan.js';
import { ApplicationRunningError } from './reset-errors.js';
import type { OffsetResetTarget, ResetOptions } from './reset-options.js';
import type { ResetReport } from './reset-report.js';

/** How often `force` re-checks that the removed members are gone (Java retries 3 times). */
const FORCE_ATTEMPTS = 4;

/**
 * Resets a kstreams application so it reprocesses its input, as Kafka's
 * `kafka-streams-application-reset` tool does: refuses while the consumer group `applicationId`
 * has members (or removes them with `force`), sets the input topics' committed offsets
 * (`resetTo`, default earliest), moves intermediate topics' offsets to their ends, and deletes
 * the application's internal topics (changelogs, repartition topics). Output topics and local
 * state are not touched: call `streams.cleanUp()` on every instance before restarting it.
 *
 * @example
 * ```ts no-run
 * import { formatResetReport, resetApplication } from '@kstreams/reset';
 *
 * const report = await resetApplication({ applicationId: 'word-count', bootstrapServers: 'localhost:9092', inputTopics: ['lines'], dryRun: true });
 * for (const line of formatResetReport(report)) console.log(line);
 * ```
 */
export async function resetApplication(options: ResetOptions): Promise<ResetReport> {
  const target = checkResetOptions(options);
  const config = new StreamsConfig({
    applicationId: options.applicationId,
    bootstrapServers: options.bootstrapServers,
    clientId: options.clientId ?? `${options.applicationId}-reset`,
    ...(options.kafka === undefined ? {} : { kafka: options.kafka }),
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const admin = new KafkajsResetAdmin(config);
  try {
    return await runReset(admin, { ...options, applicationId: config.applicationId }, target);
  } finally {
    await admin.close();
  }
}

/** The reset against any {@link ResetAdmin}; `target` is already checked. */
export async function runReset(admin: ResetAdmin, options: ResetOptions, target: OffsetResetTarget): Promise<ResetReport> {
  const { applicationId } = options;
  const dryRun = options.dryRun === true;
  const removedMembers = await ensureNoMembers(admin, applicationId, options.force === true, dryRun);
  const allTopics = new Set(await admin.listTopics());
  const inputTopics = unique(options.inputTopics ?? []);
  const intermediateTopics = unique(options.intermediateTopics ?? []);
  const missingTopics = [...inputTopics, ...intermediateTopics].filter((topic) => !allTopics.has(topic));
  // Checked before anything changes, so a wrong --internal-topics leaves the application as it was.
  const inferred = inferInternalTopics({ applicationId, allTopics: [...allTopics], inputTopics, intermediateTopics });
  const deletedTopics = selectTopicsToDelete(inferred, options.internalTopics);
  const inputOffsets = await planInput(admin, applicationId, inputTopics.filter((topic) => allTopics.has(topic)), target);
  const intermediate = intermediateTopics.filter((topic) => allTopics.has(topic));
  const intermediateOffsets = intermediate.length === 0 ? [] : planSeekToEnd(await admin.partitionOffsets(applicationId, intermediate));
  if (!dryRun) {
    const offsets = [...inputOffsets, ...intermediateOffsets].map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    if (offsets.length > 0) await admin.commitOffsets(applicationId, offsets);
    await admin.deleteTopics(deletedTopics);
  }
  return { applicationId, dryRun, removedMembers, inputOffsets, intermediateOffsets, deletedTopics, missingTopics };
}

async function planInput(admin: ResetAdmin, applicationId: string, topics: readonly string[], target: OffsetResetTarget): Promise<PlannedOffset[]> {
  if (topics.length === 0) return [];
  const timestamp = target.type === 'to-datetime' ? target.timestamp : target.type === 'by-duration' ? Date.now() - target.durationMs : undefined;
  return planInputOffsets(target, await admin.partitionOffsets(applicationId, topics, timestamp));
}

/** Refuses while the group has members; with `force`, removes them and checks they are gone. */
async function ensureNoMembers(admin: ResetAdmin, applicationId: string, force: boolean, dryRun: boolean): Promise<GroupMemberDescription[]> {
  const members = await admin.groupMembers(applicationId);
  if (members.length === 0) return [];
  if (!force) throw new ApplicationRunningError(applicationId, members);
  if (dryRun) return members;
  let remaining = members;
  for (let attempt = 1; remaining.length > 0; attempt++) {
    if (attempt > FORCE_ATTEMPTS) throw new ApplicationRunningError(applicationId, remaining);
    await admin.removeMembers(applicationId, remaining);
    remaining = await admin.groupMembers(applicationId);
  }
  return members;
}

function unique(topics: readonly string[]): string[] {
  return [...new Set(topics.map((topic) => topic.trim()))];
}
