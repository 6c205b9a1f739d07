/**
 * kstreams/changelog: checkpoints, the store changelog reader, restore listeners and standby tailing.
 * Re-exports every named export of `@kstreams/changelog` (a subpath, so its names never clash with the root's).
 */
export * from '@kstreams/changelog';
