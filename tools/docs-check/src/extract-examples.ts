/**
 * How a README marks its TypeScript blocks (```ts or ```typescript):
 * - a first line `// fragment…` skips the block (say in that comment what it continues);
 * - a first line `// <name>.ts…` names the block's file, so other blocks of the same README can
 *   import it (`import { topology } from './word-count-topology.js'`);
 * - the info string word `no-run` (```ts no-run) type-checks the block without running it: it
 *   needs a Kafka broker, or vitest.
 * Every other block is complete: it is type-checked and run.
 */
export interface ReadmeExample {
  /** The README, relative to the repository root. */
  readonly readme: string;
  /** 1-based line of the block's opening fence in the README. */
  readonly line: number;
  readonly code: string;
  /** The file the block is written to, e.g. `example-25.ts` or its own `// name.ts`. */
  readonly fileName: string;
  readonly fragment: boolean;
  readonly run: boolean;
}

const OPENING_FENCE = /^\s*```(ts|typescript)(?:\s+(.*))?$/;
const CLOSING_FENCE = /^\s*```\s*$/;
const FILE_NAME_LINE = /^\/\/\s*([\w-]+(?:\.[\w-]+)*\.ts)\b/;

/** The TypeScript code blocks of one README, in order. */
export function extractExamples(markdown: string, readme: string): ReadmeExample[] {
  const lines = markdown.split(/\r?\n/);
  const examples: ReadmeExample[] = [];
  let index = 0;
  while (index < lines.length) {
    const opening = OPENING_FENCE.exec(lines[index] ?? '');
    if (opening === null) {
      index++;
      continue;
    }
    const end = findClosingFence(lines, index + 1, readme);
    const code = lines.slice(index + 1, end).join('\n');
    examples.push(describeBlock({ readme, line: index + 1, code, infoWords: (opening[2] ?? '').split(/\s+/) }));
    index = end + 1;
  }
  return examples;
}

function findClosingFence(lines: readonly string[], from: number, readme: string): number {
  for (let index = from; index < lines.length; index++) if (CLOSING_FENCE.test(lines[index] ?? '')) return index;
  throw new Error(`${readme}:${from}: a \`\`\`ts block is never closed. Add the closing \`\`\` line.`);
}

function describeBlock(block: { readme: string; line: number; code: string; infoWords: readonly string[] }): ReadmeExample {
  const firstLine = block.code.split('\n', 1)[0]?.trim() ?? '';
  const fragment = /^\/\/\s*fragment\b/i.test(firstLine);
  const fileName = FILE_NAME_LINE.exec(firstLine)?.[1] ?? `example-${block.line}.ts`;
  return { readme: block.readme, line: block.line, code: block.code, fileName, fragment, run: !fragment && !block.infoWords.includes('no-run') };
}
