import type { Options } from 'tsup';

/** The one tsup setup every package uses: ESM + CJS + .d.ts from the package's entry points. */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    treeshake: true,
    ...extra,
  };
}
