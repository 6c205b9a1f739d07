import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testBrokers, uniqueTopicName } from './testing.js';

const testingModule = fileURLToPath(new URL('./testing.ts', import.meta.url));

describe('@kstreams/kafka-broker/testing', () => {
  it('imports outside vitest, and testBrokers() there names KafkaCluster.start() as the way to get a broker', () => {
    const script = `const testing = await import(${JSON.stringify(testingModule)});
      console.log(testing.uniqueTopicName('orders'));
      try { testing.testBrokers(); } catch (error) { console.log(error.name + ': ' + error.message); }`;
    const { KAFKA_BROKERS: _ignored, ...environment } = process.env;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=source', '--input-type=module', '-e', script], { encoding: 'utf8', env: environment });
    expect(child.stderr).toBe('');
    const [topic, error] = child.stdout.trim().split('\n');
    expect(topic).toMatch(/^orders-[a-z0-9]+-[0-9a-f]{8}$/);
    expect(error).toMatch(/^KafkaBrokerError: testBrokers\(\) .* only works inside a vitest test/);
    expect(error).toContain('await KafkaCluster.start()');
  });

  it('inside a vitest test without a broker, says to run it in the integration project', () => {
    const saved = process.env['KAFKA_BROKERS'];
    delete process.env['KAFKA_BROKERS'];
    try {
      expect(() => testBrokers()).toThrow(/run it in the "integration" vitest project .* or set KAFKA_BROKERS/);
      process.env['KAFKA_BROKERS'] = 'localhost:9092,localhost:9093';
      expect(testBrokers()).toEqual(['localhost:9092', 'localhost:9093']);
    } finally {
      if (saved === undefined) delete process.env['KAFKA_BROKERS'];
      else process.env['KAFKA_BROKERS'] = saved;
    }
  });

  it('gives names that differ on every call', () => {
    expect(uniqueTopicName('orders')).not.toBe(uniqueTopicName('orders'));
  });
});
