import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// core is bundled from its source (only its error classes are used), so the CLI runs without
// core being built first; `shims` gives the CJS build an `import.meta.url`.
export default defineConfig(
  packageBuild(
    { index: 'src/index.ts', testing: 'src/testing.ts', cli: 'src/cli.ts' },
    {
      noExternal: ['@kstreams/core'],
      external: ['vitest'],
      shims: true,
      esbuildOptions(options) {
        options.conditions = ['source'];
      },
    },
  ),
);
