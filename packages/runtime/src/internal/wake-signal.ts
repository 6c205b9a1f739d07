/**
 * Lets a loop sleep until something happens or a timeout passes, whichever comes first.
 * `notify()` before `wait()` is remembered, so a wake-up is never lost.
 */
export class WakeSignal {
  #pending = false;
  #wake: (() => void) | undefined;

  /** Wakes the waiter now, or the next one if nobody waits. */
  notify(): void {
    this.#pending = true;
    this.#wake?.();
  }

  /** Resolves on `notify()` or after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    this.#wake = undefined;
    this.#pending = false;
  }
}

/** Gives the event loop a turn (timers, sockets: kafkajs heartbeats and fetches). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
