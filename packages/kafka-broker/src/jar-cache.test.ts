import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerPom, defaultCacheDirectory, isCached, resolveKafkaJars } from './jar-cache.js';
import { KAFKA_VERSION } from './kafka-version.js';

describe('brokerPom', () => {
  it('depends on the broker artifact of the given version and on a log4j slf4j binding', () => {
    const pom = brokerPom('4.3.1');
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>4.3.1</version>');
    expect(pom).toContain('<artifactId>log4j-slf4j-impl</artifactId>');
  });
});

describe('defaultCacheDirectory', () => {
  it('puts the version under KSTREAMS_KAFKA_CACHE when it is set', () => {
    expect(defaultCacheDirectory('4.3.1', { KSTREAMS_KAFKA_CACHE: '/cache' })).toBe(join('/cache', '4.3.1'));
  });

  it('uses .kafka-cache/<version> at the repository root otherwise', () => {
    expect(defaultCacheDirectory(KAFKA_VERSION, {})).toMatch(new RegExp(`[/\\\\]\\.kafka-cache[/\\\\]${KAFKA_VERSION.replace(/\./g, '\\.')}$`));
  });
});

describe('resolveKafkaJars', () => {
  it('uses a completed cache without running Maven', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'jar-cache-'));
    try {
      expect(isCached(cache)).toBe(false);
      await mkdir(join(cache, 'libs'));
      await writeFile(join(cache, '.complete'), '{}');
      expect(isCached(cache)).toBe(true);
      const jars = await resolveKafkaJars({ version: '0.0.0-not-on-maven-central', cacheDirectory: cache });
      expect(jars).toEqual({ version: '0.0.0-not-on-maven-central', libsDirectory: join(cache, 'libs'), classPath: join(cache, 'libs', '*') });
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
