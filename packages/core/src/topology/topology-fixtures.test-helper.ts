/** Small fakes shared by the topology tests (not exported from the package). */
import type { ProcessorContext } from '../processor/processor-context.js';
import type { Processor } from '../processor/processor.js';
import type { Record } from '../processor/record.js';
import type { StateStore, StoreBuilder } from '../state/state-store.js';

/** A store builder that only carries a name and the logging flag. */
export function fakeStoreBuilder<const Name extends string>(name: Name, options: { logging?: boolean } = {}): StoreBuilder<StateStore> & { readonly name: Name } {
  const builder = {
    name,
    cachingEnabled: false,
    loggingEnabled: options.logging ?? true,
    logConfig: {},
    backend: { name: 'fake', persistent: false, openStore: () => { throw new Error('not used'); } },
    withCachingEnabled: () => builder,
    withCachingDisabled: () => builder,
    withLoggingEnabled: () => builder,
    withLoggingDisabled: () => builder,
    build: () => { throw new Error('not used in topology tests'); },
  };
  return builder as unknown as StoreBuilder<StateStore> & { readonly name: Name };
}

/** Forwards every record unchanged (string keys and values). */
export class PassThrough implements Processor<string, string, string, string> {
  #context: ProcessorContext<string, string> | undefined;
  init(context: ProcessorContext<string, string>): void {
    this.#context = context;
  }
  process(record: Record<string, string>): void {
    this.#context?.forward(record);
  }
}

/** Counts words: string in, bigint out. */
export class Counter implements Processor<string, string, string, bigint> {
  init(_context: ProcessorContext<string, bigint>): void {}
  process(_record: Record<string, string>): void {}
}

/** Accepts bigint values and forwards nothing. */
export class BigintSink implements Processor<string, bigint> {
  process(_record: Record<string, bigint>): void {}
}
