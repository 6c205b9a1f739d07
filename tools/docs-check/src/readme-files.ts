import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders whose sub-folders each may have a README.md. */
const PACKAGE_FOLDERS = ['packages', 'apps', 'tools'];

/**
 * Every README of the repository, relative to `root`: the root README, each package's, app's
 * and tool's, the benchmarks', and every Markdown file under `docs/`.
 */
export function findReadmeFiles(root: string): string[] {
  const candidates = [join(root, 'README.md'), join(root, 'benchmarks', 'README.md')];
  for (const folder of PACKAGE_FOLDERS) {
    if (!existsSync(join(root, folder))) continue;
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      if (entry.isDirectory()) candidates.push(join(root, folder, entry.name, 'README.md'));
    }
  }
  candidates.push(...markdownFilesUnder(join(root, 'docs')));
  return candidates.filter((file) => existsSync(file)).map((file) => relative(root, file));
}

function markdownFilesUnder(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .sort((left, right) => left.name.localeCompare(right.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return markdownFilesUnder(path);
      return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
    });
}
