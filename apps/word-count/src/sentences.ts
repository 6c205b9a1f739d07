/** The sentences the sample app produces to its input topic. */
export const SENTENCES: readonly string[] = [
  'all streams flow to the sea',
  'a processor sees one record at a time',
  'state stores remember what the stream forgot',
  'every task owns one partition of the stream',
  'the sea of records is a stream of streams',
  'a store remembers and a changelog remembers the store',
  'one record at a time, one partition at a time',
  'the stream never stops and the counts never stop',
];
