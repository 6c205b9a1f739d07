import { access, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from './internal/engine-ports.js';
import { readJsonFile } from './internal/process-lock-file.js';

/** Kafka Streams' process file in `<stateDir>/<applicationId>`: the process id kept across restarts. */
export const PROCESS_METADATA_FILE_NAME = 'kafka-streams-process-metadata';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The process id persisted in the application directory (Java's `{"processId": "<uuid>"}`; other
 * fields are ignored), or undefined when there is none or it cannot be read (a warning names the file).
 */
export async function readPersistedProcessId(applicationDirectory: string, logger: Logger): Promise<string | undefined> {
  const path = join(applicationDirectory, PROCESS_METADATA_FILE_NAME);
  const exists = await access(path).then(() => true, () => false);
  if (!exists) return undefined;
  const processId = (await readJsonFile(path))?.['processId'];
  if (typeof processId === 'string' && UUID.test(processId)) return processId;
  logger.warn(`The process file ${path} holds no valid process id; this instance takes a fresh one and rewrites it.`);
  return undefined;
}

/** Writes the process id into the application directory (write to a temporary file, then rename). */
export async function persistProcessId(applicationDirectory: string, processId: string): Promise<void> {
  const path = join(applicationDirectory, PROCESS_METADATA_FILE_NAME);
  await writeFile(`${path}.tmp`, JSON.stringify({ processId }));
  await rename(`${path}.tmp`, path);
}
