import { describe, expect, it } from 'vitest';
import { describeAcl, streamsApplicationAcls, toKafkajsAcl } from './acls.js';

describe('streamsApplicationAcls', () => {
  it('lists what Kafka Streams documents: input READ, output WRITE, ALL on topics and groups prefixed by the application id', () => {
    const acls = streamsApplicationAcls({ user: 'app', applicationId: 'wc', inputTopics: ['lines'], outputTopics: ['counts'] }).map(describeAcl);
    expect(acls).toEqual([
      'User:app ALLOW READ on TOPIC lines',
      'User:app ALLOW WRITE on TOPIC counts',
      'User:app ALLOW ALL on TOPIC wc (prefix)',
      'User:app ALLOW ALL on GROUP wc (prefix)',
    ]);
  });

  it('adds WRITE and DESCRIBE on transactional ids prefixed by the application id under exactly-once', () => {
    const acls = streamsApplicationAcls({ user: 'app', applicationId: 'wc', inputTopics: [], outputTopics: [], exactlyOnce: true }).map(describeAcl);
    expect(acls).toContain('User:app ALLOW WRITE on TRANSACTIONAL_ID wc (prefix)');
    expect(acls).toContain('User:app ALLOW DESCRIBE on TRANSACTIONAL_ID wc (prefix)');
  });
});

describe('toKafkajsAcl', () => {
  it('uses the protocol numbers kafkajs expects', () => {
    expect(toKafkajsAcl({ principal: 'app', resourceType: 'TOPIC', resourceName: 'wc', patternType: 'PREFIXED', operation: 'ALL', permission: 'DENY' })).toEqual({
      resourceType: 2, resourceName: 'wc', resourcePatternType: 4, principal: 'User:app', host: '*', operation: 2, permissionType: 2,
    });
    expect(toKafkajsAcl({ principal: 'User:x', resourceType: 'CLUSTER', resourceName: 'ignored', operation: 'IDEMPOTENT_WRITE' })).toMatchObject({ resourceType: 4, resourceName: 'kafka-cluster', resourcePatternType: 3, operation: 12, permissionType: 3 });
  });
});
