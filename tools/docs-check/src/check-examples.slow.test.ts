import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReadmeExamples, formatProblems } from './check-examples.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsconfig = join(repositoryRoot, 'tsconfig.base.json');
const fence = '```';
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A scratch repository root holding one README.md with `markdown`. */
function readmeRoot(markdown: string): string {
  const root = mkdtempSync(join(tmpdir(), 'docs-check-'));
  roots.push(root);
  writeFileSync(join(root, 'README.md'), markdown);
  return root;
}

describe('checkReadmeExamples', () => {
  it('fails on a deliberately broken copy of the core README, naming the README line and the error', async () => {
    const original = readFileSync(join(repositoryRoot, 'packages/core/README.md'), 'utf8');
    const broken = original.replace(".addSink('out'", ".addSinkk('out'");
    expect(broken).not.toBe(original);
    const brokenLine = broken.split('\n').findIndex((line) => line.includes('.addSinkk(')) + 1;

    const { problems } = await checkReadmeExamples({ root: readmeRoot(broken), readmes: ['README.md'], tsconfig });

    expect(problems).toHaveLength(1);
    expect(formatProblems(problems)).toMatch(new RegExp(`^README\\.md:${brokenLine}: TS2551: Property 'addSinkk' does not exist`));
  }, 120_000);

  it('runs complete blocks, type-checks no-run blocks without running them, skips fragments, and lets blocks import each other', async () => {
    const markdown = [
      `${fence}ts`, '// greeting.ts', "export const greeting: string = 'hello';", fence,
      `${fence}ts`, "import { greeting } from './greeting.js';", "if (greeting === 'hello') throw new Error('the example broke at run time');", fence,
      `${fence}ts no-run`, "throw new Error('needs a broker');", fence,
      `${fence}ts`, '// fragment: continues the example above', 'notDeclaredAnywhere();', fence,
    ].join('\n');

    const { examples, problems } = await checkReadmeExamples({ root: readmeRoot(markdown), readmes: ['README.md'], tsconfig });

    expect(examples).toHaveLength(4);
    expect(problems.map((problem) => problem.line)).toEqual([5]);
    expect(problems[0]?.message).toContain('Error: the example broke at run time');
  }, 120_000);

  it('reports a type error in a block without running anything', async () => {
    const markdown = [`${fence}ts`, "const count: number = 'three';", fence].join('\n');
    const { problems } = await checkReadmeExamples({ root: readmeRoot(markdown), readmes: ['README.md'], tsconfig });
    expect(formatProblems(problems)).toMatch(/^README\.md:2: TS2322: Type 'string' is not assignable to type 'number'/);
  }, 60_000);
});
