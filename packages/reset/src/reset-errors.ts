import { StreamsError } from '@kstreams/core';
import type { GroupMemberDescription } from './kafkajs-reset-admin.js';

/**
 * The application's consumer group still has members: some instance runs (or crashed recently
 * and its session has not expired). Resetting now would corrupt its state, so the reset refuses.
 */
export class ApplicationRunningError extends StreamsError {
  /** The members DescribeGroups listed. */
  readonly members: readonly GroupMemberDescription[];

  constructor(applicationId: string, members: readonly GroupMemberDescription[]) {
    const listed = members.map((member) => `${member.memberId} (client ${member.clientId} on ${member.clientHost})`).join(', ');
    super(
      `Consumer group "${applicationId}" still has ${members.length} active member${members.length === 1 ? '' : 's'}: ${listed}. ` +
        'Stop every instance of the application before resetting it, or pass --force (force: true) to remove members left by stopped instances.',
    );
    this.members = members;
  }
}
