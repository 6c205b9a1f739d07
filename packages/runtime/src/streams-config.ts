import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, isMetricsRecordingLevel, type MetricsRecordingLevel, type ProcessorWrapper, type Serde, type TaskLifecycleListener, type TimestampExtractor } from '@kstreams/core';
import type { TracingOptions } from '@kstreams/metrics';
import type { MeterProvider } from '@opentelemetry/api';
import type { ConsumerConfig, KafkaConfig } from 'kafkajs';
import {
  stderrLogger,
  type DeserializationExceptionHandler,
  type Logger,
  type ProcessingExceptionHandler,
} from './internal/engine-ports.js';
import { productionHandlers, type ProductionExceptionHandler } from './production-exception-handler.js';
import { checkInteger, checkTopicName, describeValue, requireText } from './internal/config-checks.js';
import { redact, redactingLogger, secretValues } from './redaction.js';
import { resolveSecurity, type StreamsSaslOptions, type StreamsSslOptions } from './security-config.js';

/**
 * `processing.guarantee`: `at_least_once` (default), `exactly_once_v2` (one transactional
 * producer per stream thread, offsets committed inside the transaction, KIP-447 fencing) or
 * `exactly_once` (deprecated, Kafka Streams' original model: one transactional producer per
 * active task, `transactional.id` `<applicationId>-<taskId>`, fencing by producer epoch).
 */
export type ProcessingGuarantee = 'at_least_once' | 'exactly_once' | 'exactly_once_v2';

/** True under either exactly-once guarantee. */
export function isExactlyOnce(guarantee: ProcessingGuarantee): boolean {
  return guarantee !== 'at_least_once';
}

/** kafkajs client options passed through untouched (TLS, SASL, timeouts, retries). */
export type KafkaClientOptions = Pick<
  KafkaConfig,
  'ssl' | 'sasl' | 'connectionTimeout' | 'authenticationTimeout' | 'reauthenticationThreshold' | 'requestTimeout' | 'enforceRequestTimeout' | 'retry' | 'socketFactory'
>;

/** kafkajs consumer tuning passed through (group timeouts, fetch sizes). */
export type ConsumerTuningOptions = Pick<
  ConsumerConfig,
  'sessionTimeout' | 'rebalanceTimeout' | 'heartbeatInterval' | 'maxBytesPerPartition' | 'maxBytes' | 'minBytes' | 'maxWaitTimeInMs'
>;

/** What `new KafkaStreams(topology, options)` accepts; only the first two are required. */
export interface StreamsConfigOptions {
  /** `application.id`: the consumer group and the prefix of internal topics. */
  readonly applicationId: string;
  /** `bootstrap.servers`: `host:port` strings (or one comma-separated string). */
  readonly bootstrapServers: string | readonly string[];
  /** Client id prefix; default: the application id. */
  readonly clientId?: string;
  readonly kafka?: KafkaClientOptions;
  /** TLS: `true`, or TLS options with `ca`/`caFile` etc. (see security-config.ts). Same as `kafka.ssl`. */
  readonly ssl?: StreamsSslOptions;
  /** SASL login in kafkajs' shape, e.g. `{ mechanism: 'scram-sha-512', username, password }`. Same as `kafka.sasl`. */
  readonly sasl?: StreamsSaslOptions;
  readonly consumer?: ConsumerTuningOptions;
  /** Default: `<os tmpdir>/kstreams`. */
  readonly stateDir?: string;
  /** Default 30000 under at-least-once, 100 under exactly-once (Kafka Streams' defaults). */
  readonly commitIntervalMs?: number;
  /** Default `at_least_once`. */
  readonly processingGuarantee?: ProcessingGuarantee;
  /**
   * `transaction.timeout.ms` of the exactly-once producers: the coordinator aborts a transaction
   * open longer than this (a crashed instance's). Must exceed `commitIntervalMs`. Default 10000
   * (Kafka Streams' default under exactly-once).
   */
  readonly transactionTimeoutMs?: number;
  /** Default 1. */
  readonly numStreamThreads?: number;
  /**
   * `cooperative` (default, KIP-429): a rebalance revokes only the partitions that move, the
   * other tasks keep processing. `eager`: every rebalance revokes (commits and closes) everything.
   */
  readonly rebalanceProtocol?: 'cooperative' | 'eager';
  /** Static membership (`group.instance.id`, KIP-345): each thread joins as `<id>-<thread number>`. */
  readonly groupInstanceId?: string;
  /** `max.poll.interval.ms`: a thread that does not poll for this long leaves the group. Default 300000. */
  readonly maxPollIntervalMs?: number;
  /** A stateful task moves only to an instance whose state is at most this many records behind; else a warm-up replica catches up first. Default 10000. */
  readonly acceptableRecoveryLag?: number;
  /** Warm-up replicas in the whole group at once. Default 2. */
  readonly maxWarmupReplicas?: number;
  /** Time between probing rebalances while warm-ups catch up (at least 60000). Default 600000. */
  readonly probingRebalanceIntervalMs?: number;
  /** `application.server` (`host:port`) this instance serves interactive queries on; shared with the group. */
  readonly applicationServer?: string;
  /** Client tags of this instance (`client.tag.*`), e.g. `{ zone: 'eu-1a' }`, for rack-aware standbys. */
  readonly clientTags?: Readonly<Record<string, string>>;
  /** Tag keys standbys are spread over (`rack.aware.assignment.tags`). Default none. */
  readonly rackAwareAssignmentTags?: readonly string[];
  /** How long a task waits for data on an empty input partition before processing; -1 never waits. Default 0. */
  readonly maxTaskIdleMs?: number;
  /** Records buffered per input partition before it is paused. Default 1000. */
  readonly bufferedRecordsPerPartition?: number;
  /** Instance-wide record cache size; 0 turns caching off. Default 10 MiB. */
  readonly statestoreCacheMaxBytes?: number;
  /** Replication factor of internal topics; -1 uses the broker default. Default -1. */
  readonly replicationFactor?: number;
  /** Standby replicas per stateful task, each on another instance than the active copy. Default 0. */
  readonly numStandbyReplicas?: number;
  /** `windowstore.changelog.additional.retention.ms`: added to a windowed store's retention for its changelog. Default 86400000 (1 day). */
  readonly windowstoreChangelogAdditionalRetentionMs?: number;
  readonly defaultKeySerde?: Serde<unknown>;
  readonly defaultValueSerde?: Serde<unknown>;
  /** Default: the timestamp Kafka stored with the record. */
  readonly defaultTimestampExtractor?: TimestampExtractor;
  /** Default: log and fail, or the dead-letter topic when `dlqTopic` is set. */
  readonly deserializationExceptionHandler?: DeserializationExceptionHandler;
  /** Default: log and fail. */
  readonly processingExceptionHandler?: ProcessingExceptionHandler;
  /** Default: log and fail. */
  readonly productionExceptionHandler?: ProductionExceptionHandler;
  /** `errors.dead.letter.queue.topic.name` (KIP-1034): where undeserializable records go. */
  readonly dlqTopic?: string;
  /**
   * Where kstreams (and kafkajs, through it) logs. Default: `stderrLogger()`, one line per
   * WARN or ERROR on stderr, so a fatal error is never silent; `stderrLogger({ level: 'info' })`
   * adds state changes, `console` or a pino/winston logger work as they are, `noopLogger` drops everything.
   */
  readonly logger?: Logger;
  /** Where kstreams' OpenTelemetry instruments come from; default: the global meter provider. */
  readonly meterProvider?: MeterProvider;
  /** `metrics.recording.level`: `INFO` (default), `DEBUG` or `TRACE`, as in Kafka Streams. */
  readonly metricsRecordingLevel?: MetricsRecordingLevel;
  /** Wraps every node of every task (KIP-1112's `processor.wrapper.class`); default: none. */
  readonly processorWrapper?: ProcessorWrapper;
  /** A span per processed record (needs DEBUG) and `traceparent` propagation in record headers; default: off. */
  readonly tracing?: boolean | TracingOptions;
  /** Task-lifecycle and commit hooks (task created/closed, before/after commit); default: none. */
  readonly taskLifecycleListener?: TaskLifecycleListener;
}

const MEBIBYTE = 1024 * 1024;

/**
 * The validated, complete configuration of a KafkaStreams instance. Every option is checked
 * at construction; a bad one throws a `ConfigError` naming the option, the value and the fix.
 *
 * @example
 * const config = new StreamsConfig({ applicationId: 'word-count', bootstrapServers: 'localhost:9092' });
 * config.commitIntervalMs; // 30000
 */
export class StreamsConfig {
  readonly applicationId: string;
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  readonly kafka: KafkaClientOptions;
  readonly consumer: ConsumerTuningOptions;
  readonly stateDir: string;
  readonly commitIntervalMs: number;
  readonly processingGuarantee: ProcessingGuarantee;
  /** Transaction timeout of the exactly-once producers (unused under at-least-once). */
  readonly transactionTimeoutMs: number;
  readonly numStreamThreads: number;
  readonly rebalanceProtocol: 'cooperative' | 'eager';
  readonly groupInstanceId: string | undefined;
  readonly maxPollIntervalMs: number;
  readonly acceptableRecoveryLag: number;
  readonly maxWarmupReplicas: number;
  readonly probingRebalanceIntervalMs: number;
  readonly applicationServer: string | undefined;
  readonly clientTags: Readonly<Record<string, string>>;
  readonly rackAwareAssignmentTags: readonly string[];
  readonly maxTaskIdleMs: number;
  readonly bufferedRecordsPerPartition: number;
  readonly statestoreCacheMaxBytes: number;
  readonly replicationFactor: number;
  readonly numStandbyReplicas: number;
  readonly windowstoreChangelogAdditionalRetentionMs: number;
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  readonly defaultTimestampExtractor: TimestampExtractor | undefined;
  readonly deserializationExceptionHandler: DeserializationExceptionHandler | undefined;
  readonly processingExceptionHandler: ProcessingExceptionHandler | undefined;
  readonly productionExceptionHandler: ProductionExceptionHandler;
  readonly dlqTopic: string | undefined;
  readonly logger: Logger;
  readonly meterProvider: MeterProvider | undefined;
  readonly metricsRecordingLevel: MetricsRecordingLevel;
  readonly processorWrapper: ProcessorWrapper | undefined;
  readonly tracing: boolean | TracingOptions;
  readonly taskLifecycleListener: TaskLifecycleListener | undefined;

  constructor(options: StreamsConfigOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError('StreamsConfig needs an options object with at least applicationId and bootstrapServers.');
    }
    this.applicationId = checkTopicName('applicationId', requireText('applicationId', options.applicationId));
    this.bootstrapServers = parseBootstrapServers(options.bootstrapServers);
    this.clientId = options.clientId === undefined ? this.applicationId : requireText('clientId', options.clientId);
    this.kafka = { ...options.kafka, ...resolveSecurity(options) };
    this.consumer = { ...options.consumer };
    this.stateDir = options.stateDir === undefined ? join(tmpdir(), 'kstreams') : requireText('stateDir', options.stateDir);
    this.processingGuarantee = checkGuarantee(options.processingGuarantee ?? 'at_least_once');
    const exactlyOnce = isExactlyOnce(this.processingGuarantee);
    this.commitIntervalMs = checkInteger('commitIntervalMs', options.commitIntervalMs ?? (exactlyOnce ? 100 : 30_000), { min: 0 });
    this.transactionTimeoutMs = checkInteger('transactionTimeoutMs', options.transactionTimeoutMs ?? 10_000, { min: 1 });
    if (exactlyOnce) checkTransactionTimeout(this.processingGuarantee, this.commitIntervalMs, this.transactionTimeoutMs);
    this.numStreamThreads = checkInteger('numStreamThreads', options.numStreamThreads ?? 1, { min: 1 });
    this.rebalanceProtocol = checkRebalanceProtocol(options.rebalanceProtocol ?? 'cooperative');
    this.groupInstanceId = options.groupInstanceId === undefined ? undefined : requireText('groupInstanceId', options.groupInstanceId);
    this.maxPollIntervalMs = checkInteger('maxPollIntervalMs', options.maxPollIntervalMs ?? 300_000, { min: 1 });
    this.acceptableRecoveryLag = checkInteger('acceptableRecoveryLag', options.acceptableRecoveryLag ?? 10_000, { min: 0 });
    this.maxWarmupReplicas = checkInteger('maxWarmupReplicas', options.maxWarmupReplicas ?? 2, { min: 1 });
    this.probingRebalanceIntervalMs = checkInteger('probingRebalanceIntervalMs', options.probingRebalanceIntervalMs ?? 600_000, { min: 60_000, hint: 'Kafka Streams requires at least one minute.' });
    this.applicationServer = checkApplicationServer(options.applicationServer);
    this.clientTags = Object.freeze({ ...options.clientTags });
    this.rackAwareAssignmentTags = Object.freeze([...(options.rackAwareAssignmentTags ?? [])]);
    this.maxTaskIdleMs = checkInteger('maxTaskIdleMs', options.maxTaskIdleMs ?? 0, { min: -1 });
    this.bufferedRecordsPerPartition = checkInteger('bufferedRecordsPerPartition', options.bufferedRecordsPerPartition ?? 1000, { min: 1 });
    this.statestoreCacheMaxBytes = checkInteger('statestoreCacheMaxBytes', options.statestoreCacheMaxBytes ?? 10 * MEBIBYTE, { min: 0 });
    this.replicationFactor = checkReplicationFactor(options.replicationFactor ?? -1);
    this.numStandbyReplicas = checkInteger('numStandbyReplicas', options.numStandbyReplicas ?? 0, { min: 0 });
    this.windowstoreChangelogAdditionalRetentionMs = checkInteger('windowstoreChangelogAdditionalRetentionMs', options.windowstoreChangelogAdditionalRetentionMs ?? 86_400_000, { min: 0 });
    this.defaultKeySerde = checkSerde('defaultKeySerde', options.defaultKeySerde);
    this.defaultValueSerde = checkSerde('defaultValueSerde', options.defaultValueSerde);
    this.defaultTimestampExtractor = options.defaultTimestampExtractor;
    this.deserializationExceptionHandler = options.deserializationExceptionHandler;
    this.processingExceptionHandler = options.processingExceptionHandler;
    this.productionExceptionHandler = options.productionExceptionHandler ?? productionHandlers.logAndFail;
    this.dlqTopic = options.dlqTopic === undefined ? undefined : checkTopicName('dlqTopic', requireText('dlqTopic', options.dlqTopic));
    // Every log line of the instance (kafkajs' included) goes through this: no secret gets out.
    this.logger = redactingLogger(options.logger ?? stderrLogger(), secretValues(this.kafka));
    this.meterProvider = options.meterProvider;
    this.metricsRecordingLevel = checkRecordingLevel(options.metricsRecordingLevel ?? 'INFO');
    this.processorWrapper = checkProcessorWrapper(options.processorWrapper);
    this.tracing = options.tracing ?? false;
    this.taskLifecycleListener = options.taskLifecycleListener;
    if (this.processingGuarantee === 'exactly_once') this.logger.warn(EXACTLY_ONCE_DEPRECATION);
    Object.freeze(this);
  }

  /** A dump of the configuration with passwords, tokens and keys replaced by `[redacted]`. */
  toJSON(): object {
    return redact({ ...this }, secretValues(this.kafka));
  }

  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return this.toJSON();
  }

  /** Plain values handed to processors as `context.appConfigs()` (no functions, no secrets). */
  appConfigs(): Readonly<{ [key: string]: unknown }> {
    return Object.freeze({
      applicationId: this.applicationId,
      bootstrapServers: this.bootstrapServers,
      stateDir: this.stateDir,
      commitIntervalMs: this.commitIntervalMs,
      processingGuarantee: this.processingGuarantee,
      transactionTimeoutMs: this.transactionTimeoutMs,
      numStreamThreads: this.numStreamThreads,
      rebalanceProtocol: this.rebalanceProtocol,
      maxTaskIdleMs: this.maxTaskIdleMs,
      bufferedRecordsPerPartition: this.bufferedRecordsPerPartition,
      statestoreCacheMaxBytes: this.statestoreCacheMaxBytes,
      replicationFactor: this.replicationFactor,
      numStandbyReplicas: this.numStandbyReplicas,
      dlqTopic: this.dlqTopic,
    });
  }
}

function parseBootstrapServers(value: unknown): readonly string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? (value as unknown[]) : undefined;
  if (list === undefined) {
    throw new ConfigError(`bootstrapServers must be a "host:port" string or an array of them, got ${describeValue(value)}. Pass e.g. "localhost:9092".`);
  }
  const servers = list.map((server) => (typeof server === 'string' ? server.trim() : server));
  if (servers.length === 0 || servers.every((server) => server === '')) {
    throw new ConfigError('bootstrapServers is empty. Pass at least one broker address, e.g. "localhost:9092".');
  }
  for (const server of servers) {
    if (typeof server !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(server)) {
      throw new ConfigError(`bootstrapServers has an invalid address ${describeValue(server)}. Use "host:port", e.g. "localhost:9092".`);
    }
  }
  return Object.freeze(servers as string[]);
}

/** Logged once per instance configured with `exactly_once`, as Kafka Streams 3.x does. */
const EXACTLY_ONCE_DEPRECATION =
  'processingGuarantee "exactly_once" is deprecated (Kafka Streams deprecated it in 3.0 and removed it in 4.0): it runs one transactional producer per task. Use "exactly_once_v2": the same guarantee with one producer per stream thread.';

function checkGuarantee(value: unknown): ProcessingGuarantee {
  if (value === 'at_least_once' || value === 'exactly_once' || value === 'exactly_once_v2') return value;
  if (value === 'exactly_once_beta') {
    throw new ConfigError('processingGuarantee "exactly_once_beta" is not supported (Kafka Streams renamed it in 3.0). Use "exactly_once_v2", the same guarantee.');
  }
  throw new ConfigError(`processingGuarantee must be "at_least_once", "exactly_once_v2" or "exactly_once", got ${describeValue(value)}.`);
}

/** As Kafka Streams: a transaction must be able to live through a whole commit interval. */
function checkTransactionTimeout(guarantee: ProcessingGuarantee, commitIntervalMs: number, transactionTimeoutMs: number): void {
  if (transactionTimeoutMs > commitIntervalMs) return;
  throw new ConfigError(
    `transactionTimeoutMs (${transactionTimeoutMs}) must be larger than commitIntervalMs (${commitIntervalMs}) under ${guarantee}: every transaction would time out before its commit. Lower commitIntervalMs or raise transactionTimeoutMs.`,
  );
}

function checkApplicationServer(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(value)) {
    throw new ConfigError(`applicationServer must be "host:port", got ${describeValue(value)}. It is the address this instance serves interactive queries on, e.g. "localhost:8080".`);
  }
  return value;
}

function checkRebalanceProtocol(value: unknown): 'cooperative' | 'eager' {
  if (value === 'cooperative' || value === 'eager') return value;
  throw new ConfigError(`rebalanceProtocol must be "cooperative" or "eager", got ${describeValue(value)}.`);
}

function checkReplicationFactor(value: unknown): number {
  if (value === -1) return -1;
  return checkInteger('replicationFactor', value, { min: 1, hint: 'Use -1 for the broker default or a positive number of replicas.' });
}

function checkRecordingLevel(value: unknown): MetricsRecordingLevel {
  if (isMetricsRecordingLevel(value)) return value;
  throw new ConfigError(`metricsRecordingLevel must be "INFO", "DEBUG" or "TRACE", got ${describeValue(value)}.`);
}

function checkProcessorWrapper(value: ProcessorWrapper | undefined): ProcessorWrapper | undefined {
  if (value === undefined || typeof value?.wrapNode === 'function') return value;
  throw new ConfigError(`processorWrapper must be an object with a wrapNode(node) function, got ${describeValue(value)}.`);
}

function checkSerde(name: string, value: Serde<unknown> | undefined): Serde<unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value?.serialize !== 'function' || typeof value.deserialize !== 'function') {
    throw new ConfigError(`${name} must be a serde (an object with serialize and deserialize functions), got ${describeValue(value)}.`);
  }
  return value;
}
