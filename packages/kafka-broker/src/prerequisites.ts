import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KafkaBrokerError } from './kafka-broker-error.js';
import { MINIMUM_JAVA_VERSION, MINIMUM_MAVEN_VERSION } from './kafka-version.js';

const run = promisify(execFile);

/** Output of a tool's version command, or `undefined` when the tool is not on the PATH. */
async function versionOutput(command: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(command, args, { timeout: 30_000 });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KafkaBrokerError(`"${command} ${args.join(' ')}" failed; check that ${command} is installed correctly.`, {
      cause: error,
    });
  }
}

/** The feature version (`17`) from `java -version` output; Java 8 style `1.8.0` gives 8. */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (match === null) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** `[major, minor]` from `mvn -v` output (`Apache Maven 3.8.7`), ignoring colour codes. */
export function parseMavenVersion(output: string): [number, number] | undefined {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const match = /Apache Maven (\d+)\.(\d+)/.exec(plain);
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

/** The full version (`17.0.15`) from `java -version` output. */
export function parseJavaVersion(output: string): string | undefined {
  return /version "([^"]+)"/.exec(output)?.[1];
}

/**
 * Throws a {@link KafkaBrokerError} naming the fix unless Java 17+ is on the PATH; returns
 * the full Java version.
 */
export async function requireJava(): Promise<string> {
  const output = await versionOutput('java', ['-version']);
  if (output === undefined) {
    throw new KafkaBrokerError(
      `Java is not installed or not on the PATH; the Kafka broker needs Java ${MINIMUM_JAVA_VERSION} or newer. Install a JDK/JRE ${MINIMUM_JAVA_VERSION}+ (e.g. "apt-get install openjdk-17-jre-headless"), or set KAFKA_BROKERS to use a running cluster.`,
    );
  }
  const major = parseJavaMajorVersion(output);
  if (major !== undefined && major < MINIMUM_JAVA_VERSION) {
    throw new KafkaBrokerError(
      `Java ${major} is too old for the Kafka broker; install Java ${MINIMUM_JAVA_VERSION} or newer and put it first on the PATH.`,
    );
  }
  return parseJavaVersion(output) ?? 'unknown';
}

/** Throws a {@link KafkaBrokerError} naming the fix unless Maven 3.8+ is on the PATH. */
export async function requireMaven(): Promise<void> {
  const output = await versionOutput('mvn', ['-v', '-B']);
  if (output === undefined) {
    throw new KafkaBrokerError(
      `Maven is not installed or not on the PATH; it is needed once to download the Kafka broker's jars from Maven Central. Install Maven ${MINIMUM_MAVEN_VERSION} or newer (e.g. "apt-get install maven"), or set KAFKA_BROKERS to use a running cluster.`,
    );
  }
  const version = parseMavenVersion(output);
  const [minimumMajor, minimumMinor] = MINIMUM_MAVEN_VERSION.split('.').map(Number) as [number, number];
  if (version !== undefined && (version[0] < minimumMajor || (version[0] === minimumMajor && version[1] < minimumMinor))) {
    throw new KafkaBrokerError(
      `Maven ${version.join('.')} is too old to fetch the Kafka broker's jars; install Maven ${MINIMUM_MAVEN_VERSION} or newer.`,
    );
  }
}
