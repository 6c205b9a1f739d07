/**
 * One contender run as its own child process: started with an {@link AppRun}, followed through
 * the events it reports on stdout, stopped with SIGTERM (a clean close), its CPU seconds and peak
 * RSS taken from its own exit report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EVENT_PREFIX, type AppEvent, type AppRun } from './app-protocol.js';

/** How to start one contender for a run. */
export interface ContenderCommand {
  readonly file: string;
  readonly args: readonly string[];
}

const benchmarksDirectory = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A kstreams-side contender: a compiled JavaScript entry point (see contender-build.ts) run by
 * plain Node, as a user runs it (no tsx, no `source` condition); `nodeArgs` go before the file.
 */
export function nodeCommand(compiledFile: string, run: AppRun, nodeArgs: readonly string[] = []): ContenderCommand {
  return { file: process.execPath, args: [...nodeArgs, compiledFile, JSON.stringify(run)] };
}

/** The Java Kafka Streams contender: `KsBench <workload> key=value...` with default JVM settings. */
export function javaCommand(classPath: string, run: AppRun): ContenderCommand {
  const { topology, ...options } = run;
  return { file: 'java', args: ['-cp', classPath, 'kstreams.bench.KsBench', topology, ...Object.entries(options).map(([key, value]) => `${key}=${String(value)}`)] };
}

type EventOf<E extends AppEvent['event']> = Extract<AppEvent, { event: E }>;

/** A running contender process. */
export class ContenderProcess {
  /** Wall clock (ms) just before the process was spawned: the "from process start" origin. */
  readonly spawnedAt: number;
  readonly #child: ChildProcess;
  readonly #events: AppEvent[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #stderr: string[] = [];
  #exitCode: number | null | undefined;

  constructor(readonly name: string, command: ContenderCommand) {
    this.spawnedAt = Date.now();
    this.#child = spawn(command.file, command.args, { cwd: benchmarksDirectory, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      if (!line.startsWith(EVENT_PREFIX)) return;
      this.#events.push(JSON.parse(line.slice(EVENT_PREFIX.length)) as AppEvent);
      this.#notify();
    });
    createInterface({ input: this.#child.stderr! }).on('line', (line) => {
      this.#stderr.push(line);
      if (this.#stderr.length > 40) this.#stderr.shift();
    });
    this.#child.on('close', (code, signal) => {
      this.#exitCode = code ?? (signal === null ? null : -1);
      this.#notify();
    });
  }

  /** The process id, for /proc reads while it runs. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The first event of one of `names`; rejects on an `error` event, an early exit or the timeout. */
  async waitFor<E extends AppEvent['event']>(names: readonly E[], timeoutMs: number): Promise<EventOf<E>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#events.find((event) => (names as readonly string[]).includes(event.event));
      if (found !== undefined) return found as EventOf<E>;
      const failure = this.#events.find((event) => event.event === 'error');
      if (failure !== undefined && !names.includes('error' as E)) throw this.#failure(`reported an error (${(failure as EventOf<'error'>).message})`);
      if (this.#exitCode !== undefined) throw this.#failure(`exited (code ${String(this.#exitCode)}) before ${names.join('/')}`);
      if (Date.now() > deadline) throw this.#failure(`no ${names.join('/')} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 250);
        this.#waiters.add(wake);
      });
    }
  }

  /** Closes the contender (SIGTERM) and returns its exit report; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 90_000): Promise<EventOf<'exit'>> {
    if (this.#exitCode === undefined) this.#child.kill('SIGTERM');
    try {
      const exit = await this.waitFor(['exit'], timeoutMs);
      await this.#closed(10_000); // let it finish exiting (a --cpu-prof profile is written then)
      return exit;
    } finally {
      if (this.#exitCode === undefined) this.#child.kill('SIGKILL');
    }
  }

  /** Kills the process without a clean close (after a failure). */
  kill(): void {
    if (this.#exitCode === undefined) this.#child.kill('SIGKILL');
  }

  async #closed(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#exitCode === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  #notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #failure(what: string): Error {
    return new Error(`${this.name} ${what}. Last stderr lines:\n${this.#stderr.join('\n')}`);
  }
}
