/**
 * A child process for the crash and lock tests, run as
 * `node --import tsx --conditions source child-store-process.ts <mode> <taskDirectory>`:
 * - `write`: writes batches of 100 keys in a loop, flushing each, printing `flushed <n>`;
 * - `hold`: opens the store, prints `open`, and waits to be killed.
 */
import { lmdbBackend } from '../lmdb-backend.js';
import { locationOf } from './temp-location.js';

export const BATCH_SIZE = 100;

/** The key of entry `index` of batch `batch`. */
export function batchKey(batch: number, index: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeUInt32BE(batch, 0);
  key.writeUInt32BE(index, 4);
  return key;
}

function writeForever(directory: string): void {
  const store = lmdbBackend().openStore(locationOf('crash', directory));
  const value = Buffer.alloc(200, 1);
  for (let batch = 0; ; batch++) {
    const entries = Array.from({ length: BATCH_SIZE }, (_, index) => ({ key: batchKey(batch, index), value }));
    store.putAll(entries);
    store.flush();
    process.stdout.write(`flushed ${batch}\n`);
  }
}

function holdOpen(directory: string): void {
  lmdbBackend().openStore(locationOf('held', directory));
  process.stdout.write('open\n');
  setInterval(() => {}, 1_000);
}

const [mode, directory] = process.argv.slice(2);
if (mode !== undefined && directory !== undefined) {
  if (mode === 'write') writeForever(directory);
  else if (mode === 'hold') holdOpen(directory);
}
