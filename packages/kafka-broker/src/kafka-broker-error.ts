import { StreamsError, type StreamsErrorOptions } from '@kstreams/core';

/**
 * The local Kafka broker could not be prepared, started or stopped: a missing tool (Java,
 * Maven), a failed jar download, a broker that did not answer in time. The message names the
 * step that failed and how to fix it; startup failures include the tail of the broker log.
 */
export class KafkaBrokerError extends StreamsError {
  constructor(message: string, options: StreamsErrorOptions = {}) {
    super(message, options);
  }
}
