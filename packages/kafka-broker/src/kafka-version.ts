/**
 * The Apache Kafka release the broker runs, resolved from Maven Central. Pinned to one version so
 * tests, the demo and the benchmarks all run against the same broker.
 *
 * 4.3.1 is the newest release whose `kafka_2.13` artifact resolves here, and kafkajs 2.2.4 works
 * against it: the protocol versions KIP-896 removed in 4.0 are not ones kafkajs needs (admin,
 * consumer groups, idempotent and transactional produce, read_committed fetch all pass the
 * integration tests).
 */
export const KAFKA_VERSION = '4.3.1';

/** The Scala build of the broker artifact (`kafka_<scala>`). */
export const KAFKA_SCALA_VERSION = '2.13';

/**
 * The log4j 2 binding for slf4j 1.7 that routes the broker's logs to our log4j config. The
 * `kafka_2.13` artifact does not depend on any slf4j binding, so without it the broker logs
 * nothing. Matches the log4j version Kafka itself depends on.
 */
export const LOG4J_SLF4J_BINDING_VERSION = '2.25.4';

/** Minimum Java feature version Kafka 4 runs on. */
export const MINIMUM_JAVA_VERSION = 17;

/** Minimum Maven version we resolve the jars with. */
export const MINIMUM_MAVEN_VERSION = '3.8';
