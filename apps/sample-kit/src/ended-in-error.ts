import type { KafkaStreams } from 'kstreams';

/**
 * A promise that rejects when `streams` ends in ERROR (a fatal processing error shut it down),
 * with the error its uncaught exception handler saw as the cause; it never resolves. Call it
 * before `start()`: it installs the uncaught exception handler (which keeps Kafka Streams'
 * default response, SHUTDOWN_CLIENT). The default logger has printed the error by then.
 */
export function endedInError(streams: KafkaStreams, applicationId: string): Promise<never> {
  let fatal: unknown;
  streams.setUncaughtExceptionHandler((error) => {
    fatal = error;
    return 'SHUTDOWN_CLIENT';
  });
  const failed = new Promise<never>((_resolve, reject) => {
    streams.onStateChange((next) => {
      if (next === 'ERROR') reject(new Error(`KafkaStreams "${applicationId}" stopped in state ERROR.`, { cause: fatal }));
    });
  });
  // Callers race it against their work; when the work ends first, nobody waits for it.
  failed.catch(() => {});
  return failed;
}
