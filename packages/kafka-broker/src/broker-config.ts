import { securityProperties, type ClusterSecurity, type SecuredListener } from './cluster-security.js';

/** Ports and id of one node of a local cluster; every node is a combined broker + controller. */
export interface NodeLayout {
  /** KRaft `node.id`, 1-based. */
  nodeId: number;
  /** Port of the PLAINTEXT (client) listener, or of the INTERNAL one on a secured cluster. */
  brokerPort: number;
  /** Port of the CONTROLLER listener. */
  controllerPort: number;
  /** Ports of the secured client listeners, when the cluster has any. */
  securedPorts?: Partial<Record<SecuredListener, number>>;
}

/** Everything a node's `server.properties` depends on. */
export interface BrokerConfigInput {
  /** The node to configure. */
  node: NodeLayout;
  /** All nodes of the cluster (the controller quorum). */
  nodes: readonly NodeLayout[];
  /** The node's data (log) directory. */
  logDirectory: string;
  /** Loopback host every listener binds to. */
  host: string;
  /** Secured listeners, users and authorizer; a plain PLAINTEXT cluster when omitted. */
  security?: ClusterSecurity;
}

/** Replication factor of internal topics: 1 on a single node, 3 on a three-node cluster. */
export function internalReplicationFactor(nodeCount: number): number {
  return Math.min(nodeCount, 3);
}

/**
 * The `server.properties` of one combined broker + controller node: KRaft with a static voter
 * set, PLAINTEXT and CONTROLLER listeners on loopback, internal topics replicated as far as
 * the cluster allows, no initial rebalance delay, and no topic auto-creation (topics are
 * created explicitly, as in a real deployment).
 */
export function brokerProperties(input: BrokerConfigInput): Record<string, string> {
  const { node, nodes, host } = input;
  const replication = internalReplicationFactor(nodes.length);
  const minInSync = replication > 1 ? 2 : 1;
  return {
    'process.roles': 'broker,controller',
    'node.id': String(node.nodeId),
    'controller.quorum.voters': nodes.map((voter) => `${voter.nodeId}@${host}:${voter.controllerPort}`).join(','),
    'controller.listener.names': 'CONTROLLER',
    ...listenerProperties(input),
    'log.dirs': input.logDirectory,
    'num.partitions': '1',
    'default.replication.factor': String(replication),
    'offsets.topic.replication.factor': String(replication),
    // Fewer internal partitions than the default 50: the coordinators load much faster.
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': String(replication),
    'transaction.state.log.min.isr': String(minInSync),
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': String(replication),
    'share.coordinator.state.topic.min.isr': String(minInSync),
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
  };
}

/**
 * Listener properties: PLAINTEXT and CONTROLLER on a plain cluster. A secured cluster names its
 * inter-broker listener INTERNAL (SASL_PLAINTEXT, the admin's PLAIN login), puts the controller
 * quorum on SASL_PLAINTEXT as well and adds one listener per secured client listener.
 */
function listenerProperties(input: BrokerConfigInput): Record<string, string> {
  const { node, host, security } = input;
  if (security === undefined) {
    return {
      listeners: `PLAINTEXT://${host}:${node.brokerPort},CONTROLLER://${host}:${node.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${host}:${node.brokerPort}`,
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    };
  }
  const secured = security.listeners.map((listener) => {
    const port = node.securedPorts?.[listener];
    if (port === undefined) throw new Error(`Node ${node.nodeId} has no port for listener ${listener}`);
    return `${listener}://${host}:${port}`;
  });
  const advertised = [`INTERNAL://${host}:${node.brokerPort}`, ...secured].join(',');
  return {
    listeners: `${advertised},CONTROLLER://${host}:${node.controllerPort}`,
    'advertised.listeners': advertised,
    'inter.broker.listener.name': 'INTERNAL',
    'listener.security.protocol.map': ['INTERNAL:SASL_PLAINTEXT', 'CONTROLLER:SASL_PLAINTEXT', ...security.listeners.map((listener) => `${listener}:${listener}`)].join(','),
    ...securityProperties(security),
  };
}

/** Renders properties in Java `.properties` syntax, one `key=value` a line, sorted by key. */
export function renderProperties(properties: Record<string, string>): string {
  const escape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return `${Object.keys(properties)
    .sort()
    .map((key) => `${escape(key)}=${escape(properties[key] ?? '')}`)
    .join('\n')}\n`;
}

/** A log4j 2 configuration writing the broker's whole log (INFO and up) to `logFile`. */
export function log4jProperties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile.replace(/\\/g, '/')}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    // The state-change and request loggers are very chatty and say nothing tests need.
    'logger.stateChange.name = state.change.logger',
    'logger.stateChange.level = WARN',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    '',
  ].join('\n');
}
