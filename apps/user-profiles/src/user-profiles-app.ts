import type { MeterProvider } from '@opentelemetry/api';
import kafkajs from 'kafkajs';
import { KafkaStreams, Serdes, type ProcessingGuarantee } from 'kstreams';
import { startQueryServer } from '@kstreams/query-server';
import { createTopics, endedInError } from 'kstreams-sample-kit';
import { freeLoopbackPort } from './free-port.js';
import { PROFILE_STORE, userProfilesTopology, type UserProfilesTopics } from './user-profiles-topology.js';

/** The app's topics: its input, its view's output, and the dead letters of unreadable events. */
export interface UserProfilesAppTopics extends UserProfilesTopics {
  readonly deadLetters: string;
}

/** How to run one version (one application id) of the user-profiles app. */
export interface UserProfilesOptions {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly topics: UserProfilesAppTopics;
  readonly stateDir: string;
  /** Partitions of the events topic when it has to be created. Default 4. */
  readonly partitions?: number;
  /** Default 1000 ms. */
  readonly commitIntervalMs?: number;
  /** Default `at_least_once`: the fold ignores redelivered events (by their `seq`). */
  readonly processingGuarantee?: ProcessingGuarantee;
  /** Default 64 MiB: the whole view of the demo fits in the cache. */
  readonly statestoreCacheMaxBytes?: number;
  /**
   * Serve the view over HTTP (`@kstreams/query-server`) on this loopback port, which also
   * becomes the instance's `applicationServer`, so instances forward to each other. 0: a free
   * port. Default: no query server.
   */
  readonly queryPort?: number;
  readonly meterProvider?: MeterProvider;
  readonly log?: (line: string) => void;
}

/** A running version of the app. */
export interface RunningUserProfiles {
  readonly applicationId: string;
  readonly streams: KafkaStreams;
  /** `http://127.0.0.1:<port>` of its query server, when it has one (`GET /stores/profiles/keys/<userId>`). */
  readonly queryUrl: string | undefined;
  /** Events that reached the fold so far (redeliveries included). */
  processed(): number;
  /** Resolves once `count` events reached the fold; rejects after `timeoutMs` or when KafkaStreams fails. */
  waitForProcessed(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates the topics that are missing (the output compacted) and starts one version of the
 * app: the fold of `userProfilesTopology` under `applicationId`, unreadable events to
 * `topics.deadLetters`, and (with `queryPort`) the HTTP query server over the view store. A new application id means a new consumer group and new internal
 * topics: it replays the events topic from its committed offsets, or from the earliest.
 */
export async function startUserProfiles(options: UserProfilesOptions): Promise<RunningUserProfiles> {
  const log = options.log ?? (() => {});
  const partitions = options.partitions ?? 4;
  const admin = new kafkajs.Kafka({ clientId: `${options.applicationId}-admin`, brokers: [...options.brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await createTopics(admin, [
      { topic: options.topics.events, partitions },
      { topic: options.topics.profiles, partitions, configs: { 'cleanup.policy': 'compact' } },
      { topic: options.topics.deadLetters, partitions: 1 },
    ]);
  } finally {
    await admin.disconnect();
  }
  const queryPort = options.queryPort === 0 ? await freeLoopbackPort() : options.queryPort;
  const applicationServer = queryPort === undefined ? undefined : `127.0.0.1:${queryPort}`;
  let processed = 0;
  const streams = new KafkaStreams(userProfilesTopology(options.topics, { onEvent: () => void processed++ }), {
    applicationId: options.applicationId,
    bootstrapServers: options.brokers,
    stateDir: options.stateDir,
    commitIntervalMs: options.commitIntervalMs ?? 1_000,
    processingGuarantee: options.processingGuarantee ?? 'at_least_once',
    statestoreCacheMaxBytes: options.statestoreCacheMaxBytes ?? 64 * 1024 * 1024,
    dlqTopic: options.topics.deadLetters,
    ...(applicationServer === undefined ? {} : { applicationServer }),
    ...(options.meterProvider === undefined ? {} : { meterProvider: options.meterProvider }),
  });
  streams.onStateChange((next, previous) => log(`KafkaStreams ${options.applicationId}: ${previous} -> ${next}`));
  const failed = endedInError(streams, options.applicationId);
  const queries = queryPort === undefined ? undefined : await startQueryServer(streams, { port: queryPort, stores: { [PROFILE_STORE]: { type: 'keyValue', keySerde: Serdes.string() } } });
  await streams.start();
  return {
    applicationId: options.applicationId,
    streams,
    queryUrl: applicationServer === undefined ? undefined : `http://${applicationServer}`,
    processed: () => processed,
    async waitForProcessed(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const reached = (async () => {
        while (processed < count) {
          if (Date.now() > deadline) throw new Error(`${options.applicationId} processed ${processed} of ${count} events within ${timeoutMs} ms.`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      await Promise.race([reached, failed]);
    },
    close: async () => {
      await queries?.close();
      if (!(await streams.close({ timeoutMs: 30_000 }))) log(`KafkaStreams ${options.applicationId} did not close within 30 s.`);
    },
  };
}
