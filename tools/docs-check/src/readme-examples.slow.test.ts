import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReadmeExamples, formatProblems } from './check-examples.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('the TypeScript examples of every README', () => {
  it('compile against the workspace packages, and those that need no broker run', async () => {
    const { examples, problems } = await checkReadmeExamples({ root: repositoryRoot });
    expect(formatProblems(problems)).toBe('');
    expect(examples.filter((example) => example.run).length).toBeGreaterThan(5);
  }, 180_000);
});
