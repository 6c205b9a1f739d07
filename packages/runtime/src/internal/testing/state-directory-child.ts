/**
 * Holds a state directory's process lock in a child process for the StateDirectory tests, run as
 * `node --import tsx --conditions source state-directory-child.ts <stateDir> <applicationId>`:
 * locks, prints `locked`, and waits to be killed.
 */
import { noopLogger } from '@kstreams/core';
import { StateDirectory } from '../../state-directory.js';

const [stateDir = '', applicationId = ''] = process.argv.slice(2);
await new StateDirectory({ stateDir, applicationId, processId: 'child-process', logger: noopLogger }).lock();
process.stdout.write('locked\n');
setInterval(() => {}, 1_000);
