import { describe, expect, it } from 'vitest';
import { brokerProperties, type NodeLayout } from './broker-config.js';
import { connectionSettings } from './cluster-connection.js';
import { resolveSecurityUsers, scramFormatArguments, type ClusterSecurity } from './cluster-security.js';

const node: NodeLayout = { nodeId: 1, brokerPort: 19092, controllerPort: 19093, securedPorts: { SSL: 19094, SASL_SSL: 19095, SASL_PLAINTEXT: 19096 } };
const tls = { caPemFile: '/d/ca.pem', keystoreFile: '/d/k.p12', truststoreFile: '/d/t.p12', storePassword: 'store-pw' };
const security: ClusterSecurity = {
  listeners: ['SSL', 'SASL_SSL', 'SASL_PLAINTEXT'],
  admin: { name: 'admin', password: 'admin-pw' },
  users: [{ name: 'app', password: 'app-pw' }],
  tls,
};

describe('resolveSecurityUsers', () => {
  it('adds an admin with a random password and keeps the listeners in a fixed order', () => {
    const resolved = resolveSecurityUsers({ listeners: ['SASL_PLAINTEXT', 'SSL'], users: [{ name: 'app', password: 'secret' }] });
    expect(resolved.listeners).toEqual(['SSL', 'SASL_PLAINTEXT']);
    expect(resolved.admin.name).toBe('admin');
    expect(resolved.admin.password).toMatch(/^[0-9a-f]{24}$/);
    expect(resolved.users).toEqual([{ name: 'app', password: 'secret' }]);
  });

  it('names the bad field and never echoes a password', () => {
    expect(() => resolveSecurityUsers({ listeners: [] })).toThrow(/security.listeners must list/);
    expect(() => resolveSecurityUsers({ listeners: ['TLS' as never] })).toThrow(/unknown listener "TLS"/);
    expect(() => resolveSecurityUsers({ listeners: ['SSL'], users: [{ name: 'admin', password: 'x' }] })).toThrow(/users\[0\].name/);
    let message = '';
    try {
      resolveSecurityUsers({ listeners: ['SSL'], users: [{ name: 'app', password: 'has,comma' }] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('security.users[0].password (user "app")');
    expect(message).not.toContain('has,comma');
  });
});

describe('brokerProperties of a secured node', () => {
  const properties = brokerProperties({ node, nodes: [node], logDirectory: '/d', host: '127.0.0.1', security });

  it('replaces PLAINTEXT with an INTERNAL SASL listener and adds one listener per secured protocol', () => {
    expect(properties['listeners']).toBe('INTERNAL://127.0.0.1:19092,SSL://127.0.0.1:19094,SASL_SSL://127.0.0.1:19095,SASL_PLAINTEXT://127.0.0.1:19096,CONTROLLER://127.0.0.1:19093');
    expect(properties['advertised.listeners']).not.toContain('CONTROLLER');
    expect(properties['inter.broker.listener.name']).toBe('INTERNAL');
    expect(properties['listener.security.protocol.map']).toBe('INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,SASL_PLAINTEXT:SASL_PLAINTEXT');
  });

  it('enables the StandardAuthorizer with the admin as the only super user and denies by default', () => {
    expect(properties['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(properties['super.users']).toBe('User:admin');
    expect(properties['allow.everyone.if.no.acl.found']).toBe('false');
  });

  it('lists every user for PLAIN and uses the SCRAM module on the SASL client listeners', () => {
    expect(properties['listener.name.sasl_plaintext.plain.sasl.jaas.config']).toContain('user_app="app-pw"');
    expect(properties['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config']).toContain('ScramLoginModule');
    expect(properties['listener.name.internal.plain.sasl.jaas.config']).toContain('username="admin" password="admin-pw"');
    expect(properties['ssl.keystore.location']).toBe('/d/k.p12');
  });

  it('formats every user for both SCRAM digests', () => {
    expect(scramFormatArguments(security)).toEqual([
      '--add-scram', 'SCRAM-SHA-512=[name=admin,password=admin-pw]', '--add-scram', 'SCRAM-SHA-256=[name=admin,password=admin-pw]',
      '--add-scram', 'SCRAM-SHA-512=[name=app,password=app-pw]', '--add-scram', 'SCRAM-SHA-256=[name=app,password=app-pw]',
    ]);
  });
});

describe('connectionSettings', () => {
  const view = { host: '127.0.0.1', nodes: [node], security, caPem: 'PEM' };

  it('gives SCRAM-SHA-512 over TLS on SASL_SSL and PLAIN on SASL_PLAINTEXT', () => {
    expect(connectionSettings(view, { listener: 'SASL_SSL', user: 'app' })).toEqual({ brokers: ['127.0.0.1:19095'], ssl: { ca: ['PEM'] }, sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'app-pw' } });
    expect(connectionSettings(view, { listener: 'SASL_PLAINTEXT', user: 'app' })).toEqual({ brokers: ['127.0.0.1:19096'], sasl: { mechanism: 'plain', username: 'app', password: 'app-pw' } });
    expect(connectionSettings(view, { listener: 'SSL' })).toEqual({ brokers: ['127.0.0.1:19094'], ssl: { ca: ['PEM'] } });
  });

  it('defaults to the admin on the INTERNAL listener, and PLAINTEXT on a plain cluster', () => {
    expect(connectionSettings(view).sasl).toEqual({ mechanism: 'plain', username: 'admin', password: 'admin-pw' });
    expect(connectionSettings({ ...view, security: undefined })).toEqual({ brokers: ['127.0.0.1:19092'] });
  });

  it('names a listener or user the cluster lacks', () => {
    expect(() => connectionSettings({ ...view, security: { ...security, listeners: ['SSL'] } }, { listener: 'SASL_SSL' })).toThrow(/no SASL_SSL listener/);
    expect(() => connectionSettings(view, { listener: 'SASL_SSL', user: 'nobody' })).toThrow(/no user "nobody"/);
    expect(() => connectionSettings({ ...view, security: undefined }, { listener: 'SSL' })).toThrow(/no SSL listener/);
  });
});
