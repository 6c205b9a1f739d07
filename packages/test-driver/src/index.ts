/**
 * @kstreams/test-driver: run kstreams topologies in-process, on the production task engine,
 * without a broker (Kafka Streams' TopologyTestDriver).
 */
export { TopologyTestDriver, type BuildsTopology, type TestDriverConfig } from './topology-test-driver.js';
export { TestInputTopic, type InputTopicOptions } from './test-input-topic.js';
export { TestOutputTopic } from './test-output-topic.js';
export type { TestKeyValue, TestRecord, TestRecordInput } from './test-record.js';
export { MockProcessorContext, type CapturedForward, type CapturedPunctuator, type MockProcessorContextOptions } from './mock-processor-context.js';
