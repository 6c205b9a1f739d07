import { TaskAssignmentError } from '../assignment-error.js';
import { EARLIEST_SUPPORTED_VERSION, LATEST_SUPPORTED_VERSION } from '../protocol-versions.js';
import { formatTaskId, parseTaskId } from '../task-id.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

/** Writes a task id as two int32s (sub-topology, partition). */
export function writeTaskId(writer: ByteWriter, taskId: string): ByteWriter {
  const { subtopology, partition } = parseTaskId(taskId);
  return writer.int32(subtopology).int32(partition);
}

/** Reads a task id written by {@link writeTaskId}. */
export function readTaskId(reader: ByteReader): string {
  return formatTaskId(reader.int32(), reader.int32());
}

/** @throws TaskAssignmentError unless `version` is one this package reads and writes. */
export function checkVersion(version: number, action: string): void {
  if (!Number.isInteger(version) || version < EARLIEST_SUPPORTED_VERSION || version > LATEST_SUPPORTED_VERSION) {
    throw new TaskAssignmentError(
      `Cannot ${action} with version ${version}: versions ${EARLIEST_SUPPORTED_VERSION} to ${LATEST_SUPPORTED_VERSION} are supported.`,
    );
  }
}

