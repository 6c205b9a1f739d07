import type { Attributes, Counter } from '@opentelemetry/api';
import type { NodeInterceptor, ProcessorWrapper, WrappedNode } from '@kstreams/core';
import { ATTRIBUTES, METRICS } from './metric-names.js';
import { ObservedCounts } from './observed-counts.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';
import { WindowedStats, recordStat } from './windowed-stats.js';

interface NodeInstruments {
  /** Per-node record counts (DEBUG), or `undefined` when not recorded. */
  readonly processed: ObservedCounts | undefined;
  /** End-to-end latency min/avg/max at sources and sinks (INFO), or `undefined` when not recorded. */
  readonly e2eLatency: WindowedStats | undefined;
  readonly errors: Counter;
}

/**
 * Kafka Streams' processor-node metrics, built as a {@link ProcessorWrapper} like any user
 * wrapper: `kstreams.node.process` per record (DEBUG), `kstreams.node.record-e2e-latency.min`,
 * `.avg` and `.max` at source and sink nodes (INFO: wall-clock time minus the record's
 * timestamp) and `kstreams.node.errors` (INFO). Per-record values are folded into plain numbers
 * and handed to the SDK when metrics are collected, so the record path makes no SDK call. Nodes with nothing to
 * record per record only get the error hook, so they are not wrapped on the record path: without
 * an SDK no node is.
 */
export function nodeMetricsWrapper(streamsMetrics: StreamsMetrics, threadName?: string): ProcessorWrapper {
  const instruments: NodeInstruments = {
    processed: streamsMetrics.measures(METRICS.nodeProcess.level) ? new ObservedCounts(streamsMetrics, METRICS.nodeProcess) : undefined,
    e2eLatency: !streamsMetrics.measures(METRICS.nodeRecordE2eLatencyAvg.level)
      ? undefined
      : new WindowedStats(streamsMetrics, { min: METRICS.nodeRecordE2eLatencyMin, avg: METRICS.nodeRecordE2eLatencyAvg, max: METRICS.nodeRecordE2eLatencyMax }),
    errors: streamsMetrics.counter(METRICS.nodeErrors),
  };
  return { wrapNode: (node) => nodeInterceptor(node, { ...threadAttributes(threadName), [ATTRIBUTES.taskId]: node.taskId, [ATTRIBUTES.nodeId]: node.nodeName }, instruments) };
}

function nodeInterceptor(node: WrappedNode, attributes: Attributes, instruments: NodeInstruments): NodeInterceptor {
  const onError = (): void => safely(() => instruments.errors.add(1, attributes));
  const e2eLatency = node.kind === 'processor' ? undefined : instruments.e2eLatency?.cell(attributes);
  const processed = instruments.processed?.cell(attributes);
  if (e2eLatency === undefined && processed === undefined) return { onError };
  return {
    onError,
    process: (record, proceed) => {
      if (processed !== undefined) processed.count++;
      if (e2eLatency !== undefined) recordStat(e2eLatency, Math.max(0, node.systemTimeMs() - record.timestamp));
      return proceed(record);
    },
  };
}
