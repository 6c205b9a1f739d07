import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClassDataArchive } from './class-data-archive.js';
import { brokerProperties, log4jProperties, renderProperties, type NodeLayout } from './broker-config.js';
import { scramFormatArguments, type ClusterSecurity } from './cluster-security.js';
import type { KafkaJars } from './jar-cache.js';
import { KafkaBrokerError } from './kafka-broker-error.js';
import { readLogTail, startFailureMessage } from './log-tail.js';
import { isAlive, terminate, type TerminateOptions } from './process-control.js';
import { spawnWatchdog } from './watchdog.js';

const run = promisify(execFile);

/** Options of one {@link BrokerNode}. */
export interface BrokerNodeOptions {
  jars: KafkaJars;
  node: NodeLayout;
  nodes: readonly NodeLayout[];
  host: string;
  /** This node's own directory: config files, logs and its `data/` log dir. */
  nodeDirectory: string;
  clusterId: string;
  heapMegabytes: number;
  /** Guard the JVM with a watchdog that kills it when this process dies (off for the CLI). */
  watchdog: boolean;
  /** Directory the watchdog removes after killing the broker. */
  watchdogRemovesDirectory?: string;
  stopTimeoutMs: number;
  /** Class-data-sharing archive that speeds up JVM startup; none when omitted. */
  classDataArchive?: ClassDataArchive;
  /** Secured listeners, SASL users and the authorizer; plain PLAINTEXT when omitted. */
  security?: ClusterSecurity;
}

/** One combined broker + controller JVM of a local cluster: configure, format, start, stop. */
export class BrokerNode {
  readonly nodeId: number;
  readonly address: string;
  readonly logFile: string;
  readonly outputFile: string;
  #pid: number | undefined;

  constructor(readonly options: BrokerNodeOptions) {
    this.nodeId = options.node.nodeId;
    this.address = `${options.host}:${options.node.brokerPort}`;
    this.logFile = join(options.nodeDirectory, 'server.log');
    this.outputFile = join(options.nodeDirectory, 'jvm-output.log');
  }

  /** The JVM's pid while it runs. */
  get pid(): number | undefined {
    return this.#pid !== undefined && isAlive(this.#pid) ? this.#pid : undefined;
  }

  get #propertiesFile(): string {
    return join(this.options.nodeDirectory, 'server.properties');
  }

  get #dataDirectory(): string {
    return join(this.options.nodeDirectory, 'data');
  }

  /** Writes the config files and formats the log dir unless it is formatted already. */
  async prepare(): Promise<void> {
    const { nodeDirectory, node, nodes, host, security } = this.options;
    await mkdir(nodeDirectory, { recursive: true });
    const properties = brokerProperties({ node, nodes, host, logDirectory: this.#dataDirectory, ...(security === undefined ? {} : { security }) });
    // Owner-only: a secured cluster's properties hold the users' and stores' passwords.
    await writeFile(this.#propertiesFile, renderProperties(properties), { mode: 0o600 });
    await writeFile(join(nodeDirectory, 'log4j2.properties'), log4jProperties(this.logFile));
    if (existsSync(join(this.#dataDirectory, 'meta.properties'))) return;
    const scram = security === undefined ? [] : scramFormatArguments(security);
    const args = [...(this.options.classDataArchive?.readArgs() ?? []), ...this.#javaBaseArgs(), 'kafka.tools.StorageTool', 'format', '-t', this.options.clusterId, '-c', this.#propertiesFile, ...scram];
    try {
      await run('java', args, { timeout: 120_000 });
    } catch (error) {
      const output = error as { stdout?: string; stderr?: string };
      // No cause: the child-process error's command line holds the SCRAM passwords.
      throw new KafkaBrokerError(
        `Formatting the KRaft log dir ${this.#dataDirectory} of node ${this.nodeId} failed; delete the directory and retry.\n${output.stdout ?? ''}${output.stderr ?? ''}`,
        security === undefined ? { cause: error } : {},
      );
    }
  }

  #javaBaseArgs(): string[] {
    return [
      '-cp',
      this.options.jars.classPath,
      `-Dlog4j2.configurationFile=${join(this.options.nodeDirectory, 'log4j2.properties')}`,
      `-Dkafka.logs.dir=${this.options.nodeDirectory}`,
      '-Djava.awt.headless=true',
    ];
  }

  /** Spawns the JVM (detached, output to `jvm-output.log`) and, if asked, its watchdog. */
  start(): number {
    if (this.pid !== undefined) throw new KafkaBrokerError(`Kafka broker node ${this.nodeId} is already running (pid ${this.pid}); stop it first.`);
    const heap = `${this.options.heapMegabytes}m`;
    const args = [`-Xmx${heap}`, `-Xms${Math.min(this.options.heapMegabytes, 256)}m`, '-XX:+ExitOnOutOfMemoryError', ...(this.options.classDataArchive?.brokerArgs() ?? []), ...this.#javaBaseArgs(), 'kafka.Kafka', this.#propertiesFile];
    const output = openSync(this.outputFile, 'a');
    try {
      // Detached: own process group, so a Ctrl+C aimed at the test runner does not race our
      // own orderly stop; the watchdog covers the case where we never get to stop it.
      const child = spawn('java', args, { detached: true, stdio: ['ignore', output, output] });
      child.unref();
      if (child.pid === undefined) throw new KafkaBrokerError(`Could not start "java" for Kafka broker node ${this.nodeId}; check that Java 17+ is on the PATH.`);
      this.#pid = child.pid;
    } finally {
      closeSync(output);
    }
    if (this.options.watchdog) {
      spawnWatchdog({
        brokerPid: this.#pid,
        stopTimeoutMs: this.options.stopTimeoutMs,
        ...(this.options.watchdogRemovesDirectory === undefined ? {} : { removeDirectory: this.options.watchdogRemovesDirectory }),
      });
    }
    return this.#pid;
  }

  /** Stops the JVM: SIGTERM (clean shutdown), SIGKILL after the stop timeout, or SIGKILL at once with `kill`. */
  async stop(options: Partial<TerminateOptions> = {}): Promise<void> {
    const pid = this.#pid;
    if (pid === undefined) return;
    await terminate(pid, { timeoutMs: options.timeoutMs ?? this.options.stopTimeoutMs, ...(options.kill === undefined ? {} : { kill: options.kill }) });
    this.#pid = undefined;
    this.options.classDataArchive?.publish();
  }

  /** A startup error carrying the tails of the broker log and of the JVM output. */
  async startError(reason: string, cause?: unknown): Promise<KafkaBrokerError> {
    const message = startFailureMessage({
      nodeId: this.nodeId,
      address: this.address,
      reason,
      logFile: this.logFile,
      logTail: await readLogTail(this.logFile, 40),
      outputTail: await readLogTail(this.outputFile, 15),
    });
    return new KafkaBrokerError(message, cause === undefined ? {} : { cause });
  }
}
