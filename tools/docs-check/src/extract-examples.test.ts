import { describe, expect, it } from 'vitest';
import { extractExamples } from './extract-examples.js';

const fence = '```';

describe('extractExamples', () => {
  it('finds ts and typescript blocks with their fence line, and ignores other languages', () => {
    const markdown = ['# Title', '', `${fence}sh`, 'npm test', fence, `${fence}ts`, 'const a = 1;', fence, `${fence}typescript`, 'const b = 2;', fence].join('\n');
    const examples = extractExamples(markdown, 'README.md');
    expect(examples.map(({ line, code, fileName, fragment, run }) => ({ line, code, fileName, fragment, run }))).toEqual([
      { line: 6, code: 'const a = 1;', fileName: 'example-6.ts', fragment: false, run: true },
      { line: 9, code: 'const b = 2;', fileName: 'example-9.ts', fragment: false, run: true },
    ]);
  });

  it('reads the markers: a "// fragment" first line, a "// name.ts" first line, and the no-run info word', () => {
    const markdown = [
      `${fence}ts`, '// fragment: continues the example above', 'driver.close();', fence,
      `${fence}ts no-run`, '// word-count-topology.ts: shared by main.ts', 'export const topics = [];', fence,
    ].join('\n');
    const [fragment, named] = extractExamples(markdown, 'packages/x/README.md');
    expect(fragment).toMatchObject({ fragment: true, run: false });
    expect(named).toMatchObject({ readme: 'packages/x/README.md', fileName: 'word-count-topology.ts', fragment: false, run: false });
  });

  it('names the README line of a block that is never closed', () => {
    expect(() => extractExamples(['text', `${fence}ts`, 'const a = 1;'].join('\n'), 'README.md')).toThrow('README.md:2: a ```ts block is never closed');
  });
});
