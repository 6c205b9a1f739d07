/** The oldest subscription/assignment info version this package can decode. */
export const EARLIEST_SUPPORTED_VERSION = 1;

/**
 * The newest subscription/assignment info version this package writes. History:
 * - 1: process id, latest supported version, application server, task offset sums, the member's
 *   owned active and standby tasks, error code;
 * - 2: adds client tags (rack-aware standby placement).
 * Assignment info has the same layout in versions 1 and 2.
 */
export const LATEST_SUPPORTED_VERSION = 2;

/** Error codes carried by subscription and assignment info (Java's `AssignorError`). */
export const AssignorErrorCode = {
  NONE: 0,
  INCOMPLETE_SOURCE_TOPIC_METADATA: 1,
  /** The leader could not read a member's newer subscription: rejoin with the leader's version. */
  VERSION_PROBING: 2,
  ASSIGNMENT_ERROR: 3,
  SHUTDOWN_REQUESTED: 4,
} as const;

/** One of {@link AssignorErrorCode}'s values (other numbers may come from newer members). */
export type AssignorErrorCode = (typeof AssignorErrorCode)[keyof typeof AssignorErrorCode];
