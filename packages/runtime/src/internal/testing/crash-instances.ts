import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { CrashChildOptions } from './crash-child-app.js';

const childScript = fileURLToPath(new URL('./crash-child-app.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** What an instance was doing when it was killed, from its last progress line. */
export type KillPhase = 'startup' | 'rebalance' | 'restore' | 'processing';

/** The last `progress` line of a child. */
interface Progress {
  readonly state: string;
  readonly processed: number;
  readonly tasks: { readonly [taskId: string]: string };
}

/** One running incarnation of an instance. */
interface Incarnation {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  progress: Progress | undefined;
  /** Set before the harness kills or stops it, so its exit is not counted as unexpected. */
  expectedExit: boolean;
}

/** Every child of this process, killed when the process exits, whatever the reason. */
const livingChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of livingChildren) child.kill('SIGKILL');
});

/** Every {@link CrashInstances} not destroyed yet. */
const liveSets = new Set<CrashInstances>();

/** Kills every crash-suite child of this process and stops their restarts (a test's `afterEach`, after a failure or timeout). */
export async function destroyAllCrashInstances(): Promise<void> {
  await Promise.all([...liveSets].map((instances) => instances.destroy()));
}

/**
 * The crash suite's app instances as child processes: each has its own state directory and
 * log file (`<logDir>/instance-<n>.log`, stdout and stderr of every incarnation) and can be
 * killed with SIGKILL and restarted on the same state directory.
 */
export class CrashInstances {
  readonly #incarnations = new Map<number, Incarnation>();
  readonly #logs = new Map<number, WriteStream>();
  /** Exits the harness did not ask for (a child that went to ERROR, or crashed), with their reason. */
  readonly unexpectedExits: string[] = [];
  #destroyed = false;

  constructor(
    readonly options: Omit<CrashChildOptions, 'stateDir'> & { readonly stateDirs: readonly string[]; readonly logDir: string },
  ) {
    liveSets.add(this);
  }

  get count(): number {
    return this.options.stateDirs.length;
  }

  /** Starts instance `index` (a no-op when it runs, or after {@link destroy}). */
  start(index: number): void {
    if (this.#incarnations.has(index) || this.#destroyed) return;
    const { stateDirs, logDir, ...shared } = this.options;
    const childOptions: CrashChildOptions = { ...shared, stateDir: stateDirs[index]! };
    const child = spawn(process.execPath, ['--conditions', 'source', '--import', 'tsx', childScript, JSON.stringify(childOptions)], {
      cwd: repositoryRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    livingChildren.add(child);
    const log = this.#log(index, logDir);
    log.write(`--- start ${new Date().toISOString()} pid ${child.pid}\n`);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const incarnation: Incarnation = { child, exited, progress: undefined, expectedExit: false };
    this.#incarnations.set(index, incarnation);
    child.stderr?.pipe(log, { end: false });
    createInterface({ input: child.stdout! }).on('line', (line) => this.#onLine(incarnation, log, line));
    child.once('exit', (code, signal) => this.#onExit(index, incarnation, log, code, signal));
  }

  /** Instances whose process runs now. */
  running(): number[] {
    return [...this.#incarnations.keys()];
  }

  /** What instance `index` reported doing last; undefined when it is down. */
  phase(index: number): KillPhase | undefined {
    const incarnation = this.#incarnations.get(index);
    return incarnation === undefined ? undefined : phaseOf(incarnation.progress);
  }

  /** True when every instance runs and last reported RUNNING with all its tasks RUNNING. */
  allRunning(): boolean {
    return this.options.stateDirs.every((_, index) => this.phase(index) === 'processing');
  }

  /** Kills instance `index` with SIGKILL; resolves with what it was doing, once it is gone. */
  async kill(index: number): Promise<KillPhase> {
    const incarnation = this.#incarnations.get(index);
    if (incarnation === undefined) throw new Error(`Instance ${index} is not running; nothing to kill.`);
    const phase = phaseOf(incarnation.progress);
    incarnation.expectedExit = true;
    this.#logs.get(index)?.write(`--- SIGKILL ${new Date().toISOString()} during ${phase}\n`);
    incarnation.child.kill('SIGKILL');
    await incarnation.exited;
    return phase;
  }

  /** Stops every instance with SIGTERM (a clean close), then SIGKILL after `graceMs`. */
  async stopAll(graceMs = 30_000): Promise<void> {
    await Promise.all(
      [...this.#incarnations.values()].map(async (incarnation) => {
        incarnation.expectedExit = true;
        incarnation.child.kill('SIGTERM');
        const timer = setTimeout(() => incarnation.child.kill('SIGKILL'), graceMs);
        await incarnation.exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Kills every instance at once and closes the logs (for `afterEach`: safe to call twice). */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    liveSets.delete(this);
    await Promise.all(
      [...this.#incarnations.values()].map((incarnation) => {
        incarnation.expectedExit = true;
        incarnation.child.kill('SIGKILL');
        return incarnation.exited;
      }),
    );
    for (const log of this.#logs.values()) log.end();
    this.#logs.clear();
  }

  #log(index: number, logDir: string): WriteStream {
    let log = this.#logs.get(index);
    if (log === undefined) {
      log = createWriteStream(join(logDir, `instance-${index}.log`), { flags: 'a' });
      this.#logs.set(index, log);
    }
    return log;
  }

  #onLine(incarnation: Incarnation, log: WriteStream, line: string): void {
    if (line.startsWith('progress ')) incarnation.progress = JSON.parse(line.slice('progress '.length)) as Progress;
    else log.write(`${line}\n`);
  }

  #onExit(index: number, incarnation: Incarnation, log: WriteStream, code: number | null, signal: NodeJS.Signals | null): void {
    livingChildren.delete(incarnation.child);
    if (this.#incarnations.get(index) === incarnation) this.#incarnations.delete(index);
    log.write(`--- exit ${new Date().toISOString()} code ${code} signal ${signal}\n`);
    if (!incarnation.expectedExit) this.unexpectedExits.push(`instance ${index} exited by itself (code ${code}, signal ${signal}); see ${join(this.options.logDir, `instance-${index}.log`)}`);
  }
}

function phaseOf(progress: Progress | undefined): KillPhase {
  if (progress === undefined || progress.state === 'CREATED') return 'startup';
  if (Object.values(progress.tasks).some((state) => state !== 'RUNNING')) return 'restore';
  if (progress.state === 'REBALANCING') return 'rebalance';
  return 'processing';
}
