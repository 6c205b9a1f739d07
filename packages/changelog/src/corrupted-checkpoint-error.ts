import { TaskCorruptedError, type StreamsErrorOptions } from '@kstreams/core';

/**
 * A `.checkpoint` file cannot be parsed (unknown version, malformed line, wrong count). As in
 * Kafka Streams, the offsets cannot be trusted: the task wipes its stores and restores them.
 */
export class CorruptedCheckpointError extends TaskCorruptedError {
  readonly path: string;

  constructor(path: string, reason: string, options: StreamsErrorOptions = {}) {
    super(
      `Checkpoint file ${path} is corrupted: ${reason}. The runtime deletes it, wipes the task's stores and restores them from their changelogs.`,
      options,
    );
    this.path = path;
  }
}
