import { StreamsError } from '@kstreams/core';

/**
 * The task assignment cannot be computed or decoded: bad input to the assignor, or subscription
 * and assignment bytes that are not in a known format. The message names the culprit and the fix.
 */
export class TaskAssignmentError extends StreamsError {}
