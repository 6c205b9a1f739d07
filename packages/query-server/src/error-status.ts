import { InvalidStateStoreError, StreamsError } from '@kstreams/core';
import { StateStoreNotAvailableError, UnknownStateStoreError } from '@kstreams/runtime';
import { QueryHttpError } from './query-request.js';

/**
 * The HTTP status of a failed query: 404 for unknown stores and keys, 503 while a store cannot
 * be read here (rebalancing, restoring, moved, shutting down: retry), 400 for bad requests,
 * 500 for anything else.
 */
export function answerStatus(error: unknown): { status: number; message: string; retriable: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  const retriable = StreamsError.isInstance(error) && error.retriable;
  if (error instanceof QueryHttpError) return { status: error.status, message, retriable };
  if (UnknownStateStoreError.isInstance(error)) return { status: 404, message, retriable };
  if (InvalidStateStoreError.isInstance(error) && (retriable || StateStoreNotAvailableError.isInstance(error))) return { status: 503, message, retriable };
  return { status: 500, message, retriable };
}
