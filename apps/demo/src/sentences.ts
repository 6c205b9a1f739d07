/** The sentences the demo sends through Kafka, keyed by their first word. */
export const SENTENCES: readonly string[] = [
  'all streams flow to the sea',
  'a processor sees one record at a time',
  'state stores remember what the stream forgot',
  'every task owns one partition of a sub-topology',
  'exactly once means committed or not at all',
];
