import { describe, expect, it } from 'vitest';
import { brokerProperties, log4jProperties, renderProperties, type NodeLayout } from './broker-config.js';

const single: NodeLayout = { nodeId: 1, brokerPort: 19092, controllerPort: 19093 };
const trio: NodeLayout[] = [single, { nodeId: 2, brokerPort: 29092, controllerPort: 29093 }, { nodeId: 3, brokerPort: 39092, controllerPort: 39093 }];

describe('brokerProperties', () => {
  it('configures a single node as combined broker and controller on loopback', () => {
    const properties = brokerProperties({ node: single, nodes: [single], logDirectory: '/data/node-1', host: '127.0.0.1' });
    expect(properties).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/data/node-1',
    });
  });

  it('gives internal topics replication factor 1 on a single node', () => {
    const properties = brokerProperties({ node: single, nodes: [single], logDirectory: '/d', host: '127.0.0.1' });
    expect(properties['offsets.topic.replication.factor']).toBe('1');
    expect(properties['transaction.state.log.replication.factor']).toBe('1');
    expect(properties['transaction.state.log.min.isr']).toBe('1');
  });

  it('disables topic auto-creation and the initial rebalance delay', () => {
    const properties = brokerProperties({ node: single, nodes: [single], logDirectory: '/d', host: '127.0.0.1' });
    expect(properties['auto.create.topics.enable']).toBe('false');
    expect(properties['group.initial.rebalance.delay.ms']).toBe('0');
  });

  it('lists all three voters and replicates internal topics three times on a three-node cluster', () => {
    const properties = brokerProperties({ node: trio[1] as NodeLayout, nodes: trio, logDirectory: '/d', host: '127.0.0.1' });
    expect(properties['node.id']).toBe('2');
    expect(properties['controller.quorum.voters']).toBe('1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093');
    expect(properties['listeners']).toBe('PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093');
    expect(properties['offsets.topic.replication.factor']).toBe('3');
    expect(properties['transaction.state.log.replication.factor']).toBe('3');
    expect(properties['transaction.state.log.min.isr']).toBe('2');
    expect(properties['default.replication.factor']).toBe('3');
  });
});

describe('renderProperties', () => {
  it('writes one sorted key=value line each and escapes backslashes and newlines', () => {
    expect(renderProperties({ 'b.key': 'x', 'a.key': 'C:\\data', 'c.key': 'one\ntwo' })).toBe('a.key=C:\\\\data\nb.key=x\nc.key=one\\ntwo\n');
  });
});

describe('log4jProperties', () => {
  it('sends the root logger at INFO to the given file', () => {
    const config = log4jProperties('/data/node-1/server.log');
    expect(config).toContain('appender.file.fileName = /data/node-1/server.log');
    expect(config).toContain('rootLogger.level = INFO');
    expect(config).toContain('rootLogger.appenderRef.file.ref = file');
  });
});
