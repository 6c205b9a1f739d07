/**
 * @kstreams/reset: resets a kstreams application for reprocessing, as Kafka's
 * `kafka-streams-application-reset` tool does (input offsets, intermediate topics, internal
 * topics), as a function and as the `kstreams-reset` CLI.
 */
export { resetApplication, runReset } from './reset-application.js';
export type { OffsetResetTarget, ResetConnectionOptions, ResetOptions } from './reset-options.js';
export { formatResetReport, type ResetReport } from './reset-report.js';
export { ApplicationRunningError } from './reset-errors.js';
export { KafkajsResetAdmin, type GroupMemberDescription, type ResetAdmin } from './kafkajs-reset-admin.js';
export { planInputOffsets, planSeekToEnd, type PartitionOffsets, type PlannedOffset } from './offset-plan.js';
export { inferInternalTopics, matchesInternalTopicFormat, selectTopicsToDelete, type InternalTopicQuery } from './internal-topic-names.js';
export { parseDatetime, parseIsoDuration } from './iso-time.js';
export { RESET_USAGE, parseResetArgs, type CliResetTarget, type ResetCliCommand } from './reset-cli-args.js';
export { parseResetPlan, runResetCli, runResetCliProcess, type ResetCliOutput } from './reset-cli.js';
