import { assignStandbys } from '../assign-standbys.js';
import { assignTasks } from '../assign-tasks.js';
import { partitionKey, type TopicPartition } from '../kafka-client.js';
import { MEMBER_PROTOCOL_VERSION, type MemberAssignment, type MemberSubscription } from './member-protocol.js';

/** A sub-topology as the assignment sees it: its id (the task id prefix) and its source topics. */
export interface AssignableSubtopology {
  readonly id: number;
  /** Source topics that exist now (patterns already resolved against the cluster's topics). */
  readonly topics: readonly string[];
  /** Whether its tasks have logged stores (only those get standbys). */
  readonly stateful: boolean;
}

/** Everything the leader needs to assign. */
export interface TaskAssignmentInput {
  readonly members: readonly { memberId: string; subscription: MemberSubscription }[];
  readonly subtopologies: readonly AssignableSubtopology[];
  readonly partitionCount: (topic: string) => number;
  readonly numStandbyReplicas: number;
}

/**
 * The leader's assignment: tasks (one per partition index of each sub-topology, id
 * `<subtopology>_<partition>` as the task manager names them) spread over processes first,
 * sticky to the process that runs them, preferring one with the task's state on disk; then
 * over each process's members (threads), sticky per member. Standbys go to other processes.
 * Under cooperative rebalancing a partition another member still owns is held back for one
 * round: its owner revokes it and rejoins, and the next round hands it over.
 */
export function assignGroupTasks(input: TaskAssignmentInput): Map<string, MemberAssignment> {
  const tasks = taskList(input);
  const processes = byProcess(input.members);
  const perProcess = assignTasks(
    [...processes].map(([processId, members]) => ({
      memberId: processId,
      ownedTasks: members.flatMap((member) => member.subscription.activeTasks),
      standbyTasks: members.flatMap((member) => [...member.subscription.standbyTasks, ...Object.keys(member.subscription.taskOffsetSums)]),
    })),
    tasks.map((task) => task.id),
  );
  const stateful = tasks.filter((task) => task.stateful).map((task) => task.id);
  const standbyPerProcess = assignStandbys(
    [...processes.keys()].map((processId) => ({ memberId: processId, processId })),
    perProcess,
    stateful,
    input.numStandbyReplicas,
  );
  const partitionsOf = new Map(tasks.map((task) => [task.id, task.partitions]));
  const result = new Map<string, MemberAssignment>();
  for (const [processId, members] of processes) {
    const active = assignTasks(
      members.map((member) => ({ memberId: member.memberId, ownedTasks: member.subscription.activeTasks, standbyTasks: member.subscription.standbyTasks })),
      perProcess.get(processId) ?? [],
    );
    const standby = spread(members.map((member) => member.memberId), standbyPerProcess.get(processId) ?? [], active);
    for (const member of members) {
      const activeTasks = active.get(member.memberId) ?? [];
      result.set(member.memberId, {
        version: MEMBER_PROTOCOL_VERSION,
        activeTasks,
        standbyTasks: standby.get(member.memberId) ?? [],
        partitions: activeTasks.flatMap((task) => partitionsOf.get(task) ?? []),
        errorCode: 0,
      });
    }
  }
  return input.members.every((member) => member.subscription.cooperative) ? holdBackOwnedElsewhere(result, input.members, partitionsOf) : result;
}

interface AssignableTask {
  readonly id: string;
  readonly stateful: boolean;
  readonly partitions: readonly TopicPartition[];
}

/** Tasks ordered partition-first (0_0, 1_0, 0_1, …) so each member gets a mix of sub-topologies. */
function taskList(input: TaskAssignmentInput): AssignableTask[] {
  const tasks: (AssignableTask & { partition: number; subtopology: number })[] = [];
  for (const subtopology of input.subtopologies) {
    const count = Math.max(0, ...subtopology.topics.map((topic) => input.partitionCount(topic)));
    for (let partition = 0; partition < count; partition++) {
      const partitions = subtopology.topics.filter((topic) => partition < input.partitionCount(topic)).map((topic) => ({ topic, partition }));
      tasks.push({ id: `${subtopology.id}_${partition}`, stateful: subtopology.stateful, partitions, partition, subtopology: subtopology.id });
    }
  }
  return tasks.sort((left, right) => left.partition - right.partition || left.subtopology - right.subtopology);
}

function byProcess(members: TaskAssignmentInput['members']): Map<string, TaskAssignmentInput['members'][number][]> {
  const processes = new Map<string, TaskAssignmentInput['members'][number][]>();
  const sorted = [...members].sort((left, right) => (left.memberId < right.memberId ? -1 : left.memberId > right.memberId ? 1 : 0));
  for (const member of sorted) {
    const list = processes.get(member.subscription.processId) ?? [];
    list.push(member);
    processes.set(member.subscription.processId, list);
  }
  return new Map([...processes].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
}

/** Standbys of one process over its members: the member with the fewest tasks first. */
function spread(memberIds: readonly string[], standbys: readonly string[], active: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const result = new Map<string, string[]>(memberIds.map((memberId) => [memberId, []]));
  const load = (memberId: string): number => (active.get(memberId)?.length ?? 0) + (result.get(memberId)?.length ?? 0);
  for (const task of standbys) {
    const target = memberIds.reduce((best, memberId) => (load(memberId) < load(best) ? memberId : best));
    result.get(target)!.push(task);
  }
  return result;
}

/** KIP-429: a partition still owned by another member is assigned to nobody this round. */
function holdBackOwnedElsewhere(result: Map<string, MemberAssignment>, members: TaskAssignmentInput['members'], partitionsOf: ReadonlyMap<string, readonly TopicPartition[]>): Map<string, MemberAssignment> {
  const ownerOf = new Map<string, string>();
  for (const { memberId, subscription } of members) for (const partition of subscription.ownedPartitions) ownerOf.set(partitionKey(partition), memberId);
  const adjusted = new Map<string, MemberAssignment>();
  for (const [memberId, assignment] of result) {
    const blocked = (task: string): boolean => (partitionsOf.get(task) ?? []).some((partition) => {
      const owner = ownerOf.get(partitionKey(partition));
      return owner !== undefined && owner !== memberId;
    });
    const activeTasks = assignment.activeTasks.filter((task) => !blocked(task));
    adjusted.set(memberId, { ...assignment, activeTasks, partitions: activeTasks.flatMap((task) => partitionsOf.get(task) ?? []) });
  }
  return adjusted;
}
