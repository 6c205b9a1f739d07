import { TaskAssignmentError } from './assignment-error.js';
import { ByteReader } from './internal/byte-reader.js';
import { ByteWriter } from './internal/byte-writer.js';
import { checkVersion, readTaskId, writeTaskId } from './internal/protocol-fields.js';
import { AssignorErrorCode } from './protocol-versions.js';
import { compareTopicPartitions, type TopicPartition } from './topic-partition.js';

/** A task and the input partitions that belong to it. */
export interface TaskPartitions {
  readonly taskId: string;
  readonly partitions: readonly TopicPartition[];
}

/**
 * What the leader tells one member (the user data of its assignment), as in Java's
 * `AssignmentInfo`: its active and standby tasks (warm-ups are standbys), where every partition
 * of the application lives (for interactive queries), and when to probe again.
 */
export interface AssignmentInfo {
  /** The version this info is written in (the lowest version any member sent). */
  readonly version: number;
  /** The lowest "latest supported version" of all members: members may upgrade to it. */
  readonly commonlySupportedVersion: number;
  readonly activeTasks: readonly TaskPartitions[];
  /** Standby tasks, warm-up replicas included, with the task's input partitions. */
  readonly standbyTasks: readonly TaskPartitions[];
  /** `host:port` → the input partitions of the active tasks of the instance serving there. */
  readonly partitionsByHost: ReadonlyMap<string, readonly TopicPartition[]>;
  /** `host:port` → the input partitions of the standby tasks of the instance serving there. */
  readonly standbyPartitionsByHost: ReadonlyMap<string, readonly TopicPartition[]>;
  /** An {@link AssignorErrorCode}; `VERSION_PROBING` asks the member to rejoin. */
  readonly errorCode: number;
  /** Wall-clock time (ms) of the follow-up probing rebalance, or undefined when none is due. */
  readonly nextProbingRebalanceMs: number | undefined;
}

/** An empty assignment: what members get during version probing (with its error code). */
export function emptyAssignmentInfo(version: number, commonlySupportedVersion: number, errorCode: number = AssignorErrorCode.NONE): AssignmentInfo {
  const noHosts = new Map<string, TopicPartition[]>();
  return { version, commonlySupportedVersion, activeTasks: [], standbyTasks: [], partitionsByHost: noHosts, standbyPartitionsByHost: noHosts, errorCode, nextProbingRebalanceMs: undefined };
}

/**
 * Writes an assignment info in its `version` (all versions so far share one layout). Topic names
 * are written once in a dictionary, partitions refer to them by index.
 *
 * @throws TaskAssignmentError for an unknown version or a bad task id.
 */
export function encodeAssignmentInfo(info: AssignmentInfo): Uint8Array {
  checkVersion(info.version, 'encode assignment info');
  const dictionary = topicDictionary(info);
  const writer = new ByteWriter().int32(info.version).int32(info.commonlySupportedVersion);
  writer.array(dictionary.topics, (topic) => writer.string(topic));
  const writePartitions = (partitions: readonly TopicPartition[]): void => {
    const sorted = [...partitions].sort(compareTopicPartitions);
    writer.array(sorted, (partition) => writer.int32(dictionary.indexOf(partition.topic)).int32(partition.partition));
  };
  const writeTasks = (tasks: readonly TaskPartitions[]): void => {
    writer.array(tasks, (task) => {
      writeTaskId(writer, task.taskId);
      writePartitions(task.partitions);
    });
  };
  const writeHosts = (hosts: ReadonlyMap<string, readonly TopicPartition[]>): void => {
    writer.array([...hosts.keys()].sort(), (host) => {
      writer.string(host);
      writePartitions(hosts.get(host) ?? []);
    });
  };
  writeTasks(info.activeTasks);
  writeTasks(info.standbyTasks);
  writeHosts(info.partitionsByHost);
  writeHosts(info.standbyPartitionsByHost);
  writer.int32(info.errorCode).int64(info.nextProbingRebalanceMs ?? -1);
  return writer.toBytes();
}

/**
 * Reads an assignment info written by {@link encodeAssignmentInfo} in any supported version.
 *
 * @throws TaskAssignmentError when the bytes are not an assignment info or its version is newer
 * than {@link LATEST_SUPPORTED_VERSION} (a leader never writes a version a member did not send).
 */
export function decodeAssignmentInfo(data: Uint8Array): AssignmentInfo {
  const reader = new ByteReader(data, 'assignment info');
  const version = reader.int32();
  checkVersion(version, 'decode assignment info');
  const commonlySupportedVersion = reader.int32();
  const topics = reader.array(() => reader.string());
  const readPartitions = (): TopicPartition[] =>
    reader.array(() => {
      const index = reader.int32();
      const topic = topics[index];
      if (topic === undefined) throw new TaskAssignmentError(`Cannot decode assignment info: topic index ${index} is not in its dictionary of ${topics.length} topics.`);
      return { topic, partition: reader.int32() };
    });
  const readTasks = (): TaskPartitions[] => reader.array(() => ({ taskId: readTaskId(reader), partitions: readPartitions() }));
  const readHosts = (): Map<string, TopicPartition[]> => new Map(reader.array(() => [reader.string(), readPartitions()] as const));
  const activeTasks = readTasks();
  const standbyTasks = readTasks();
  const partitionsByHost = readHosts();
  const standbyPartitionsByHost = readHosts();
  const errorCode = reader.int32();
  const nextRebalance = reader.int64();
  reader.end();
  const nextProbingRebalanceMs = nextRebalance < 0 ? undefined : nextRebalance;
  return { version, commonlySupportedVersion, activeTasks, standbyTasks, partitionsByHost, standbyPartitionsByHost, errorCode, nextProbingRebalanceMs };
}

function topicDictionary(info: AssignmentInfo): { topics: string[]; indexOf: (topic: string) => number } {
  const topics = new Set<string>();
  for (const task of [...info.activeTasks, ...info.standbyTasks]) for (const partition of task.partitions) topics.add(partition.topic);
  for (const hosts of [info.partitionsByHost, info.standbyPartitionsByHost]) {
    for (const partitions of hosts.values()) for (const partition of partitions) topics.add(partition.topic);
  }
  const sorted = [...topics].sort();
  const indexes = new Map(sorted.map((topic, index) => [topic, index]));
  return { topics: sorted, indexOf: (topic) => indexes.get(topic) as number };
}
