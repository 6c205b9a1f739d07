import type { MetricsRecordingLevel } from '@kstreams/core';

/** How an instrument is exported: a monotonic counter, a histogram or an observed gauge. */
export type InstrumentKind = 'counter' | 'histogram' | 'gauge';

/** One instrument of kstreams and the Kafka Streams (Java) metrics it stands for. */
export interface MetricDefinition {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly level: MetricsRecordingLevel;
  readonly unit?: string;
  readonly description: string;
  /** Java's group and metric names this instrument maps to (`-rate`/`-total` come from a counter's or histogram's count). */
  readonly java: string;
}

function metric(name: string, kind: InstrumentKind, level: MetricsRecordingLevel, java: string, description: string, unit?: string): MetricDefinition {
  return unit === undefined ? { name, kind, level, java, description } : { name, kind, level, java, description, unit };
}

/**
 * Every instrument this package creates, by key. Names mirror Kafka Streams' metric names:
 * `kstreams.<level>.<java name without -rate/-total/-avg/-max>`, histograms (ms) end in
 * `.latency`. Attributes are bounded: `thread.id`, `task.id`, `processor.node.id`,
 * `store.name`, plus the topology's own source `topic` and `partition` for lag.
 */
export const METRICS = {
  clientState: metric('kstreams.client.state', 'gauge', 'INFO', 'stream-metrics state', 'The client state: 1 for the current `state` attribute, 0 for the others.'),
  clientAliveThreads: metric('kstreams.client.alive-stream-threads', 'gauge', 'INFO', 'stream-metrics alive-stream-threads', 'Stream threads currently alive.'),
  clientFailedThreads: metric('kstreams.client.failed-stream-threads', 'counter', 'INFO', 'stream-metrics failed-stream-threads', 'Stream threads that failed.'),
  clientInfo: metric('kstreams.client.info', 'gauge', 'INFO', 'stream-metrics version, commit-id, application-id', 'Always 1; `version`, `commit.id` and `application.id` attributes.'),
  threadProcess: metric('kstreams.thread.process', 'counter', 'INFO', 'stream-thread-metrics process-rate, process-total', 'Records processed by the thread.'),
  threadProcessLatency: metric('kstreams.thread.process.latency', 'histogram', 'INFO', 'stream-thread-metrics process-latency-avg, -max', 'Time of one processing step of the thread (many records).', 'ms'),
  threadPoll: metric('kstreams.thread.poll', 'counter', 'INFO', 'stream-thread-metrics poll-rate, poll-total', 'Fetched batches handed to the thread.'),
  threadPollRecords: metric('kstreams.thread.poll.records', 'histogram', 'INFO', 'stream-thread-metrics poll-records-avg, -max', 'Records per fetched batch.'),
  threadCommitLatency: metric('kstreams.thread.commit.latency', 'histogram', 'INFO', 'stream-thread-metrics commit-rate, commit-total, commit-latency-avg, -max', 'Time to flush stores and producer and commit offsets.', 'ms'),
  threadPunctuateLatency: metric('kstreams.thread.punctuate.latency', 'histogram', 'INFO', 'stream-thread-metrics punctuate-rate, punctuate-total, punctuate-latency-avg, -max', 'Time of one punctuation round of the thread.', 'ms'),
  threadBlockedTime: metric('kstreams.thread.blocked-time', 'counter', 'INFO', 'stream-thread-metrics blocked-time-ns-total', 'Time the thread waited for the producer to flush.', 'ms'),
  threadTaskCreated: metric('kstreams.thread.task-created', 'counter', 'INFO', 'stream-thread-metrics task-created-rate, task-created-total', 'Tasks created.'),
  threadTaskClosed: metric('kstreams.thread.task-closed', 'counter', 'INFO', 'stream-thread-metrics task-closed-rate, task-closed-total', 'Tasks closed.'),
  threadActiveTasks: metric('kstreams.thread.active-tasks', 'gauge', 'INFO', '(kstreams) active tasks of the thread', 'Active tasks of the thread.'),
  threadStandbyTasks: metric('kstreams.thread.standby-tasks', 'gauge', 'INFO', '(kstreams) standby tasks of the thread', 'Standby tasks of the thread.'),
  threadRestoringTasks: metric('kstreams.thread.restoring-tasks', 'gauge', 'INFO', '(kstreams) active tasks still restoring', 'Active tasks still restoring their stores.'),
  taskProcess: metric('kstreams.task.process', 'counter', 'DEBUG', 'stream-task-metrics process-rate, process-total', 'Records processed by the task (recorded by @kstreams/core).'),
  taskProcessLatency: metric('kstreams.task.process.latency', 'histogram', 'DEBUG', 'stream-task-metrics process-latency-avg, -max', 'Time to process one record (recorded by @kstreams/core).', 'ms'),
  taskPunctuate: metric('kstreams.task.punctuate', 'counter', 'DEBUG', 'stream-task-metrics punctuate-rate, punctuate-total', 'Punctuator calls (recorded by @kstreams/core).'),
  taskPunctuateLatency: metric('kstreams.task.punctuate.latency', 'histogram', 'DEBUG', 'stream-task-metrics punctuate-latency-avg, -max', 'Time of one punctuator call (recorded by @kstreams/core).', 'ms'),
  taskDroppedRecords: metric('kstreams.task.dropped-records', 'counter', 'INFO', 'stream-task-metrics dropped-records-rate, dropped-records-total', 'Records dropped, by `reason` (recorded by @kstreams/core).'),
  taskRecordsLag: metric('kstreams.task.records-lag', 'gauge', 'INFO', 'consumer-fetch-manager-metrics records-lag', 'Records between the fetch position and the high watermark, per input partition.'),
  nodeProcess: metric('kstreams.node.process', 'counter', 'DEBUG', 'stream-processor-node-metrics process-rate, process-total', 'Records received by the node.'),
  nodeRecordE2eLatencyMin: metric('kstreams.node.record-e2e-latency.min', 'gauge', 'INFO', 'stream-processor-node-metrics record-e2e-latency-min', 'Smallest wall-clock time minus record timestamp since the last collection, at source and sink nodes.', 'ms'),
  nodeRecordE2eLatencyAvg: metric('kstreams.node.record-e2e-latency.avg', 'gauge', 'INFO', 'stream-processor-node-metrics record-e2e-latency-avg', 'Average wall-clock time minus record timestamp since the last collection, at source and sink nodes.', 'ms'),
  nodeRecordE2eLatencyMax: metric('kstreams.node.record-e2e-latency.max', 'gauge', 'INFO', 'stream-processor-node-metrics record-e2e-latency-max', 'Largest wall-clock time minus record timestamp since the last collection, at source and sink nodes.', 'ms'),
  nodeErrors: metric('kstreams.node.errors', 'counter', 'INFO', '(kstreams) errors thrown by a node', 'Errors thrown by a node, whether the handler dropped the record or failed the task.'),
  stateOperationLatency: metric('kstreams.state.<operation>.latency', 'histogram', 'DEBUG', 'stream-state-metrics put-, put-if-absent-, put-all-, get-, delete-, range-, prefix-scan-, all-, fetch-, remove-, flush- rate/total/latency-avg/-max', 'Latency of one store operation (recorded by @kstreams/core).', 'ms'),
  stateCacheHitRatio: metric('kstreams.state.record-cache.hit-ratio', 'histogram', 'DEBUG', 'stream-record-cache-metrics hit-ratio-min, -avg, -max', 'Share of reads answered by the record cache (recorded by @kstreams/core).'),
  stateDroppedRecords: metric('kstreams.state.dropped-records', 'counter', 'INFO', 'stream-task-metrics dropped-records (expired window/session writes)', 'Writes dropped as older than the retention (recorded by @kstreams/core).'),
  stateRestore: metric('kstreams.state.restore', 'counter', 'INFO', 'stream-task-metrics restore-rate, restore-total (KIP-869)', 'Changelog records restored into a store.'),
  stateRestoreLatency: metric('kstreams.state.restore.latency', 'histogram', 'DEBUG', 'stream-state-metrics restore-rate, restore-latency-avg, -max', 'Time to read and apply one restored batch.', 'ms'),
  stateRestoreRemaining: metric('kstreams.state.restore-remaining-records', 'gauge', 'INFO', 'stream-task-metrics restore-remaining-records-total (KIP-869)', 'Changelog records a restoring store still has to restore.'),
  rebalances: metric('kstreams.rebalance.rebalances', 'counter', 'INFO', 'consumer-coordinator-metrics rebalance-total, rebalance-rate-per-hour', 'Rebalances this thread took part in.'),
  rebalanceLatency: metric('kstreams.rebalance.latency', 'histogram', 'INFO', 'consumer-coordinator-metrics rebalance-latency-avg, -max', 'Time from the start of a rebalance until the new assignment is in place.', 'ms'),
  rebalanceTasksAssigned: metric('kstreams.rebalance.tasks-assigned', 'counter', 'INFO', '(kstreams) tasks moved in by rebalances', 'Active tasks created by new assignments.'),
  rebalanceTasksRevoked: metric('kstreams.rebalance.tasks-revoked', 'counter', 'INFO', '(kstreams) tasks moved out by rebalances', 'Active tasks closed by new assignments.'),
  transactionCommitLatency: metric('kstreams.eos.transaction.commit.latency', 'histogram', 'INFO', 'producer txn-commit-time-ns-total; thread commit-rate under EOS', 'Time to commit one transaction.', 'ms'),
  transactionAbort: metric('kstreams.eos.transaction.abort', 'counter', 'INFO', 'producer txn-abort-time-ns-total', 'Transactions aborted.'),
  transactionAbortLatency: metric('kstreams.eos.transaction.abort.latency', 'histogram', 'INFO', 'producer txn-abort-time-ns-total', 'Time to abort one transaction.', 'ms'),
} as const satisfies Readonly<Record<string, MetricDefinition>>;

/** Attribute keys used on kstreams measurements (all bounded). */
export const ATTRIBUTES = {
  threadId: 'thread.id',
  taskId: 'task.id',
  nodeId: 'processor.node.id',
  storeName: 'store.name',
  topic: 'topic',
  partition: 'partition',
} as const;
