/**
 * `pnpm --filter @kstreams/docs-check run check`: checks every README's TypeScript examples and
 * exits 1, listing each problem at its README line, when one does not compile or run.
 */
import { fileURLToPath } from 'node:url';
import { checkReadmeExamples, formatProblems } from './check-examples.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { examples, problems } = await checkReadmeExamples({ root });
const checked = examples.filter((example) => !example.fragment);
process.stdout.write(`${examples.length} TypeScript blocks: ${checked.length} checked (${checked.filter((example) => example.run).length} run), ${examples.length - checked.length} fragments.\n`);
if (problems.length > 0) {
  process.stderr.write(`${formatProblems(problems)}\n`);
  process.exit(1);
}
