import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractExamples, type ReadmeExample } from './extract-examples.js';
import { findReadmeFiles } from './readme-files.js';
import { runExamples } from './run-examples.js';
import { typeCheckFiles } from './type-check-examples.js';

/** What is wrong with one example, at its README line. */
export interface ExampleProblem {
  readonly readme: string;
  /** The README line of the problem (the fence's line when it is about the whole block). */
  readonly line: number;
  readonly message: string;
}

export interface CheckOptions {
  /** The repository root: READMEs are found and named relative to it. */
  readonly root: string;
  /** READMEs to check, relative to `root`. Default: every README (`findReadmeFiles`). */
  readonly readmes?: readonly string[];
  /** Run the examples that need no broker (default true). */
  readonly run?: boolean;
  /** Per example run. Default 30 s. */
  readonly timeoutMs?: number;
  /** Compiler options. Default: `<root>/tsconfig.base.json`. */
  readonly tsconfig?: string;
}

export interface CheckReport {
  readonly examples: readonly ReadmeExample[];
  readonly problems: readonly ExampleProblem[];
}

/** Where examples are written: inside this package, so `kstreams` and `@kstreams/*` resolve from its node_modules. */
const examplesRoot = fileURLToPath(new URL('../.examples', import.meta.url));

/**
 * Extracts every ```ts block of the READMEs, type-checks the complete ones (fragments are
 * skipped) against the workspace packages with the repo's tsconfig.base.json, and runs those not
 * marked `no-run`. Each README's examples share a folder, so one can import another by file name.
 */
export async function checkReadmeExamples(options: CheckOptions): Promise<CheckReport> {
  mkdirSync(examplesRoot, { recursive: true });
  const workDir = mkdtempSync(join(examplesRoot, 'run-'));
  try {
    const examples = (options.readmes ?? findReadmeFiles(options.root)).flatMap((readme) => extractExamples(readFileSync(join(options.root, readme), 'utf8'), readme));
    const written = writeExamples(examples.filter((example) => !example.fragment), workDir);
    const problems = [...written.problems, ...compileProblems(written.files, options.tsconfig ?? join(options.root, 'tsconfig.base.json'))];
    if (options.run !== false && problems.length === 0) problems.push(...(await runProblems(written.files, workDir, options.timeoutMs ?? 30_000)));
    return { examples, problems };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The file each complete example was written to. */
type WrittenFiles = Map<string, ReadmeExample>;

function writeExamples(examples: readonly ReadmeExample[], workDir: string): { files: WrittenFiles; problems: ExampleProblem[] } {
  const files: WrittenFiles = new Map();
  const problems: ExampleProblem[] = [];
  for (const example of examples) {
    const file = join(workDir, example.readme.replace(/[^\w.-]+/g, '_'), example.fileName);
    const earlier = files.get(file);
    if (earlier !== undefined) {
      problems.push({ readme: example.readme, line: example.line, message: `Two examples are named ${example.fileName} (lines ${earlier.line} and ${example.line}). Give each its own file name.` });
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    // `export {}` makes every example a module: top-level await works and names stay local.
    writeFileSync(file, `${example.code}\nexport {};\n`);
    files.set(file, example);
  }
  return { files, problems };
}

function compileProblems(files: WrittenFiles, tsconfig: string): ExampleProblem[] {
  if (files.size === 0) return [];
  return typeCheckFiles([...files.keys()], tsconfig).map((error) => {
    const example = error.file === undefined ? undefined : files.get(error.file);
    if (example === undefined) return { readme: '(examples)', line: 0, message: error.message };
    return { readme: example.readme, line: example.line + error.line, message: `${error.message} (column ${error.column})` };
  });
}

async function runProblems(files: WrittenFiles, workDir: string, timeoutMs: number): Promise<ExampleProblem[]> {
  const runs = [...files].filter(([, example]) => example.run).map(([file], index) => ({ id: String(index), file, cwd: join(workDir, 'cwd', String(index)) }));
  for (const run of runs) mkdirSync(run.cwd, { recursive: true });
  const failures = await runExamples(runs, { workDir, timeoutMs });
  return runs.flatMap((run) => {
    const error = failures.get(run.id);
    const example = files.get(run.file);
    if (error === undefined || example === undefined) return [];
    return [{ readme: example.readme, line: example.line, message: `Running the example failed (mark it \`\`\`ts no-run if it needs a broker): ${error}` }];
  });
}

/** `README.md:12: message` lines, one per problem. */
export function formatProblems(problems: readonly ExampleProblem[]): string {
  return problems.map((problem) => `${problem.readme}:${problem.line}: ${problem.message}`).join('\n');
}
