export { TaskAssignmentError } from './assignment-error.js';
export { assignorConfig, DEFAULT_ASSIGNOR_CONFIG, type AssignorConfig } from './assignor-config.js';
export type { MemberState, ProcessState, TaskAssignmentInput } from './assignment-input.js';
export { assignTasks, type TaskAssignment } from './assign-tasks.js';
export { assignTasksToProcesses, type ProcessAssignment, type ProcessAssignments } from './assign-tasks-to-processes.js';
export { distributeTasksOverMembers, type MemberAssignment } from './distribute-tasks-over-members.js';
export { computeTaskLags, isCaughtUp, LATEST_OFFSET, UNKNOWN_OFFSET_SUM, type TaskLags } from './task-lags.js';
export { compareTaskIds, formatTaskId, parseTaskId, sortTaskIds, type TaskIdParts } from './task-id.js';
export { partitionsOfTasks, tasksForTopicGroups, type TopicGroups } from './task-partitions.js';
export { compareTopicPartitions, type TopicPartition } from './topic-partition.js';
export { formatHostInfo, parseHostInfo, type HostInfo } from './host-info.js';
export { AssignorErrorCode, EARLIEST_SUPPORTED_VERSION, LATEST_SUPPORTED_VERSION } from './protocol-versions.js';
export {
  decodeSubscriptionInfo,
  encodeSubscriptionInfo,
  type DecodedSubscriptionInfo,
  type SubscriptionInfo,
  type SubscriptionInfoFields,
  type UnsupportedSubscriptionInfo,
} from './subscription-info.js';
export { decodeAssignmentInfo, emptyAssignmentInfo, encodeAssignmentInfo, type AssignmentInfo, type TaskPartitions } from './assignment-info.js';
export { negotiateVersions, nextSubscriptionVersion, type SubscriptionVersionDecision, type VersionNegotiation } from './version-probing.js';
export {
  planGroupAssignment,
  type GroupAssignmentPlan,
  type GroupAssignmentRequest,
  type MemberPlan,
} from './plan-group-assignment.js';
