/**
 * Child process entry of `runExamples`: imports each example module in turn, each in its own
 * working directory, and writes one result per example to the results file as it goes.
 * Arguments: `<jobs.json> <results.json> <timeoutMs>`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Job {
  readonly id: string;
  readonly file: string;
  readonly cwd: string;
}

const [jobsFile = '', resultsFile = '', timeoutText = '30000'] = process.argv.slice(2);
const jobs = JSON.parse(readFileSync(jobsFile, 'utf8')) as Job[];
const results: { id: string; error?: string }[] = [];
let asyncFailure: unknown;
process.on('unhandledRejection', (error) => (asyncFailure ??= error));
process.on('uncaughtException', (error) => (asyncFailure ??= error));

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

function timeout(): Promise<never> {
  return new Promise((_resolve, reject) => {
    setTimeout(() => reject(new Error(`did not finish within ${timeoutText} ms. If it needs a Kafka broker, mark it \`\`\`ts no-run.`)), Number(timeoutText)).unref();
  });
}

for (const job of jobs) {
  process.chdir(job.cwd);
  asyncFailure = undefined;
  try {
    await Promise.race([import(pathToFileURL(job.file).href), timeout()]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (asyncFailure !== undefined) throw asyncFailure;
    results.push({ id: job.id });
  } catch (error) {
    results.push({ id: job.id, error: describe(error) });
  }
  writeFileSync(resultsFile, JSON.stringify(results));
}
process.exit(0);
