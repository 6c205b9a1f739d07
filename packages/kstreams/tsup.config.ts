import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig(packageBuild({
    index: 'src/index.ts',
    'test-driver': 'src/test-driver.ts',
    windowing: 'src/windowing.ts',
    changelog: 'src/changelog.ts',
    assignor: 'src/assignor.ts',
    'kafka-protocol': 'src/kafka-protocol.ts',
    'query-server': 'src/query-server.ts',
    reset: 'src/reset.ts',
    'reset-cli': 'src/reset-cli.ts',
  }));
