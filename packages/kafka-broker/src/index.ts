/**
 * @kstreams/kafka-broker: a real Apache Kafka broker (KRaft) for tests, demos and benchmarks,
 * started from the jars Maven resolves from Maven Central. No Docker needed; Java 17+ and
 * Maven 3.8+ are.
 */
export { KafkaCluster, type KafkaClusterOptions, type StartTimings } from './kafka-cluster.js';
export { KafkaBrokerError } from './kafka-broker-error.js';
export { KAFKA_VERSION } from './kafka-version.js';
export { resolveKafkaJars, defaultCacheDirectory, type KafkaJars, type ResolveKafkaJarsOptions } from './jar-cache.js';
export { brokersFromEnvironment, useKafka, type KafkaConnection } from './use-kafka.js';
export { streamsApplicationAcls, describeAcl, type AclEntry, type AclOperation, type AclResourceType, type StreamsApplicationAccess } from './acls.js';
export { type ClusterConnectionSettings, type ClusterSaslLogin, type ClusterSaslMechanism, type ConnectionRequest } from './cluster-connection.js';
export { ADMIN_USER, type ClusterSecurity, type ClusterSecurityOptions, type ClusterUser, type SecuredListener } from './cluster-security.js';
export { createTlsMaterial, type TlsMaterial } from './tls-material.js';
