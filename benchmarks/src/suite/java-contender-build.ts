/**
 * Builds the Java Kafka Streams contender (benchmarks/java, a Maven project on the pinned Kafka
 * version) once into the Kafka jar cache, next to the broker's jars: `<cache>/java-bench-<version>-<hash>`,
 * where the hash covers the pom and the Java sources, so an edit rebuilds and a warm cache costs
 * nothing. Needs Maven and Maven Central (or a ~/.m2 mirror) the first time only.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultCacheDirectory, KAFKA_VERSION } from '@kstreams/kafka-broker';

const run = promisify(execFile);
const projectDirectory = fileURLToPath(new URL('../../java/', import.meta.url));
const COMPLETE_MARKER = '.complete';

/** The built contender: the Java class path of its classes and every runtime jar. */
export interface JavaContender {
  readonly directory: string;
  readonly classPath: string;
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(entries.map(async (entry) => (entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : [join(directory, entry.name)])));
  return nested.flat().sort();
}

async function sourcesHash(): Promise<string> {
  const hash = createHash('sha256').update(KAFKA_VERSION);
  for (const file of [join(projectDirectory, 'pom.xml'), ...(await sourceFiles(join(projectDirectory, 'src')))]) {
    hash.update(file.slice(projectDirectory.length)).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 12);
}

function contenderAt(directory: string): JavaContender {
  return { directory, classPath: `${join(directory, 'classes')}:${join(directory, 'libs', '*')}` };
}

/** The Java contender, built with Maven on first use (a few seconds with a warm ~/.m2). */
export async function buildJavaContender(): Promise<JavaContender> {
  const directory = join(dirname(defaultCacheDirectory(KAFKA_VERSION)), `java-bench-${KAFKA_VERSION}-${await sourcesHash()}`);
  if (existsSync(join(directory, COMPLETE_MARKER))) return contenderAt(directory);
  // Build into a private directory and rename it into place, so a concurrent or interrupted
  // build never leaves a half-built contender behind the marker.
  const staging = `${directory}.${process.pid}.tmp`;
  const args = ['-B', '-q', `-Dkafka.version=${KAFKA_VERSION}`, `-Dbench.buildDirectory=${staging}`, 'compile', 'dependency:copy-dependencies'];
  try {
    await run('mvn', args, { cwd: projectDirectory, timeout: 15 * 60_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const output = error as { stdout?: string; stderr?: string; code?: string };
    if (output.code === 'ENOENT') throw new Error('The Java contender needs Maven (mvn) on the PATH and Java 17+. Install both and retry.', { cause: error });
    const detail = `${output.stdout ?? ''}${output.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`Maven could not build the Java contender in ${projectDirectory}. Check access to Maven Central (or your ~/.m2/settings.xml mirror).\n${detail}`, { cause: error });
  }
  await rm(directory, { recursive: true, force: true });
  await rename(staging, directory);
  await writeFile(join(directory, COMPLETE_MARKER), `${JSON.stringify({ kafkaVersion: KAFKA_VERSION })}\n`);
  return contenderAt(directory);
}
