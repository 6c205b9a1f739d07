/**
 * @kstreams/metrics: Kafka Streams' metrics on OpenTelemetry (client, thread, task, node, store,
 * rebalance and exactly-once levels), per-record spans with W3C trace context in record headers,
 * and health reports with a small probe server. Depends on `@opentelemetry/api` only (a peer).
 */
export { CLIENT_STATES, ClientMetrics, KSTREAMS_VERSION, type ClientView } from './client-metrics.js';
export { ConsumerLag, type LagPartition, type PartitionLag } from './consumer-lag.js';
export { healthReport, type HealthReport, type HealthSource, type ThreadHealth } from './health.js';
export { startHealthServer, type HealthServer, type HealthServerOptions, type PrometheusRequestHandler } from './health-server.js';
export { ATTRIBUTES, METRICS, type InstrumentKind, type MetricDefinition } from './metric-names.js';
export { nodeMetricsWrapper } from './node-metrics-wrapper.js';
export { RebalanceMetrics } from './rebalance-metrics.js';
export { RestoreMetrics, type RestorePartition } from './restore-metrics.js';
export { METER_NAME, StreamsMetrics, type StreamsMetricsOptions } from './streams-metrics.js';
export { StreamsTelemetry, type EngineTelemetry, type StreamsTelemetryOptions, type ThreadTelemetry } from './streams-telemetry.js';
export { ThreadMetrics, type ThreadTaskCounts } from './thread-metrics.js';
export { TRACEPARENT_HEADER, formatTraceparent, parseTraceparent } from './trace-parent.js';
export { TRACER_NAME, tracingWrapper, type TracingOptions } from './tracing-wrapper.js';
export { TransactionMetrics } from './transaction-metrics.js';
