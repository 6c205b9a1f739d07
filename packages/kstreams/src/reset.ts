/**
 * kstreams/reset: resets an application for reprocessing (`resetApplication`, the
 * `kstreams-reset` CLI). Re-exports every named export of `@kstreams/reset`.
 */
export * from '@kstreams/reset';
