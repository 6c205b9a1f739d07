import type { GroupMemberDescription } from './kafkajs-reset-admin.js';
import type { PlannedOffset } from './offset-plan.js';

/** What `resetApplication` did, or would do with `dryRun`. */
export interface ResetReport {
  readonly applicationId: string;
  readonly dryRun: boolean;
  /** Members removed from the group by `force` (or that would be). */
  readonly removedMembers: readonly GroupMemberDescription[];
  /** The input partitions' new committed offsets, with the previous ones. */
  readonly inputOffsets: readonly PlannedOffset[];
  /** The intermediate partitions' new committed offsets (their ends). */
  readonly intermediateOffsets: readonly PlannedOffset[];
  /** Internal topics deleted (or that would be). */
  readonly deletedTopics: readonly string[];
  /** Input or intermediate topics that do not exist and were skipped (the CLI then exits with 1, as Java's tool). */
  readonly missingTopics: readonly string[];
}

/**
 * The report as the CLI prints it: one line per removed member, partition and topic, each
 * saying what was done ("Would …" in a dry run).
 */
export function formatResetReport(report: ResetReport): string[] {
  const verb = (done: string, planned: string): string => (report.dryRun ? planned : done);
  const lines: string[] = [];
  if (report.dryRun) lines.push(`Dry run for application "${report.applicationId}": nothing is changed.`);
  for (const member of report.removedMembers) {
    lines.push(`${verb('Removed', 'Would remove')} member ${member.memberId} (client ${member.clientId} on ${member.clientHost}) from group ${report.applicationId}`);
  }
  for (const topic of report.missingTopics) lines.push(`Topic ${topic} not found: skipped`);
  for (const offset of report.inputOffsets) lines.push(offsetLine(verb('Reset', 'Would reset'), 'input', offset));
  for (const offset of report.intermediateOffsets) lines.push(offsetLine(verb('Moved', 'Would move'), 'intermediate', offset));
  for (const topic of report.deletedTopics) lines.push(`${verb('Deleted', 'Would delete')} internal topic ${topic}`);
  if (report.inputOffsets.length === 0 && report.intermediateOffsets.length === 0) lines.push('No input or intermediate partitions: no offsets changed.');
  if (report.deletedTopics.length === 0) lines.push(`No internal topics of "${report.applicationId}" found to delete.`);
  lines.push('Local state is not touched: call streams.cleanUp() before restarting each instance (or delete <stateDir>/<applicationId>).');
  return lines;
}

function offsetLine(verb: string, kind: string, offset: PlannedOffset): string {
  const previous = offset.previous >= 0 ? String(offset.previous) : 'none';
  const note = offset.note === undefined ? '' : ` (${offset.note})`;
  return `${verb} ${kind} topic ${offset.topic} partition ${offset.partition} offset ${previous} -> ${offset.offset}${note}`;
}
