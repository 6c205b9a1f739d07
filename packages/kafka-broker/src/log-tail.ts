import { readFile } from 'node:fs/promises';

/** The last `lineCount` non-empty lines of a text file; empty when the file does not exist. */
export async function readLogTail(file: string, lineCount: number): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-lineCount);
}

/** What went wrong when a broker node did not come up, for {@link startFailureMessage}. */
export interface StartFailure {
  /** The node that failed (`node.id`). */
  nodeId: number;
  /** Its client address, `host:port`. */
  address: string;
  /** Why we gave up, e.g. `did not answer within 60000 ms`. */
  reason: string;
  /** The broker log file. */
  logFile: string;
  /** Last lines of the broker log. */
  logTail: readonly string[];
  /** Last lines of the JVM's own stdout/stderr (JVM errors land there, not in the log). */
  outputTail: readonly string[];
}

/** The message of a startup failure: what failed, where to look, and the log tail itself. */
export function startFailureMessage(failure: StartFailure): string {
  const parts = [
    `Kafka broker node ${failure.nodeId} on ${failure.address} ${failure.reason}.`,
    `Check the broker log ${failure.logFile} (tail below); a busy port, too little memory or a wrong Java version are the usual causes. Set KAFKA_BROKERS to use a running cluster instead.`,
  ];
  parts.push(failure.logTail.length > 0 ? `--- broker log tail ---\n${failure.logTail.join('\n')}` : '--- the broker log is empty ---');
  if (failure.outputTail.length > 0) parts.push(`--- JVM output tail ---\n${failure.outputTail.join('\n')}`);
  return parts.join('\n');
}
