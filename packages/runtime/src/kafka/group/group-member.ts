import { StreamsError } from '@kstreams/core';
import type { Logger } from '../../internal/engine-ports.js';
import { partitionKey, type TopicPartition } from '../kafka-client.js';
import type { GroupCoordinatorClient, JoinedMember, MemberIdentity } from './group-coordinator-client.js';
import { STREAMS_PROTOCOL_NAME, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, type MemberAssignmentBytes, type MemberSubscription } from './member-protocol.js';

/** `eager` revokes everything before every rebalance; `cooperative` (KIP-429) only what moves. */
export type RebalanceProtocol = 'eager' | 'cooperative';

/** What a member learns at the end of a rebalance. */
export interface GroupAssignment extends MemberAssignmentBytes {
  readonly generationId: number;
  readonly memberId: string;
  readonly isLeader: boolean;
}

/**
 * Kafka's `ConsumerRebalanceListener`, awaited: every callback runs inside {@link GroupMember.poll}
 * on the stream thread's loop, never concurrently with processing.
 */
export interface RebalanceListener {
  /** Before a rejoin (eager: all owned partitions) or after one (cooperative: those that moved). Commit them with the current generation, then close them. */
  onPartitionsRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  /** The new assignment (all partitions the member owns now, its active and standby tasks). */
  onPartitionsAssigned(assignment: GroupAssignment): Promise<void>;
  /** The member lost its partitions (session expired, fenced, unknown member): close them dirty, without committing. */
  onPartitionsLost(partitions: readonly TopicPartition[]): Promise<void>;
}

/** The leader's assignment strategy: every member's subscription in, every member's assignment out. */
export type GroupAssignFunction = (members: readonly { memberId: string; subscription: MemberSubscription }[]) => Promise<Map<string, MemberAssignmentBytes>>;

/** What a {@link GroupMember} is made of. */
export interface GroupMemberOptions {
  readonly client: Pick<GroupCoordinatorClient, 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'resetCoordinator'>;
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** A member that does not poll for this long leaves the group (Java's `max.poll.interval.ms`). */
  readonly maxPollIntervalMs: number;
  readonly protocol: RebalanceProtocol;
  /** The subscription sent at each join. */
  readonly subscription: () => MemberSubscription | Promise<MemberSubscription>;
  readonly assign: GroupAssignFunction;
  readonly listener: RebalanceListener;
  readonly logger: Logger;
  /** Called when {@link GroupMember.poll} has work to do (a rebalance started or finished). */
  readonly wake: () => void;
}

type JoinOutcome = { readonly kind: 'joined'; readonly assignment: GroupAssignment } | { readonly kind: 'failed'; readonly error: unknown };

/** Errors that mean the member's partitions are gone: the group moved on without it. */
const LOST_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);
/** Errors no retry can fix. */
const FATAL_ERRORS = new Set(['GROUP_AUTHORIZATION_FAILED', 'INCONSISTENT_GROUP_PROTOCOL', 'GROUP_MAX_SIZE_REACHED', 'FENCED_INSTANCE_ID', 'INVALID_SESSION_TIMEOUT']);
const RETRY_BACKOFF_MS = 200;

/**
 * One consumer-group member run by kstreams on kafkajs' protocol layer (Kafka's classic group
 * protocol): JoinGroup and SyncGroup in the background, heartbeats on their own timer, and the
 * rebalance listener awaited inside {@link poll}, which the stream thread calls between
 * processing steps. So a revocation commit always runs with the current generation before the
 * member rejoins (eager) or right after the new assignment (cooperative), and never races
 * processing. A member that is told its generation is gone (or that stopped polling) reports its
 * partitions lost and rejoins.
 */
export class GroupMember {
  readonly #options: GroupMemberOptions;
  #identity: MemberIdentity = { generationId: -1, memberId: '', groupInstanceId: null };
  #owned: TopicPartition[] = [];
  #state: 'UNJOINED' | 'JOINING' | 'STABLE' | 'CLOSED' = 'UNJOINED';
  #rejoinNeeded = true;
  #lost = false;
  #join: Promise<void> | undefined;
  #outcome: JoinOutcome | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #heartbeatInFlight = false;
  #lastPollMs = Date.now();
  #lastHeartbeatOkMs = Date.now();
  #retryAfterMs = 0;
  #fatal: unknown;
  #rebalances = 0;

  constructor(options: GroupMemberOptions) {
    this.#options = options;
    this.#identity = { ...this.#identity, groupInstanceId: options.groupInstanceId };
  }

  /** Generation, member id and static instance id (for transactional offset commits). */
  get identity(): MemberIdentity {
    return this.#identity;
  }

  /** Partitions owned now. */
  get owned(): readonly TopicPartition[] {
    return this.#owned;
  }

  /** True while the member is in a stable generation with nothing pending. */
  get stable(): boolean {
    return this.#state === 'STABLE' && !this.#rejoinNeeded && !this.#lost && this.#outcome === undefined;
  }

  /** True from the moment a rejoin is needed until its assignment is applied (commits wait meanwhile). */
  get rebalanceInProgress(): boolean {
    return this.#rejoinNeeded || this.#join !== undefined || this.#outcome !== undefined || this.#lost;
  }

  /** Rebalances completed so far. */
  get rebalances(): number {
    return this.#rebalances;
  }

  /** Asks for a rebalance at the next poll (e.g. a probing rebalance, or after revoking under cooperative). */
  requestRejoin(reason: string): void {
    if (this.#rejoinNeeded) return;
    this.#options.logger.info(`Requesting a rebalance: ${reason}.`);
    this.#rejoinNeeded = true;
    this.#options.wake();
  }

  /**
   * Drives membership; call it often from the stream thread. Runs the listener for what
   * happened since the last call (lost partitions, a completed join), and starts a join when one
   * is needed. Throws a fatal group error (e.g. authorization) to stop the thread.
   */
  async poll(): Promise<void> {
    this.#lastPollMs = Date.now();
    if (this.#fatal !== undefined) throw this.#fatal;
    if (this.#state === 'CLOSED') return;
    if (this.#lost) await this.#handleLost();
    if (this.#outcome !== undefined) await this.#completeJoin(this.#outcome);
    if (this.#fatal !== undefined) throw this.#fatal;
    if (this.#rejoinNeeded && this.#join === undefined && Date.now() >= this.#retryAfterMs) await this.#startJoin();
  }

  /**
   * Leaves the group (the caller has committed and closed its tasks). Idempotent. A static member
   * (`groupInstanceId`) does not leave: it keeps its place for the session timeout, so a restart
   * within it causes no rebalance (KIP-345).
   */
  async close(): Promise<void> {
    if (this.#state === 'CLOSED') return;
    const wasMember = this.#identity.memberId !== '' && this.#options.groupInstanceId === null;
    this.#state = 'CLOSED';
    this.#stopHeartbeats();
    await this.#join?.catch(() => undefined);
    if (!wasMember) return;
    try {
      await this.#options.client.leaveGroup(this.#identity);
    } catch (error) {
      this.#options.logger.debug?.('Leaving the group failed; the coordinator will expire the member.', { error });
    }
  }

  /** For tests of session expiry: stops (or restarts) heartbeats as a stalled process would. */
  suspendHeartbeats(suspended: boolean): void {
    if (suspended) this.#stopHeartbeats();
    else if (this.#state === 'STABLE') this.#startHeartbeats();
  }

  async #handleLost(): Promise<void> {
    this.#lost = false;
    const lost = this.#owned;
    this.#owned = [];
    this.#rejoinNeeded = true;
    this.#options.logger.warn(`Lost ${lost.length} partitions (the group moved on without this member); closing their tasks without committing and rejoining.`);
    await this.#options.listener.onPartitionsLost(lost);
  }

  async #startJoin(): Promise<void> {
    this.#rejoinNeeded = false;
    this.#stopHeartbeats();
    if (this.#options.protocol === 'eager' && this.#owned.length > 0) {
      const revoked = this.#owned;
      await this.#options.listener.onPartitionsRevoked(revoked);
      this.#owned = [];
    }
    this.#state = 'JOINING';
    const join = this.#joinAndSync().then(
      (assignment) => void (this.#outcome = { kind: 'joined', assignment }),
      (error: unknown) => void (this.#outcome = { kind: 'failed', error }),
    );
    this.#join = join.finally(() => {
      this.#join = undefined;
      this.#options.wake();
    });
  }

  async #joinAndSync(): Promise<GroupAssignment> {
    const { client } = this.#options;
    const subscription = await this.#options.subscription();
    const joined = await client.joinGroup({
      memberId: this.#identity.memberId,
      groupInstanceId: this.#options.groupInstanceId,
      sessionTimeoutMs: this.#options.sessionTimeoutMs,
      rebalanceTimeoutMs: this.#options.rebalanceTimeoutMs,
      protocols: [{ name: STREAMS_PROTOCOL_NAME, metadata: encodeSubscription(subscription) }],
    });
    const identity = { generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: this.#options.groupInstanceId };
    this.#identity = { ...this.#identity, memberId: joined.memberId };
    const isLeader = joined.leaderId === joined.memberId;
    const assignments = isLeader ? await this.#leaderAssignments(joined.members) : [];
    const bytes = await client.syncGroup(identity, assignments);
    this.#identity = identity;
    return { ...decodeAssignment(bytes), generationId: joined.generationId, memberId: joined.memberId, isLeader };
  }

  async #leaderAssignments(members: readonly JoinedMember[]): Promise<{ memberId: string; assignment: Buffer }[]> {
    const decoded = members.map((member) => ({ memberId: member.memberId, subscription: decodeSubscription(member.metadata) }));
    const result = await this.#options.assign(decoded);
    return decoded.map(({ memberId }) => ({ memberId, assignment: encodeAssignment(result.get(memberId) ?? { partitions: [], userData: new Uint8Array() }) }));
  }

  async #completeJoin(outcome: JoinOutcome): Promise<void> {
    this.#outcome = undefined;
    if (this.#state === 'CLOSED') return;
    if (outcome.kind === 'failed') {
      await this.#joinFailed(outcome.error);
      return;
    }
    const { assignment } = outcome;
    const now = new Set(assignment.partitions.map(partitionKey));
    const revoked = this.#owned.filter((partition) => !now.has(partitionKey(partition)));
    if (revoked.length > 0) await this.#options.listener.onPartitionsRevoked(revoked);
    this.#owned = [...assignment.partitions];
    this.#state = 'STABLE';
    this.#rebalances++;
    this.#lastHeartbeatOkMs = Date.now();
    this.#startHeartbeats();
    this.#options.logger.info(`Joined generation ${assignment.generationId} as ${assignment.isLeader ? 'leader' : 'follower'} ${assignment.memberId}: ${assignment.partitions.length} partitions.`);
    await this.#options.listener.onPartitionsAssigned(assignment);
    // Cooperative: partitions given up here can only be handed to their new owner in a follow-up rebalance.
    if (revoked.length > 0 && this.#options.protocol === 'cooperative') this.requestRejoin(`${revoked.length} partitions were revoked and must move to other members`);
  }

  async #joinFailed(error: unknown): Promise<void> {
    const type = errorType(error);
    if (FATAL_ERRORS.has(type)) {
      this.#fatal = new StreamsError(`The consumer group refused this member (${type}): ${(error as Error).message}.${type === 'FENCED_INSTANCE_ID' ? ' Another instance uses the same groupInstanceId.' : ''}`, { cause: error });
      this.#options.wake();
      return;
    }
    if (type === 'UNKNOWN_MEMBER_ID') this.#identity = { ...this.#identity, memberId: '', generationId: -1 };
    if (LOST_ERRORS.has(type) && this.#owned.length > 0) this.#lost = true;
    this.#options.logger.info(`Joining the group failed (${type || (error as Error).message}); retrying.`);
    this.#rejoinNeeded = true;
    this.#state = 'UNJOINED';
    this.#retryAfterMs = Date.now() + (type === 'REBALANCE_IN_PROGRESS' || LOST_ERRORS.has(type) ? 0 : RETRY_BACKOFF_MS);
    if (type !== 'REBALANCE_IN_PROGRESS' && !LOST_ERRORS.has(type)) this.#options.client.resetCoordinator();
    setTimeout(() => this.#options.wake(), RETRY_BACKOFF_MS).unref();
  }

  #startHeartbeats(): void {
    this.#stopHeartbeats();
    this.#heartbeatTimer = setInterval(() => void this.#heartbeat(), this.#options.heartbeatIntervalMs);
    this.#heartbeatTimer.unref?.();
  }

  #stopHeartbeats(): void {
    if (this.#heartbeatTimer !== undefined) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  async #heartbeat(): Promise<void> {
    if (this.#state !== 'STABLE' || this.#heartbeatInFlight) return;
    if (Date.now() - this.#lastPollMs > this.#options.maxPollIntervalMs) {
      await this.#leaveForPollTimeout();
      return;
    }
    this.#heartbeatInFlight = true;
    const generation = this.#identity.generationId;
    try {
      await this.#options.client.heartbeat(this.#identity);
      this.#lastHeartbeatOkMs = Date.now();
    } catch (error) {
      if (generation === this.#identity.generationId && this.#state === 'STABLE') this.#heartbeatFailed(error);
    } finally {
      this.#heartbeatInFlight = false;
    }
  }

  #heartbeatFailed(error: unknown): void {
    const type = errorType(error);
    if (type === 'REBALANCE_IN_PROGRESS') {
      this.requestRejoin('the group is rebalancing');
      return;
    }
    if (LOST_ERRORS.has(type)) {
      if (type === 'UNKNOWN_MEMBER_ID') this.#identity = { ...this.#identity, memberId: '', generationId: -1 };
      this.#markLost(`heartbeat answered ${type}`);
      return;
    }
    this.#options.client.resetCoordinator();
    if (Date.now() - this.#lastHeartbeatOkMs > this.#options.sessionTimeoutMs) this.#markLost('no heartbeat got through within the session timeout');
  }

  async #leaveForPollTimeout(): Promise<void> {
    this.#options.logger.warn(`The stream thread did not poll for more than maxPollIntervalMs (${this.#options.maxPollIntervalMs} ms): leaving the group; its partitions are lost and it rejoins at the next poll.`);
    const identity = this.#identity;
    this.#identity = { ...this.#identity, memberId: '', generationId: -1 };
    this.#markLost('poll interval exceeded');
    await this.#options.client.leaveGroup(identity).catch(() => undefined);
  }

  #markLost(reason: string): void {
    this.#options.logger.warn(`This member is no longer part of the group: ${reason}.`);
    this.#stopHeartbeats();
    this.#state = 'UNJOINED';
    this.#lost = this.#owned.length > 0;
    this.#rejoinNeeded = true;
    this.#options.wake();
  }
}

function errorType(error: unknown): string {
  const type = (error as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : '';
}
