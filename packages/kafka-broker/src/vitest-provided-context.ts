/** Bootstrap servers the `integration` project's global setup provides, comma-separated. */
export type KafkaBrokersContext = string;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the integration tests' Kafka cluster, comma-separated. */
    kafkaBrokers: KafkaBrokersContext;
  }
}
