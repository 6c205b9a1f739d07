import { resolve } from 'node:path';
import ts from 'typescript';

/** One compiler error in an example file: where (file, 1-based line and column) and what. */
export interface CompileError {
  readonly file: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * Type-checks `files` as one program with the compiler options of `tsconfigPath` (the repo's
 * tsconfig.base.json: strict, NodeNext, the `source` condition, so `kstreams` and
 * `@kstreams/*` resolve to the workspace's sources). Returns the errors in those files only:
 * the packages' own errors are their type-check's business.
 */
export function typeCheckFiles(files: readonly string[], tsconfigPath: string): CompileError[] {
  const config = ts.readConfigFile(tsconfigPath, (path) => ts.sys.readFile(path));
  if (config.error !== undefined) throw new Error(`Cannot read ${tsconfigPath}: ${flatten(config.error)}`);
  const parsed = ts.parseJsonConfigFileContent({ ...config.config, include: [], files: [] }, ts.sys, resolve(tsconfigPath, '..'));
  const program = ts.createProgram({ rootNames: [...files], options: { ...parsed.options, noEmit: true } });
  const examples = new Set(files.map((file) => resolve(file)));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || examples.has(resolve(diagnostic.file.fileName)))
    .map(toCompileError);
}

function toCompileError(diagnostic: ts.Diagnostic): CompileError {
  const message = `TS${diagnostic.code}: ${flatten(diagnostic)}`;
  if (diagnostic.file === undefined || diagnostic.start === undefined) return { file: undefined, line: 0, column: 0, message };
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: resolve(diagnostic.file.fileName), line: line + 1, column: character + 1, message };
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}
