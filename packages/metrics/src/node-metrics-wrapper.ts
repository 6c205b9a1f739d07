import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import type { NodeInterceptor, ProcessorWrapper, WrappedNode } from '@kstreams/core';
import { ATTRIBUTES, METRICS } from './metric-names.js';
import { safely, threadAttributes, type StreamsMetrics } from './streams-metrics.js';

/**
 * Kafka Streams' processor-node metrics, built as a {@link ProcessorWrapper} like any user
 * wrapper: `kstreams.node.process` per record (DEBUG), `kstreams.node.record-e2e-latency` at
 * source and sink nodes (INFO: wall-clock time minus the record's timestamp) and
 * `kstreams.node.errors` (INFO). At INFO, processor nodes only get the error hook, so they are
 * not wrapped at all on the record path.
 */
export function nodeMetricsWrapper(streamsMetrics: StreamsMetrics, threadName?: string): ProcessorWrapper {
  const instruments = {
    process: streamsMetrics.counter(METRICS.nodeProcess),
    e2eLatency: streamsMetrics.histogram(METRICS.nodeRecordE2eLatency),
    errors: streamsMetrics.counter(METRICS.nodeErrors),
    countsRecords: streamsMetrics.records(METRICS.nodeProcess.level),
    timesEndToEnd: streamsMetrics.records(METRICS.nodeRecordE2eLatency.level),
  };
  return { wrapNode: (node) => nodeInterceptor(node, { ...threadAttributes(threadName), [ATTRIBUTES.taskId]: node.taskId, [ATTRIBUTES.nodeId]: node.nodeName }, instruments) };
}

interface NodeInstruments {
  readonly process: Counter;
  readonly e2eLatency: Histogram;
  readonly errors: Counter;
  readonly countsRecords: boolean;
  readonly timesEndToEnd: boolean;
}

function nodeInterceptor(node: WrappedNode, attributes: Attributes, instruments: NodeInstruments): NodeInterceptor {
  const onError = (): void => safely(() => instruments.errors.add(1, attributes));
  const endToEnd = instruments.timesEndToEnd && node.kind !== 'processor';
  if (!endToEnd && !instruments.countsRecords) return { onError };
  return {
    onError,
    process: (record, proceed) => {
      safely(() => {
        if (instruments.countsRecords) instruments.process.add(1, attributes);
        if (endToEnd) instruments.e2eLatency.record(Math.max(0, node.systemTimeMs() - record.timestamp), attributes);
      });
      return proceed(record);
    },
  };
}
