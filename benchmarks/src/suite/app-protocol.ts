/**
 * How a contender process and the suite talk: the harness passes an {@link AppRun} (as JSON, the
 * first argument; `key=value` arguments for the Java contender), the process reports events on
 * stdout, one `@bench <json>` line each, and closes cleanly on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import type { Topology } from './workloads.js';

/** What one contender process runs. */
export interface AppRun {
  readonly topology: Topology;
  readonly bootstrap: string;
  readonly input: string;
  readonly output: string;
  readonly applicationId: string;
  readonly stateDir: string;
  readonly commitMs: number;
  /** `exactly_once` (kstreams only: Java Kafka Streams 4.x removed it) for W4's alpha variant. */
  readonly guarantee: 'at_least_once' | 'exactly_once' | 'exactly_once_v2';
  /** Partitions of the input: one task, so one store partition, each. */
  readonly partitions: number;
  /** Input records to process before reporting `processed`. */
  readonly records: number;
}

/** Events a contender process reports; `at` is the wall clock in ms. */
export type AppEvent =
  | { readonly event: 'running'; readonly at: number }
  | { readonly event: 'processed'; readonly at: number }
  | { readonly event: 'restored'; readonly at: number; readonly records: number; readonly startedAt: number }
  | { readonly event: 'rejected'; readonly at: number; readonly message: string }
  | { readonly event: 'error'; readonly at: number; readonly message: string }
  | { readonly event: 'exit'; readonly at: number; readonly cpuSeconds: number; readonly peakRssMb: number };

/** The stdout prefix of an event line. */
export const EVENT_PREFIX = '@bench ';

type EventFields<E extends AppEvent['event']> = Omit<Extract<AppEvent, { event: E }>, 'event' | 'at'>;

/** Writes one event line (synchronously, so nothing is lost at exit). */
export function report<E extends AppEvent['event']>(event: E, fields: EventFields<E>): void {
  process.stdout.write(`${EVENT_PREFIX}${JSON.stringify({ event, at: Date.now(), ...fields })}\n`);
}

/** utime + stime of this process from /proc/self/stat, in seconds (the same source the Java contender reads). */
export function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** VmHWM (peak resident set) of this process from /proc/self/status, in MiB. */
export function peakRssMb(): number {
  const line = readFileSync('/proc/self/status', 'latin1')
    .split('\n')
    .find((candidate) => candidate.startsWith('VmHWM:'));
  return line === undefined ? -1 : Number(line.replace(/[^0-9]/g, '')) / 1024;
}

/** The run this process was started for (argv[2]). */
export function appRunFromArguments(): AppRun {
  const text = process.argv[2];
  if (text === undefined) throw new Error('usage: <app> \'{"topology":"w1",...}\' (an AppRun as JSON)');
  return JSON.parse(text) as AppRun;
}
