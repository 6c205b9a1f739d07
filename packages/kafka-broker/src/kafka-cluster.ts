import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { NodeLayout } from './broker-config.js';
import { BrokerNode } from './broker-node.js';
import type { AclEntry } from './acls.js';
import { connectionSettings, type ClusterConnectionSettings, type ConnectionRequest } from './cluster-connection.js';
import { needsTls, resolveSecurityUsers, type ClusterSecurity, type SecuredListener, type ClusterSecurityOptions } from './cluster-security.js';
import { createAcls } from './create-acls.js';
import { createTlsMaterial } from './tls-material.js';
import { ClassDataArchive } from './class-data-archive.js';
import { randomClusterId } from './cluster-id.js';
import { pickFreePorts } from './free-ports.js';
import { resolveKafkaJars, type KafkaJars } from './jar-cache.js';
import { KafkaBrokerError } from './kafka-broker-error.js';
import { requireJava } from './prerequisites.js';
import { startNodes } from './start-nodes.js';

/** Options of {@link KafkaCluster.start}. */
export interface KafkaClusterOptions {
  /** 1 (default) or 3 combined broker + controller nodes. */
  nodes?: 1 | 3;
  /** Client port of node 1 (node i gets port + i - 1); free ports are picked when omitted. */
  port?: number;
  /** Where the nodes keep their data; a fresh temporary directory when omitted. */
  dataDirectory?: string;
  /** Keep the data directory on stop; default: remove it (a given `dataDirectory` is kept). */
  keepDataDirectory?: boolean;
  /** Kafka version and jar cache; default: the pinned version in the default cache. */
  version?: string;
  cacheDirectory?: string;
  /** How long the cluster may take to answer; default 120 s. */
  startTimeoutMs?: number;
  /** How long a clean stop (SIGTERM) may take before SIGKILL; default 15 s. */
  stopTimeoutMs?: number;
  /** JVM heap per node in MiB; default 512. */
  heapMegabytes?: number;
  /** Leave the JVMs running when this process exits (no watchdog); for the CLI. */
  detached?: boolean;
  /**
   * Secured listeners (SSL, SASL_SSL, SASL_PLAINTEXT), SASL users and the StandardAuthorizer.
   * The PLAINTEXT listener is then replaced by an INTERNAL SASL_PLAINTEXT one for the admin;
   * get a client's settings from {@link KafkaCluster.connectionSettings}.
   */
  security?: ClusterSecurityOptions;
}

/** How long each phase of {@link KafkaCluster.start} took, in milliseconds. */
export interface StartTimings {
  resolveJarsMs: number;
  formatMs: number;
  /** From spawning the JVMs until the produce/consume round trip succeeded. */
  startMs: number;
  totalMs: number;
}

const HOST = '127.0.0.1';

/**
 * A real Apache Kafka cluster (KRaft, combined broker + controller nodes) on loopback ports,
 * started from the jars Maven resolves. Single node by default; three nodes for fault tests.
 * Unless `detached`, a watchdog kills the JVMs if this process dies without stopping them.
 *
 * @example
 * ```ts
 * await using cluster = await KafkaCluster.start();
 * const kafka = new Kafka({ brokers: cluster.bootstrapServers });
 * ```
 */
export class KafkaCluster implements AsyncDisposable {
  #stopped = false;

  private constructor(
    /** The nodes, in node-id order (node 1 first). */
    readonly nodes: readonly BrokerNode[],
    /** Root directory of every node's data. */
    readonly dataDirectory: string,
    /** How long starting took. */
    readonly timings: StartTimings,
    private readonly removeDataDirectory: boolean,
    private readonly startTimeoutMs: number,
    /** Listeners, users and TLS material of a secured cluster; `undefined` on a plain one. */
    readonly security: ClusterSecurity | undefined,
    /** The local CA certificate (PEM) clients of the TLS listeners trust. */
    readonly caPem: string | undefined,
  ) {}

  /** Starts a cluster and resolves once it answers; throws with the broker log tail otherwise. */
  static async start(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
    const began = Date.now();
    const javaVersion = await requireJava();
    const jars = await resolveKafkaJars({
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.cacheDirectory === undefined ? {} : { cacheDirectory: options.cacheDirectory }),
    });
    const resolvedAt = Date.now();
    const dataDirectory = options.dataDirectory === undefined ? await mkdtemp(join(tmpdir(), 'kstreams-kafka-')) : resolve(options.dataDirectory);
    const removeDataDirectory = options.keepDataDirectory === undefined ? options.dataDirectory === undefined : !options.keepDataDirectory;
    const archive = new ClassDataArchive(join(dirname(jars.libsDirectory), `broker-java-${javaVersion}.jsa`), {
      mayDump: options.detached !== true,
    });
    const security = await clusterSecurity(options.security, dataDirectory);
    const nodes = await createNodes(jars, dataDirectory, options, removeDataDirectory, archive, security);
    const startTimeoutMs = options.startTimeoutMs ?? 120_000;
    try {
      await Promise.all(nodes.map((node) => node.prepare()));
      const formattedAt = Date.now();
      await startNodes(nodes, startTimeoutMs, nodes, adminSasl(security));
      const timings = { resolveJarsMs: resolvedAt - began, formatMs: formattedAt - resolvedAt, startMs: Date.now() - formattedAt, totalMs: Date.now() - began };
      const caPem = security?.tls === undefined ? undefined : await readFile(security.tls.caPemFile, 'utf8');
      return new KafkaCluster(nodes, dataDirectory, timings, removeDataDirectory, startTimeoutMs, security, caPem);
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop({ kill: true })));
      if (removeDataDirectory) await rm(dataDirectory, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * What a kafkajs client needs for one listener and user: bootstrap servers, TLS trusting the
   * local CA, the SASL login. Default: PLAINTEXT, or INTERNAL as the admin on a secured cluster.
   *
   * @example
   * ```ts
   * const kafka = new Kafka(cluster.connectionSettings({ listener: 'SASL_SSL', user: 'app' }));
   * ```
   */
  connectionSettings(request: ConnectionRequest = {}): ClusterConnectionSettings {
    return connectionSettings({ host: HOST, nodes: this.nodes.map((node) => node.options.node), security: this.security, caPem: this.caPem }, request);
  }

  /** Creates ACLs (as the admin); see `streamsApplicationAcls` for an application's set. */
  async createAcls(entries: readonly AclEntry[]): Promise<void> {
    if (this.security === undefined) throw new KafkaBrokerError('This cluster has no authorizer: start it with the security option to use ACLs.');
    await createAcls(this.connectionSettings(), entries);
  }

  /** Bootstrap servers, `host:port` for every node (the INTERNAL listener on a secured cluster). */
  get bootstrapServers(): string[] {
    return this.nodes.map((node) => node.address);
  }

  /** Bootstrap servers as one comma-separated string (the `KAFKA_BROKERS` format). */
  get brokers(): string {
    return this.bootstrapServers.join(',');
  }

  /** Pids of the running JVMs. */
  get pids(): number[] {
    return this.nodes.flatMap((node) => (node.pid === undefined ? [] : [node.pid]));
  }

  #node(nodeId: number): BrokerNode {
    const node = this.nodes[nodeId - 1];
    if (node === undefined) throw new KafkaBrokerError(`There is no node ${nodeId}; this cluster has nodes 1 to ${this.nodes.length}.`);
    return node;
  }

  /** Stops one node (by node id, 1-based): cleanly, or at once with `kill` (a crash). */
  async stopNode(nodeId: number, options: { kill?: boolean } = {}): Promise<void> {
    await this.#node(nodeId).stop(options);
  }

  /** Restarts a stopped node on its old ports and data, and waits until the cluster answers. */
  async startNode(nodeId: number): Promise<void> {
    const node = this.#node(nodeId);
    if (node.pid !== undefined) return;
    await startNodes(this.nodes, this.startTimeoutMs, [node], adminSasl(this.security));
  }

  /** Stops every node (SIGTERM, then SIGKILL) and removes the data unless asked to keep it. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(this.nodes.map((node) => node.stop()));
    if (this.removeDataDirectory) await rm(this.dataDirectory, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

async function createNodes(
  jars: KafkaJars,
  dataDirectory: string,
  options: KafkaClusterOptions,
  removeData: boolean,
  archive: ClassDataArchive,
  security: ClusterSecurity | undefined,
): Promise<BrokerNode[]> {
  const layouts = await nodeLayouts(options.nodes ?? 1, options.port, security?.listeners ?? []);
  await mkdir(dataDirectory, { recursive: true });
  const clusterId = await clusterIdOf(dataDirectory);
  return layouts.map(
    (node) =>
      new BrokerNode({
        jars,
        node,
        nodes: layouts,
        host: HOST,
        nodeDirectory: join(dataDirectory, `node-${node.nodeId}`),
        clusterId,
        heapMegabytes: options.heapMegabytes ?? 512,
        watchdog: options.detached !== true,
        ...(removeData ? { watchdogRemovesDirectory: dataDirectory } : {}),
        stopTimeoutMs: options.stopTimeoutMs ?? 15_000,
        classDataArchive: archive,
        ...(security === undefined ? {} : { security }),
      }),
  );
}

/** Resolves the security options: users (plus the admin) and, for TLS listeners, the local CA. */
async function clusterSecurity(options: ClusterSecurityOptions | undefined, dataDirectory: string): Promise<ClusterSecurity | undefined> {
  if (options === undefined) return undefined;
  const resolved = resolveSecurityUsers(options);
  const tls = needsTls(resolved.listeners) ? await createTlsMaterial(join(dataDirectory, 'tls')) : undefined;
  return { ...resolved, tls };
}

/** The admin's PLAIN login on the INTERNAL listener, for readiness checks. */
function adminSasl(security: ClusterSecurity | undefined): { mechanism: 'plain'; username: string; password: string } | undefined {
  return security === undefined ? undefined : { mechanism: 'plain', username: security.admin.name, password: security.admin.password };
}

/**
 * Ports for every node: the given client port upwards, or free ones; controllers and secured
 * listeners always get free ones.
 */
async function nodeLayouts(count: number, port: number | undefined, secured: readonly SecuredListener[]): Promise<NodeLayout[]> {
  const free = await pickFreePorts(count * (1 + secured.length) + (port === undefined ? count : 0));
  let next = 0;
  const take = (): number => free[next++] as number;
  return Array.from({ length: count }, (_, index) => {
    const controllerPort = take();
    const brokerPort = port === undefined ? take() : port + index;
    const securedPorts = Object.fromEntries(secured.map((listener) => [listener, take()]));
    return { nodeId: index + 1, brokerPort, controllerPort, ...(secured.length === 0 ? {} : { securedPorts }) };
  });
}

/** The cluster id stored in the data directory, or a new one (a reused directory keeps its id). */
async function clusterIdOf(dataDirectory: string): Promise<string> {
  const file = join(dataDirectory, 'cluster-id');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const id = randomClusterId();
  await writeFile(file, `${id}\n`);
  return id;
}
