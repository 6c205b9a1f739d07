import { ConfigError } from '../errors/streams-error.js';
import { checkSerdeOption } from '../serde/check-serde.js';
import type { StoreBackend } from './bytes-store.js';
import type { BytesLayer } from './internals/bytes-layer.js';
import { CachingBytesLayer } from './internals/caching-bytes-layer.js';
import { ChangeLoggingBytesLayer, type ChangeLoggingOptions } from './internals/change-logging-bytes-layer.js';
import type { LogConfig, StateStore, StoreBuilder } from './state-store.js';

/** Longest store name, so that `<applicationId>-<name>-changelog` stays a legal topic name. */
const MAX_NAME_LENGTH = 200;
const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/** Checks a store name the way Kafka Streams does (it becomes part of a topic name). */
export function validateStoreName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ConfigError('A state store needs a non-empty name. Pass `name` to the Stores builder.');
  }
  if (!LEGAL_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new ConfigError(
      `State store name "${name}" is invalid: it becomes part of the changelog topic name. ` +
        `Use at most ${MAX_NAME_LENGTH} letters, digits, '.', '_' or '-'.`,
    );
  }
}

/** Throws a {@link ConfigError} naming the store when `value` is missing. */
export function requireOption(storeName: string, option: string, value: unknown): void {
  if (value === undefined || value === null) {
    throw new ConfigError(`State store "${storeName}" needs \`${option}\`. Pass it to the Stores builder.`);
  }
}

/** Like {@link requireOption}, and the value must be a serde (a `TopologyError` otherwise). */
export function requireSerde(storeName: string, option: string, value: unknown): void {
  requireOption(storeName, option, value);
  checkSerdeOption(`State store "${storeName}"`, option, value, 'serde');
}

/**
 * What every store builder shares: the name, the backend, and the caching and logging switches
 * (defaults as in Kafka Streams: caching off, logging on).
 */
export abstract class StoreBuilderBase<S extends StateStore> implements StoreBuilder<S> {
  #cachingEnabled = false;
  #loggingEnabled = true;
  #logConfig: LogConfig = {};

  constructor(
    readonly name: string,
    readonly backend: StoreBackend,
  ) {
    validateStoreName(name);
    requireOption(name, 'backend', backend);
  }

  get cachingEnabled(): boolean {
    return this.#cachingEnabled;
  }
  get loggingEnabled(): boolean {
    return this.#loggingEnabled;
  }
  get logConfig(): LogConfig {
    return this.#logConfig;
  }

  withCachingEnabled(): this {
    this.#cachingEnabled = true;
    return this;
  }
  withCachingDisabled(): this {
    this.#cachingEnabled = false;
    return this;
  }
  withLoggingEnabled(config: LogConfig = {}): this {
    this.#loggingEnabled = true;
    this.#logConfig = { ...config };
    return this;
  }
  withLoggingDisabled(): this {
    this.#loggingEnabled = false;
    this.#logConfig = {};
    return this;
  }

  abstract build(): S;

  /** Stacks change-logging and caching (when enabled) on top of the bytes layer. */
  protected stack(bytes: BytesLayer, logging: ChangeLoggingOptions = {}): BytesLayer {
    const logged = this.#loggingEnabled ? new ChangeLoggingBytesLayer(bytes, logging) : bytes;
    return this.#cachingEnabled ? new CachingBytesLayer(logged) : logged;
  }
}
