/**
 * A value that may or may not be wrapped in a promise. The engine stays synchronous while
 * every processor and store is synchronous, and only switches to promises when one of them
 * returns a promise, so synchronous topologies pay no microtask per record.
 */
export type MaybePromise<T> = T | Promise<T>;

/** True when `value` is a thenable. */
export function isPromiseLike<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** Runs `next` after `value`, synchronously when `value` is not a promise. */
export function chain<T, R>(value: MaybePromise<T>, next: (result: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromiseLike(value) ? value.then(next) : next(value);
}

/** Calls each function in order, awaiting only the ones that return promises. */
export function runInOrder<T>(items: readonly T[], action: (item: T) => MaybePromise<unknown>): MaybePromise<void> {
  for (let index = 0; index < items.length; index++) {
    const result = action(items[index] as T);
    if (isPromiseLike(result)) {
      return result.then(() => runInOrder(items.slice(index + 1), action));
    }
  }
  return undefined;
}
