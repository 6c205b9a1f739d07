import type { StreamsConfigOptions, TopicPartitionOffset } from '@kstreams/runtime';

/**
 * Where the input topics' committed offsets go (Java's `--to-earliest`, `--to-latest`,
 * `--to-datetime`, `--by-duration`, `--to-offset`, `--shift-by`, `--from-file`).
 * Offsets past either end of a partition are clamped to it, as in Java.
 */
export type OffsetResetTarget =
  /** The first offset still in the log (the default). */
  | { readonly type: 'to-earliest' }
  /** The end of the log: skip everything written so far. */
  | { readonly type: 'to-latest' }
  /** The first record at or after this time (epoch ms); an empty range falls back to the end. */
  | { readonly type: 'to-datetime'; readonly timestamp: number }
  /** The first record at or after `now - durationMs`. */
  | { readonly type: 'by-duration'; readonly durationMs: number }
  /** The same offset on every input partition. */
  | { readonly type: 'to-offset'; readonly offset: number }
  /** The committed offset moved by `shift` (negative goes back); no committed offset counts as the end. */
  | { readonly type: 'shift-by'; readonly shift: number }
  /** One offset per partition (Java's `--from-file` CSV plan: `topic,partition,offset` lines). */
  | { readonly type: 'from-file'; readonly offsets: readonly TopicPartitionOffset[] };

/** The connection options `resetApplication` shares with `KafkaStreams` (pass the same object). */
export type ResetConnectionOptions = Pick<StreamsConfigOptions, 'applicationId' | 'bootstrapServers' | 'clientId' | 'kafka' | 'ssl' | 'sasl' | 'logger'>;

/** What `resetApplication` does; `applicationId` and `bootstrapServers` are required. */
export interface ResetOptions extends ResetConnectionOptions {
  /** User input topics: their committed offsets are reset (to `resetTo`). */
  readonly inputTopics?: readonly string[];
  /** Topics the application writes and reads back itself: their offsets move to the end. */
  readonly intermediateTopics?: readonly string[];
  /**
   * Internal topics to delete: a subset of the ones found (`<applicationId>-…-changelog`,
   * `-repartition`, foreign-key join topics). Default: every internal topic found.
   */
  readonly internalTopics?: readonly string[];
  /** Default: `{ type: 'to-earliest' }`. */
  readonly resetTo?: OffsetResetTarget;
  /** Work out and report everything, change nothing. */
  readonly dryRun?: boolean;
  /** Remove the group's remaining members (e.g. crashed instances with a long session timeout) instead of refusing. */
  readonly force?: boolean;
}

/** The reset target's flag name, for messages. */
export function targetFlag(target: OffsetResetTarget): string {
  return `--${target.type}`;
}
