import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// lmdb is native (prebuilt binaries per platform): never bundle it.
export default defineConfig(packageBuild({ index: 'src/index.ts' }, { external: ['lmdb'] }));
