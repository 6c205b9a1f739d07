import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaBrokerError } from './kafka-broker-error.js';
import { KAFKA_SCALA_VERSION, KAFKA_VERSION, LOG4J_SLF4J_BINDING_VERSION } from './kafka-version.js';
import { requireMaven } from './prerequisites.js';
import { findRepoRoot } from './repo-root.js';

const run = promisify(execFile);
const COMPLETE_MARKER = '.complete';

/** Where the jars of one Kafka version are, once resolved. */
export interface KafkaJars {
  /** The Kafka version the jars belong to. */
  version: string;
  /** Directory holding every runtime jar. */
  libsDirectory: string;
  /** A Java class path naming all the jars (`<libs>/*`). */
  classPath: string;
}

/** Options of {@link resolveKafkaJars}. */
export interface ResolveKafkaJarsOptions {
  /** Kafka version; defaults to the pinned {@link KAFKA_VERSION}. */
  version?: string;
  /** Cache directory for this version; defaults to {@link defaultCacheDirectory}. */
  cacheDirectory?: string;
}

/**
 * The jar cache of one Kafka version: `$KSTREAMS_KAFKA_CACHE/<version>` when that variable is
 * set, else `<repo>/.kafka-cache/<version>` inside the monorepo, else `~/.cache/kstreams-kafka/<version>`.
 */
export function defaultCacheDirectory(version: string = KAFKA_VERSION, environment = process.env): string {
  const base = environment['KSTREAMS_KAFKA_CACHE'];
  if (base !== undefined && base !== '') return join(base, version);
  const repoRoot = findRepoRoot();
  if (repoRoot !== undefined) return join(repoRoot, '.kafka-cache', version);
  return join(homedir(), '.cache', 'kstreams-kafka', version);
}

/** The throwaway Maven project whose runtime dependencies are the broker's jars. */
export function brokerPom(version: string): string {
  const dependency = (group: string, artifact: string, artifactVersion: string): string =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${artifactVersion}</version></dependency>`;
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    `  <groupId>kstreams</groupId><artifactId>kafka-broker-jars</artifactId><version>${version}</version>`,
    '  <dependencies>',
    dependency('org.apache.kafka', `kafka_${KAFKA_SCALA_VERSION}`, version),
    dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_SLF4J_BINDING_VERSION),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

function jarsAt(cacheDirectory: string, version: string): KafkaJars {
  const libsDirectory = join(cacheDirectory, 'libs');
  return { version, libsDirectory, classPath: join(libsDirectory, '*') };
}

/** True when the cache holds a completely resolved set of jars (no network needed). */
export function isCached(cacheDirectory: string): boolean {
  return existsSync(join(cacheDirectory, COMPLETE_MARKER)) && existsSync(join(cacheDirectory, 'libs'));
}

/**
 * Resolves the broker's runtime jars with Maven into the cache, once; later calls return the
 * cached jars without touching the network. Throws a {@link KafkaBrokerError} when Maven is
 * missing or the download fails.
 */
export async function resolveKafkaJars(options: ResolveKafkaJarsOptions = {}): Promise<KafkaJars> {
  const version = options.version ?? KAFKA_VERSION;
  const cacheDirectory = options.cacheDirectory ?? defaultCacheDirectory(version);
  if (isCached(cacheDirectory)) return jarsAt(cacheDirectory, version);
  await requireMaven();
  await mkdir(cacheDirectory, { recursive: true });
  await writeFile(join(cacheDirectory, 'pom.xml'), brokerPom(version));
  // Download into a private directory and rename it into place, so that two processes
  // resolving at once never see a half-filled libs directory.
  const staging = join(cacheDirectory, `libs.${process.pid}.tmp`);
  await runMaven(cacheDirectory, staging, version);
  await rm(join(cacheDirectory, 'libs'), { recursive: true, force: true });
  await rename(staging, join(cacheDirectory, 'libs'));
  const jarCount = (await readdir(join(cacheDirectory, 'libs'))).length;
  await writeFile(join(cacheDirectory, COMPLETE_MARKER), `${JSON.stringify({ version, jarCount })}\n`);
  return jarsAt(cacheDirectory, version);
}

async function runMaven(cacheDirectory: string, outputDirectory: string, version: string): Promise<void> {
  const args = ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDirectory}`];
  try {
    await run('mvn', args, { cwd: cacheDirectory, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(outputDirectory, { recursive: true, force: true });
    const output = error as { stdout?: string; stderr?: string };
    const detail = `${output.stdout ?? ''}${output.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new KafkaBrokerError(
      `Maven could not download Kafka ${version}'s jars into ${cacheDirectory}. Check network access to Maven Central (or your ~/.m2/settings.xml mirror) and retry.\n${detail}`,
      { cause: error },
    );
  }
}
